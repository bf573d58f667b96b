package auth_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"enidash/internal/auth"
)

func TestAttemptsMemory(t *testing.T)   { attemptsSuite(t, sqliteBackend) }
func TestAttemptsPostgres(t *testing.T) { attemptsSuite(t, postgresBackend) }

// attemptsSuite is the sign-in limits' count, the same in memory and in
// PostgreSQL. Two counts made by b.attempts on one environment stand for
// two replicas (in memory they are apart, so only one is used where
// replicas must agree).
func attemptsSuite(t *testing.T, b backend) {
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	lim := auth.Limit{Scope: "account", Max: 3, Window: 15 * time.Minute}
	type step struct {
		at   int    // minutes after t0
		op   string // reserve, release, reset
		key  string
		wait time.Duration // reserve: what it must answer; release: when the attempt was reserved
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"under the limit", []step{
			{0, "reserve", "a", 0}, {1, "reserve", "a", 0}, {2, "reserve", "a", 0},
		}},
		{"at the limit until the oldest ages out", []step{
			{0, "reserve", "a", 0}, {1, "reserve", "a", 0}, {2, "reserve", "a", 0},
			{3, "reserve", "a", 12 * time.Minute}, {14, "reserve", "a", time.Minute}, {15, "reserve", "a", 0},
		}},
		{"sliding: the next oldest decides", []step{
			{0, "reserve", "a", 0}, {5, "reserve", "a", 0}, {10, "reserve", "a", 0},
			{15, "reserve", "a", 0}, {16, "reserve", "a", 4 * time.Minute},
		}},
		{"keys are counted apart", []step{
			{0, "reserve", "a", 0}, {0, "reserve", "a", 0}, {0, "reserve", "a", 0}, {1, "reserve", "b", 0},
		}},
		{"reset forgets", []step{
			{0, "reserve", "a", 0}, {0, "reserve", "a", 0}, {0, "reserve", "a", 0}, {1, "reset", "a", 0}, {1, "reserve", "a", 0},
		}},
		{"a released attempt no longer counts", []step{
			{0, "reserve", "a", 0}, {1, "reserve", "a", 0}, {2, "reserve", "a", 0},
			{4, "release", "a", 1 * time.Minute}, {5, "reserve", "a", 0}, {6, "reserve", "a", 9 * time.Minute},
		}},
		{"a release after a reset is harmless", []step{
			{0, "reserve", "a", 0}, {0, "reset", "a", 0}, {1, "release", "a", 0}, {1, "reserve", "a", 0},
		}},
		{"one of equal reservations released", []step{
			{0, "reserve", "a", 0}, {0, "reserve", "a", 0}, {0, "reserve", "a", 0},
			{1, "release", "a", 0}, {1, "reserve", "a", 0}, {2, "reserve", "a", 13 * time.Minute},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := b.env(t, auth.Config{})
			a := b.attempts(env)
			for i, s := range tt.steps {
				var err error
				switch s.op {
				case "reserve":
					var got time.Duration
					if got, err = a.Reserve(ctx, lim, s.key, at(s.at)); err == nil && got != s.wait {
						t.Fatalf("step %d: Reserve(%s) at +%dm = %v, want %v", i, s.key, s.at, got, s.wait)
					}
				case "release":
					err = a.Release(ctx, lim, s.key, t0.Add(s.wait))
				case "reset":
					err = a.Reset(ctx, lim, s.key)
				}
				if err != nil {
					t.Fatalf("step %d: %s: %v", i, s.op, err)
				}
			}
		})
	}
	t.Run("limits are counted apart", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		a := b.attempts(env)
		other := auth.Limit{Scope: "address", Max: 1, Window: lim.Window}
		for range 3 {
			mustWait(t, a, lim, "k", t0, 0)
		}
		mustWait(t, a, other, "k", t0, 0)
		mustWait(t, a, other, "k", t0, lim.Window)
	})
	t.Run("reported once per window", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		a := b.attempts(env)
		steps := []struct {
			key  string
			min  int
			want bool
		}{
			{"a", 1, true}, {"a", 2, false}, {"a", 15, false}, {"b", 15, true}, {"a", 16, true}, {"a", 17, false},
		}
		for i, s := range steps {
			got, err := a.Report(ctx, lim, s.key, at(s.min))
			if err != nil || got != s.want {
				t.Fatalf("step %d: Report(%s) at +%dm = %v, %v; want %v", i, s.key, s.min, got, err, s.want)
			}
		}
	})
	t.Run("exactly the limit at once", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		// Two counts on one database where replicas share one; in memory,
		// one count shared by the goroutines.
		counts := []auth.Attempts{b.attempts(env)}
		if b.name != sqliteBackend.name {
			counts = append(counts, b.attempts(env))
		}
		var taken atomic.Int64
		var fns []func() error
		for i := range 60 {
			fns = append(fns, func() error {
				wait, err := counts[i%len(counts)].Reserve(ctx, lim, "alice", t0)
				if wait == 0 && err == nil {
					taken.Add(1)
				}
				return err
			})
		}
		if errs := concurrently(fns...); countNil(errs) != len(fns) {
			t.Fatal(errs)
		}
		if n := taken.Load(); n != int64(lim.Max) {
			t.Fatalf("%d attempts taken at once, want %d", n, lim.Max)
		}
	})
}

func mustWait(t *testing.T, a auth.Attempts, lim auth.Limit, key string, now time.Time, want time.Duration) {
	t.Helper()
	got, err := a.Reserve(context.Background(), lim, key, now)
	if err != nil || got != want {
		t.Fatalf("Reserve(%s, %s) = %v, %v; want %v", lim.Scope, key, got, err, want)
	}
}

// Guessing many names must not grow the shared tables for ever: rows a
// window old are swept.
func TestPostgresAttemptsForgetOldKeys(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t).DB
	a := auth.NewPostgresAttempts(db)
	lim := auth.Limit{Scope: "address", Max: 5, Window: time.Minute}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		key := fmt.Sprintf("k%d", i)
		mustWait(t, a, lim, key, t0, 0)
		if _, err := a.Report(ctx, lim, key, t0); err != nil {
			t.Fatal(err)
		}
	}
	mustWait(t, a, lim, "late", t0.Add(2*time.Minute), 0)
	var attempts, reports int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM signin_attempts), (SELECT count(*) FROM signin_reports)`).Scan(&attempts, &reports); err != nil {
		t.Fatal(err)
	}
	if attempts != 1 || reports != 0 {
		t.Fatalf("%d attempts and %d reports kept after the window passed, want 1 and 0", attempts, reports)
	}
}
