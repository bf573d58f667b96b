package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// Postgres is a Log in PostgreSQL's audit_log table, shared by the
// replicas. The table, its indexes and the trigger that keeps it
// append-only come from the database's migrations (003_audit.sql); the
// store behaves as SQLite does, entry for entry.
type Postgres struct {
	db        *sql.DB
	retention time.Duration
	now       func() time.Time
	// Logger receives what RunRetention does; slog.Default() when nil.
	// Set it before starting RunRetention.
	Logger *slog.Logger
	// Writable, when set, is asked before each Begin (the storage
	// monitor's last answer): while it returns an error, no intent is
	// written and so no change is made. Set it before use.
	Writable func() error
}

// NewPostgres uses the audit table of db, a migrated PostgreSQL database
// (database.OpenPostgres), and prunes what is past retention
// (DefaultRetention when 0).
func NewPostgres(ctx context.Context, db *sql.DB, retention time.Duration) (*Postgres, error) {
	if retention < 0 {
		return nil, fmt.Errorf("audit: retention %v is negative", retention)
	}
	if retention == 0 {
		retention = DefaultRetention
	}
	p := &Postgres{db: db, retention: retention, now: time.Now}
	var table sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('audit_log')::text`).Scan(&table); err != nil {
		return nil, fmt.Errorf("audit: looking for the audit table: %w", err)
	}
	if !table.Valid {
		return nil, fmt.Errorf("audit: the database has no audit_log table: open it with database.OpenPostgres, which applies the migrations")
	}
	if _, err := p.Prune(ctx, p.now()); err != nil {
		return nil, err
	}
	return p, nil
}

var (
	pgInsert  = rebind(insertEntry)
	pgFinish  = rebind(finishEntry)
	pgOutcome = rebind(entryOutcome)
	pgPrune   = rebind(pruneEntries)
)

// Begin records an intent: a new entry with a random ID, the time now
// and an unknown (pending) outcome. Secrets in Params are redacted.
func (p *Postgres) Begin(ctx context.Context, e Entry) (string, error) {
	if p.Writable != nil {
		if err := p.Writable(); err != nil {
			return "", fmt.Errorf("audit: recording %s by %s: %w", e.Action, e.Actor, err)
		}
	}
	id := newID()
	e = scrubEntry(e)
	params, err := json.Marshal(limitParams(Redact(e.Params)))
	if err != nil {
		return "", fmt.Errorf("audit: encoding params: %w", err)
	}
	if _, err := p.db.ExecContext(ctx, pgInsert, insertArgs(id, p.now(), e, params)...); err != nil {
		return "", fmt.Errorf("audit: recording %s by %s: %w", e.Action, e.Actor, err)
	}
	return id, nil
}

// Finish records the outcome of a pending entry; an entry that already
// has one is refused with ErrAlreadyFinished. Two replicas finishing the
// same entry at once cannot both succeed: the second's UPDATE finds the
// row no longer pending.
func (p *Postgres) Finish(ctx context.Context, id string, f Finish) error {
	f = scrubFinish(f)
	if !f.Outcome.Finished() {
		return fmt.Errorf("audit: finishing %s with %q: %w", id, f.Outcome, ErrNotFinishOutcome)
	}
	if unstorable(id) {
		return fmt.Errorf("audit: finishing %q: %w", id, ErrNoEntry)
	}
	res, err := p.db.ExecContext(ctx, pgFinish, finishArgs(id, f)...)
	if err != nil {
		return fmt.Errorf("audit: finishing %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return whyNotFinished(ctx, p.db, pgOutcome, id)
}

// Query returns the entries q selects, newest first. A Before that names
// no entry (pruned, or never written) selects nothing.
func (p *Postgres) Query(ctx context.Context, q Query) (Page, error) {
	if matchesNothing(q) {
		return Page{}, nil
	}
	query, args, limit := selectEntries(q)
	return readPage(ctx, p.db, rebind(query), args, limit)
}

// Prune deletes the entries older than the retention at now, in batches,
// and returns how many went. It is the only delete there is.
func (p *Postgres) Prune(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.Add(-p.retention).UnixNano()
	var total int64
	for {
		n, err := p.pruneBatch(ctx, cutoff)
		total += n
		if err != nil {
			return total, fmt.Errorf("audit: pruning entries before %s: %w", time.Unix(0, cutoff).UTC().Format(time.RFC3339), err)
		}
		if n < pruneBatch {
			return total, nil
		}
	}
}

// pgPruneCutoff names, for the transaction it runs in, the time before
// which the append-only trigger lets rows be deleted.
const pgPruneCutoff = `SELECT set_config('enidash.audit_prune_before', $1::bigint::text, true)`

// pruneBatch deletes one batch in its own transaction, which tells the
// append-only trigger the cutoff: only rows older than it may go.
func (p *Postgres) pruneBatch(ctx context.Context, cutoff int64) (int64, error) {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, pgPruneCutoff, cutoff); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, pgPrune, cutoff, pruneBatch)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// RunRetention prunes every interval (6 hours when 0) until ctx ends. A
// failed prune is logged and tried again at the next tick. Every replica
// may run it: their deletes of the same rows simply find them gone.
func (p *Postgres) RunRetention(ctx context.Context, every time.Duration) {
	runRetention(ctx, every, p.Logger, p.retention, p.now, p.Prune)
}
