package handlers

import (
	"fmt"
	"net/http"
	"net/url"

	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/views"
)

// DefaultBulkMax is how many ENIs one bulk action may change unless
// configured otherwise (--bulk-max).
const DefaultBulkMax = 1000

// keyBulkView is the bulk form's field naming a whole view: the list's
// canonical query, so "every ENI of this view" means what the list showed.
const keyBulkView = "view"

// bulkError is a bulk request refused as a whole: its status and message.
type bulkError struct {
	status int
	msg    string
}

// parseBulkView reads the view a bulk covers. Its page, size and token
// pick a page of it, not which ENIs are in it, so they are left out.
func parseBulkView(raw, defaultRegion string) (eni.View, *bulkError) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return eni.View{}, &bulkError{http.StatusBadRequest, "view: " + fmt.Sprintf("%q", raw) + " is not a list query (like region=cn-hangzhou&status=Available)."}
	}
	for _, k := range []string{eni.KeyPage, eni.KeySize, eni.KeyToken} {
		q.Del(k)
	}
	vw, errs := eni.ParseView(q)
	if len(errs) > 0 {
		return vw, &bulkError{http.StatusBadRequest, "view: " + errs.Error()}
	}
	if vw.Region == "" {
		vw.Region = defaultRegion
	}
	return vw, nil
}

// bulkViewQuery is the canonical query a bulk of the whole view posts.
func bulkViewQuery(vw eni.View) string {
	vw.Page, vw.Size, vw.Trail = 0, 0, nil
	return vw.Query()
}

// viewItems answers which ENIs of vw the bulk covers, from the region's
// snapshot. Asked for the confirmation, they are every ENI of the view,
// at most BulkMax. On confirm, they are the IDs the confirmation listed as
// eligible, each checked again: still there, still in the view, still
// eligible. A region not yet listed whole cannot answer for a view, so
// the operator is sent back to ticking rows.
func (h *Handler) viewItems(vw eni.View, op *eniOp, confirmed []string, confirm bool) ([]views.BulkItem, *bulkError) {
	if h.Inventory == nil {
		return nil, &bulkError{http.StatusConflict, "Selecting every ENI of a view needs the inventory, which is off here; tick the rows to act on instead."}
	}
	reg, release := h.Inventory.Acquire(vw.Region)
	defer release()
	if reg == nil {
		return nil, &bulkError{http.StatusServiceUnavailable, "The server is shutting down; try again in a moment."}
	}
	if pr := reg.Progress(); !pr.Ready {
		msg := fmt.Sprintf("%s is still being indexed", vw.Region)
		if pr.Total > 0 {
			msg += fmt.Sprintf(" (%s of about %s ENIs)", views.Thousands(pr.Listed), views.Thousands(pr.Total))
		}
		return nil, &bulkError{http.StatusConflict, msg + ", so every ENI of a view cannot be selected yet. Tick the rows of this page instead, or try again once the list shows the view's total."}
	}
	store := reg.Store()
	opts := inventory.Options{Now: h.Now()}
	var found []eni.ENI
	if !confirm {
		found = store.Select(vw, opts)
		switch {
		case len(found) > h.BulkMax:
			return nil, &bulkError{http.StatusUnprocessableEntity, fmt.Sprintf("This view holds %s ENIs; a bulk takes at most %s. "+
				"Narrow the view (e.g. by vSwitch, tag or status) and select all again.", views.Thousands(len(found)), views.Thousands(h.BulkMax))}
		case len(found) == 0:
			return nil, &bulkError{http.StatusUnprocessableEntity, "No ENI is in this view now, so there is nothing to act on."}
		}
		items := make([]views.BulkItem, len(found))
		stuck := h.stuckSet(found)
		for i := range found {
			items[i] = views.BulkItem{ID: found[i].ID, ENI: &found[i], Blocked: op.blocked(found[i], stuck[found[i].ID])}
		}
		return items, nil
	}
	ids, msg := bulkIDs(confirmed, h.BulkMax)
	if msg != "" {
		return nil, &bulkError{http.StatusUnprocessableEntity, msg}
	}
	m := store.Matcher(vw, opts.Now, opts.Names)
	items := make([]views.BulkItem, len(ids))
	for i, id := range ids {
		items[i].ID = id
		if e, ok := store.Get(id); ok {
			found = append(found, e)
		}
	}
	stuck := h.stuckSet(found)
	for i := range items {
		k := indexOfENI(found, items[i].ID)
		switch {
		case k < 0:
			items[i].Blocked = "it no longer exists in " + vw.Region
		case !m.Match(&found[k]):
			items[i].ENI, items[i].Blocked = &found[k], "it has left the view since the confirmation"
		default:
			items[i].ENI, items[i].Blocked = &found[k], op.blocked(found[k], stuck[found[k].ID])
		}
	}
	return items, nil
}

func indexOfENI(es []eni.ENI, id string) int {
	for i := range es {
		if es[i].ID == id {
			return i
		}
	}
	return -1
}
