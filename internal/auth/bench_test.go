package auth_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

// BenchmarkIdentify is the cost sign-in adds to every request: decoding
// the cookie and reading the user's row, from SQLite or PostgreSQL.
func BenchmarkIdentify(b *testing.B) {
	b.Run("SQLite", func(b *testing.B) { benchIdentify(b, authtest.New(b, auth.Config{})) })
	b.Run("PostgreSQL", func(b *testing.B) {
		benchIdentify(b, authtest.NewPostgres(b, openPostgres(b).DB, auth.Config{}))
	})
}

func benchIdentify(b *testing.B, env *authtest.Env) {
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

// BenchmarkReserve is what counting a sign-in attempt costs: in memory,
// or in one PostgreSQL transaction under the key's advisory lock.
func BenchmarkReserve(b *testing.B) {
	lim := auth.Limit{Scope: "account", Max: 1 << 30, Window: time.Minute}
	for _, c := range []struct {
		name     string
		attempts func(b *testing.B) auth.Attempts
	}{
		{"memory", func(*testing.B) auth.Attempts { return auth.NewMemoryAttempts() }},
		{"PostgreSQL", func(b *testing.B) auth.Attempts { return auth.NewPostgresAttempts(openPostgres(b).DB) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			a := c.attempts(b)
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			i := 0
			for b.Loop() {
				i++
				// A key per 100 attempts, as many names being guessed.
				if wait, err := a.Reserve(context.Background(), lim, strconv.Itoa(i/100), now.Add(time.Duration(i))); err != nil || wait != 0 {
					b.Fatal(wait, err)
				}
			}
		})
	}
}
