package database

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"enidash/internal/database/dbtest"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer is a log destination the probes may write to from any goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type watched struct {
	db    *sql.DB
	path  string
	mon   *Monitor
	clock *fakeClock
	log   *syncBuffer
}

func watch(t *testing.T) watched {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "enidash.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	buf := &syncBuffer{}
	mon, err := NewMonitor(ctx, db, path, MonitorConfig{Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := mon.Err(); err != nil {
		t.Fatalf("healthy storage: %v", err)
	}
	return watched{db: db, path: path, mon: mon, clock: clock, log: buf}
}

func TestMonitorProbe(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(t *testing.T, w watched)
		want    string
		heals   bool
	}{
		{"full disk", func(t *testing.T, w watched) { dbtest.Full(t, w.db) }, "database: unwritable: database or disk is full", true},
		{"read-only disk", func(t *testing.T, w watched) { dbtest.ReadOnly(t, w.db) }, "database: unwritable: attempt to write a readonly database", true},
		{"file deleted", func(t *testing.T, w watched) {
			if err := os.Remove(w.path); err != nil {
				t.Fatal(err)
			}
		}, "database: file replaced or deleted", false},
		{"file replaced", func(t *testing.T, w watched) {
			tmp := w.path + ".new"
			if err := os.WriteFile(tmp, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, w.path); err != nil {
				t.Fatal(err)
			}
		}, "database: file replaced or deleted", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			w := watch(t)
			tt.breakIt(t, w)
			err := w.mon.Probe(ctx)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("probe: %v, want %q…", err, tt.want)
			}
			if !errors.Is(w.mon.Err(), err) {
				t.Fatalf("Err after the probe: %v, want %v", w.mon.Err(), err)
			}
			if !tt.heals {
				return
			}
			dbtest.Heal(t, w.db)
			if err := w.mon.Probe(ctx); err != nil || w.mon.Err() != nil {
				t.Fatalf("after healing: %v, %v", err, w.mon.Err())
			}
		})
	}
}

// Check probes at most once per MinGap; in between it answers from the
// last probe.
func TestMonitorCheckRateLimited(t *testing.T) {
	ctx := context.Background()
	w := watch(t)
	dbtest.Full(t, w.db)
	if err := w.mon.Check(ctx); err != nil {
		t.Fatalf("a Check right after a probe probed again: %v", err)
	}
	w.clock.Advance(DefaultProbeGap)
	if err := w.mon.Check(ctx); err == nil {
		t.Fatal("a Check a second after the last probe did not probe")
	}
	dbtest.Heal(t, w.db)
	w.clock.Advance(DefaultProbeGap / 2)
	if err := w.mon.Check(ctx); err == nil {
		t.Fatal("a Check half a second after the last probe probed again")
	}
	w.clock.Advance(DefaultProbeGap / 2)
	if err := w.mon.Check(ctx); err != nil {
		t.Fatalf("healed: %v", err)
	}
}

// A failure is logged once at ERROR however many probes see it, and the
// recovery once at INFO.
func TestMonitorLogsTransitionsOnce(t *testing.T) {
	ctx := context.Background()
	w := watch(t)
	dbtest.ReadOnly(t, w.db)
	for range 3 {
		w.mon.Probe(ctx)
	}
	dbtest.Heal(t, w.db)
	for range 3 {
		w.mon.Probe(ctx)
	}
	out := w.log.String()
	if n := strings.Count(out, "level=ERROR"); n != 1 {
		t.Fatalf("%d ERROR lines, want 1:\n%s", n, out)
	}
	if n := strings.Count(out, "level=INFO"); n != 1 || strings.Index(out, "level=INFO") < strings.Index(out, "level=ERROR") {
		t.Fatalf("want one INFO line after the ERROR:\n%s", out)
	}
}

// The heartbeat is one row, rewritten: probing does not grow the database.
func TestMonitorHeartbeatIsOneRow(t *testing.T) {
	ctx := context.Background()
	w := watch(t)
	for range 5 {
		w.clock.Advance(time.Second)
		if err := w.mon.Probe(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	var at int64
	if err := w.db.QueryRowContext(ctx, `SELECT count(*), max(at_ns) FROM storage_heartbeat`).Scan(&n, &at); err != nil {
		t.Fatal(err)
	}
	if n != 1 || at != w.clock.Now().UnixNano() {
		t.Fatalf("%d heartbeat rows, last at %d; want 1 at %d", n, at, w.clock.Now().UnixNano())
	}
}
