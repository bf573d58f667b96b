package auth_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
	"enidash/internal/metrics"
)

const wrongPassword = "wrong password!"

// signInCodes counts the sign-in audit entries by error code ("" for a
// success).
func signInCodes(t *testing.T, log audit.Log) map[string]int {
	t.Helper()
	page, err := log.Query(context.Background(), audit.Query{Action: audit.ActionSignIn, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range page.Entries {
		out[e.ErrorCode]++
	}
	return out
}

// metricValue is the value of a metric without labels, as /metrics shows it.
func metricValue(t *testing.T, reg *metrics.Registry, name string) string {
	t.Helper()
	w := httptest.NewRecorder()
	reg.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(w.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	t.Fatalf("no %s in /metrics:\n%s", name, body)
	return ""
}

// Attempts past a limit are refused before anything is written: the audit
// log gets one entry per account or address and window saying the limit
// was reached, and the metric counts every refusal.
func TestSignInRefusalsWriteNothing(t *testing.T) {
	reg := metrics.New()
	env := authtest.New(t, auth.Config{OnRateLimited: reg.SignInRateLimited})
	env.AddUser(t, "alice", auth.RoleViewer)
	const refused = 300
	attempt := func(user, addr string) error {
		_, err := env.Service.SignIn(httptest.NewRecorder(), request(addr+":1", nil, nil), user, wrongPassword)
		return err
	}
	expect := func(step string, want map[string]int) {
		t.Helper()
		if got := signInCodes(t, env.Audit); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: sign-in entries by code %v, want %v", step, got, want)
		}
	}
	limited := func(step string, user func(i int) string, addr string) {
		t.Helper()
		for i := range refused {
			var rl *auth.RateLimitError
			if err := attempt(user(i), addr); !errors.As(err, &rl) {
				t.Fatalf("%s, attempt %d: %v, want rate limited", step, i, err)
			}
		}
	}

	for range 5 {
		attempt("alice", "198.51.100.1")
	}
	limited("account locked", func(int) string { return "alice" }, "198.51.100.1")
	expect("account locked", map[string]int{"InvalidCredentials": 5, "RateLimited": 1})

	for i := range 15 { // the address reaches 20 failures
		attempt(fmt.Sprintf("guess%d", i), "198.51.100.1")
	}
	limited("address locked", func(i int) string { return fmt.Sprintf("other%d", i) }, "198.51.100.1")
	expect("address locked", map[string]int{"InvalidCredentials": 20, "RateLimited": 2})
	if got := metricValue(t, reg, "enidash_signin_rate_limited_total"); got != fmt.Sprint(2*refused) {
		t.Fatalf("enidash_signin_rate_limited_total %s, want %d", got, 2*refused)
	}

	// A new window, a new lock-out: recorded again, once.
	env.Clock.Advance(auth.DefaultFailWindow)
	for range 5 {
		attempt("alice", "198.51.100.2")
	}
	limited("locked again", func(int) string { return "alice" }, "198.51.100.2")
	expect("locked again", map[string]int{"InvalidCredentials": 25, "RateLimited": 3})
}

// Simultaneous guesses are counted before their passwords are checked, so
// no more passwords are checked than the limit allows.
func TestSignInConcurrentGuesses(t *testing.T) {
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
			env := authtest.New(t, auth.Config{})
			env.AddUser(t, "alice", auth.RoleViewer)
			const n = 100
			start := make(chan struct{})
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					_, errs[i] = env.Service.SignIn(httptest.NewRecorder(), request(tt.addr(i)+":1", nil, nil), tt.user(i), wrongPassword)
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
			checked := signInCodes(t, env.Audit)["InvalidCredentials"]
			if bad != tt.checked || checked != tt.checked || limited != n-tt.checked {
				t.Fatalf("%d passwords checked (%d audited), %d refused; want %d checked, %d refused",
					bad, checked, limited, tt.checked, n-tt.checked)
			}
		})
	}
}

// Wrong current passwords sent at once to the password change are held to
// the account's limit too: each is reserved before it is checked.
func TestChangePasswordConcurrentGuesses(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "alice", auth.RoleViewer)
	c := signIn(t, env.Service, "alice")
	id := auth.Identity{Username: "alice", Role: auth.RoleViewer, Method: "password"}
	const n = 100
	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = env.Service.ChangePassword(httptest.NewRecorder(), request("198.51.100.7:1", c, &id), wrongPassword, "a new password!")
		})
	}
	close(start)
	wg.Wait()
	checked, limited := 0, 0
	for _, err := range errs {
		var rl *auth.RateLimitError
		var fe *auth.FieldError
		switch {
		case errors.As(err, &fe) && fe.Field == "current":
			checked++
		case errors.As(err, &rl):
			limited++
		default:
			t.Fatalf("unexpected answer %v", err)
		}
	}
	if checked != auth.DefaultAccountFailures || limited != n-checked {
		t.Fatalf("%d current passwords checked, %d refused; want %d checked", checked, limited, auth.DefaultAccountFailures)
	}
}
