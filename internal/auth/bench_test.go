package auth_test

import (
	"net/http/httptest"
	"testing"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

// BenchmarkIdentify is the cost sign-in adds to every request: decoding
// the cookie and reading the user's row.
func BenchmarkIdentify(b *testing.B) {
	env := authtest.New(b, auth.Config{})
	env.AddUser(b, "alice", auth.RoleOperator)
	w := httptest.NewRecorder()
	if _, err := env.Service.SignIn(w, request("198.51.100.7:1", nil, nil), "alice", authtest.Password); err != nil {
		b.Fatal(err)
	}
	c := sessionCookie(w)
	b.ReportAllocs()
	for b.Loop() {
		_, st, err := env.Service.Identify(httptest.NewRecorder(), request("198.51.100.7:1", c, nil))
		if err != nil || st != auth.Authenticated {
			b.Fatal(st, err)
		}
	}
}
