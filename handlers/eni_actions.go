package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// This file holds what the single-ENI actions (attach, detach, delete)
// share: reading the target, the refusal of viewers, explaining cloud
// failures, and the answer once the cloud has accepted the change.

// errNotOperator is the answer to anyone who may only read.
var errNotOperator = echo.NewHTTPError(http.StatusForbidden,
	"Your role lets you view ENIs but not change them. Ask an administrator for the operator role.")

// actionTarget reads the ENI of the path, its region (query or form) and
// the page to return to. Bad values are a 400 naming the field.
func (h *Handler) actionTarget(c echo.Context) (region, id, back string, err error) {
	id, region = c.Param("id"), h.requestRegion(c)
	if errs := h.refErrors(c.Request().Context(), region, id); len(errs) > 0 {
		return "", "", "", echo.NewHTTPError(http.StatusBadRequest, errs.Error())
	}
	return region, id, safeBack(c.FormValue("back"), views.DetailURL(region, id)), nil
}

// safeBack keeps a return address only if it is a path of this site, so a
// crafted link cannot send the operator elsewhere after an action.
func safeBack(back, fallback string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") {
		return fallback
	}
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return back
}

// loadENI reads the ENI an action is about; not found is a 404 page.
func (h *Handler) loadENI(c echo.Context, region, id string) (eni.ENI, error) {
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	e, err := h.Cloud.GetENI(ctx, region, id)
	if errors.Is(err, eni.ErrNotFound) {
		return e, echo.NewHTTPError(http.StatusNotFound, id+" does not exist in "+region+"; it may have been deleted already.")
	}
	if err != nil {
		ce, status := describeFailure("DescribeNetworkInterfaces", err)
		return e, echo.NewHTTPError(status, "Reading "+id+" from the cloud failed: "+ce.Code+": "+ce.Message).SetInternal(err)
	}
	return e, nil
}

// explainFailure turns a failed change into words and the status to answer
// with: 422 when the cloud refused the change, 503 when it throttled or
// the audit log could not record the change (so it was not asked), 502
// for its own failures and 504 when it did not answer in time.
func explainFailure(action string, err error) (*views.Failure, int) {
	ce, status := describeFailure(action, err)
	switch {
	case ce.Throttled(), ce.Code == "AuditUnavailable":
		status = http.StatusServiceUnavailable
	case ce.HTTPStatus >= 400 && ce.HTTPStatus < 500:
		status = http.StatusUnprocessableEntity
	}
	f := &views.Failure{Cloud: ce}
	if x, ok := eni.Explain(ce.Code); ok {
		f.Summary, f.Next = x.Summary, x.Next
	} else if status == http.StatusUnprocessableEntity {
		f.Summary = "The cloud refused the change."
		f.Next = "Its own words are below; the RequestId helps Alibaba Cloud support find the call."
	} else {
		f.Summary = "The change could not be made: the cloud did not answer as expected."
		f.Next = "Check the ENI's state before trying again: the change may or may not have happened."
	}
	return f, status
}

// actionAccepted answers a change the cloud has accepted. htmx gets the
// row in its new state and the flash, both out of band, and an empty
// dialog; a change started from the detail page reloads it. Without
// script: Post/Redirect/Get to the page the action came from, the flash
// kept in the session.
func (h *Handler) actionAccepted(c echo.Context, e eni.ENI, back string, flash views.Flash) error {
	if !IsHTMX(c) || !strings.HasPrefix(back, "/enis?") && back != "/enis" {
		h.addFlash(c, flash)
		if IsHTMX(c) {
			c.Response().Header().Set(HeaderHXRedirect, back)
			return c.NoContent(http.StatusOK)
		}
		return c.Redirect(http.StatusSeeOther, back)
	}
	rc := views.RowContext{Region: e.RegionID, Now: h.Now(), CanAct: canAct(c), Back: back, Names: h.Lookups.CachedNames(e.RegionID).Of}
	return Render(c, http.StatusOK, views.ActionAcceptedOOB(e, rc, flash))
}

// afterChange is the ENI as the cloud now reports it, or, if it cannot be
// read, as the accepted change makes it.
func (h *Handler) afterChange(c echo.Context, e eni.ENI, apply func(*eni.ENI)) eni.ENI {
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	if fresh, err := h.Cloud.GetENI(ctx, e.RegionID, e.ID); err == nil {
		return fresh
	}
	apply(&e)
	return e
}

// startAction is how every single-ENI action begins, form or POST: only
// operators, a valid target, the ENI as the cloud has it now, and the
// page or panel to answer with.
func (h *Handler) startAction(c echo.Context, action string) (views.ActionPage, error) {
	if !canAct(c) {
		return views.ActionPage{}, errNotOperator
	}
	region, id, back, err := h.actionTarget(c)
	if err != nil {
		return views.ActionPage{}, err
	}
	e, err := h.loadENI(c, region, id)
	if err != nil {
		return views.ActionPage{}, err
	}
	p := views.ActionPage{Action: action, ENI: e, Back: back, Fragment: IsHTMX(c)}
	if p.Fragment {
		p.Chrome = views.Chrome{CSRF: csrfToken(c.Request().Context()), Region: e.RegionID}
	} else {
		p.Chrome = h.chrome(c, views.ActionTitle(action)+" "+e.ID, e.RegionID)
	}
	return p, nil
}
