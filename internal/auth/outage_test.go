package auth_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

func TestOutageSQLite(t *testing.T)   { outageSuite(t, sqliteBackend) }
func TestOutagePostgres(t *testing.T) { outageSuite(t, postgresBackend) }

// outageSuite is what sessions do while the database cannot be read: one
// whose user was read successfully within auth.StaleGrace stays valid
// (reads go on; changes are refused elsewhere), one past that or never
// read here is refused without being ended, and a sign-out made during
// the outage still holds.
func outageSuite(t *testing.T, b backend) {
	ctx := context.Background()
	revoked := func(err error) bool {
		var rv *auth.Revoked
		return errors.As(err, &rv)
	}
	t.Run("valid within the grace, refused past it", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "alice", auth.RoleOperator)
		c := signIn(t, env.Service, "alice")
		g := grantOf(t, env.Service, c) // the user is read: the grant is confirmed now
		env.Clock.Advance(auth.StaleGrace - time.Minute)
		b.unreachable(t, env)
		if _, err := env.Store.Get(ctx, "alice"); err == nil || errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("Get with the database unreachable: %v, want a storage error", err)
		}
		if id, st, c2 := identify(t, env.Service, c); st != auth.Authenticated || id.Username != "alice" || c2 == nil {
			t.Fatalf("confirmed %v ago: %v as %q, want still signed in", auth.StaleGrace-time.Minute, st, id.Username)
		}
		if err := env.Service.CheckGrant(ctx, g); err != nil {
			t.Fatalf("CheckGrant within the grace: %v", err)
		}
		if err := env.Service.GrantChecker(0).Check(ctx, g); err != nil {
			t.Fatalf("GrantChecker within the grace: %v", err)
		}

		env.Clock.Advance(time.Minute) // the last confirmation is StaleGrace old
		w := httptest.NewRecorder()
		_, st, err := env.Service.Identify(w, request("198.51.100.7:5000", c, nil))
		if err != nil || st != auth.Anonymous {
			t.Fatalf("past the grace: %v, %v; want not signed in, no error", st, err)
		}
		if sc := sessionCookie(w); sc != nil {
			t.Fatalf("the cookie was rewritten (%v): an outage is not a sign-out", sc)
		}
		for i, err := range []error{env.Service.CheckGrant(ctx, g), env.Service.GrantChecker(time.Hour).Check(ctx, g)} {
			if err == nil || revoked(err) {
				t.Fatalf("check %d past the grace: %v, want a storage error", i, err)
			}
		}
	})
	t.Run("never confirmed here", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "alice", auth.RoleOperator)
		c := signIn(t, env.Service, "alice")
		g := grantOf(t, env.Service, c)
		other := env.Reopen(t, auth.Config{}) // has never read alice
		b.unreachable(t, other)
		if _, st, _ := identify(t, other.Service, c); st == auth.Authenticated {
			t.Fatal("a session never confirmed by this service is let in while the database is unreachable")
		}
		if err := other.Service.CheckGrant(ctx, g); err == nil || revoked(err) {
			t.Fatalf("CheckGrant never confirmed: %v, want a storage error", err)
		}
	})
	t.Run("no sign-in during the outage", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "alice", auth.RoleOperator)
		signIn(t, env.Service, "alice") // alice's reading is fresh: it must not let a sign-in through
		b.unreachable(t, env)
		w := httptest.NewRecorder()
		_, err := env.Service.SignIn(w, request("198.51.100.7:5000", nil, nil), "alice", authtest.Password)
		var rl *auth.RateLimitError
		if err == nil || errors.Is(err, auth.ErrBadCredentials) || errors.As(err, &rl) || sessionCookie(w) != nil {
			t.Fatalf("SignIn with the database unreachable: %v (cookie %v), want a storage failure and no session", err, sessionCookie(w))
		}
	})
	t.Run("a sign-out during the outage holds", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "alice", auth.RoleOperator)
		c := signIn(t, env.Service, "alice")
		id, _, _ := identify(t, env.Service, c)
		g := grantOf(t, env.Service, c)
		b.unreachable(t, env)
		var se *auth.StorageError
		if err := env.Service.SignOut(httptest.NewRecorder(), request("198.51.100.7:5000", c, &id)); !errors.As(err, &se) {
			t.Fatalf("SignOut with the database unreachable: %v, want a *auth.StorageError", err)
		}
		if _, st, _ := identify(t, env.Service, c); st == auth.Authenticated {
			t.Fatal("a copy of the cookie signed out during the outage is let in from the remembered reading")
		}
		if err := env.Service.CheckGrant(ctx, g); !revoked(err) {
			t.Fatalf("CheckGrant after a sign-out during the outage: %v, want revoked", err)
		}
	})
}
