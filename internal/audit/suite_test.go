package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"enidash/internal/database"
)

var t0 = time.Date(2025, 11, 20, 9, 30, 0, 123456789, time.UTC)

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

// openDB opens a fresh database file that is closed when the test ends.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := database.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newStore is a SQLite log on a fresh file, on a clock at t0.
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

func TestSQLiteRoundTrip(t *testing.T) {
	s, _ := newStore(t)
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

func TestSQLiteFinishRefusals(t *testing.T) {
	s, _ := newStore(t)
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

// TestSQLiteAppendOnly checks the table refuses changes that do not come
// through Finish, whoever writes to the database.
func TestSQLiteAppendOnly(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	pending := begin(t, s, Entry{Actor: "carol", Action: ActionAttach})
	done := begin(t, s, Entry{Actor: "carol", Action: ActionDetach})
	finish(t, s, done, Finish{Outcome: OutcomeOK})
	tests := []struct{ name, sql, id string }{
		{"rewrite the actor of a pending entry", `UPDATE audit_log SET actor = 'mallory' WHERE event_id = ?`, pending},
		{"rewrite the params of a pending entry", `UPDATE audit_log SET params = '{"forged":"1"}' WHERE event_id = ?`, pending},
		{"change a finished outcome", `UPDATE audit_log SET outcome = 'error' WHERE event_id = ?`, done},
		{"reopen a finished entry", `UPDATE audit_log SET outcome = 'pending' WHERE event_id = ?`, done},
		{"an outcome the log does not know", `UPDATE audit_log SET outcome = 'maybe' WHERE event_id = ?`, pending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.db.ExecContext(ctx, tt.sql, tt.id); err == nil {
				t.Error("the update was allowed")
			}
		})
	}
	for _, e := range query(t, s, Query{}).Entries {
		if e.Actor != "carol" {
			t.Errorf("entry %s was changed: %+v", e.ID, e)
		}
	}
}

func TestSQLiteFilters(t *testing.T) {
	s, c := newStore(t)
	type rec struct {
		actor, action, eni string
		outcome            Outcome
		at                 time.Duration // after t0
	}
	recs := []rec{
		{"alice", ActionCreate, "eni-bp1aaaa0001", OutcomeOK, 0},
		{"alice", ActionAttach, "eni-bp1aaaa0001", OutcomeError, time.Hour},
		{"bob", ActionAttach, "eni-bp1bbbb0002", OutcomeOK, 24 * time.Hour},
		{"bob", ActionDelete, "eni-bp1aaaa0001", OutcomePending, 48 * time.Hour},
		{"carol", ActionSignIn, "", OutcomeOK, 72 * time.Hour},
	}
	id := map[int]string{}
	for i, r := range recs {
		c.set(t0.Add(r.at))
		id[i] = begin(t, s, Entry{Actor: r.actor, Action: r.action, ENIID: r.eni})
		if r.outcome != OutcomePending {
			finish(t, s, id[i], Finish{Outcome: r.outcome})
		}
	}
	pick := func(is ...int) []string {
		out := make([]string, len(is))
		for j, i := range is {
			out[j] = id[i]
		}
		return out
	}
	tests := []struct {
		name string
		q    Query
		want []string // newest first
	}{
		{"everything", Query{}, pick(4, 3, 2, 1, 0)},
		{"actor", Query{Actor: "alice"}, pick(1, 0)},
		{"action", Query{Action: ActionAttach}, pick(2, 1)},
		{"eni", Query{ENIID: "eni-bp1aaaa0001"}, pick(3, 1, 0)},
		{"ok", Query{Outcome: OutcomeOK}, pick(4, 2, 0)},
		{"error", Query{Outcome: OutcomeError}, pick(1)},
		{"unknown outcome", Query{Outcome: OutcomePending}, pick(3)},
		{"from is inclusive", Query{From: t0.Add(24 * time.Hour)}, pick(4, 3, 2)},
		{"to is exclusive", Query{To: t0.Add(24 * time.Hour)}, pick(1, 0)},
		{"range", Query{From: t0.Add(time.Hour), To: t0.Add(48*time.Hour + 1)}, pick(3, 2, 1)},
		{"combined", Query{Actor: "bob", ENIID: "eni-bp1aaaa0001"}, pick(3)},
		{"nothing", Query{Actor: "nobody"}, nil},
		{"before", Query{Before: id[2]}, pick(1, 0)},
		{"before with a filter", Query{Before: id[3], ENIID: "eni-bp1aaaa0001"}, pick(1, 0)},
		{"before an unknown entry", Query{Before: "ffffffffffffffffffffffffffffffff"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := query(t, s, tt.q)
			if got := ids(p.Entries); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if p.Next != "" {
				t.Errorf("Next = %q on the only page", p.Next)
			}
		})
	}
}

// TestSQLitePaging walks every page, with entries written between pages,
// and checks each older entry comes exactly once, in order.
func TestSQLitePaging(t *testing.T) {
	s, c := newStore(t)
	var all []string
	for i := range 23 {
		c.set(t0.Add(time.Duration(i) * time.Second))
		all = append(all, begin(t, s, Entry{Actor: "alice", Action: ActionAttach}))
	}
	slices.Reverse(all)
	for _, limit := range []int{1, 5, 7, 23, 100} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			var got []string
			before := ""
			for pages := 0; ; pages++ {
				if pages > 30 {
					t.Fatal("paging does not end")
				}
				p := query(t, s, Query{Before: before, Limit: limit})
				if len(p.Entries) > limit {
					t.Fatalf("page of %d entries, limit %d", len(p.Entries), limit)
				}
				got = append(got, ids(p.Entries)...)
				// A newer entry must not shift the pages still to come.
				begin(t, s, Entry{Actor: "zed", Action: ActionDetach})
				if p.Next == "" {
					break
				}
				before = p.Next
			}
			if !slices.Equal(got, all) {
				t.Errorf("pages gave %d entries %v,\nwant %d %v", len(got), got, len(all), all)
			}
		})
		// Remove what the walk wrote, so the next limit starts from the same log.
		if _, err := s.db.Exec(`DELETE FROM audit_log WHERE actor = 'zed'`); err != nil {
			t.Fatal(err)
		}
	}
}
