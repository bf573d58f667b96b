package audit

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"enidash/internal/database"
)

// The store suite: every promise of the audit log, checked the same way
// on each Store (TestStoreSQLite, TestStorePostgres). Tests that only
// hold for one kind of database (an old SQLite file's upgrade, a
// replaced file) stay beside that store.

var t0 = time.Date(2025, 11, 20, 9, 30, 0, 123456789, time.UTC)

// backend is one kind of store for the suite.
type backend struct {
	// fresh creates an empty database and returns how to connect to it;
	// each connection is a new pool, closed when the test ends (a second
	// connection is a restarted program, or another replica).
	fresh func(t *testing.T) (connect func(t *testing.T) *sql.DB)
	open  func(ctx context.Context, db *sql.DB, retention time.Duration) (Store, error)
	// sql writes a statement with ? placeholders in the database's own.
	sql func(string) string
	// pruneCutoff is the store's statement that lets its transaction
	// delete the rows older than its one argument (nanoseconds).
	pruneCutoff string
}

// fixture is a store under test, on a clock at t0.
type fixture struct {
	Store
	b       backend
	db      *sql.DB
	clock   *clock
	connect func(t *testing.T) *sql.DB
}

// newFixture opens a store with the retention (DefaultRetention when 0)
// on a fresh database.
func (b backend) newFixture(t *testing.T, retention time.Duration) *fixture {
	t.Helper()
	connect := b.fresh(t)
	f := &fixture{b: b, connect: connect, db: connect(t), clock: &clock{t: t0}}
	f.Store = f.reopen(t, f.db, retention)
	return f
}

// reopen opens another store on db, on the fixture's clock.
func (f *fixture) reopen(t *testing.T, db *sql.DB, retention time.Duration) Store {
	t.Helper()
	s, err := f.b.open(context.Background(), db, retention)
	if err != nil {
		t.Fatal(err)
	}
	setNow(s, f.clock.now)
	return s
}

// exec runs raw SQL on the store's database, as any other writer could.
func (f *fixture) exec(query string, args ...any) error {
	_, err := f.db.Exec(f.b.sql(query), args...)
	return err
}

func setNow(s Store, now func() time.Time) {
	switch s := s.(type) {
	case *SQLite:
		s.now = now
	case *Postgres:
		s.now = now
	default:
		panic("setNow: unknown store")
	}
}

func setWritable(s Store, writable func() error) {
	switch s := s.(type) {
	case *SQLite:
		s.Writable = writable
	case *Postgres:
		s.Writable = writable
	default:
		panic("setWritable: unknown store")
	}
}

// runStoreSuite runs every test of the suite against b's stores.
func runStoreSuite(t *testing.T, b backend) {
	tests := []struct {
		name string
		run  func(t *testing.T, b backend)
	}{
		{"round trip", testRoundTrip},
		{"finish refusals", testFinishRefusals},
		{"append-only", testAppendOnly},
		{"deletes only below the cutoff", testDeleteBelowCutoff},
		{"unknown outcome kept", testUnknownOutcomeStore},
		{"filters", testFilters},
		{"bulk filter indexed", testBulkIndexed},
		{"paging", testPaging},
		{"same timestamps", testSameTimestamps},
		{"unmatchable filters", testUnmatchableFilters},
		{"pending survives a restart", testPendingSurvivesRestart},
		{"retention", testRetention},
		{"retention runs", testRunRetention},
		{"field sizes", testFieldSizes},
		{"concurrent", testConcurrent},
		{"finish race", testFinishRace},
		{"writable", testWritable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, b) })
	}
	// The promises any Log keeps, Memory included.
	runLogSuite(t, func(t *testing.T) Log { return b.newFixture(t, 0) })
}

func TestStoreSQLite(t *testing.T) {
	runStoreSuite(t, backend{
		fresh: func(t *testing.T) func(t *testing.T) *sql.DB {
			path := filepath.Join(t.TempDir(), "audit.db")
			return func(t *testing.T) *sql.DB { return openDB(t, path) }
		},
		open: func(ctx context.Context, db *sql.DB, retention time.Duration) (Store, error) {
			return NewSQLite(ctx, db, retention)
		},
		sql:         func(s string) string { return s },
		pruneCutoff: sqlitePruneCutoff,
	})
}

// clock is a settable time source for the store under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// openDB opens the SQLite database file at path, closed when the test ends.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := database.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newStore is a SQLite log on a fresh file, on a clock at t0, for the
// tests of SQLite alone.
func newStore(t *testing.T) (*SQLite, *clock) {
	t.Helper()
	s, err := NewSQLite(context.Background(), openDB(t, filepath.Join(t.TempDir(), "audit.db")), 0)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: t0}
	s.now = c.now
	return s, c
}

func begin(t *testing.T, l Log, e Entry) string {
	t.Helper()
	id, err := l.Begin(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func finish(t *testing.T, l Log, id string, f Finish) {
	t.Helper()
	if err := l.Finish(context.Background(), id, f); err != nil {
		t.Fatal(err)
	}
}

func query(t *testing.T, l Log, q Query) Page {
	t.Helper()
	p, err := l.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ids(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// equalEntry compares entries field by field: times by instant, params
// by content.
func equalEntry(a, b Entry) bool {
	return a.Time.Equal(b.Time) && maps.Equal(a.Params, b.Params) &&
		reflect.DeepEqual(withoutTimeParams(a), withoutTimeParams(b))
}

func withoutTimeParams(e Entry) Entry {
	e.Time, e.Params = time.Time{}, nil
	return e
}

func testRoundTrip(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	in := Entry{
		ID: "ignored", Time: time.Unix(1, 0), Outcome: OutcomeOK, // Begin sets these itself
		Actor: "alice", AuthMethod: "password", SourceIP: "192.0.2.7", UserAgent: "Mozilla/5.0 (X11)",
		Action: ActionCreate, API: "CreateNetworkInterface", Region: "cn-hangzhou",
		InstanceID: "i-bp1inst0001", Bulk: "bulk-42",
		Params: map[string]string{"VSwitchId": "vsw-bp1vsw0001", "Name": "web-01", "ClientToken": "c-123"},
	}
	id := begin(t, s, in)
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Errorf("ID %q is not 16 random bytes in hex", id)
	}

	p := query(t, s, Query{})
	want := in
	want.ID, want.Time, want.Outcome = id, t0, OutcomePending
	if len(p.Entries) != 1 || !equalEntry(p.Entries[0], want) {
		t.Fatalf("pending entry:\n got %+v\nwant %+v", p.Entries, want)
	}

	f := Finish{Outcome: OutcomeError, ENIID: "eni-bp1new0001", ErrorCode: "InvalidVSwitchId.IpNotEnough",
		ErrorMsg: "The vSwitch has no free IP.", RequestID: "4C3B1A2D-0000-1111-2222-333344445555", Duration: 1234567 * time.Microsecond}
	finish(t, s, id, f)
	want.Outcome, want.ENIID, want.ErrorCode, want.ErrorMsg, want.RequestID, want.Duration =
		f.Outcome, f.ENIID, f.ErrorCode, f.ErrorMsg, f.RequestID, f.Duration
	p = query(t, s, Query{})
	if len(p.Entries) != 1 || !equalEntry(p.Entries[0], want) {
		t.Fatalf("finished entry:\n got %+v\nwant %+v", p.Entries, want)
	}
	if p.Entries[0].Time.Location() != time.UTC {
		t.Errorf("time %v is not UTC", p.Entries[0].Time)
	}
}

func testFinishRefusals(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	ctx := context.Background()
	id := begin(t, s, Entry{Actor: "bob", Action: ActionDelete, ENIID: "eni-bp1aaaa1111"})
	finish(t, s, id, Finish{Outcome: OutcomeOK, RequestID: "first"})

	tests := []struct {
		name string
		id   string
		f    Finish
		want error
	}{
		{"twice", id, Finish{Outcome: OutcomeError, RequestID: "second"}, ErrAlreadyFinished},
		{"unknown entry", "00000000000000000000000000000000", Finish{Outcome: OutcomeOK}, ErrNoEntry},
		{"an ID no entry can have", "\xff\x00", Finish{Outcome: OutcomeOK}, ErrNoEntry},
		{"pending is no outcome", id, Finish{Outcome: OutcomePending}, ErrNotFinishOutcome},
		{"empty outcome", id, Finish{}, ErrNotFinishOutcome},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Finish(ctx, tt.id, tt.f); !errors.Is(err, tt.want) {
				t.Errorf("Finish = %v, want %v", err, tt.want)
			}
		})
	}
	got := query(t, s, Query{}).Entries[0]
	if got.Outcome != OutcomeOK || got.RequestID != "first" {
		t.Errorf("the first outcome was changed: %+v", got)
	}
}

// testAppendOnly checks the database itself refuses changes that do not
// come through Finish or retention, whoever writes to it.
func testAppendOnly(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	pending := begin(t, s, Entry{Actor: "carol", Action: ActionAttach})
	done := begin(t, s, Entry{Actor: "carol", Action: ActionDetach})
	finish(t, s, done, Finish{Outcome: OutcomeOK})
	tests := []struct{ name, sql, id string }{
		{"rewrite the actor of a pending entry", `UPDATE audit_log SET actor = 'mallory' WHERE event_id = ?`, pending},
		{"rewrite the params of a pending entry", `UPDATE audit_log SET params = '{"forged":"1"}' WHERE event_id = ?`, pending},
		{"move a pending entry in time", `UPDATE audit_log SET time_ns = 0 WHERE event_id = ?`, pending},
		{"change a finished outcome", `UPDATE audit_log SET outcome = 'error' WHERE event_id = ?`, done},
		{"reopen a finished entry", `UPDATE audit_log SET outcome = 'pending' WHERE event_id = ?`, done},
		{"rewrite a finished entry's request", `UPDATE audit_log SET request_id = 'forged' WHERE event_id = ?`, done},
		{"an outcome the log does not know", `UPDATE audit_log SET outcome = 'maybe' WHERE event_id = ?`, pending},
		{"delete a finished entry", `DELETE FROM audit_log WHERE event_id = ?`, done},
		{"delete a pending entry", `DELETE FROM audit_log WHERE event_id = ?`, pending},
		{"delete everything", `DELETE FROM audit_log WHERE event_id <> ?`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.exec(tt.sql, tt.id); err == nil {
				t.Error("the change was allowed")
			}
		})
	}
	got := query(t, s, Query{}).Entries
	if len(got) != 2 {
		t.Fatalf("%d entries left, want both", len(got))
	}
	for _, e := range got {
		if e.Actor != "carol" || e.Time != t0 || e.RequestID != "" || (e.ID == done) != (e.Outcome == OutcomeOK) {
			t.Errorf("entry %s was changed: %+v", e.ID, e)
		}
	}
	// Finish is still the way to write an outcome.
	finish(t, s, pending, Finish{Outcome: OutcomeError, ErrorCode: "Forbidden"})
}

// testDeleteBelowCutoff: a transaction that names a retention cutoff may
// delete the entries older than it, and no other.
func testDeleteBelowCutoff(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	s.clock.set(t0.Add(-time.Hour))
	old := begin(t, s, Entry{Actor: "ann", Action: ActionAttach})
	s.clock.set(t0)
	recent := begin(t, s, Entry{Actor: "ann", Action: ActionAttach})
	tx, err := s.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(b.pruneCutoff, t0.UnixNano()); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(b.sql(`DELETE FROM audit_log WHERE event_id = ?`), old); err != nil {
		t.Errorf("deleting an entry below the cutoff: %v", err)
	}
	if _, err := tx.Exec(b.sql(`DELETE FROM audit_log WHERE event_id = ?`), recent); err == nil {
		t.Error("an entry at the cutoff was deleted")
	}
}
