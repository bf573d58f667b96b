package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Store is a Log kept in a database, with its retention: SQLite for one
// replica, PostgreSQL for several. The application holds one of these.
type Store interface {
	Log
	// Prune deletes the entries past retention at now, the only delete
	// there is, and says how many went.
	Prune(ctx context.Context, now time.Time) (int64, error)
	// RunRetention prunes every interval until ctx ends.
	RunRetention(ctx context.Context, every time.Duration)
}

var (
	_ Store = (*SQLite)(nil)
	_ Store = (*Postgres)(nil)
)

// The statements both stores share, written with ? placeholders
// (rebind turns them into PostgreSQL's $1, $2 …).
const (
	insertEntry = `INSERT INTO audit_log (event_id, time_ns, actor, auth_method, source_ip,
		user_agent, action, api, region, eni_id, instance_id, bulk_id, params)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	finishEntry = `UPDATE audit_log SET outcome = ?, error_code = ?, error_msg = ?,
		request_id = ?, duration_ns = ?, eni_id = CASE WHEN ? <> '' THEN ? ELSE eni_id END
		WHERE event_id = ? AND outcome = 'pending'`
	entryOutcome = `SELECT outcome FROM audit_log WHERE event_id = ?`
	pruneEntries = `DELETE FROM audit_log WHERE seq IN
		(SELECT seq FROM audit_log WHERE time_ns < ? ORDER BY time_ns LIMIT ?)`
)

// insertArgs are insertEntry's arguments for e, already scrubbed, under
// the ID id, written at now.
func insertArgs(id string, now time.Time, e Entry, params []byte) []any {
	return []any{id, now.UnixNano(), clip(e.Actor, maxField), clip(e.AuthMethod, maxField), clip(e.SourceIP, maxField),
		clip(e.UserAgent, maxUserAgent), clip(e.Action, maxField), clip(e.API, maxField), clip(e.Region, maxField),
		clip(e.ENIID, maxField), clip(e.InstanceID, maxField), clip(e.Bulk, maxField), string(params)}
}

// finishArgs are finishEntry's arguments.
func finishArgs(id string, f Finish) []any {
	return []any{string(f.Outcome), clip(f.ErrorCode, maxField), clip(f.ErrorMsg, maxField), clip(f.RequestID, maxField),
		int64(f.Duration), f.ENIID, clip(f.ENIID, maxField), id}
}

// whyNotFinished explains a Finish that changed no row: the entry does
// not exist, or it has its outcome already.
func whyNotFinished(ctx context.Context, db *sql.DB, query, id string) error {
	var outcome string
	switch err := db.QueryRowContext(ctx, query, id).Scan(&outcome); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("audit: finishing %q: %w", id, ErrNoEntry)
	case err != nil:
		return fmt.Errorf("audit: finishing %s: %w", id, err)
	}
	return fmt.Errorf("audit: finishing %s (%s): %w", id, outcome, ErrAlreadyFinished)
}

// selectEntries is the statement and arguments that read what q selects,
// newest first, one more than the page holds (to tell whether another
// page follows). A Before that names no entry selects nothing.
func selectEntries(q Query) (string, []any, int) {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	for _, f := range []struct{ col, v string }{{"actor", q.Actor}, {"action", q.Action}, {"eni_id", q.ENIID}, {"bulk_id", q.Bulk}} {
		if f.v != "" {
			add(f.col+" = ?", f.v)
		}
	}
	if os := q.Outcomes(); len(os) > 0 {
		where = append(where, "outcome IN (?"+strings.Repeat(", ?", len(os)-1)+")")
		for _, o := range os {
			args = append(args, string(o))
		}
	}
	if !q.From.IsZero() {
		add("time_ns >= ?", q.From.UnixNano())
	}
	if !q.To.IsZero() {
		add("time_ns < ?", q.To.UnixNano())
	}
	if q.Before != "" {
		add("seq < (SELECT seq FROM audit_log WHERE event_id = ?)", q.Before)
	}
	query := `SELECT ` + columns + ` FROM audit_log`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, limit+1)
	return query, args, limit
}

// readPage runs a statement from selectEntries and cuts the page.
func readPage(ctx context.Context, db *sql.DB, query string, args []any, limit int) (Page, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return Page{}, fmt.Errorf("audit: query: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return Page{}, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("audit: query: %w", err)
	}
	if len(out) > limit {
		out = out[:limit]
		return Page{Entries: out, Next: out[limit-1].ID}, nil
	}
	return Page{Entries: out}, nil
}

// matchesNothing reports a query whose text no stored entry can equal:
// entries are stored as valid UTF-8 with their control characters made
// visible, and PostgreSQL refuses such text as a parameter rather than
// finding nothing.
func matchesNothing(q Query) bool {
	for _, s := range []string{q.Actor, q.Action, q.ENIID, q.Bulk, string(q.Outcome), q.Before} {
		if unstorable(s) {
			return true
		}
	}
	return false
}

// unstorable reports text PostgreSQL refuses: invalid UTF-8, or a NUL.
func unstorable(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsRune(s, 0)
}

// rebind numbers the ? placeholders of query for PostgreSQL. The
// statements here hold no ? in their literals.
func rebind(query string) string {
	var b strings.Builder
	n := 0
	for _, part := range strings.SplitAfter(query, "?") {
		if p, ok := strings.CutSuffix(part, "?"); ok {
			n++
			b.WriteString(p + "$" + strconv.Itoa(n))
			continue
		}
		b.WriteString(part)
	}
	return b.String()
}

// runRetention calls prune every interval (6 hours when 0) until ctx
// ends. A failed prune is logged and tried again at the next tick.
func runRetention(ctx context.Context, every time.Duration, log *slog.Logger, retention time.Duration,
	now func() time.Time, prune func(context.Context, time.Time) (int64, error)) {
	if every <= 0 {
		every = 6 * time.Hour
	}
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := prune(ctx, now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.WarnContext(ctx, "audit retention failed", "err", err)
		case n > 0:
			log.InfoContext(ctx, "audit entries past retention deleted", "count", n, "retention", retention.String())
		}
	}
}
