package handlers

import (
	"context"
	"slices"
	"testing"

	"enidash/internal/audit"
)

// TestENIHistory checks the detail page's history is the ENI's latest
// entries only, newest first, at most eniHistorySize of them.
func TestENIHistory(t *testing.T) {
	ctx := context.Background()
	h := &Handler{Deps: Deps{Audit: audit.NewMemory()}}
	var want []string
	for i := range eniHistorySize + 5 {
		id, err := h.Audit.Begin(ctx, audit.Entry{Actor: "alice", Action: audit.ActionAttach, ENIID: "eni-bp1aaaa0001"})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, id)
		if i%3 == 0 {
			if _, err := h.Audit.Begin(ctx, audit.Entry{Actor: "alice", Action: audit.ActionAttach, ENIID: "eni-bp1bbbb0002"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	slices.Reverse(want)
	entries, err := h.eniHistory(ctx, "eni-bp1aaaa0001")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.ID)
	}
	if !slices.Equal(got, want[:eniHistorySize]) {
		t.Errorf("history %v, want %v", got, want[:eniHistorySize])
	}
	if entries, err := h.eniHistory(ctx, "eni-bp1none0000"); err != nil || len(entries) != 0 {
		t.Errorf("an ENI without entries: %v, %v", entries, err)
	}
}
