package audit

import (
	"slices"
	"testing"
)

// Memory answers the bulk filter as the stores do: a bulk's items, alone
// or with the other filters.
func TestMemoryBulkFilter(t *testing.T) {
	m := NewMemory()
	const bulk = "bulk-00000000000000a1"
	a := begin(t, m, Entry{Actor: "alice", Action: ActionDelete, ENIID: "eni-bp1aaaa0001", Bulk: bulk})
	begin(t, m, Entry{Actor: "alice", Action: ActionDelete, ENIID: "eni-bp1bbbb0002"})
	c := begin(t, m, Entry{Actor: "alice", Action: ActionDelete, ENIID: "eni-bp1cccc0003", Bulk: bulk})
	begin(t, m, Entry{Actor: "bob", Action: ActionDelete, Bulk: "bulk-00000000000000b2"})
	finish(t, m, c, Finish{Outcome: OutcomeOK})
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"bulk", Query{Bulk: bulk}, []string{c, a}},
		{"bulk and outcome", Query{Bulk: bulk, Outcome: OutcomePending}, []string{a}},
		{"bulk of another actor", Query{Bulk: bulk, Actor: "bob"}, nil},
		{"unknown bulk", Query{Bulk: "bulk-00000000000000c3"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(query(t, m, tt.q).Entries); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
