package database

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
)

// UnreachableError is the probe's answer when PostgreSQL cannot be
// reached or does not answer in time.
type UnreachableError struct{ Err error }

func (e *UnreachableError) Error() string {
	return "database: PostgreSQL unreachable: " + oneLine(e.Err.Error())
}
func (e *UnreachableError) Unwrap() error { return e.Err }

// oneLine folds pgx's multi-line connection errors (one line per address
// tried, often the same twice) into one line for /healthz and the banner.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !slices.Contains(parts, l) {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// pgProbeTimeout is shorter than the file's: a replica that cannot reach
// PostgreSQL within it says so on /healthz before the load balancer's own
// check gives up.
const pgProbeTimeout = 3 * time.Second

// NewPostgresMonitor watches a PostgreSQL database: each probe writes
// this replica's heartbeat row. where names the database in log lines
// (its URL; the password is hidden).
func NewPostgresMonitor(ctx context.Context, db *sql.DB, where, replica string, cfg MonitorConfig) *Monitor {
	m := &Monitor{db: db, path: where, cfg: cfg.withDefaults(), timeout: pgProbeTimeout}
	m.check = func(ctx context.Context) error {
		_, err := db.ExecContext(ctx, `INSERT INTO storage_heartbeat (replica, at) VALUES ($1, now())
			ON CONFLICT (replica) DO UPDATE SET at = excluded.at`, replica)
		if err != nil {
			return &UnreachableError{Err: err}
		}
		return nil
	}
	m.state.Store(&probeState{})
	m.Probe(ctx)
	return m
}
