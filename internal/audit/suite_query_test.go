package audit

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func testFilters(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	type rec struct {
		actor, action, eni, bulk string
		outcome                  Outcome
		at                       time.Duration // after t0
	}
	const bulk1, bulk2 = "bulk-00000000000000a1", "bulk-00000000000000b2"
	recs := []rec{
		{"alice", ActionCreate, "eni-bp1aaaa0001", "", OutcomeOK, 0},
		{"alice", ActionDetach, "eni-bp1aaaa0001", bulk1, OutcomeError, time.Hour},
		{"bob", ActionAttach, "eni-bp1bbbb0002", "", OutcomeOK, 24 * time.Hour},
		{"bob", ActionDelete, "eni-bp1aaaa0001", bulk2, OutcomePending, 48 * time.Hour},
		{"carol", ActionSignIn, "", "", OutcomeOK, 72 * time.Hour},
		{"alice", ActionDetach, "eni-bp1cccc0003", bulk1, OutcomeOK, 96 * time.Hour},
	}
	id := map[int]string{}
	for i, r := range recs {
		s.clock.set(t0.Add(r.at))
		id[i] = begin(t, s, Entry{Actor: r.actor, Action: r.action, ENIID: r.eni, Bulk: r.bulk})
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
		{"everything", Query{}, pick(5, 4, 3, 2, 1, 0)},
		{"actor", Query{Actor: "alice"}, pick(5, 1, 0)},
		{"action", Query{Action: ActionDetach}, pick(5, 1)},
		{"eni", Query{ENIID: "eni-bp1aaaa0001"}, pick(3, 1, 0)},
		{"bulk", Query{Bulk: bulk1}, pick(5, 1)},
		{"another bulk", Query{Bulk: bulk2}, pick(3)},
		{"a bulk with no entries", Query{Bulk: "bulk-00000000000000c3"}, nil},
		{"ok", Query{Outcome: OutcomeOK}, pick(5, 4, 2, 0)},
		{"error", Query{Outcome: OutcomeError}, pick(1)},
		{"unknown outcome", Query{Outcome: OutcomePending}, pick(3)},
		{"from is inclusive", Query{From: t0.Add(24 * time.Hour)}, pick(5, 4, 3, 2)},
		{"to is exclusive", Query{To: t0.Add(24 * time.Hour)}, pick(1, 0)},
		{"range", Query{From: t0.Add(time.Hour), To: t0.Add(48*time.Hour + 1)}, pick(3, 2, 1)},
		{"combined", Query{Actor: "bob", ENIID: "eni-bp1aaaa0001"}, pick(3)},
		{"bulk combined", Query{Bulk: bulk1, Outcome: OutcomeOK}, pick(5)},
		{"bulk of another actor", Query{Bulk: bulk1, Actor: "bob"}, nil},
		{"nothing", Query{Actor: "nobody"}, nil},
		{"before", Query{Before: id[2]}, pick(1, 0)},
		{"before with a filter", Query{Before: id[3], ENIID: "eni-bp1aaaa0001"}, pick(1, 0)},
		{"before with a bulk", Query{Before: id[5], Bulk: bulk1}, pick(1)},
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

// testPaging walks every page, with entries written between pages, and
// checks each older entry comes exactly once, in order.
func testPaging(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	for _, limit := range []int{1, 5, 7, 23, 100} {
		// Each walk has its own actor, so the entries written by the
		// walks before it (which retention alone could remove) do not count.
		actor := fmt.Sprint("alice", limit)
		var all []string
		for i := range 23 {
			s.clock.set(t0.Add(time.Duration(i) * time.Second))
			all = append(all, begin(t, s, Entry{Actor: actor, Action: ActionAttach}))
		}
		slices.Reverse(all)
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			var got []string
			before := ""
			for pages := 0; ; pages++ {
				if pages > 30 {
					t.Fatal("paging does not end")
				}
				p := query(t, s, Query{Actor: actor, Before: before, Limit: limit})
				if len(p.Entries) > limit {
					t.Fatalf("page of %d entries, limit %d", len(p.Entries), limit)
				}
				got = append(got, ids(p.Entries)...)
				// A newer entry must not shift the pages still to come.
				begin(t, s, Entry{Actor: actor, Action: ActionDetach})
				if p.Next == "" {
					break
				}
				before = p.Next
			}
			if !slices.Equal(got, all) {
				t.Errorf("pages gave %d entries %v,\nwant %d %v", len(got), got, len(all), all)
			}
		})
	}
}

// testSameTimestamps pages through entries written within one clock
// tick: the order is the order they were written, every page the same
// each time it is read.
func testSameTimestamps(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	var all []string
	for range 30 {
		all = append(all, begin(t, s, Entry{Actor: "alice", Action: ActionTag}))
	}
	slices.Reverse(all)
	for range 2 {
		var got []string
		for before := ""; ; {
			p := query(t, s, Query{Before: before, Limit: 4})
			got = append(got, ids(p.Entries)...)
			if before = p.Next; before == "" {
				break
			}
		}
		if !slices.Equal(got, all) {
			t.Fatalf("entries of one instant read as %v,\nwant the order written (newest first) %v", got, all)
		}
	}
}

// testUnmatchableFilters asks with text no entry can hold (invalid UTF-8,
// a NUL): nothing matches, and it is no error.
func testUnmatchableFilters(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	begin(t, s, Entry{Actor: "alice", Action: ActionAttach, ENIID: "eni-bp1aaaa0001"})
	for _, q := range []Query{{Actor: "al\xffice"}, {Action: "eni.\x00"}, {ENIID: "\xc3"}, {Outcome: "\xff"}, {Bulk: "bulk-\x00"}, {Before: "\x00\xff"}} {
		if p := query(t, s, q); len(p.Entries) != 0 {
			t.Errorf("%#v selects %d entries", q, len(p.Entries))
		}
	}
}

// testUnknownOutcomeStore adds to the Log's test of unknown outcomes
// that the database keeps one from being rewritten.
func testUnknownOutcomeStore(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	id := begin(t, s, Entry{Actor: "dana", Action: ActionAttach})
	finish(t, s, id, Finish{Outcome: OutcomeUnknown, ErrorCode: "Timeout"})
	if err := s.exec(`UPDATE audit_log SET outcome = 'ok' WHERE outcome = 'unknown'`); err == nil {
		t.Error("the table let an unknown outcome be rewritten")
	}
	if e := query(t, s, Query{}).Entries[0]; e.Outcome != OutcomeUnknown {
		t.Errorf("read back %+v", e)
	}
}

// testBulkIndexed checks the bulk filter has its index, so following a
// bulk's items does not read the whole log: SQLite's plan for the page's
// query uses it; PostgreSQL has it from its migration (its planner picks
// a scan on a table this small, so the plan proves nothing there).
func testBulkIndexed(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	switch s.Store.(type) {
	case *SQLite:
		query, args, _ := selectEntries(Query{Bulk: "bulk-00000000000000a1"})
		rows, err := s.db.Query(`EXPLAIN QUERY PLAN `+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		if got := strings.Join(plan, "; "); !strings.Contains(got, "INDEX audit_log_bulk") {
			t.Errorf("the bulk filter's plan does not use audit_log_bulk: %s", got)
		}
	case *Postgres:
		var def string
		err := s.db.QueryRow(`SELECT indexdef FROM pg_indexes WHERE tablename = 'audit_log' AND indexname = 'audit_log_bulk'`).Scan(&def)
		if err != nil || !strings.Contains(def, "(bulk_id, seq)") {
			t.Errorf("audit_log_bulk: %q, %v; want an index on (bulk_id, seq)", def, err)
		}
	}
}
