package auth

import (
	"sync"
	"time"
)

// limiter counts failures per key in a sliding window: a key with max
// failures in the last window is refused until the oldest one ages out.
// It lives in memory: a restart forgets it, which costs an attacker a
// restart per few guesses.
type limiter struct {
	max    int
	window time.Duration

	mu        sync.Mutex
	fails     map[string][]time.Time // oldest first, only within the window
	lastSweep time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// wait is how long key must wait before its next try; 0 when it may try.
func (l *limiter) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.recent(key, now)
	if len(f) < l.max {
		return 0
	}
	return f[len(f)-l.max].Add(l.window).Sub(now)
}

// fail records a failure of key.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := append(l.recent(key, now), now)
	if len(f) > l.max {
		f = f[len(f)-l.max:] // older ones no longer decide anything
	}
	l.fails[key] = f
	if now.Sub(l.lastSweep) > l.window {
		l.sweep(now)
	}
}

// reset forgets key's failures (after a successful sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

// recent drops key's failures older than the window. Callers hold mu.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	f := l.fails[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= l.window {
		i++
	}
	if i == len(f) {
		delete(l.fails, key)
		return nil
	}
	f = f[i:]
	l.fails[key] = f
	return f
}

// sweep drops every key without recent failures, so guessing many names
// does not grow memory for ever. Callers hold mu.
func (l *limiter) sweep(now time.Time) {
	for k := range l.fails {
		l.recent(k, now)
	}
	l.lastSweep = now
}
