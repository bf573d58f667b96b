package audit

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Memory is a Log kept in memory, for tests and tools that need no store.
type Memory struct {
	mu      sync.Mutex
	entries []Entry // oldest first
	now     func() time.Time
}

var _ Log = (*Memory)(nil)

// NewMemory returns an empty in-memory log.
func NewMemory() *Memory { return &Memory{now: time.Now} }

// Begin records an intent.
func (m *Memory) Begin(_ context.Context, e Entry) (string, error) {
	e = scrubEntry(e)
	m.mu.Lock()
	defer m.mu.Unlock()
	e.ID = strconv.Itoa(len(m.entries) + 1)
	e.Time = m.now().UTC()
	e.Outcome = OutcomePending
	e.Params = Redact(e.Params) // a copy, secrets redacted as the Log promises
	m.entries = append(m.entries, e)
	return e.ID, nil
}

// Finish records the outcome of an intent.
func (m *Memory) Finish(_ context.Context, id string, f Finish) error {
	f = scrubFinish(f)
	m.mu.Lock()
	defer m.mu.Unlock()
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 || n > len(m.entries) {
		return fmt.Errorf("audit: no entry %q", id)
	}
	e := &m.entries[n-1]
	if e.Outcome != OutcomePending {
		return fmt.Errorf("audit: entry %s already has its outcome", id)
	}
	e.Outcome, e.ErrorCode, e.ErrorMsg, e.RequestID, e.Duration = f.Outcome, f.ErrorCode, f.ErrorMsg, f.RequestID, f.Duration
	if f.ENIID != "" {
		e.ENIID = f.ENIID
	}
	return nil
}

// Query returns the entries q selects, newest first.
func (m *Memory) Query(_ context.Context, q Query) (Page, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	var out []Entry
	for _, e := range slices.Backward(m.entries) {
		if q.Before != "" {
			if b, _ := strconv.Atoi(q.Before); mustAtoi(e.ID) >= b {
				continue
			}
		}
		if !q.matches(e) {
			continue
		}
		if len(out) == limit {
			return Page{Entries: out, Next: out[len(out)-1].ID}, nil
		}
		e.Params = maps.Clone(e.Params)
		out = append(out, e)
	}
	return Page{Entries: out}, nil
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// matches applies every filter of q but Before and Limit.
func (q Query) matches(e Entry) bool {
	return (q.Actor == "" || e.Actor == q.Actor) &&
		(q.Action == "" || e.Action == q.Action) &&
		(q.ENIID == "" || e.ENIID == q.ENIID) &&
		(q.Bulk == "" || e.Bulk == q.Bulk) &&
		(q.Outcome == "" || slices.Contains(q.Outcomes(), e.Outcome)) &&
		(q.From.IsZero() || !e.Time.Before(q.From)) &&
		(q.To.IsZero() || e.Time.Before(q.To))
}
