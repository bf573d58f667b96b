package handlers

import (
	"cmp"
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// act is the one place every change to the cloud goes through: it writes
// the audit intent, calls the cloud, and writes the outcome with the
// cloud's RequestId. When the intent cannot be written, the cloud is not
// called: an unrecorded change is worse than a refused one.
//
// A change, once asked for, does not depend on the browser staying: it
// runs detached from the request's cancellation, bounded by its own
// CallTimeout, so the outcome recorded is the cloud's. That is ok or
// error as the cloud answered, or unknown when no answer came for a
// request that may have reached the cloud; act's error then satisfies
// eni.OutcomeUnknown, and the live view is told to watch the ENI all the
// same, so that its real state shows.
func (h *Handler) act(a actor, e audit.Entry, call func(context.Context) (eni.Result, error)) (eni.Result, error) {
	ctx := a.ctx
	e.Actor, e.AuthMethod = a.user, a.method
	e.SourceIP, e.UserAgent = a.sourceIP, a.userAgent
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
		if eni.OutcomeUnknown(err) {
			f.Outcome = audit.OutcomeUnknown
		}
		ce, _ := describeFailure(e.API, err)
		f.ErrorCode, f.ErrorMsg = ce.Code, ce.Message
		if ce.RequestID != "" {
			f.RequestID = ce.RequestID
		}
	}
	if ferr := h.Audit.Finish(ctx, entryID, f); ferr != nil {
		h.Logger.ErrorContext(ctx, "audit outcome not written", "entry", entryID, "err", ferr)
	}
	h.Logger.InfoContext(ctx, "action", "action", e.Action, "actor", e.Actor, "eni", f.ENIID, "outcome", f.Outcome,
		"code", f.ErrorCode, "requestId", f.RequestID)
	if f.Outcome != audit.OutcomeError && h.Live != nil {
		// Every page watching this ENI polls fast for a while.
		var ids []string
		if id := cmp.Or(res.ENIID, e.ENIID); id != "" {
			ids = []string{id}
		}
		h.Live.JustActed(e.Region, ids, e.Action == audit.ActionCreate)
	}
	return res, err
}

// actor is who asks for a change, read from the request once so that act
// needs no echo.Context and may run on other goroutines (bulk). Its
// context keeps the request's values (identity, request ID) but not its
// cancellation: a change once asked for does not depend on the browser.
type actor struct {
	ctx                 context.Context
	user, method        string
	sourceIP, userAgent string
}

// actorOf is the actor of the request.
func actorOf(c echo.Context) actor {
	ctx := context.WithoutCancel(c.Request().Context())
	id := identity(ctx)
	return actor{ctx: ctx, user: id.Username, method: id.Method, sourceIP: c.RealIP(), userAgent: c.Request().UserAgent()}
}

// actionUnknown answers a change whose outcome is not known: the ENI as
// the cloud now reports it, unchanged if it cannot be read, and a message
// that says so without calling it a failure. doing says what was asked,
// like "Attaching eni-… to i-…".
func (h *Handler) actionUnknown(c echo.Context, e eni.ENI, back, doing string) error {
	e = h.afterChange(c, e, func(*eni.ENI) {})
	return h.actionAccepted(c, e, back, views.Flash{Kind: "info", Message: doing + ": the outcome is not known yet, " +
		"as the cloud did not answer in time. Watch the ENI's state; it updates by itself."})
}
