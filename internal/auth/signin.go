package auth

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"enidash/internal/audit"
)

// ErrDisabled is a right password for a disabled account.
var ErrDisabled = errors.New("this account is disabled; ask an admin to enable it")

// ErrNotLocal is a password change asked by someone the SSO proxy signed
// in: their password is not ours to change.
var ErrNotLocal = errors.New("you signed in through your company's sign-in; change your password there")

// RateLimitError refuses a sign-in after too many failures.
type RateLimitError struct{ RetryAfter time.Duration }

func (e *RateLimitError) Error() string {
	m := int(math.Ceil(e.RetryAfter.Minutes()))
	unit := "minutes"
	if m <= 1 {
		m, unit = 1, "minute"
	}
	return fmt.Sprintf("too many failed sign-ins for this account or from this address; try again in %d %s", m, unit)
}

// SignIn checks a user name and password and, when they are right, starts
// a new session on w: new cookie values, whatever the browser held
// before. Failures are counted per account and per address, logged
// (name and address, never the password) and audited.
func (s *Service) SignIn(w http.ResponseWriter, r *http.Request, username, password string) (Identity, error) {
	ctx := r.Context()
	name := NormalizeUsername(username)
	if name == "" {
		return Identity{}, &FieldError{Field: "username", Message: "Enter your user name."}
	}
	if password == "" {
		return Identity{}, &FieldError{Field: "password", Message: "Enter your password."}
	}
	if len(name) > 2*MaxUsernameLen {
		name = name[:2*MaxUsernameLen] // bounds what a guess can put in the log and the limiter
	}
	actor := Actor{Identity: Identity{Username: name, Method: MethodPassword}, Addr: s.ClientAddr(r), UserAgent: r.UserAgent()}
	entry := s.begin(ctx, actor, audit.ActionSignIn, nil)
	now := s.cfg.Now()
	addrKey := limiterKey(actor.Addr)
	if wait := max(s.byAccount.wait(name, now), s.byAddress.wait(addrKey, now)); wait > 0 {
		err := &RateLimitError{RetryAfter: wait}
		s.log.WarnContext(ctx, "sign-in refused: too many failures", "user", name, "addr", actor.Addr)
		s.finish(ctx, entry, err)
		return Identity{}, err
	}
	u, err := s.store.Verify(ctx, name, password)
	if errors.Is(err, ErrBadCredentials) {
		s.byAccount.fail(name, now)
		s.byAddress.fail(addrKey, now)
		s.log.WarnContext(ctx, "sign-in failed: wrong user name or password", "user", name, "addr", actor.Addr)
	} else if err == nil && u.Disabled {
		err = ErrDisabled
		s.log.WarnContext(ctx, "sign-in refused: account disabled", "user", name, "addr", actor.Addr)
	}
	if err == nil {
		s.byAccount.reset(name)
		err = s.store.RecordSignIn(ctx, u.Username, now)
	}
	if err == nil {
		err = s.startSession(w, r, u.Username, u.Generation, now)
	}
	s.finish(ctx, entry, err)
	if err != nil {
		return Identity{}, err
	}
	s.log.InfoContext(ctx, "signed in", "user", u.Username, "addr", actor.Addr)
	return Identity{Username: u.Username, Role: u.Role, Method: MethodPassword}, nil
}

// SignOut ends every session of the signed-in user, this browser's and
// any copy of its cookie, and clears the cookie. Someone signed in by the
// SSO proxy only loses the cookie (there is none): the proxy decides.
func (s *Service) SignOut(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := s.ActorOf(r)
	if actor.Method != MethodPassword {
		return s.cookies.clearSession(w, r)
	}
	entry := s.begin(ctx, actor, audit.ActionSignOut, nil)
	err := s.store.EndSessions(ctx, actor.Username)
	if err == nil {
		err = s.cookies.clearSession(w, r)
	}
	s.finish(ctx, entry, err)
	if err == nil {
		s.log.InfoContext(ctx, "signed out", "user", actor.Username, "addr", actor.Addr)
	}
	return err
}

// ChangePassword replaces the signed-in user's password after checking
// the current one, ends their other sessions, and gives this browser a
// new one. Wrong current passwords count as failed sign-ins.
func (s *Service) ChangePassword(w http.ResponseWriter, r *http.Request, current, next string) error {
	ctx := r.Context()
	actor := s.ActorOf(r)
	if actor.Method != MethodPassword {
		return ErrNotLocal
	}
	now := s.cfg.Now()
	if wait := s.byAccount.wait(actor.Username, now); wait > 0 {
		return &RateLimitError{RetryAfter: wait}
	}
	if current == "" {
		return &FieldError{Field: "current", Message: "Enter your current password."}
	}
	if _, err := s.store.Verify(ctx, actor.Username, current); err != nil {
		if !errors.Is(err, ErrBadCredentials) {
			return err
		}
		s.byAccount.fail(actor.Username, now)
		s.log.WarnContext(ctx, "password change refused: wrong current password", "user", actor.Username, "addr", actor.Addr)
		return &FieldError{Field: "current", Message: "This is not your current password."}
	}
	if next == current {
		return &FieldError{Field: "password", Message: "Choose a password different from the current one."}
	}
	if err := ValidatePassword(next); err != nil {
		return err
	}
	return s.change(ctx, actor, actor.Username, "password", nil, func() error {
		gen, err := s.store.SetPassword(ctx, actor.Username, next)
		if err != nil {
			return err
		}
		return s.startSession(w, r, actor.Username, gen, now)
	})
}

// Reissue gives the signed-in user a new session of their current
// generation, after they changed their own account on the Users page.
func (s *Service) Reissue(w http.ResponseWriter, r *http.Request) error {
	actor := s.ActorOf(r)
	if actor.Method != MethodPassword {
		return nil
	}
	u, err := s.store.Get(r.Context(), actor.Username)
	if err != nil {
		return err
	}
	if u.Disabled {
		return s.cookies.clearSession(w, r)
	}
	return s.startSession(w, r, u.Username, u.Generation, s.cfg.Now())
}

func (s *Service) startSession(w http.ResponseWriter, r *http.Request, user string, gen int64, now time.Time) error {
	c := claims{user: user, gen: gen, created: now, seen: now}
	if err := s.cookies.writeSession(w, r, c, s.cfg.MaxAge, now); err != nil {
		return fmt.Errorf("auth: starting session: %w", err)
	}
	return nil
}
