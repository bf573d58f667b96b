package live

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"enidash/internal/eni"
)

// Kind is what an event says; it is also the SSE event name.
type Kind string

const (
	// Changed: an ENI of the view is not what it was.
	Changed Kind = "row"
	// Added: an ENI entered the view, after the ENI named in After.
	Added Kind = "added"
	// Gone: an ENI left the view (deleted, or no longer matching it).
	Gone Kind = "gone"
	// Status: the health of the view's updates changed (the region
	// throttled, failing, recovered; the view paused).
	Status Kind = "status"
	// Reset: the browser cannot be brought up to date event by event and
	// should fetch its view again.
	Reset Kind = "reset"
	// Counts: what the view counts (its total, by status, by type) may
	// have changed although no row of its page did: an ENI on another
	// page changed, came or went. The page asks for its counts again.
	Counts Kind = "counts"
)

// Health is how the updates of a view are faring: its region's listing
// with the cloud, or the view paused.
type Health struct {
	Degraded bool
	Message  string
}

// Event is one change of a view, shared by every subscriber of it. Each
// subscriber renders it for its own variant (role, page kind); Render
// keeps the bytes so each variant is rendered once.
type Event struct {
	Kind Kind
	// ID is the view's cursor after this event (the SSE event ID).
	ID string
	At time.Time

	ENI   eni.ENI       // Changed, Added
	After string        // Added: the ENI it follows in the page, "" for first
	Stuck time.Duration // Changed, Added: time in transition, once past the threshold

	GoneID string // Gone
	Reason string // Gone: "deleted", or why it left the view

	Health Health // Status

	mu       sync.Mutex
	rendered map[string][]byte
}

// Render returns the event as variant renders it, rendering it only the
// first time for each variant.
func (e *Event) Render(variant string, render func(*Event) ([]byte, error)) ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if b, ok := e.rendered[variant]; ok {
		return b, nil
	}
	b, err := render(e)
	if err != nil {
		return nil, err
	}
	if e.rendered == nil {
		e.rendered = map[string][]byte{}
	}
	e.rendered[variant] = b
	return b, nil
}

// cursor is a position in the hub's event sequence: which process (boot)
// and how far. It travels as "boot.seq" in URLs and SSE event IDs.
type cursor struct {
	boot string
	seq  uint64
}

func (c cursor) String() string { return c.boot + "." + strconv.FormatUint(c.seq, 10) }

func parseCursor(s string) (cursor, error) {
	boot, seq, ok := strings.Cut(s, ".")
	if !ok || boot == "" {
		return cursor{}, fmt.Errorf("cursor %q: want boot.seq", s)
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	if err != nil {
		return cursor{}, fmt.Errorf("cursor %q: %w", s, err)
	}
	return cursor{boot, n}, nil
}
