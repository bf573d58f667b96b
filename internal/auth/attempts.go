package auth

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Limit is one sign-in limit: at most Max attempts per key in the last
// Window. Scope names it ("account", "address"), so the keys of two
// limits never meet.
type Limit struct {
	Scope  string
	Max    int
	Window time.Duration
}

// Attempts keeps the attempts the sign-in limits count: in memory for one
// replica (NewMemoryAttempts), in PostgreSQL for several
// (NewPostgresAttempts), so that more replicas do not mean more guesses.
// An attempt is reserved before its password is checked, so simultaneous
// guesses cannot all slip in under the limit; a failure keeps its
// reservation, anything else gives it back.
type Attempts interface {
	// Reserve takes an attempt of key when it is under lim and returns 0;
	// otherwise it takes nothing and returns how long key must wait.
	Reserve(ctx context.Context, lim Limit, key string, now time.Time) (time.Duration, error)
	// Release gives back an attempt reserved at t that turned out not to
	// be a failure.
	Release(ctx context.Context, lim Limit, key string, t time.Time) error
	// Reset forgets key's attempts (after a successful sign-in).
	Reset(ctx context.Context, lim Limit, key string) error
	// Report reports whether a refusal of key is the first of the current
	// window, so that a refused flood is recorded once, not per attempt.
	Report(ctx context.Context, lim Limit, key string, now time.Time) (bool, error)
}

// MemoryAttempts keeps attempts in this process's memory. A restart
// forgets them, which costs an attacker a restart per few guesses.
type MemoryAttempts struct {
	mu       sync.Mutex
	limiters map[Limit]*limiter
}

var _ Attempts = (*MemoryAttempts)(nil)

// NewMemoryAttempts returns an empty in-memory count, the default.
func NewMemoryAttempts() *MemoryAttempts { return &MemoryAttempts{limiters: map[Limit]*limiter{}} }

func (m *MemoryAttempts) of(lim Limit) *limiter {
	m.mu.Lock()
	defer m.mu.Unlock()
	l := m.limiters[lim]
	if l == nil {
		l = newLimiter(lim.Max, lim.Window)
		m.limiters[lim] = l
	}
	return l
}

func (m *MemoryAttempts) Reserve(_ context.Context, lim Limit, key string, now time.Time) (time.Duration, error) {
	return m.of(lim).reserve(key, now), nil
}

func (m *MemoryAttempts) Release(_ context.Context, lim Limit, key string, t time.Time) error {
	m.of(lim).release(key, t)
	return nil
}

func (m *MemoryAttempts) Reset(_ context.Context, lim Limit, key string) error {
	m.of(lim).reset(key)
	return nil
}

func (m *MemoryAttempts) Report(_ context.Context, lim Limit, key string, now time.Time) (bool, error) {
	return m.of(lim).report(key, now), nil
}

// limit is one of the service's limits over its Attempts. Giving back
// and forgetting attempts are best effort: failing, they are logged, and
// the worst outcome is a stricter limit.
type limit struct {
	Limit
	attempts Attempts
	log      *slog.Logger
}

func (l limit) reserve(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	wait, err := l.attempts.Reserve(ctx, l.Limit, key, now)
	if err != nil {
		return 0, &StorageError{Err: err}
	}
	return wait, nil
}

func (l limit) release(ctx context.Context, key string, t time.Time) {
	if err := l.attempts.Release(ctx, l.Limit, key, t); err != nil {
		l.log.WarnContext(ctx, "sign-in limit: an attempt could not be given back", "limit", l.Scope, "err", err)
	}
}

func (l limit) reset(ctx context.Context, key string) {
	if err := l.attempts.Reset(ctx, l.Limit, key); err != nil {
		l.log.WarnContext(ctx, "sign-in limit: the count could not be reset", "limit", l.Scope, "err", err)
	}
}

// report is Report, true when it cannot tell: a refusal is then recorded
// rather than lost.
func (l limit) report(ctx context.Context, key string, now time.Time) bool {
	first, err := l.attempts.Report(ctx, l.Limit, key, now)
	return first || err != nil
}
