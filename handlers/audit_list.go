package handlers

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/views"
)

// eniHistorySize is how many of an ENI's latest entries its page shows.
const eniHistorySize = 20

// AuditList serves GET /audit: one page of the audit log, newest first,
// filtered by the query (actor, action, eni, outcome, from, to; before
// and size page it). A bad parameter is answered 400 with the form
// showing the message at its field; a URL that is valid but not canonical
// (as a submitted form writes it) is redirected to its canonical form.
func (h *Handler) AuditList(c echo.Context) error {
	ctx := c.Request().Context()
	noStore(c)
	raw := c.QueryParams()
	f, errs := audit.ParseFilter(raw)
	chrome := h.chrome(c, "Audit log", h.DefaultRegion)
	chrome.Nav = "audit"
	page := views.AuditPage{Chrome: chrome, Filter: f, Now: h.Now()}
	if len(errs) > 0 {
		page.Errors, page.Raw = errs, raw
		return Render(c, http.StatusBadRequest, views.AuditPageView(page))
	}
	if canonical := views.AuditURL(f); c.Request().URL.RequestURI() != canonical {
		return c.Redirect(http.StatusFound, canonical)
	}

	res, err := h.Audit.Query(ctx, f.LogQuery())
	if err != nil {
		h.Logger.ErrorContext(ctx, "reading the audit log failed", "view", f.Encode(), "err", err)
		page.LoadErr = "The server log has the details. Try again in a moment."
		return Render(c, http.StatusInternalServerError, views.AuditPageView(page))
	}
	page.Entries, page.Next = res.Entries, res.Next
	return Render(c, http.StatusOK, views.AuditPageView(page))
}

// eniHistory is an ENI's latest audit entries, newest first, for its
// detail page (views.ENIHistory).
func (h *Handler) eniHistory(ctx context.Context, eniID string) ([]audit.Entry, error) {
	p, err := h.Audit.Query(ctx, audit.Query{ENIID: eniID, Limit: eniHistorySize})
	if err != nil {
		return nil, fmt.Errorf("reading the history of %s: %w", eniID, err)
	}
	return p.Entries, nil
}
