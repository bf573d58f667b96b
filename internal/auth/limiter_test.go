package auth

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	type step struct {
		at   int    // minutes after t0
		op   string // fail, reset, or wait (check only)
		key  string
		wait time.Duration // for wait: what wait must answer
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"under the limit", []step{
			{0, "fail", "a", 0}, {1, "fail", "a", 0}, {2, "wait", "a", 0},
		}},
		{"at the limit until the oldest ages out", []step{
			{0, "fail", "a", 0}, {1, "fail", "a", 0}, {2, "fail", "a", 0},
			{3, "wait", "a", 12 * time.Minute}, {14, "wait", "a", time.Minute}, {15, "wait", "a", 0},
		}},
		{"sliding: the next oldest decides", []step{
			{0, "fail", "a", 0}, {5, "fail", "a", 0}, {10, "fail", "a", 0},
			{15, "fail", "a", 0}, {16, "wait", "a", 4 * time.Minute},
		}},
		{"keys are counted apart", []step{
			{0, "fail", "a", 0}, {0, "fail", "a", 0}, {0, "fail", "a", 0}, {1, "wait", "b", 0},
		}},
		{"reset forgets", []step{
			{0, "fail", "a", 0}, {0, "fail", "a", 0}, {0, "fail", "a", 0}, {1, "reset", "a", 0}, {1, "wait", "a", 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(3, 15*time.Minute)
			for i, s := range tt.steps {
				switch s.op {
				case "fail":
					l.fail(s.key, at(s.at))
				case "reset":
					l.reset(s.key)
				case "wait":
					if got := l.wait(s.key, at(s.at)); got != s.wait {
						t.Fatalf("step %d: wait(%s) at +%dm = %v, want %v", i, s.key, s.at, got, s.wait)
					}
				}
			}
		})
	}
}

// Guessing many names must not grow memory for ever: old keys are swept.
func TestLimiterForgetsOldKeys(t *testing.T) {
	l := newLimiter(5, time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		l.fail(string(rune('a'+i%26))+time.Duration(i).String(), t0)
	}
	l.fail("late", t0.Add(2*time.Minute))
	if n := len(l.fails); n != 1 {
		t.Fatalf("%d keys kept after the window passed, want 1", n)
	}
}
