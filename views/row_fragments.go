package views

import (
	"context"
	"io"
	"net/url"
	"time"

	"enidash/internal/eni"
)

// The row's fragments, written straight into the page (see row_html.go).
// Those that stand for a component other pages render too write exactly
// its markup: rowFilterLink is filterLink, rowTagChip tagChip,
// rowStatusBadge statusBadge, rowTimestamp timestamp, rowActionLinks
// rowActions, rowModifyLinks modifyLinks and rowNone none, byte for byte
// (TestRowFragmentsMatchTheirComponents).

// rowNone is none(): an empty cell.
const rowNone rawHTML = `<span class="text-slate-300 dark:text-slate-600" aria-label="none">—</span>`

// rowFilterLink is filterLink(region, key, value).
func rowFilterLink(region, key, value string) filterAnchor {
	return filterAnchor{region: region, key: key, value: value}
}

type filterAnchor struct{ region, key, value string }

func (a filterAnchor) Render(_ context.Context, w io.Writer) error {
	h := newHTMLBuf()
	v := eni.QueryEscape(a.value)
	h.viewLinkStart(a.region, a.key, v, "", "link mono whitespace-nowrap")
	h.text(a.value)
	h.raw(`</a>`)
	return h.flush(w)
}

// rowTagChip is tagChip(region, t).
func rowTagChip(region string, t eni.Tag) tagAnchor { return tagAnchor{region: region, tag: t} }

type tagAnchor struct {
	region string
	tag    eni.Tag
}

func (a tagAnchor) Render(_ context.Context, w io.Writer) error {
	h := newHTMLBuf()
	// The link's value is eni.QueryEscape(t.String()), "key:value": escaping
	// goes byte by byte, so key and value escaped apart and joined by ":"
	// are the same text without joining them first.
	k, v := eni.QueryEscape(a.tag.Key), ""
	if a.tag.Value != "" {
		v = eni.QueryEscape(a.tag.Value)
	}
	h.viewLinkStart(a.region, eni.KeyTag, k, v, "chip")
	h.raw(`<span class="truncate">`)
	h.text(a.tag.Key)
	h.raw(`<span class="text-slate-400 dark:text-slate-500">`)
	h.text(tagSep(a.tag))
	h.raw(`</span>`)
	h.text(a.tag.Value)
	h.raw(`</span></a>`)
	return h.flush(w)
}

// viewLinkStart opens viewLink(FilteredURL(region, key, value), class),
// the value given query-escaped, in one piece or, when tagValue is set,
// as a tag's escaped key and value.
func (h *htmlBuf) viewLinkStart(region, key, value, tagValue, class string) {
	r := eni.QueryEscape(region)
	h.raw(`<a href="`)
	h.filteredURL(r, key, value, tagValue)
	h.raw(`" hx-get="`)
	h.filteredURL(r, key, value, tagValue)
	h.raw(`" hx-target="#results" hx-swap="outerHTML" hx-push-url="true" class="`)
	h.text(class)
	h.raw(`">`)
}

// filteredURL writes FilteredURL's link, escaped for an attribute, from
// the region and value query-escaped already.
func (h *htmlBuf) filteredURL(region, key, value, tagValue string) {
	h.raw("/enis?" + eni.KeyRegion + "=")
	h.text(region)
	h.raw("&amp;")
	h.text(key)
	h.raw("=")
	h.text(value)
	if tagValue != "" {
		h.raw(":")
		h.text(tagValue)
	}
}

// rowResourceName is the muted name under an ID; nothing when unnamed.
type rowResourceName string

func (n rowResourceName) Render(_ context.Context, w io.Writer) error {
	if n == "" {
		return nil
	}
	h := newHTMLBuf()
	h.raw(`<div class="muted max-w-[10rem] truncate text-2xs" title="`)
	h.text(string(n))
	h.raw(`" data-name>`)
	h.text(string(n))
	h.raw(`</div>`)
	return h.flush(w)
}

// rowStatusBadge is statusBadge(s).
type rowStatusBadge eni.Status

func (s rowStatusBadge) Render(_ context.Context, w io.Writer) error {
	h := newHTMLBuf()
	st := eni.Status(s)
	h.raw(`<span class="badge `)
	h.text(statusClass(st))
	h.raw(`" data-status="`)
	h.text(string(st))
	h.raw(`"><span class="h-1.5 w-1.5 rounded-full `)
	h.text(statusDot(st))
	h.raw(`" aria-hidden="true"></span> `)
	h.text(statusLabel(st))
	h.raw(`</span>`)
	return h.flush(w)
}

// rowTimestamp is timestamp(t, now).
func rowTimestamp(t, now time.Time) timeTag { return timeTag{t: t, now: now} }

type timeTag struct{ t, now time.Time }

func (tt timeTag) Render(ctx context.Context, w io.Writer) error {
	if tt.t.IsZero() {
		return rowNone.Render(ctx, w)
	}
	h := newHTMLBuf()
	u := tt.t.UTC()
	// The layouts give digits and "-:TZ" only: nothing to escape.
	h.raw(`<time datetime="`)
	h.b = u.AppendFormat(h.b, time.RFC3339)
	h.raw(`" title="`)
	h.text(relTime(tt.t, tt.now))
	h.raw(`" class="whitespace-nowrap tabular-nums">`)
	h.b = u.AppendFormat(h.b, "2006-01-02 15:04")
	h.raw(` <span class="muted">UTC</span></time>`)
	return h.flush(w)
}

// rowCheckbox ticks the row's ENI for a bulk action.
type rowCheckbox string

func (id rowCheckbox) Render(_ context.Context, w io.Writer) error {
	h := newHTMLBuf()
	h.raw(`<input type="checkbox" name="id" value="`)
	h.text(string(id))
	h.raw(`" form="bulk-form" class="row-select mt-0.5 h-3.5 w-3.5 rounded border-slate-300 dark:border-slate-600" aria-label="Select `)
	h.text(string(id))
	h.raw(`">`)
	return h.flush(w)
}

// rowDetailLink is the ENI's ID linking to its page (DetailURL).
func rowDetailLink(region, id string) detailAnchor { return detailAnchor{region: region, id: id} }

type detailAnchor struct{ region, id string }

func (a detailAnchor) Render(_ context.Context, w io.Writer) error {
	h := newHTMLBuf()
	h.raw(`<a href="/enis/`)
	h.text(url.PathEscape(a.id))
	h.raw(`?region=`)
	h.text(url.QueryEscape(a.region))
	h.raw(`" class="link mono whitespace-nowrap font-medium">`)
	h.text(a.id)
	h.raw(`</a> `) // the space the template wrote after the link
	return h.flush(w)
}

// rowName is the ENI's name under its ID; nothing when unnamed.
type rowName string

func (n rowName) Render(_ context.Context, w io.Writer) error {
	if n == "" {
		return nil
	}
	h := newHTMLBuf()
	h.raw(`<div class="max-w-[14rem] truncate text-xs text-slate-600 dark:text-slate-400" title="`)
	h.text(string(n))
	h.raw(`" data-field="name">`)
	h.text(string(n))
	h.raw(`</div>`)
	return h.flush(w)
}
