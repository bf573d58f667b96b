package auth

import (
	"context"
	"errors"
	"maps"
	"net/http"

	"enidash/internal/audit"
)

// Actor is who asks for a change, and from where, for the audit log.
type Actor struct {
	Identity
	Addr      string
	UserAgent string
}

// ActorOf is the signed-in identity of r (anonymous if none) with its
// source address and user agent.
func (s *Service) ActorOf(r *http.Request) Actor {
	id, ok := FromContext(r.Context())
	if !ok {
		id = Identity{Username: "anonymous", Method: "none"}
	}
	return Actor{Identity: id, Addr: s.ClientAddr(r), UserAgent: r.UserAgent()}
}

// begin writes an audit intent and returns its ID, "" when it could not
// be written (logged).
func (s *Service) begin(ctx context.Context, a Actor, action string, params map[string]string) string {
	id, err := s.cfg.Audit.Begin(ctx, audit.Entry{
		Actor: a.Username, AuthMethod: a.Method, SourceIP: a.Addr, UserAgent: a.UserAgent,
		Action: action, Params: maps.Clone(params),
	})
	if err != nil {
		s.log.ErrorContext(ctx, "audit intent not written", "action", action, "actor", a.Username, "err", err)
		return ""
	}
	return id
}

// finish writes the outcome of an audit intent, even if the request has
// been cancelled meanwhile.
func (s *Service) finish(ctx context.Context, id string, err error) {
	if id == "" {
		return
	}
	f := audit.Finish{Outcome: audit.OutcomeOK}
	if err != nil {
		f.Outcome = audit.OutcomeError
		f.ErrorCode, f.ErrorMsg = auditError(err)
	}
	if ferr := s.cfg.Audit.Finish(context.WithoutCancel(ctx), id, f); ferr != nil {
		s.log.ErrorContext(ctx, "audit outcome not written", "entry", id, "err", ferr)
	}
}

// auditError is an error's code and message for the audit log. Messages
// of these errors never hold a secret; unknown errors are not copied, as
// they might hold anything.
func auditError(err error) (code, msg string) {
	var fe *FieldError
	var rl *RateLimitError
	switch {
	case errors.As(err, &fe):
		return "InvalidInput", fe.Field + ": " + fe.Message
	case errors.As(err, &rl):
		return "RateLimited", rl.Error()
	case errors.Is(err, ErrBadCredentials):
		return "InvalidCredentials", err.Error()
	case errors.Is(err, ErrDisabled):
		return "AccountDisabled", err.Error()
	case errors.Is(err, ErrLastAdmin):
		return "LastAdmin", err.Error()
	case errors.Is(err, ErrExists):
		return "UserExists", err.Error()
	case errors.Is(err, ErrNotFound):
		return "UserNotFound", err.Error()
	case errors.Is(err, ErrForbidden):
		return "Forbidden", err.Error()
	case errors.Is(err, ErrSelf):
		return "SelfChange", err.Error()
	}
	return "InternalError", "the change could not be stored; see the server log"
}

// change runs one audited change to an account: the intent first, and no
// change when it cannot be written (an unrecorded change is worse than a
// refused one), then the outcome.
func (s *Service) change(ctx context.Context, a Actor, user, what string, extra map[string]string, do func() error) error {
	params := map[string]string{"user": user, "change": what}
	maps.Copy(params, extra)
	id := s.begin(ctx, a, audit.ActionUserChange, params)
	if id == "" {
		return ErrAuditUnavailable
	}
	err := do()
	s.finish(ctx, id, err)
	msg := "user changed"
	if err != nil {
		msg = "user change refused"
	}
	s.log.InfoContext(ctx, msg, "actor", a.Username, "user", user, "change", what, "err", errString(err))
	return err
}

// ErrAuditUnavailable refuses a change the audit log could not record.
var ErrAuditUnavailable = errors.New("the audit log could not record this change, so it was not made; try again shortly")

func errString(err error) string {
	if err == nil {
		return ""
	}
	code, msg := auditError(err)
	return code + ": " + msg
}
