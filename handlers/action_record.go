package handlers

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

// act is the one place every change to the cloud goes through: it writes
// the audit intent, calls the cloud, and writes the outcome with the
// cloud's RequestId. When the intent cannot be written, the cloud is not
// called: an unrecorded change is worse than a refused one.
func (h *Handler) act(c echo.Context, e audit.Entry, call func(context.Context) (eni.Result, error)) (eni.Result, error) {
	ctx := c.Request().Context()
	id := identity(ctx)
	e.Actor, e.AuthMethod = id.Username, id.Method
	e.SourceIP, e.UserAgent = c.RealIP(), c.Request().UserAgent()
	entryID, err := h.Audit.Begin(ctx, e)
	if err != nil {
		h.Logger.ErrorContext(ctx, "audit intent not written; action refused", "action", e.Action, "eni", e.ENIID, "err", err)
		return eni.Result{}, &eni.CloudError{Action: e.API, Code: "AuditUnavailable",
			Message: "the audit log could not record this change, so it was not made; try again shortly"}
	}
	cctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
	defer cancel()
	start := time.Now()
	res, err := call(cctx)
	f := audit.Finish{Outcome: audit.OutcomeOK, ENIID: res.ENIID, RequestID: res.RequestID, Duration: time.Since(start)}
	if err != nil {
		f.Outcome = audit.OutcomeError
		ce, _ := describeFailure(e.API, err)
		f.ErrorCode, f.ErrorMsg = ce.Code, ce.Message
		if ce.RequestID != "" {
			f.RequestID = ce.RequestID
		}
	}
	// The outcome is written even if the browser has gone away.
	if ferr := h.Audit.Finish(context.WithoutCancel(ctx), entryID, f); ferr != nil {
		h.Logger.ErrorContext(ctx, "audit outcome not written", "entry", entryID, "err", ferr)
	}
	h.Logger.InfoContext(ctx, "action", "action", e.Action, "actor", e.Actor, "eni", f.ENIID, "outcome", f.Outcome,
		"code", f.ErrorCode, "requestId", f.RequestID)
	if err == nil && h.Live != nil {
		// Every page watching this ENI polls fast for a while.
		id := res.ENIID
		if id == "" {
			id = e.ENIID
		}
		h.Live.JustActed(e.Region, []string{id}, e.Action == audit.ActionCreate)
	}
	return res, err
}
