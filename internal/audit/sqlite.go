package audit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// DefaultRetention is how long entries are kept when no retention is set:
// a little over a year, so last year's review can still be done.
const DefaultRetention = 400 * 24 * time.Hour

// Errors of Finish.
var (
	ErrNoEntry          = errors.New("audit: no such entry")
	ErrAlreadyFinished  = errors.New("audit: entry already has its outcome")
	ErrNotFinishOutcome = errors.New("audit: an outcome must be ok, error or unknown")
)

// Limits on what one entry stores: sign-in attempts are recorded with
// what the client sent, and a huge User-Agent must not fill the disk.
const (
	maxField     = 1024
	maxUserAgent = 512
	maxParams    = 64
)

// pruneBatch bounds each retention DELETE, so the write lock is released
// between batches and actions are never held up for long.
const pruneBatch = 2000

// SQLite is a Log in an SQLite table. seq (the rowid) orders the entries
// and is the paging key; the public ID is random, so IDs do not reveal
// how many actions were taken.
type SQLite struct {
	db        *sql.DB
	retention time.Duration
	now       func() time.Time
	// wmu serialises this process's writes: they would otherwise wait for
	// each other inside SQLite's busy handler, which sleeps in steps.
	wmu sync.Mutex
	// Logger receives what RunRetention does; slog.Default() when nil.
	// Set it before starting RunRetention.
	Logger *slog.Logger
	// Writable, when set, is asked before each Begin (the storage
	// monitor's last answer): while it returns an error, no intent is
	// written and so no change is made. Set it before use.
	Writable func() error
}

// schema is idempotent. The trigger makes the table append-only for any
// writer of the database: once an entry has its outcome nothing in it
// changes, and before that only the outcome fields (and an ENI ID learnt
// by a create) may be written. Rows are deleted only by retention, which
// names its cutoff in audit_prune for the length of its transaction.
const schema = `
CREATE TABLE IF NOT EXISTS audit_log (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	event_id    TEXT    NOT NULL UNIQUE,
	time_ns     INTEGER NOT NULL,
	actor       TEXT    NOT NULL DEFAULT '',
	auth_method TEXT    NOT NULL DEFAULT '',
	source_ip   TEXT    NOT NULL DEFAULT '',
	user_agent  TEXT    NOT NULL DEFAULT '',
	action      TEXT    NOT NULL DEFAULT '',
	api         TEXT    NOT NULL DEFAULT '',
	region      TEXT    NOT NULL DEFAULT '',
	eni_id      TEXT    NOT NULL DEFAULT '',
	instance_id TEXT    NOT NULL DEFAULT '',
	bulk_id     TEXT    NOT NULL DEFAULT '',
	params      TEXT    NOT NULL DEFAULT '{}',
	outcome     TEXT    NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'ok', 'error', 'unknown')),
	error_code  TEXT    NOT NULL DEFAULT '',
	error_msg   TEXT    NOT NULL DEFAULT '',
	request_id  TEXT    NOT NULL DEFAULT '',
	duration_ns INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS audit_log_time    ON audit_log (time_ns);
CREATE INDEX IF NOT EXISTS audit_log_eni     ON audit_log (eni_id, seq);
CREATE INDEX IF NOT EXISTS audit_log_actor   ON audit_log (actor, seq);
CREATE INDEX IF NOT EXISTS audit_log_outcome ON audit_log (outcome, seq);
CREATE INDEX IF NOT EXISTS audit_log_bulk    ON audit_log (bulk_id, seq);
CREATE TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE ON audit_log
WHEN OLD.outcome <> 'pending'
	OR NEW.seq IS NOT OLD.seq OR NEW.event_id IS NOT OLD.event_id OR NEW.time_ns IS NOT OLD.time_ns
	OR NEW.actor IS NOT OLD.actor OR NEW.auth_method IS NOT OLD.auth_method
	OR NEW.source_ip IS NOT OLD.source_ip OR NEW.user_agent IS NOT OLD.user_agent
	OR NEW.action IS NOT OLD.action OR NEW.api IS NOT OLD.api OR NEW.region IS NOT OLD.region
	OR NEW.instance_id IS NOT OLD.instance_id OR NEW.bulk_id IS NOT OLD.bulk_id OR NEW.params IS NOT OLD.params
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TABLE IF NOT EXISTS audit_prune (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	before_ns INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_log_delete_by_retention BEFORE DELETE ON audit_log
WHEN OLD.time_ns >= COALESCE((SELECT before_ns FROM audit_prune WHERE id = 1), -9223372036854775808)
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: entries go only by retention');
END;
`

// NewSQLite creates the audit table in db if missing and prunes what is
// past retention (DefaultRetention when 0).
func NewSQLite(ctx context.Context, db *sql.DB, retention time.Duration) (*SQLite, error) {
	if retention < 0 {
		return nil, fmt.Errorf("audit: retention %v is negative", retention)
	}
	if retention == 0 {
		retention = DefaultRetention
	}
	s := &SQLite{db: db, retention: retention, now: time.Now}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return nil, fmt.Errorf("audit: creating the table: %w", err)
	}
	if err := allowUnknown(ctx, db); err != nil {
		return nil, err
	}
	if _, err := s.Prune(ctx, s.now()); err != nil {
		return nil, err
	}
	return s, nil
}

// Begin records an intent: a new entry with a random ID, the time now
// and an unknown (pending) outcome. Secrets in Params are redacted.
func (s *SQLite) Begin(ctx context.Context, e Entry) (string, error) {
	if s.Writable != nil {
		if err := s.Writable(); err != nil {
			return "", fmt.Errorf("audit: recording %s by %s: %w", e.Action, e.Actor, err)
		}
	}
	id := newID()
	e = scrubEntry(e)
	params, err := json.Marshal(limitParams(Redact(e.Params)))
	if err != nil {
		return "", fmt.Errorf("audit: encoding params: %w", err)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.db.ExecContext(ctx, insertEntry, insertArgs(id, s.now(), e, params)...); err != nil {
		return "", fmt.Errorf("audit: recording %s by %s: %w", e.Action, e.Actor, err)
	}
	return id, nil
}

// Finish records the outcome of a pending entry; an entry that already
// has one is refused with ErrAlreadyFinished.
func (s *SQLite) Finish(ctx context.Context, id string, f Finish) error {
	f = scrubFinish(f)
	if !f.Outcome.Finished() {
		return fmt.Errorf("audit: finishing %s with %q: %w", id, f.Outcome, ErrNotFinishOutcome)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	res, err := s.db.ExecContext(ctx, finishEntry, finishArgs(id, f)...)
	if err != nil {
		return fmt.Errorf("audit: finishing %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return whyNotFinished(ctx, s.db, entryOutcome, id)
}

const columns = `event_id, time_ns, actor, auth_method, source_ip, user_agent, action, api, region,
	eni_id, instance_id, bulk_id, params, outcome, error_code, error_msg, request_id, duration_ns`

// Query returns the entries q selects, newest first. A Before that names
// no entry (pruned, or never written) selects nothing.
func (s *SQLite) Query(ctx context.Context, q Query) (Page, error) {
	query, args, limit := selectEntries(q)
	return readPage(ctx, s.db, query, args, limit)
}

// scanEntry reads a row of columns.
func scanEntry(rows *sql.Rows) (Entry, error) {
	var e Entry
	var timeNS, durNS int64
	var params, outcome string
	if err := rows.Scan(&e.ID, &timeNS, &e.Actor, &e.AuthMethod, &e.SourceIP, &e.UserAgent, &e.Action, &e.API,
		&e.Region, &e.ENIID, &e.InstanceID, &e.Bulk, &params, &outcome, &e.ErrorCode, &e.ErrorMsg,
		&e.RequestID, &durNS); err != nil {
		return Entry{}, fmt.Errorf("audit: reading an entry: %w", err)
	}
	e.Time = time.Unix(0, timeNS).UTC()
	e.Outcome = Outcome(outcome)
	e.Duration = time.Duration(durNS)
	if err := json.Unmarshal([]byte(params), &e.Params); err != nil {
		return Entry{}, fmt.Errorf("audit: reading the params of %s: %w", e.ID, err)
	}
	if len(e.Params) == 0 {
		e.Params = nil
	}
	return e, nil
}

// Prune deletes the entries older than the retention at now, in batches,
// and returns how many went. It is the only delete there is.
func (s *SQLite) Prune(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.Add(-s.retention).UnixNano()
	var total int64
	for {
		n, err := s.pruneBatch(ctx, cutoff)
		total += n
		if err != nil {
			return total, fmt.Errorf("audit: pruning entries before %s: %w", time.Unix(0, cutoff).UTC().Format(time.RFC3339), err)
		}
		if n < pruneBatch {
			return total, nil
		}
	}
}

// sqlitePruneCutoff names, for the transaction it runs in, the time
// before which the append-only trigger lets rows be deleted.
const sqlitePruneCutoff = `INSERT OR REPLACE INTO audit_prune (id, before_ns) VALUES (1, ?)`

// pruneBatch deletes one batch in a transaction that tells the
// append-only trigger the cutoff, and takes it back before committing.
func (s *SQLite) pruneBatch(ctx context.Context, cutoff int64) (int64, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, sqlitePruneCutoff, cutoff); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, pruneEntries, cutoff, pruneBatch)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_prune`); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// RunRetention prunes every interval (6 hours when 0) until ctx ends. A
// failed prune is logged and tried again at the next tick.
func (s *SQLite) RunRetention(ctx context.Context, every time.Duration) {
	runRetention(ctx, every, s.Logger, s.retention, s.now, s.Prune)
}

// newID is 16 random bytes in hex.
func newID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b[:])
}

// clip shortens s to at most n bytes (plus an ellipsis) without
// splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// limitParams keeps the first maxParams parameters in key order, each
// clipped, and says how many more there were.
func limitParams(p map[string]string) map[string]string {
	keys := slices.Sorted(maps.Keys(p))
	out := make(map[string]string, min(len(keys), maxParams+1))
	for i, k := range keys {
		if i == maxParams {
			out["…"] = fmt.Sprintf("%d more parameters not recorded", len(keys)-maxParams)
			break
		}
		out[clip(k, maxField)] = clip(p[k], maxField)
	}
	return out
}
