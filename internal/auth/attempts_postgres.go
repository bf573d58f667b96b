package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// PostgresAttempts keeps the sign-in attempts in PostgreSQL (tables
// signin_attempts and signin_reports of migration 002), shared by every
// replica. Each reservation happens in one transaction holding an
// advisory lock on its key, so replicas reserving at once take turns.
type PostgresAttempts struct {
	db *sql.DB

	mu    sync.Mutex
	swept map[Limit]time.Time
}

var _ Attempts = (*PostgresAttempts)(nil)

// NewPostgresAttempts returns the attempts kept in db, a migrated
// PostgreSQL database (database.OpenPostgres).
func NewPostgresAttempts(db *sql.DB) *PostgresAttempts {
	return &PostgresAttempts{db: db, swept: map[Limit]time.Time{}}
}

// locked runs fn in a transaction holding the advisory lock of lim's key.
func (p *PostgresAttempts) locked(ctx context.Context, lim Limit, key string, fn func(*sql.Tx) error) error {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("auth: sign-in limit: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "signin/"+lim.Scope+"/"+key); err != nil {
		return fmt.Errorf("auth: sign-in limit: %w", err)
	}
	if err := fn(tx); err != nil {
		return fmt.Errorf("auth: sign-in limit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("auth: sign-in limit: %w", err)
	}
	return nil
}

func (p *PostgresAttempts) Reserve(ctx context.Context, lim Limit, key string, now time.Time) (time.Duration, error) {
	var wait time.Duration
	err := p.locked(ctx, lim, key, func(tx *sql.Tx) error {
		// Only the newest Max attempts in the window matter: the oldest of
		// them decides when the next one may come.
		rows, err := tx.QueryContext(ctx, `SELECT at_ns FROM signin_attempts
			WHERE scope = $1 AND key = $2 AND at_ns > $3 ORDER BY at_ns DESC LIMIT $4`,
			lim.Scope, key, now.Add(-lim.Window).UnixNano(), lim.Max)
		if err != nil {
			return err
		}
		var recent []int64
		for rows.Next() {
			var at int64
			if err := rows.Scan(&at); err != nil {
				rows.Close()
				return err
			}
			recent = append(recent, at)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(recent) >= lim.Max {
			wait = time.Unix(0, recent[lim.Max-1]).Add(lim.Window).Sub(now)
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO signin_attempts (scope, key, at_ns) VALUES ($1, $2, $3)`,
			lim.Scope, key, now.UnixNano())
		return err
	})
	if err == nil {
		p.sweep(ctx, lim, now)
	}
	return wait, err
}

func (p *PostgresAttempts) Release(ctx context.Context, lim Limit, key string, t time.Time) error {
	return p.locked(ctx, lim, key, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM signin_attempts WHERE id =
			(SELECT id FROM signin_attempts WHERE scope = $1 AND key = $2 AND at_ns = $3 LIMIT 1)`,
			lim.Scope, key, t.UnixNano())
		return err
	})
}

func (p *PostgresAttempts) Reset(ctx context.Context, lim Limit, key string) error {
	return p.locked(ctx, lim, key, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_attempts WHERE scope = $1 AND key = $2`, lim.Scope, key); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM signin_reports WHERE scope = $1 AND key = $2`, lim.Scope, key)
		return err
	})
}

// Report claims the window's report in one statement: the row is written
// when there is none or its report is a window old, and only the replica
// whose statement wrote it gets true.
func (p *PostgresAttempts) Report(ctx context.Context, lim Limit, key string, now time.Time) (bool, error) {
	var one int
	err := p.db.QueryRowContext(ctx, `INSERT INTO signin_reports (scope, key, at_ns) VALUES ($1, $2, $3)
		ON CONFLICT (scope, key) DO UPDATE SET at_ns = excluded.at_ns WHERE signin_reports.at_ns <= $4
		RETURNING 1`, lim.Scope, key, now.UnixNano(), now.Add(-lim.Window).UnixNano()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("auth: sign-in limit: %w", err)
	}
	return true, nil
}

// sweep deletes lim's rows that no longer count, at most once a window
// per replica, so guessing many names does not grow the tables for ever.
// A failed sweep is tried again with the next reservation.
func (p *PostgresAttempts) sweep(ctx context.Context, lim Limit, now time.Time) {
	p.mu.Lock()
	due := now.Sub(p.swept[lim]) >= lim.Window
	if due {
		p.swept[lim] = now
	}
	p.mu.Unlock()
	if !due {
		return
	}
	cutoff := now.Add(-lim.Window).UnixNano()
	_, err := p.db.ExecContext(ctx, `DELETE FROM signin_attempts WHERE scope = $1 AND at_ns <= $2`, lim.Scope, cutoff)
	if err == nil {
		_, err = p.db.ExecContext(ctx, `DELETE FROM signin_reports WHERE scope = $1 AND at_ns <= $2`, lim.Scope, cutoff)
	}
	if err != nil {
		p.mu.Lock()
		delete(p.swept, lim)
		p.mu.Unlock()
	}
}
