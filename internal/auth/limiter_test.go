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
		op   string // fail, reset, reserve, release, or wait (check only)
		key  string
		wait time.Duration // for wait and reserve: what they must answer
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
		{"reservations count until released", []step{
			{0, "reserve", "a", 0}, {1, "reserve", "a", 0}, {2, "reserve", "a", 0},
			{3, "reserve", "a", 12 * time.Minute}, // refused, and not counted
			{4, "release", "a", 1 * time.Minute}, {5, "reserve", "a", 0}, {6, "wait", "a", 9 * time.Minute},
		}},
		{"a release after a reset is harmless", []step{
			{0, "reserve", "a", 0}, {0, "reset", "a", 0}, {1, "release", "a", 0}, {1, "wait", "a", 0},
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
				case "reserve":
					if got := l.reserve(s.key, at(s.at)); got != s.wait {
						t.Fatalf("step %d: reserve(%s) at +%dm = %v, want %v", i, s.key, s.at, got, s.wait)
					}
				case "release": // gives back the attempt reserved s.wait after t0
					l.release(s.key, t0.Add(s.wait))
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
	if n := len(l.keys); n != 1 {
		t.Fatalf("%d keys kept after the window passed, want 1", n)
	}
}

// A refused flood is reported once per key and window.
func TestLimiterReportsOncePerWindow(t *testing.T) {
	l := newLimiter(1, 15*time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.fail("a", t0)
	steps := []struct {
		key  string
		min  int
		want bool
	}{
		{"a", 1, true}, {"a", 2, false}, {"a", 14, false}, {"b", 14, true}, {"a", 16, true}, {"a", 17, false},
	}
	for i, s := range steps {
		if got := l.report(s.key, t0.Add(time.Duration(s.min)*time.Minute)); got != s.want {
			t.Fatalf("step %d: report(%s) at +%dm = %v, want %v", i, s.key, s.min, got, s.want)
		}
	}
	// Reports are forgotten with their window, like failures.
	l.sweep(t0.Add(40 * time.Minute))
	if n := len(l.keys); n != 0 {
		t.Fatalf("%d keys kept after their windows passed", n)
	}
}
