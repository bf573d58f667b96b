package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
	"enidash/internal/database"
)

// grantOf is the grant of a request made with cookie, as a stream would
// take it after Identify let the request in.
func grantOf(t *testing.T, svc *auth.Service, c *http.Cookie) auth.Grant {
	t.Helper()
	id, st, _ := identify(t, svc, c)
	if st != auth.Authenticated {
		t.Fatalf("status %v", st)
	}
	g, ok := svc.GrantOf(request("198.51.100.7:5000", c, &id))
	if !ok {
		t.Fatal("no grant for a signed-in request")
	}
	return g
}

// A grant ends with every way a session ends: an admin disabling the
// user, changing their role, resetting their password, sign-out
// everywhere, the maximum age; idleness is told apart, since the browser
// may have used the session elsewhere since. Both the plain check and
// the checker see it.
func TestGrantEndsWithTheSession(t *testing.T) {
	ctx := context.Background()
	cfg := auth.Config{IdleTimeout: time.Hour, MaxAge: 5 * time.Hour}
	tests := []struct {
		name   string
		change func(t *testing.T, env *authtest.Env, alice *http.Cookie)
		idle   bool
	}{
		{"disabled", func(t *testing.T, env *authtest.Env, _ *http.Cookie) {
			must(t, env.Store.SetDisabled(ctx, "alice", true))
		}, false},
		{"role changed", func(t *testing.T, env *authtest.Env, _ *http.Cookie) {
			must(t, env.Store.SetRole(ctx, "alice", auth.RoleViewer))
		}, false},
		{"password reset", func(t *testing.T, env *authtest.Env, _ *http.Cookie) {
			_, err := env.Store.SetPassword(ctx, "alice", "another good passphrase")
			must(t, err)
		}, false},
		{"signed out everywhere", func(t *testing.T, env *authtest.Env, alice *http.Cookie) {
			id := auth.Identity{Username: "alice", Role: auth.RoleOperator, Method: auth.MethodPassword}
			must(t, env.Service.SignOut(httptest.NewRecorder(), request("198.51.100.7:1", alice, &id)))
		}, false},
		{"maximum age", func(t *testing.T, env *authtest.Env, _ *http.Cookie) {
			for range 5 {
				env.Clock.Advance(59 * time.Minute)
			}
			env.Clock.Advance(5 * time.Minute)
		}, false},
		{"idle", func(t *testing.T, env *authtest.Env, _ *http.Cookie) { env.Clock.Advance(time.Hour) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, cfg)
			env.AddUser(t, "alice", auth.RoleOperator)
			env.AddUser(t, "bob", auth.RoleOperator)
			cookie := signIn(t, env.Service, "alice")
			g := grantOf(t, env.Service, cookie)
			other := grantOf(t, env.Service, signIn(t, env.Service, "bob"))
			checker := env.Service.GrantChecker(0)
			for _, check := range []func(auth.Grant) error{
				func(g auth.Grant) error { return env.Service.CheckGrant(ctx, g) },
				func(g auth.Grant) error { return checker.Check(ctx, g) },
			} {
				if err := check(g); err != nil {
					t.Fatalf("a fresh grant: %v", err)
				}
			}
			if tt.name != "idle" && tt.name != "maximum age" {
				env.Clock.Advance(50 * time.Minute) // some time passes, within the limits
			}
			tt.change(t, env, cookie)
			for i, check := range []func(auth.Grant) error{
				func(g auth.Grant) error { return env.Service.CheckGrant(ctx, g) },
				func(g auth.Grant) error { return checker.Check(ctx, g) },
			} {
				var rv *auth.Revoked
				if err := check(g); !errors.As(err, &rv) || rv.Idle != tt.idle {
					t.Fatalf("check %d after the change: %v, want revoked (idle %t)", i, err, tt.idle)
				}
				if err := check(other); err != nil && !tt.idle && tt.name != "maximum age" {
					t.Fatalf("check %d: another user's grant ended too: %v", i, err)
				}
			}
		})
	}
}

// Storage that cannot be read ends the grant (fails closed) once the
// user's last reading is auth.StaleGrace old, without calling it a
// revocation (outage_test.go has the grace itself).
func TestGrantFailsClosed(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "alice", auth.RoleOperator)
	g := grantOf(t, env.Service, signIn(t, env.Service, "alice"))
	env.Clock.Advance(auth.StaleGrace)
	// Another process (an operator with sqlite3) breaks the table.
	db, err := database.Open(context.Background(), env.Path)
	must(t, err)
	defer db.Close()
	_, err = db.Exec(`ALTER TABLE users RENAME TO users_elsewhere`)
	must(t, err)
	for _, err := range []error{env.Service.CheckGrant(context.Background(), g), env.Service.GrantChecker(time.Hour).Check(context.Background(), g)} {
		var rv *auth.Revoked
		if err == nil || errors.As(err, &rv) {
			t.Fatalf("with the database closed: %v, want a storage error", err)
		}
	}
}

// A grant's key names the session: the same for every request of one
// session (its cookie refreshed or not), different for another sign-in
// of the same user.
func TestGrantKeyNamesTheSession(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "alice", auth.RoleOperator)
	first := signIn(t, env.Service, "alice")
	k1 := grantOf(t, env.Service, first).Key()
	env.Clock.Advance(2 * time.Minute)
	_, _, refreshed := identify(t, env.Service, first)
	if refreshed == first {
		t.Fatal("the session cookie was not refreshed")
	}
	if k := grantOf(t, env.Service, refreshed).Key(); k != k1 {
		t.Fatalf("key %q after the cookie was refreshed, want %q", k, k1)
	}
	// Another browser signing in at the same instant has its own.
	env.Clock.Advance(-2 * time.Minute)
	if k := grantOf(t, env.Service, signIn(t, env.Service, "alice")).Key(); k == k1 {
		t.Fatalf("a second sign-in has the first one's key %q", k)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
