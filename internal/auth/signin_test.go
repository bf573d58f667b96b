package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

// try is one sign-in attempt and what it should get: ok, bad or limited.
type try struct{ user, password, addr, want string }

func TestSignInRateLimits(t *testing.T) {
	wrong := "wrong password!"
	fails := func(n int, user, addr string) []try {
		var out []try
		for range n {
			out = append(out, try{user, wrong, addr, "bad"})
		}
		return out
	}
	tests := []struct {
		name  string
		tries []try
	}{
		{"five failures lock the account, right password too", append(fails(5, "alice", "198.51.100.1"),
			try{"alice", authtest.Password, "198.51.100.1", "limited"},
			try{"alice", authtest.Password, "198.51.100.2", "limited"}, // from anywhere
			try{"bob", authtest.Password, "198.51.100.3", "ok"},        // other accounts are not locked
		)},
		{"names count in any case", append(fails(4, "alice", "198.51.100.1"),
			try{"ALICE", wrong, "198.51.100.1", "bad"},
			try{"alice", authtest.Password, "198.51.100.1", "limited"},
		)},
		{"a success resets the account's count", append(append(fails(4, "alice", "198.51.100.1"),
			try{"alice", authtest.Password, "198.51.100.1", "ok"}),
			try{"alice", wrong, "198.51.100.1", "bad"},
			try{"alice", authtest.Password, "198.51.100.1", "ok"},
		)},
		{"twenty failures lock the address", append(
			spread(20, "198.51.100.9", wrong),
			try{"bob", authtest.Password, "198.51.100.9", "limited"},
			try{"bob", authtest.Password, "198.51.100.10", "ok"},
		)},
		{"unknown names count too", append(fails(5, "nobody", "198.51.100.1"),
			try{"nobody", wrong, "198.51.100.1", "limited"},
		)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, auth.Config{})
			env.AddUser(t, "alice", auth.RoleViewer)
			env.AddUser(t, "bob", auth.RoleViewer)
			for i, tr := range tt.tries {
				r := request(tr.addr+":4000", nil, nil)
				_, err := env.Service.SignIn(httptest.NewRecorder(), r, tr.user, tr.password)
				var rl *auth.RateLimitError
				got := "ok"
				switch {
				case errors.As(err, &rl):
					got = "limited"
					if rl.RetryAfter <= 0 || rl.RetryAfter > 15*time.Minute {
						t.Fatalf("try %d: retry after %v", i, rl.RetryAfter)
					}
				case errors.Is(err, auth.ErrBadCredentials):
					got = "bad"
				case err != nil:
					t.Fatalf("try %d: %v", i, err)
				}
				if got != tr.want {
					t.Fatalf("try %d (%s from %s): %s, want %s", i, tr.user, tr.addr, got, tr.want)
				}
			}
		})
	}
}

// spread is n failures from one address over many names, so no account
// reaches its own limit.
func spread(n int, addr, password string) []try {
	var out []try
	for i := range n {
		out = append(out, try{fmt.Sprintf("guess%d", i), password, addr, "bad"})
	}
	return out
}

// The limit lifts when the window has passed.
func TestSignInLimitLifts(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "alice", auth.RoleViewer)
	for range 5 {
		env.Service.SignIn(httptest.NewRecorder(), request("198.51.100.1:1", nil, nil), "alice", "wrong password!")
	}
	_, err := env.Service.SignIn(httptest.NewRecorder(), request("198.51.100.1:1", nil, nil), "alice", authtest.Password)
	var rl *auth.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("sixth try: %v, want rate limited", err)
	}
	env.Clock.Advance(rl.RetryAfter)
	if _, err := env.Service.SignIn(httptest.NewRecorder(), request("198.51.100.1:1", nil, nil), "alice", authtest.Password); err != nil {
		t.Fatalf("after waiting %v: %v", rl.RetryAfter, err)
	}
}

// Every sign-in attempt is audited and failures logged, with the name and
// the address, never the password.
func TestSignInAuditAndLogs(t *testing.T) {
	var logs bytes.Buffer
	env := authtest.New(t, auth.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	env.AddUser(t, "alice", auth.RoleViewer)
	env.AddUser(t, "carol", auth.RoleViewer)
	if err := env.Store.SetDisabled(context.Background(), "carol", true); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		user, password string
		outcome        audit.Outcome
		code           string
	}{
		{"alice", "a wrong secret 1", audit.OutcomeError, "InvalidCredentials"},
		{"carol", authtest.Password, audit.OutcomeError, "AccountDisabled"},
		{"alice", authtest.Password, audit.OutcomeOK, ""},
	}
	for _, tt := range tests {
		r := request("198.51.100.7:1", nil, nil)
		r.Header.Set("User-Agent", "test-browser/1")
		env.Service.SignIn(httptest.NewRecorder(), r, tt.user, tt.password)
	}
	page, err := env.Audit.Query(context.Background(), audit.Query{Action: audit.ActionSignIn})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != len(tests) {
		t.Fatalf("%d sign-in entries, want %d", len(page.Entries), len(tests))
	}
	for i, tt := range tests {
		e := page.Entries[len(tests)-1-i] // newest first
		if e.Actor != tt.user || e.Outcome != tt.outcome || e.ErrorCode != tt.code || e.SourceIP != "198.51.100.7" ||
			e.AuthMethod != "password" || e.UserAgent != "test-browser/1" {
			t.Errorf("entry %d: %+v, want %s %s %s", i, e, tt.user, tt.outcome, tt.code)
		}
		if strings.Contains(fmt.Sprint(e), tt.password) {
			t.Errorf("entry %d holds the password", i)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "user=alice") || !strings.Contains(out, "addr=198.51.100.7") {
		t.Errorf("failed sign-in not logged with name and address:\n%s", out)
	}
	for _, tt := range tests {
		if strings.Contains(out, tt.password) {
			t.Errorf("a password is in the log:\n%s", out)
		}
	}
	u, _ := env.Store.Get(context.Background(), "alice")
	if !u.LastSignIn.Equal(env.Clock.Now().Truncate(time.Second)) {
		t.Errorf("last sign-in %v, want %v", u.LastSignIn, env.Clock.Now())
	}
}

func TestProxyHeader(t *testing.T) {
	proxies, _ := auth.ParseProxies("10.0.0.0/8")
	tests := []struct {
		name   string
		remote string
		xff    string
		value  string
		want   auth.Identity // zero: anonymous
		logged bool          // the refusal is logged
	}{
		{"from the trusted proxy", "10.0.0.2:1", "", "Dana@Example.com", auth.Identity{Username: "dana@example.com", Role: auth.RoleViewer, Method: "proxy"}, false},
		{"local account gives the role", "10.0.0.2:1", "", "olga", auth.Identity{Username: "olga", Role: auth.RoleOperator, Method: "proxy"}, false},
		{"disabled local account", "10.0.0.2:1", "", "dis", auth.Identity{}, true},
		{"from an untrusted address", "198.51.100.7:1", "", "admin", auth.Identity{}, true},
		{"X-Forwarded-For does not make it trusted", "198.51.100.7:1", "10.0.0.2", "admin", auth.Identity{}, true},
		{"invalid name", "10.0.0.2:1", "", "not a name", auth.Identity{}, true},
		// U+212A KELVIN SIGN lower-cases to k: it must not reach kate's account.
		{"lookalike of a local name", "10.0.0.2:1", "", "\u212Aate", auth.Identity{}, true},
		{"local name with a no-break space", "10.0.0.2:1", "", "kate\u00a0", auth.Identity{}, true},
		{"local name in capitals", "10.0.0.2:1", "", "KATE", auth.Identity{Username: "kate", Role: auth.RoleAdmin, Method: "proxy"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			env := authtest.New(t, auth.Config{Proxies: proxies, ProxyHeader: "X-Forwarded-Email",
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			env.AddUser(t, "admin", auth.RoleAdmin)
			env.AddUser(t, "olga", auth.RoleOperator)
			env.AddUser(t, "dis", auth.RoleAdmin)
			env.AddUser(t, "kate", auth.RoleAdmin)
			env.Store.SetDisabled(context.Background(), "dis", true)
			r := request(tt.remote, nil, nil)
			r.Header.Set("X-Forwarded-Email", tt.value)
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			id, st, err := env.Service.Identify(httptest.NewRecorder(), r)
			if err != nil {
				t.Fatal(err)
			}
			if (st == auth.Authenticated) != (tt.want != auth.Identity{}) || id != tt.want {
				t.Fatalf("Identify = %+v, %v; want %+v", id, st, tt.want)
			}
			if tt.logged != strings.Contains(logs.String(), "level=WARN") {
				t.Fatalf("logged %v, want %v:\n%s", !tt.logged, tt.logged, logs.String())
			}
		})
	}
	t.Run("default role is configurable", func(t *testing.T) {
		env := authtest.New(t, auth.Config{Proxies: proxies, ProxyHeader: "X-Forwarded-Email", ProxyRole: auth.RoleOperator})
		r := request("10.0.0.2:1", nil, nil)
		r.Header.Set("X-Forwarded-Email", "eve@example.com")
		if id, _, _ := env.Service.Identify(httptest.NewRecorder(), r); id.Role != auth.RoleOperator {
			t.Fatalf("role %v, want operator", id.Role)
		}
	})
	t.Run("no header configured: ignored", func(t *testing.T) {
		env := authtest.New(t, auth.Config{Proxies: proxies})
		r := request("10.0.0.2:1", nil, nil)
		r.Header.Set("X-Forwarded-Email", "eve@example.com")
		if _, st, _ := env.Service.Identify(httptest.NewRecorder(), r); st != auth.Anonymous {
			t.Fatalf("status %v, want anonymous", st)
		}
	})
}
