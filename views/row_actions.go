package views

import (
	"context"
	"io"
	"net/url"

	"enidash/internal/eni"
)

// escaped is a value and its query escape, kept so that a table's rows
// escape the page they come back to once rather than once a row.
type escaped struct{ from, to string }

// forRows is rc for the rows of a table: what their links share is
// escaped once.
func (rc RowContext) forRows() RowContext {
	rc.back = escaped{rc.Back, url.QueryEscape(rc.Back)}
	return rc
}

// escapedBack is Back escaped for a query.
func (rc RowContext) escapedBack() string {
	if rc.back.from == rc.Back && (rc.back.to != "" || rc.Back == "") {
		return rc.back.to
	}
	return url.QueryEscape(rc.Back)
}

// rowActionLinks is rowActions(e, region, back, stuck), written straight
// into the page (see row_html.go), from back escaped for a query already.
func rowActionLinks(e *eni.ENI, region, escapedBack string, stuck bool) actionAnchors {
	return actionAnchors{e: e, region: region, back: escapedBack, stuck: stuck}
}

type actionAnchors struct {
	e            *eni.ENI
	region, back string
	stuck        bool
}

func (a actionAnchors) Render(_ context.Context, w io.Writer) error {
	h := newHTMLBuf()
	e := a.e
	q := rowQuery{id: url.PathEscape(e.ID), region: url.QueryEscape(a.region), back: a.back}
	h.raw(`<div class="flex gap-1 whitespace-nowrap">`)
	if eni.AttachBlocked(*e) == "" {
		h.actionLink(q, ActionAttach, "Attach", false)
	}
	if eni.DetachBlocked(*e, a.stuck) == "" {
		h.actionLink(q, ActionDetach, againLabel("Detach", *e), false)
	}
	if eni.DeleteBlocked(*e, a.stuck) == "" {
		h.actionLink(q, ActionDelete, againLabel("Delete", *e), true)
	}
	if e.ServiceManaged {
		h.raw(`<span class="whitespace-normal text-2xs text-slate-600 dark:text-slate-400" data-no-actions="managed">No actions: the cloud service manages it</span>`)
	}
	h.raw(`</div>`)
	return h.flush(w)
}

// actionLink is actionLink(rowLink(id, action, q), label, action, danger).
func (h *htmlBuf) actionLink(q rowQuery, action, label string, danger bool) {
	h.raw(`<a href="`)
	h.rowLink(q, action)
	h.raw(`" hx-get="`)
	h.rowLink(q, action)
	if danger {
		h.raw(`" hx-target="#dialog" hx-swap="outerHTML" class="btn px-1.5 py-0.5 text-2xs text-red-700 dark:text-red-400" data-action="`)
	} else {
		h.raw(`" hx-target="#dialog" hx-swap="outerHTML" class="btn px-1.5 py-0.5 text-2xs" data-action="`)
	}
	h.text(action)
	h.raw(`">`)
	h.text(label)
	h.raw(`</a>`)
}

// rowQuery is a row's ID escaped for a path, and the region and the page
// to come back to escaped for a query ("" for no page).
type rowQuery struct{ id, region, back string }

// rowLink writes rowLink(id, path, actionQuery(region, back)) escaped for
// an attribute: url.Values encodes its keys in order, back before region.
func (h *htmlBuf) rowLink(q rowQuery, path string) {
	h.raw(`/enis/`)
	h.text(q.id)
	h.raw(`/`)
	h.text(path)
	h.raw(`?`)
	if q.back != "" {
		h.raw(`back=`)
		h.text(q.back)
		h.raw(`&amp;`)
	}
	h.raw(`region=`)
	h.text(q.region)
}

// rowModifyLinks is modifyLinks(e, region).
func rowModifyLinks(e *eni.ENI, region string) modifyAnchors {
	return modifyAnchors{e: e, region: region}
}

type modifyAnchors struct {
	e      *eni.ENI
	region string
}

func (m modifyAnchors) Render(_ context.Context, w io.Writer) error {
	if m.e.Status.Transitional() || m.e.ServiceManaged {
		return nil
	}
	h := newHTMLBuf()
	q := rowQuery{id: url.PathEscape(m.e.ID), region: url.QueryEscape(m.region)}
	h.raw(`<div class="mt-1 flex gap-1 whitespace-nowrap" data-modify-links><a href="`)
	h.rowLink(q, FormEdit)
	h.raw(`" class="btn px-1.5 py-0.5 text-2xs" data-action="edit">Edit</a> <a href="`)
	h.rowLink(q, FormIPs)
	h.raw(`" class="btn px-1.5 py-0.5 text-2xs" data-action="ips">Addresses</a></div>`)
	return h.flush(w)
}
