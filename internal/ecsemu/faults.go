package ecsemu

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Faults are the failures the emulator injects into API calls, after a
// request has been authenticated, so that clients can be rehearsed against
// a misbehaving cloud. The zero value injects nothing.
//
// In JSON (the admin endpoint) the fields are throttleRate, errorRate,
// latency (a Go duration string such as "250ms") and stuckTransitions.
type Faults struct {
	// ThrottleRate is the fraction of calls, in [0,1], answered with
	// Throttling (HTTP 400), as the cloud does when a caller exceeds its
	// flow control.
	ThrottleRate float64
	// ErrorRate is the fraction of calls, in [0,1], answered with
	// InternalError (500) or ServiceUnavailable (503), chosen at random.
	ErrorRate float64
	// Latency is added before every call is answered. It ends early when
	// the caller goes away.
	Latency time.Duration
	// StuckTransitions keeps ENIs in Attaching/Detaching/Deleting while set.
	StuckTransitions bool
}

// Validate reports the first field out of range.
func (f Faults) Validate() error {
	if !(f.ThrottleRate >= 0 && f.ThrottleRate <= 1) {
		return fmt.Errorf("throttleRate must be between 0 and 1, got %v", f.ThrottleRate)
	}
	if !(f.ErrorRate >= 0 && f.ErrorRate <= 1) {
		return fmt.Errorf("errorRate must be between 0 and 1, got %v", f.ErrorRate)
	}
	if f.Latency < 0 {
		return fmt.Errorf("latency must not be negative, got %s", f.Latency)
	}
	return nil
}

// clamped brings every field into range, for callers that cannot report an
// error (Emulator.SetFaults).
func (f Faults) clamped() Faults {
	clamp := func(v float64) float64 {
		switch {
		case v > 1:
			return 1
		case v >= 0:
			return v
		default: // negative or NaN
			return 0
		}
	}
	f.ThrottleRate = clamp(f.ThrottleRate)
	f.ErrorRate = clamp(f.ErrorRate)
	f.Latency = max(f.Latency, 0)
	return f
}

type faultsJSON struct {
	ThrottleRate     float64 `json:"throttleRate"`
	ErrorRate        float64 `json:"errorRate"`
	Latency          string  `json:"latency"`
	StuckTransitions bool    `json:"stuckTransitions"`
}

// MarshalJSON renders Latency as a duration string ("250ms").
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{
		ThrottleRate:     f.ThrottleRate,
		ErrorRate:        f.ErrorRate,
		Latency:          f.Latency.String(),
		StuckTransitions: f.StuckTransitions,
	})
}

// The cloud's messages for the injected errors.
const (
	msgThrottling         = "Request was denied due to request throttling."
	msgInternalError      = "The request processing has failed due to some unknown error, exception or failure."
	msgServiceUnavailable = "The request has failed due to a temporary failure of the server."
)

func errThrottling() *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: "Throttling", Message: msgThrottling}
}

func errInternal() *APIError {
	return &APIError{Status: http.StatusInternalServerError, Code: "InternalError", Message: msgInternalError}
}

func errServiceUnavailable() *APIError {
	return &APIError{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailable", Message: msgServiceUnavailable}
}

// faultInjector holds the current faults and the random source that decides
// which calls they hit. The source is seeded so runs can be reproduced.
type faultInjector struct {
	mu      sync.Mutex
	faults  Faults
	rng     *rand.Rand
	onStuck func(bool) // forwards StuckTransitions to the world; may be nil
}

func newFaultInjector(seed uint64, onStuck func(bool)) *faultInjector {
	return &faultInjector{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), onStuck: onStuck}
}

func (fi *faultInjector) get() Faults {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.faults
}

// set replaces the faults. The world is told under the lock so concurrent
// setters leave it agreeing with the last value stored here.
func (fi *faultInjector) set(f Faults) {
	_, _ = fi.update(func(Faults) (Faults, error) { return f, nil })
}

// update applies fn to the faults atomically; fn's error leaves them as
// they were.
func (fi *faultInjector) update(fn func(Faults) (Faults, error)) (Faults, error) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	f, err := fn(fi.faults)
	if err != nil {
		return fi.faults, err
	}
	fi.faults = f
	if fi.onStuck != nil {
		fi.onStuck(f.StuckTransitions)
	}
	return f, nil
}

// decide draws this call's fate: the latency to add and the error to answer
// with instead of running the action (nil for none).
func (fi *faultInjector) decide() (time.Duration, *APIError) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	f := fi.faults
	if f.ThrottleRate > 0 && fi.rng.Float64() < f.ThrottleRate {
		return f.Latency, errThrottling()
	}
	if f.ErrorRate > 0 && fi.rng.Float64() < f.ErrorRate {
		if fi.rng.IntN(2) == 0 {
			return f.Latency, errInternal()
		}
		return f.Latency, errServiceUnavailable()
	}
	return f.Latency, nil
}

// sleep waits d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("injected latency: %w", context.Cause(ctx))
	}
}
