package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// ErrReplaced is the probe's answer when the path no longer names the
// file the database was opened on: deleted, or another file put there.
// The program keeps writing to the old file, which nobody will read.
var ErrReplaced = errors.New("database: file replaced or deleted")

// UnwritableError is the probe's answer when the database cannot take a
// write: a full or read-only disk, an I/O error.
type UnwritableError struct{ Err error }

func (e *UnwritableError) Error() string { return "database: unwritable: " + e.Err.Error() }
func (e *UnwritableError) Unwrap() error { return e.Err }

// Defaults of MonitorConfig.
const (
	DefaultProbeGap = time.Second
	DefaultMinFree  = 1 << 20
)

// MonitorConfig tunes a Monitor. Zero values take the defaults.
type MonitorConfig struct {
	// MinGap is the least time between two probes asked for by Check, so
	// /healthz cannot be used to hammer the disk.
	MinGap time.Duration
	// MinFree is the free space (bytes) below which the file system counts
	// as full: SQLite may reuse room in its files for a while, so a full
	// disk is not always seen by a small write.
	MinFree uint64
	Logger  *slog.Logger
	Now     func() time.Time
}

// Monitor watches the storage under an open database: that the path
// still names the file opened, that the file system has room, and that a
// write goes through. Err is the last probe's answer, cheap enough for
// every write to look at.
type Monitor struct {
	db       *sql.DB
	path     string
	opened   os.FileInfo // nil for Memory
	pageSize int
	cfg      MonitorConfig
	// check is the probe itself: the SQLite file's, or PostgreSQL's.
	check   func(ctx context.Context) error
	timeout time.Duration

	probing sync.Mutex // one probe at a time
	state   atomic.Pointer[probeState]
}

type probeState struct {
	err error
	at  time.Time
}

// heartbeat has one row, rewritten by every probe. Row 0 is written and
// rolled back within the probe, with a page-sized pad, to see whether the
// database can still grow.
const heartbeat = `CREATE TABLE IF NOT EXISTS storage_heartbeat (
	id    INTEGER PRIMARY KEY,
	at_ns INTEGER NOT NULL,
	pad   BLOB
)`

// NewMonitor starts watching db, opened on path, and probes it once.
func NewMonitor(ctx context.Context, db *sql.DB, path string, cfg MonitorConfig) (*Monitor, error) {
	m := &Monitor{db: db, path: path, cfg: cfg.withDefaults(), timeout: probeTimeout}
	m.check = m.probe
	if path != Memory {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("database: watching %s: %w", Redact(path), err)
		}
		m.opened = fi
	}
	if _, err := db.ExecContext(ctx, heartbeat); err != nil {
		return nil, fmt.Errorf("database: creating the heartbeat table: %w", err)
	}
	if err := db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&m.pageSize); err != nil {
		return nil, fmt.Errorf("database: reading the page size: %w", err)
	}
	m.state.Store(&probeState{})
	m.Probe(ctx)
	return m, nil
}

func (cfg MonitorConfig) withDefaults() MonitorConfig {
	if cfg.MinGap <= 0 {
		cfg.MinGap = DefaultProbeGap
	}
	if cfg.MinFree == 0 {
		cfg.MinFree = DefaultMinFree
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// Err is the answer of the last probe: nil, ErrReplaced or an
// *UnwritableError.
func (m *Monitor) Err() error { return m.state.Load().err }

// Check probes unless the last probe is more recent than MinGap, or one
// is running, and answers as Err then does.
func (m *Monitor) Check(ctx context.Context) error {
	if m.cfg.Now().Sub(m.state.Load().at) < m.cfg.MinGap || !m.probing.TryLock() {
		return m.Err()
	}
	defer m.probing.Unlock()
	return m.probeLocked(ctx)
}

// Probe looks at the storage now and returns what it found.
func (m *Monitor) Probe(ctx context.Context) error {
	m.probing.Lock()
	defer m.probing.Unlock()
	return m.probeLocked(ctx)
}

// Run probes every interval until ctx ends.
func (m *Monitor) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.Probe(ctx)
		}
	}
}

// probeTimeout bounds a probe: a disk that takes longer to answer is
// failing too.
const probeTimeout = 10 * time.Second

func (m *Monitor) probeLocked(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, m.timeout)
	defer cancel()
	err := m.check(ctx)
	if parent.Err() != nil {
		return err // the caller went away: that says nothing of the disk
	}
	prev := m.state.Swap(&probeState{err: err, at: m.cfg.Now()})
	switch {
	case prev.err == nil && err != nil:
		m.cfg.Logger.ErrorContext(ctx, "database storage failing: ENI changes and sign-ins are refused until it recovers",
			"path", Redact(m.path), "err", err)
	case prev.err != nil && err == nil:
		m.cfg.Logger.InfoContext(ctx, "database storage writable again: ENI changes and sign-ins allowed", "path", Redact(m.path))
	}
	return err
}

func (m *Monitor) probe(ctx context.Context) error {
	if m.opened != nil {
		fi, err := os.Stat(m.path)
		if err != nil || !os.SameFile(fi, m.opened) {
			return ErrReplaced
		}
		if free, ok := freeBytes(filepath.Dir(m.path)); ok && free < m.cfg.MinFree {
			return &UnwritableError{Err: fmt.Errorf("only %d KiB free on its file system", free>>10)}
		}
	}
	if err := m.writeHeartbeat(ctx); err != nil {
		return &UnwritableError{Err: err}
	}
	return nil
}

// writeHeartbeat is one short transaction: room for a new page (written,
// then rolled back) and the heartbeat row (kept), so that both a database
// that cannot grow and a disk that takes no write fail it.
func (m *Monitor) writeHeartbeat(ctx context.Context) error {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`SAVEPOINT room`, nil},
		{`INSERT INTO storage_heartbeat (id, at_ns, pad) VALUES (0, 0, zeroblob(?))`, []any{m.pageSize}},
		{`ROLLBACK TO room`, nil},
		{`RELEASE room`, nil},
		{`INSERT INTO storage_heartbeat (id, at_ns) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at_ns = excluded.at_ns`,
			[]any{m.cfg.Now().UnixNano()}},
	} {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
