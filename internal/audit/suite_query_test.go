package audit

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func testFilters(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
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
		s.clock.set(t0.Add(r.at))
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
	for _, q := range []Query{{Actor: "al\xffice"}, {Action: "eni.\x00"}, {ENIID: "\xc3"}, {Outcome: "\xff"}, {Before: "\x00\xff"}} {
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
