package views

import (
	"context"
	"io"
)

// A list page is mostly its rows: 100 of them, each some forty values,
// links and badges. templ copies every { value } it writes (fmt.Sprint)
// and allocates for every component it calls, which made rendering rows
// most of a page's time and garbage. So the row's repeated fragments
// (row_fragments.go) write themselves straight into the page: every value
// escaped exactly as templ escapes it, nothing copied on the way.

// htmlWriter writes markup and escaped values, keeping the first error.
type htmlWriter struct {
	w   io.Writer
	err error
}

// raw writes markup as it is: only literals and values escaped already.
func (h *htmlWriter) raw(s string) {
	if h.err == nil {
		_, h.err = io.WriteString(h.w, s)
	}
}

// text writes s escaped for HTML text or a quoted attribute value, the
// same bytes as templ.EscapeString (html.EscapeString) gives. Most values
// (IDs, addresses) have nothing to escape and go out in one write.
func (h *htmlWriter) text(s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if e := entities[s[i]]; e != "" {
			h.raw(s[start:i])
			h.raw(e)
			start = i + 1
		}
	}
	h.raw(s[start:])
}

// entities are html.EscapeString's replacements.
var entities = [256]string{'&': "&amp;", '\'': "&#39;", '<': "&lt;", '>': "&gt;", '"': "&#34;"}

// esc is text written escaped, as { value } writes it in a template, but
// without copying it first: @esc(e.ID).
type esc string

func (s esc) Render(_ context.Context, w io.Writer) error {
	h := htmlWriter{w: w}
	h.text(string(s))
	return h.err
}

// rawHTML is markup known at compile time, written as it is.
type rawHTML string

func (s rawHTML) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, string(s))
	return err
}
