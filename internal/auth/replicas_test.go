package auth_test

import (
	"errors"
	"fmt"
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
