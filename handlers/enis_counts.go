package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/views"
)

// ListCounts serves GET /enis/counts: a view's counts line, its counts by
// status and type, its page numbers and the time of the snapshot's last
// complete listing, as the snapshot has them now, so a page whose rows
// changed live can bring them up to date. A page the changes have left
// past the end is answered as it is (its bar says so): the person may be
// reading it. The query is the list's, with
// the same checks (400 naming the field). It never calls the cloud nor
// starts a region's listing: a view the snapshot cannot answer (its region
// not indexed, or a position in the cloud's own paging) is 204, and the
// page keeps what it shows.
func (h *Handler) ListCounts(c echo.Context) error {
	noStore(c)
	vw, errs := eni.ParseView(c.QueryParams())
	if vw.Region == "" {
		vw.Region = h.DefaultRegion
	}
	if len(errs) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, errs.Error())
	}
	if h.Inventory == nil || len(vw.Trail) > 0 {
		return c.NoContent(http.StatusNoContent)
	}
	region := h.Inventory.Running(vw.Region)
	if region == nil {
		return c.NoContent(http.StatusNoContent)
	}
	prog := region.Progress()
	// Instance names as the look-ups hold them, without waiting on them.
	res, err := region.Query(vw, inventory.Options{Now: h.Now(), Names: h.Lookups.InstanceNames(vw.Region)})
	if err != nil {
		return c.NoContent(http.StatusNoContent) // not listed whole yet
	}
	page := views.ListPage{View: vw, Filter: vw.Filter, Now: h.Now(), ENIs: res.ENIs, TotalCount: res.Total,
		Snapshot: &views.Snapshot{AsOf: prog.AsOf, Pages: res.Pages, Statuses: res.Statuses, Types: res.Types}}
	return Render(c, http.StatusOK, views.ListCounts(page))
}
