package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// DetachForm serves GET /enis/{id}/detach: the confirmation, or why the
// ENI cannot be detached.
func (h *Handler) DetachForm(c echo.Context) error {
	return h.confirmForm(c, opDetach)
}

// DetachENI serves POST /enis/{id}/detach. Only an attached secondary ENI
// is detached (or one stuck in Detaching, again); anything else (a primary
// ENI, a forged request) is refused with the reason before the cloud is
// called.
func (h *Handler) DetachENI(c echo.Context) error {
	return h.confirmedOp(c, opDetach, func(p *views.ActionPage) string {
		if inst := c.FormValue("instance"); inst != "" && inst != p.ENI.InstanceID {
			return "it is attached to " + p.ENI.InstanceID + ", not " + inst + " (the page was out of date)"
		}
		return ""
	})
}

// confirmForm serves the confirmation page of an action that needs only a
// yes: the ENI, and why the action is impossible if it is.
func (h *Handler) confirmForm(c echo.Context, o *eniOp) error {
	noStore(c)
	p, err := h.startAction(c, o.name)
	if err != nil {
		return err
	}
	p.Blocked = o.blocked(p.ENI, h.stuck(p.ENI))
	return Render(c, http.StatusOK, views.ActionPageView(p))
}

// confirmedOp makes a change that needs only a yes (detach, delete):
// refused with the reason when the ENI cannot take it (or when check,
// if set, finds the form out of date), otherwise asked of the cloud
// through the one audited path.
func (h *Handler) confirmedOp(c echo.Context, o *eniOp, check func(*views.ActionPage) string) error {
	p, err := h.startAction(c, o.name)
	if err != nil {
		return err
	}
	e := p.ENI
	if p.Blocked = o.blocked(e, h.stuck(e)); p.Blocked == "" && check != nil {
		p.Blocked = check(&p)
	}
	if p.Blocked != "" {
		return Render(c, http.StatusConflict, views.ActionPageView(p))
	}
	_, err = h.runOp(actorOf(c), o, e, opInput{}, "")
	if err != nil && !eni.OutcomeUnknown(err) {
		var status int
		p.Failure, status = explainFailure(o.api, err)
		return Render(c, status, views.ActionPageView(p))
	}
	back := p.Back
	if o == opDelete && back == views.DetailURL(e.RegionID, e.ID) {
		// The detail page is going away with the ENI.
		back = views.ListURL(eni.Filter{Region: e.RegionID})
	}
	doing := o.doing(e, opInput{})
	if err != nil {
		return h.actionUnknown(c, e, back, doing)
	}
	e = h.afterChange(c, e, func(e *eni.ENI) { e.Status = o.pending })
	return h.actionAccepted(c, e, back, views.Flash{Kind: "ok", Message: doing + o.then})
}

// label names an ENI for a message: its ID, and its name when it has one.
func label(e eni.ENI) string {
	if e.Name != "" {
		return e.ID + " (" + e.Name + ")"
	}
	return e.ID
}
