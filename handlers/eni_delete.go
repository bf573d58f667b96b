package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// DeleteForm serves GET /enis/{id}/delete: a confirmation naming the ENI.
func (h *Handler) DeleteForm(c echo.Context) error {
	return h.confirmForm(c, views.ActionDelete, eni.DeleteBlocked)
}

// DeleteENI serves POST /enis/{id}/delete; only an Available secondary ENI
// is deleted.
func (h *Handler) DeleteENI(c echo.Context) error {
	p, err := h.startAction(c, views.ActionDelete)
	if err != nil {
		return err
	}
	e, region, id, back := p.ENI, p.ENI.RegionID, p.ENI.ID, p.Back
	if p.Blocked = eni.DeleteBlocked(e); p.Blocked != "" {
		return Render(c, http.StatusConflict, views.ActionPageView(p))
	}
	_, err = h.act(c, audit.Entry{Action: audit.ActionDelete, API: "DeleteNetworkInterface", Region: region, ENIID: id},
		func(ctx context.Context) (eni.Result, error) { return h.Cloud.DeleteENI(ctx, region, id) })
	if err != nil && !eni.OutcomeUnknown(err) {
		var status int
		p.Failure, status = explainFailure("DeleteNetworkInterface", err)
		return Render(c, status, views.ActionPageView(p))
	}
	if back == views.DetailURL(region, id) {
		// The detail page is going away with the ENI.
		back = views.ListURL(eni.Filter{Region: region})
	}
	if err != nil {
		return h.actionUnknown(c, e, back, "Deleting "+label(e))
	}
	e = h.afterChange(c, e, func(e *eni.ENI) { e.Status = eni.StatusDeleting })
	return h.actionAccepted(c, e, back, views.Flash{Kind: "ok", Message: "Deleting " + label(e) + "."})
}
