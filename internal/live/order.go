package live

import (
	"sort"

	"enidash/internal/eni"
)

// movedRows says which rows of a page now in order now must move for a
// page in order old to show it: those outside a longest run of rows kept
// in their old order. Rows new to the page or gone from it are not moves.
func movedRows(old, now []string) map[string]bool {
	pos := make(map[string]int, len(old))
	for i, id := range old {
		pos[id] = i
	}
	// kept are the rows in both, in their new order, with their old place.
	type row struct {
		id  string
		old int
	}
	kept := make([]row, 0, len(now))
	for _, id := range now {
		if p, ok := pos[id]; ok {
			kept = append(kept, row{id, p})
		}
	}
	// Patience sorting: tails[k] is the index in kept of the smallest last
	// old place of an increasing run of length k+1; prev links each row
	// to the row before it in its run.
	tails := make([]int, 0, len(kept))
	prev := make([]int, len(kept))
	for i, r := range kept {
		k := sort.Search(len(tails), func(k int) bool { return kept[tails[k]].old >= r.old })
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	if len(tails) == len(kept) {
		return nil
	}
	stay := make([]bool, len(kept))
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
			stay[i] = true
		}
	}
	moved := make(map[string]bool, len(kept)-len(tails))
	for i, r := range kept {
		if !stay[i] {
			moved[r.id] = true
		}
	}
	return moved
}

// sortKeyChanged reports whether an ENI changing from a to b may change
// its place in a view sorted by key.
func sortKeyChanged(key eni.SortKey, a, b *eni.ENI) bool {
	switch key {
	case eni.SortCreated:
		return !a.CreatedAt.Equal(b.CreatedAt)
	case eni.SortName:
		return a.Name != b.Name
	case eni.SortStatus:
		return a.Status != b.Status
	case eni.SortType:
		return a.Type != b.Type
	case eni.SortInstance:
		return a.InstanceID != b.InstanceID
	case eni.SortVSwitch:
		return a.VSwitchID != b.VSwitchID
	case eni.SortZone:
		return a.ZoneID != b.ZoneID
	case eni.SortIP:
		return a.PrimaryIP != b.PrimaryIP
	}
	return false // the cloud's order, or the ID, which never changes
}
