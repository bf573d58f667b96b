package views

import (
	"context"
	"io"
	"sync"
)

// A list page is mostly its rows: 100 of them, each some forty values,
// links and badges. templ copies every { value } it writes (fmt.Sprint)
// and allocates for every component it calls, which made rendering rows
// most of a page's time and garbage. So the row's repeated fragments
// (row_fragments.go, row_actions.go) write their markup themselves: every
// value escaped exactly as templ escapes it, with no copy of its own.

// htmlBuf gathers a fragment's markup, written to the page in one piece:
// a write to templ's buffer per piece cost more than the pieces.
type htmlBuf struct{ b []byte }

var htmlBufs = sync.Pool{New: func() any { return &htmlBuf{b: make([]byte, 0, 2048)} }}

func newHTMLBuf() *htmlBuf { return htmlBufs.Get().(*htmlBuf) }

// raw adds markup as it is: only literals and values escaped already.
func (h *htmlBuf) raw(s string) { h.b = append(h.b, s...) }

// text adds s escaped for HTML text or a quoted attribute value.
func (h *htmlBuf) text(s string) { h.b = appendEscaped(h.b, s) }

// flush writes the fragment to w and gives the buffer back; one grown by
// an unusually long value is let go.
func (h *htmlBuf) flush(w io.Writer) error {
	_, err := w.Write(h.b)
	if cap(h.b) <= 64<<10 {
		h.b = h.b[:0]
		htmlBufs.Put(h)
	}
	return err
}

// appendEscaped appends s escaped for HTML text or a quoted attribute
// value: the same bytes as templ.EscapeString (html.EscapeString) gives.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if e := entities[s[i]]; e != "" {
			b = append(b, s[start:i]...)
			b = append(b, e...)
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}

// entities are html.EscapeString's replacements.
var entities = [256]string{'&': "&amp;", '\'': "&#39;", '<': "&lt;", '>': "&gt;", '"': "&#34;"}

// esc is text written escaped, as { value } writes it in a template, but
// without copying it first: @esc(e.ID). Most values (IDs, addresses) have
// nothing to escape and go out as they are.
type esc string

func (s esc) Render(_ context.Context, w io.Writer) error {
	start := 0
	for i := 0; i < len(s); i++ {
		if e := entities[s[i]]; e != "" {
			if _, err := io.WriteString(w, string(s[start:i])); err != nil {
				return err
			}
			if _, err := io.WriteString(w, e); err != nil {
				return err
			}
			start = i + 1
		}
	}
	_, err := io.WriteString(w, string(s[start:]))
	return err
}

// rawHTML is markup known at compile time, written as it is.
type rawHTML string

func (s rawHTML) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, string(s))
	return err
}
