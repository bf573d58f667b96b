package auth

import (
	"context"
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
// before. Attempts are limited per account and per address, and each one
// is reserved against both limits before its password is checked, so
// simultaneous guesses cannot exceed them. Checked attempts are logged
// (name and address, never the password) and audited; refused ones cost
// no write, but for one entry per account or address and window saying
// the limit was reached, and are counted (Config.OnRateLimited).
func (s *Service) SignIn(w http.ResponseWriter, r *http.Request, username, password string) (Identity, error) {
	ctx := r.Context()
	name := NormalizeUsername(username)
	if name == "" {
		return Identity{}, &FieldError{Field: "username", Message: "Enter your user name."}
	}
	if err := signInName(name); err != nil {
		return Identity{}, err // no account can have it: nothing to check or record
	}
	if password == "" {
		return Identity{}, &FieldError{Field: "password", Message: "Enter your password."}
	}
	actor := Actor{Identity: Identity{Username: name, Method: MethodPassword}, Addr: s.ClientAddr(r), UserAgent: r.UserAgent()}
	now := s.cfg.Now()
	addrKey := limiterKey(actor.Addr)
	if err := s.reserveSignIn(ctx, actor, name, addrKey, now); err != nil {
		return Identity{}, err
	}
	entry := s.begin(ctx, actor, audit.ActionSignIn, nil)
	u, err := s.store.Verify(ctx, name, password)
	if errors.Is(err, ErrBadCredentials) {
		// Both reservations stay: they are the failure's count.
		s.log.WarnContext(ctx, "sign-in failed: wrong user name or password", "user", name, "addr", actor.Addr)
	} else {
		s.byAddress.release(ctx, addrKey, now)
		if err == nil && !u.Disabled {
			s.byAccount.reset(ctx, name)
		} else {
			s.byAccount.release(ctx, name, now)
		}
	}
	if err == nil && u.Disabled {
		err = ErrDisabled
		s.log.WarnContext(ctx, "sign-in refused: account disabled", "user", name, "addr", actor.Addr)
	}
	if err == nil {
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

// signInName refuses a typed name that no account can have, in the words
// of the sign-in form.
func signInName(name string) error {
	var fe *FieldError
	if !errors.As(ValidateUsername(name), &fe) {
		return nil
	}
	if len(name) > MaxUsernameLen {
		return &FieldError{Field: "username", Message: "User names have at most 64 characters."}
	}
	return &FieldError{Field: "username", Message: "User names have only letters a-z, digits and . _ @ -"}
}

// reserveSignIn takes an attempt of the account and of the address, or
// refuses. A refusal writes nothing but the first of its window per
// account or address, which says the limit was reached. When the count
// cannot be kept (its database unreachable), the sign-in is refused with
// a *StorageError: nothing it did could be recorded either.
func (s *Service) reserveSignIn(ctx context.Context, actor Actor, name, addrKey string, now time.Time) error {
	lim, key, scope := s.byAccount, name, "account"
	wait, err := lim.reserve(ctx, key, now)
	if err == nil && wait == 0 {
		lim, key, scope = s.byAddress, addrKey, "address"
		if wait, err = lim.reserve(ctx, key, now); err != nil || wait > 0 {
			s.byAccount.release(ctx, name, now)
		}
	}
	if err != nil {
		s.log.ErrorContext(ctx, "sign-in refused: the sign-in limits cannot be read", "user", name, "addr", actor.Addr, "err", err)
		return err
	}
	if wait == 0 {
		return nil
	}
	rl := &RateLimitError{RetryAfter: wait}
	if s.cfg.OnRateLimited != nil {
		s.cfg.OnRateLimited()
	}
	if lim.report(ctx, key, now) {
		s.log.WarnContext(ctx, "sign-in refused: too many failures; further refusals in this window are only counted",
			"user", name, "addr", actor.Addr, "limit", scope)
		s.finish(ctx, s.begin(ctx, actor, audit.ActionSignIn, map[string]string{"limit": scope}), rl)
	}
	return rl
}

// SignOut ends every session of the signed-in user, this browser's and
// any copy of its cookie, and clears the cookie. Someone signed in by the
// SSO proxy only loses the cookie (there is none): the proxy decides.
// The cookie is cleared whatever else fails; when the database cannot
// record the end, the store keeps it in memory and the answer is a
// *StorageError, for the page to say so.
func (s *Service) SignOut(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := s.ActorOf(r)
	c, _, _ := s.cookies.readSession(r)
	cleared := s.cookies.clearSession(w, r)
	if actor.Method != MethodPassword {
		return cleared
	}
	entry := s.begin(ctx, actor, audit.ActionSignOut, nil)
	err := s.store.EndSessionsAt(ctx, actor.Username, c.gen)
	s.finish(ctx, entry, err)
	if err != nil {
		s.log.ErrorContext(ctx, "signed out, but the end of the session could not be stored; it is refused from memory until it can",
			"user", actor.Username, "addr", actor.Addr, "err", err)
	} else {
		s.log.InfoContext(ctx, "signed out", "user", actor.Username, "addr", actor.Addr)
	}
	return errors.Join(err, cleared)
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
	if current == "" {
		return &FieldError{Field: "current", Message: "Enter your current password."}
	}
	// Reserved before the check, like a sign-in, so guesses sent at once
	// are held to the limit too; only a wrong password keeps its place.
	if wait, err := s.byAccount.reserve(ctx, actor.Username, now); err != nil || wait > 0 {
		if err != nil {
			return err
		}
		return &RateLimitError{RetryAfter: wait}
	}
	if _, err := s.store.Verify(ctx, actor.Username, current); err != nil {
		if !errors.Is(err, ErrBadCredentials) {
			s.byAccount.release(ctx, actor.Username, now)
			return err
		}
		s.log.WarnContext(ctx, "password change refused: wrong current password", "user", actor.Username, "addr", actor.Addr)
		return &FieldError{Field: "current", Message: "This is not your current password."}
	}
	s.byAccount.release(ctx, actor.Username, now)
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
