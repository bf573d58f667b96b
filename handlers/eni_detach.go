package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// DetachForm serves GET /enis/{id}/detach: the confirmation, or why the
// ENI cannot be detached.
func (h *Handler) DetachForm(c echo.Context) error {
	return h.confirmForm(c, views.ActionDetach, eni.DetachBlocked)
}

// DetachENI serves POST /enis/{id}/detach. Only an attached secondary ENI
// is detached; anything else (a primary ENI, a forged request) is refused
// with the reason before the cloud is called.
func (h *Handler) DetachENI(c echo.Context) error {
	p, err := h.startAction(c, views.ActionDetach)
	if err != nil {
		return err
	}
	e, region, id := p.ENI, p.ENI.RegionID, p.ENI.ID
	if p.Blocked = eni.DetachBlocked(e); p.Blocked != "" {
		return Render(c, http.StatusConflict, views.ActionPageView(p))
	}
	if inst := c.FormValue("instance"); inst != "" && inst != e.InstanceID {
		p.Blocked = "it is attached to " + e.InstanceID + ", not " + inst + " (the page was out of date)"
		return Render(c, http.StatusConflict, views.ActionPageView(p))
	}
	_, err = h.act(c, audit.Entry{Action: audit.ActionDetach, API: "DetachNetworkInterface", Region: region,
		ENIID: id, InstanceID: e.InstanceID, Params: map[string]string{"instance": e.InstanceID}},
		func(ctx context.Context) (eni.Result, error) {
			return h.Cloud.DetachENI(ctx, eni.DetachRequest{Region: region, ENIID: id, InstanceID: e.InstanceID})
		})
	if eni.OutcomeUnknown(err) {
		return h.actionUnknown(c, e, p.Back, "Detaching "+label(e)+" from "+e.InstanceID)
	}
	if err != nil {
		var status int
		p.Failure, status = explainFailure("DetachNetworkInterface", err)
		return Render(c, status, views.ActionPageView(p))
	}
	from := e.InstanceID
	e = h.afterChange(c, e, func(e *eni.ENI) { e.Status = eni.StatusDetaching })
	return h.actionAccepted(c, e, p.Back, views.Flash{Kind: "ok",
		Message: "Detaching " + label(e) + " from " + from + "; it becomes Available in a few seconds."})
}

// confirmForm serves the confirmation page of an action that needs only a
// yes: the ENI, and why the action is impossible if it is.
func (h *Handler) confirmForm(c echo.Context, action string, blocked func(eni.ENI) string) error {
	noStore(c)
	p, err := h.startAction(c, action)
	if err != nil {
		return err
	}
	p.Blocked = blocked(p.ENI)
	return Render(c, http.StatusOK, views.ActionPageView(p))
}

// label names an ENI for a message: its ID, and its name when it has one.
func label(e eni.ENI) string {
	if e.Name != "" {
		return e.ID + " (" + e.Name + ")"
	}
	return e.ID
}
