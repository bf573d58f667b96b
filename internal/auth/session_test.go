package auth_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

// request is a GET from a browser at remote holding cookie (if any).
func request(remote string, cookie *http.Cookie, id *auth.Identity) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/enis", nil)
	r.RemoteAddr = remote
	if cookie != nil {
		r.AddCookie(cookie)
	}
	if id != nil {
		r = r.WithContext(auth.WithIdentity(r.Context(), *id))
	}
	return r
}

// sessionCookie is the session cookie a response set, or nil.
func sessionCookie(w *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == auth.SessionCookie {
			return c
		}
	}
	return nil
}

// signIn signs user in and returns the session cookie.
func signIn(t *testing.T, svc *auth.Service, user string) *http.Cookie {
	t.Helper()
	w := httptest.NewRecorder()
	if _, err := svc.SignIn(w, request("198.51.100.7:5000", nil, nil), user, authtest.Password); err != nil {
		t.Fatalf("SignIn(%s): %v", user, err)
	}
	c := sessionCookie(w)
	if c == nil {
		t.Fatal("sign-in set no session cookie")
	}
	return c
}

// identify asks who holds cookie; the returned cookie is the one the
// browser holds afterwards.
func identify(t *testing.T, svc *auth.Service, c *http.Cookie) (auth.Identity, auth.Status, *http.Cookie) {
	t.Helper()
	w := httptest.NewRecorder()
	id, st, err := svc.Identify(w, request("198.51.100.7:5000", c, nil))
	if err != nil {
		t.Fatalf("Identify: %v", err)
	}
	if nc := sessionCookie(w); nc != nil {
		if nc.MaxAge < 0 {
			return id, st, nil
		}
		return id, st, nc
	}
	return id, st, c
}

func TestSessionTimeouts(t *testing.T) {
	cfg := auth.Config{IdleTimeout: time.Hour, MaxAge: 5 * time.Hour}
	tests := []struct {
		name  string
		steps []time.Duration // clock moves, each followed by a request
		last  auth.Status     // what the last request finds
	}{
		{"fresh", []time.Duration{0}, auth.Authenticated},
		{"used within the idle timeout", []time.Duration{59 * time.Minute}, auth.Authenticated},
		{"idle too long", []time.Duration{time.Hour}, auth.Ended},
		{"activity keeps it alive", []time.Duration{50 * time.Minute, 50 * time.Minute, 50 * time.Minute}, auth.Authenticated},
		{"activity does not pass the maximum age", []time.Duration{
			50 * time.Minute, 50 * time.Minute, 50 * time.Minute, 50 * time.Minute, 50 * time.Minute, 50 * time.Minute}, auth.Ended},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, cfg)
			env.AddUser(t, "alice", auth.RoleOperator)
			c := signIn(t, env.Service, "alice")
			var st auth.Status
			var id auth.Identity
			for _, d := range tt.steps {
				env.Clock.Advance(d)
				id, st, c = identify(t, env.Service, c)
			}
			if st != tt.last {
				t.Fatalf("status %v, want %v", st, tt.last)
			}
			if st == auth.Authenticated && (id.Username != "alice" || id.Role != auth.RoleOperator || id.Method != "password") {
				t.Fatalf("identity %+v", id)
			}
			if st == auth.Ended && c != nil {
				t.Fatal("an ended session's cookie was not cleared")
			}
		})
	}
}

// Bumping the generation ends every copy of a user's cookie, and only that
// user's.
func TestGenerationEndsCopiedCookies(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(t *testing.T, env *authtest.Env, alice *http.Cookie)
	}{
		{"sign-out", func(t *testing.T, env *authtest.Env, alice *http.Cookie) {
			id := auth.Identity{Username: "alice", Role: auth.RoleOperator, Method: "password"}
			if err := env.Service.SignOut(httptest.NewRecorder(), request("198.51.100.7:1", alice, &id)); err != nil {
				t.Fatal(err)
			}
		}},
		{"password reset", func(t *testing.T, env *authtest.Env, _ *http.Cookie) {
			if _, err := env.Store.SetPassword(ctx, "alice", "another password"); err != nil {
				t.Fatal(err)
			}
		}},
		{"disabled", func(t *testing.T, env *authtest.Env, _ *http.Cookie) {
			if err := env.Store.SetDisabled(ctx, "alice", true); err != nil {
				t.Fatal(err)
			}
		}},
		{"role changed", func(t *testing.T, env *authtest.Env, _ *http.Cookie) {
			if err := env.Store.SetRole(ctx, "alice", auth.RoleViewer); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, auth.Config{})
			env.AddUser(t, "alice", auth.RoleOperator)
			env.AddUser(t, "bob", auth.RoleOperator)
			alice, copied, bob := signIn(t, env.Service, "alice"), signIn(t, env.Service, "alice"), signIn(t, env.Service, "bob")
			tt.change(t, env, alice)
			for _, c := range []*http.Cookie{alice, copied} {
				if _, st, _ := identify(t, env.Service, c); st != auth.Ended {
					t.Fatalf("alice's cookie after %s: %v, want Ended", tt.name, st)
				}
			}
			if _, st, _ := identify(t, env.Service, bob); st != auth.Authenticated {
				t.Fatalf("bob's cookie after alice's %s: %v", tt.name, st)
			}
		})
	}
}

// A password change keeps the browser that made it signed in and ends
// every other session.
func TestChangePasswordEndsOtherSessions(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "alice", auth.RoleViewer)
	here, elsewhere := signIn(t, env.Service, "alice"), signIn(t, env.Service, "alice")
	id := auth.Identity{Username: "alice", Role: auth.RoleViewer, Method: "password"}
	w := httptest.NewRecorder()
	if err := env.Service.ChangePassword(w, request("198.51.100.7:1", here, &id), authtest.Password, "a new password!"); err != nil {
		t.Fatal(err)
	}
	renewed := sessionCookie(w)
	if renewed == nil || renewed.Value == here.Value {
		t.Fatal("the browser that changed the password got no new session")
	}
	for name, c := range map[string]*http.Cookie{"old cookie here": here, "elsewhere": elsewhere} {
		if _, st, _ := identify(t, env.Service, c); st != auth.Ended {
			t.Errorf("%s: %v, want Ended", name, st)
		}
	}
	if _, st, _ := identify(t, env.Service, renewed); st != auth.Authenticated {
		t.Fatalf("renewed session: %v", st)
	}
	if _, err := env.Store.Verify(context.Background(), "alice", "a new password!"); err != nil {
		t.Fatalf("new password does not work: %v", err)
	}
}

func TestCookieFlags(t *testing.T) {
	proxies, _ := auth.ParseProxies("10.0.0.0/8")
	tests := []struct {
		name   string
		remote string
		proto  string
		tls    bool
		secure bool
	}{
		{"plain HTTP", "198.51.100.7:5000", "", false, false},
		{"TLS", "198.51.100.7:5000", "", true, true},
		{"trusted proxy terminating TLS", "10.0.0.5:5000", "https", false, true},
		{"untrusted peer claiming https", "198.51.100.7:5000", "https", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, auth.Config{Proxies: proxies, MaxAge: 48 * time.Hour})
			env.AddUser(t, "alice", auth.RoleViewer)
			r := request(tt.remote, nil, nil)
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			w := httptest.NewRecorder()
			if _, err := env.Service.SignIn(w, r, "alice", authtest.Password); err != nil {
				t.Fatal(err)
			}
			c := sessionCookie(w)
			if c == nil {
				t.Fatal("no session cookie")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != tt.secure {
				t.Fatalf("cookie %s: want HttpOnly, SameSite=Lax, Path=/, Secure=%v", c.String(), tt.secure)
			}
			if c.MaxAge != 48*3600 {
				t.Fatalf("cookie Max-Age %d, want the session's maximum age", c.MaxAge)
			}
		})
	}
}

// Sign-in always starts a new session: a browser holding another valid
// session gets different cookie values.
func TestSignInStartsNewSession(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "alice", auth.RoleViewer)
	before := signIn(t, env.Service, "alice")
	w := httptest.NewRecorder()
	if _, err := env.Service.SignIn(w, request("198.51.100.7:1", before, nil), "alice", authtest.Password); err != nil {
		t.Fatal(err)
	}
	after := sessionCookie(w)
	if after == nil || after.Value == before.Value {
		t.Fatal("sign-in reused the session the browser already held")
	}
}

func TestSessionKeys(t *testing.T) {
	k1, k2 := strings.Repeat("1", 32), strings.Repeat("2", 40)
	keys := func(t *testing.T, s string) [][]byte {
		t.Helper()
		k, err := auth.ParseSessionKeys(s)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	tests := []struct {
		name         string
		first, later string // ENIDASH_SESSION_KEYS before and after a restart
		kept         bool   // the session survives the restart
	}{
		{"generated key kept in the database", "", "", true},
		{"same configured key", k1, k1, true},
		{"rotation: old key second", k1, k2 + "," + k1, true},
		{"old key dropped", k1, k2, false},
		{"configured key replaces the generated one", "", k1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, auth.Config{SessionKeys: keys(t, tt.first)})
			env.AddUser(t, "alice", auth.RoleViewer)
			c := signIn(t, env.Service, "alice")
			restarted := env.Reopen(t, auth.Config{SessionKeys: keys(t, tt.later)})
			_, st, _ := identify(t, restarted.Service, c)
			if (st == auth.Authenticated) != tt.kept {
				t.Fatalf("after restart: %v, want kept=%v", st, tt.kept)
			}
		})
	}
	t.Run("short key", func(t *testing.T) {
		_, err := auth.ParseSessionKeys(k1 + ",tooshort")
		if err == nil || strings.Contains(err.Error(), "tooshort") || !strings.Contains(err.Error(), "key 2") {
			t.Fatalf("ParseSessionKeys: %v, want an error naming key 2 but not its value", err)
		}
	})
}

// A forged or tampered cookie counts as no session, and is cleared.
func TestTamperedCookie(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "alice", auth.RoleAdmin)
	c := signIn(t, env.Service, "alice")
	bad := *c
	v := []byte(c.Value)
	v[len(v)/2] ^= 1
	bad.Value = string(v)
	if _, st, after := identify(t, env.Service, &bad); st != auth.Ended || after != nil {
		t.Fatalf("tampered cookie: %v, cookie kept %v", st, after != nil)
	}
}
