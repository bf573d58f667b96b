package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

// replicas are two sign-in services on one PostgreSQL database, as two
// replicas behind a load balancer, sharing a clock and an audit log, each
// counting sign-in attempts in the database as the program does.
func replicas(t *testing.T, cfg auth.Config) (a, b *authtest.Env) {
	t.Helper()
	a = postgresBackend.env(t, cfg)
	cfg.Attempts = auth.NewPostgresAttempts(a.DB)
	return a, a.Reopen(t, cfg)
}

// Guesses spread over two replicas are held to the same limits as on one:
// each is reserved in the shared database before its password is
// checked, so 100 simultaneous wrong passwords check exactly the limit.
func TestReplicasShareSignInLimits(t *testing.T) {
	tests := []struct {
		name       string
		user, addr func(i int) string
		checked    int
	}{
		{"one account from many addresses",
			func(int) string { return "alice" }, func(i int) string { return fmt.Sprintf("198.51.100.%d", i+1) },
			auth.DefaultAccountFailures},
		{"many names from one address",
			func(i int) string { return fmt.Sprintf("guess%d", i) }, func(int) string { return "198.51.100.1" },
			auth.DefaultAddressFailures},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := replicas(t, auth.Config{})
			a.AddUser(t, "alice", auth.RoleViewer)
			const n = 100
			start := make(chan struct{})
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				svc := []*auth.Service{a.Service, b.Service}[i%2]
				wg.Go(func() {
					<-start
					_, errs[i] = svc.SignIn(httptest.NewRecorder(), request(tt.addr(i)+":1", nil, nil), tt.user(i), wrongPassword)
				})
			}
			close(start)
			wg.Wait()
			bad, limited := 0, 0
			for _, err := range errs {
				var rl *auth.RateLimitError
				switch {
				case errors.Is(err, auth.ErrBadCredentials):
					bad++
				case errors.As(err, &rl):
					limited++
				default:
					t.Fatalf("unexpected answer %v", err)
				}
			}
			if bad != tt.checked || limited != n-tt.checked {
				t.Fatalf("%d passwords checked over two replicas, %d refused; want %d checked, %d refused",
					bad, limited, tt.checked, n-tt.checked)
			}
		})
	}
}

// A session signed in on one replica works on the other (the same stored
// key, the same users), and whatever ends it on one ends it on the other:
// the next check there refuses it (a checker's reading is at most its
// freshness old; these checkers keep none).
func TestReplicasShareSessions(t *testing.T) {
	ctx := context.Background()
	admin := auth.Actor{Identity: auth.Identity{Username: "root", Role: auth.RoleAdmin, Method: auth.MethodPassword}}
	tests := []struct {
		name string
		end  func(t *testing.T, a *authtest.Env, alice *http.Cookie) (fresh *http.Cookie)
	}{
		{"sign-out", func(t *testing.T, a *authtest.Env, alice *http.Cookie) *http.Cookie {
			id, _, _ := identify(t, a.Service, alice)
			must(t, a.Service.SignOut(httptest.NewRecorder(), request("198.51.100.7:1", alice, &id)))
			return nil
		}},
		{"password change", func(t *testing.T, a *authtest.Env, alice *http.Cookie) *http.Cookie {
			id, _, _ := identify(t, a.Service, alice)
			w := httptest.NewRecorder()
			must(t, a.Service.ChangePassword(w, request("198.51.100.7:1", alice, &id), authtest.Password, "another good passphrase"))
			return sessionCookie(w) // this browser's new session
		}},
		{"disabled by an admin", func(t *testing.T, a *authtest.Env, _ *http.Cookie) *http.Cookie {
			must(t, a.Service.SetDisabled(ctx, admin, "alice", true))
			return nil
		}},
		{"role changed by an admin", func(t *testing.T, a *authtest.Env, _ *http.Cookie) *http.Cookie {
			must(t, a.Service.SetRole(ctx, admin, "alice", auth.RoleViewer))
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := replicas(t, auth.Config{})
			a.AddUser(t, "root", auth.RoleAdmin)
			a.AddUser(t, "alice", auth.RoleOperator)
			alice := signIn(t, a.Service, "alice")
			if id, st, _ := identify(t, b.Service, alice); st != auth.Authenticated || id.Username != "alice" {
				t.Fatalf("a session signed in on A is %v on B", st)
			}
			g := grantOf(t, b.Service, alice) // a live stream on B
			checker := b.Service.GrantChecker(0)
			must(t, checker.Check(ctx, g))

			fresh := tt.end(t, a, alice)
			var rv *auth.Revoked
			if err := b.Service.CheckGrant(ctx, g); !errors.As(err, &rv) {
				t.Fatalf("CheckGrant on B after the %s on A: %v, want revoked", tt.name, err)
			}
			if err := checker.Check(ctx, g); !errors.As(err, &rv) {
				t.Fatalf("B's checker after the %s on A: %v, want revoked", tt.name, err)
			}
			if _, st, _ := identify(t, b.Service, alice); st != auth.Ended {
				t.Fatalf("the old cookie on B after the %s on A: %v, want ended", tt.name, st)
			}
			if fresh != nil {
				if _, st, _ := identify(t, b.Service, fresh); st != auth.Authenticated {
					t.Fatalf("the new session from A's %s on B: %v", tt.name, st)
				}
			}
		})
	}
}
