package auth

import (
	"sync"
	"time"
)

// limiter counts attempts per key in a sliding window: a key with max
// attempts in the last window is refused until the oldest one ages out.
// An attempt is reserved before its password is checked, so simultaneous
// guesses cannot all slip in under the limit; a failure keeps its
// reservation, anything else gives it back. It lives in memory: a restart
// forgets it, which costs an attacker a restart per few guesses.
type limiter struct {
	max    int
	window time.Duration

	mu        sync.Mutex
	keys      map[string]*tally
	lastSweep time.Time
}

// tally is one key's attempts within the window, oldest first, and when a
// refusal of it was last reported.
type tally struct {
	tries    []time.Time
	reported time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, keys: map[string]*tally{}}
}

// reserve takes an attempt for key when it is under the limit and returns
// 0; otherwise it takes nothing and returns how long key must wait.
func (l *limiter) reserve(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if wait := l.waitLocked(key, now); wait > 0 {
		return wait
	}
	l.addLocked(key, now)
	return 0
}

// release gives back an attempt reserved at t that turned out not to be a
// failure.
func (l *limiter) release(key string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.keys[key]
	if k == nil {
		return // reset meanwhile
	}
	for i := len(k.tries) - 1; i >= 0; i-- {
		if k.tries[i].Equal(t) {
			k.tries = append(k.tries[:i], k.tries[i+1:]...)
			return
		}
	}
}

// report reports whether a refusal of key is the first of the current
// window, so that a refused flood is recorded once, not once per attempt.
func (l *limiter) report(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recent(key, now)
	k := l.keys[key]
	if k == nil {
		k = &tally{}
		l.keys[key] = k
	}
	if !k.reported.IsZero() && now.Sub(k.reported) < l.window {
		return false
	}
	k.reported = now
	return true
}

// wait is how long key must wait before its next try; 0 when it may try.
func (l *limiter) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waitLocked(key, now)
}

// fail records a failure of key that was not reserved.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addLocked(key, now)
	if k := l.keys[key]; len(k.tries) > l.max {
		k.tries = k.tries[len(k.tries)-l.max:] // older ones no longer decide anything
	}
}

// reset forgets key's attempts (after a successful sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, key)
}

// waitLocked is wait for callers holding mu.
func (l *limiter) waitLocked(key string, now time.Time) time.Duration {
	f := l.recent(key, now)
	if len(f) < l.max {
		return 0
	}
	return f[len(f)-l.max].Add(l.window).Sub(now)
}

// addLocked adds an attempt of key. Callers hold mu.
func (l *limiter) addLocked(key string, now time.Time) {
	k := l.keys[key]
	if k == nil {
		k = &tally{}
		l.keys[key] = k
	}
	k.tries = append(k.tries, now)
	if now.Sub(l.lastSweep) > l.window {
		l.sweep(now)
	}
}

// recent drops key's attempts older than the window, and key itself when
// nothing of it is left to remember. Callers hold mu.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	k := l.keys[key]
	if k == nil {
		return nil
	}
	i := 0
	for i < len(k.tries) && now.Sub(k.tries[i]) >= l.window {
		i++
	}
	k.tries = k.tries[i:]
	if len(k.tries) == 0 && now.Sub(k.reported) >= l.window {
		delete(l.keys, key)
		return nil
	}
	return k.tries
}

// sweep drops every key with nothing recent, so guessing many names does
// not grow memory for ever. Callers hold mu.
func (l *limiter) sweep(now time.Time) {
	for key := range l.keys {
		l.recent(key, now)
	}
	l.lastSweep = now
}
