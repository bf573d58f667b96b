package inventory

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"enidash/internal/eni"
)

// orderID names a sorted list of every ENI: a sort key and direction, or
// the cloud's own order (key "").
type orderID struct {
	key  eni.SortKey
	desc bool
}

type builtOrder struct {
	slots []int32
	at    uint64 // store version it was built at
}

// orderCache keeps each order a query asked for until a change could
// alter it: adding or removing ENIs, or a change to the order's key.
type orderCache struct {
	mu      sync.Mutex
	built   map[orderID]*builtOrder
	changed map[eni.SortKey]uint64 // version of the last change of the key
	all     uint64                 // version of the last change of the set
}

func (c *orderCache) init() {
	c.built = map[orderID]*builtOrder{}
	c.changed = map[eni.SortKey]uint64{}
}

func (c *orderCache) invalidateAll(ver uint64) {
	c.mu.Lock()
	c.all = ver
	c.mu.Unlock()
}

// invalidateChanged marks the orders whose key differs between a and b.
func (c *orderCache) invalidateChanged(a, b *eni.ENI, ver uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	mark := func(k eni.SortKey, differs bool) {
		if differs {
			c.changed[k] = ver
		}
	}
	mark(eni.SortCreated, !a.CreatedAt.Equal(b.CreatedAt))
	mark(eni.SortName, a.Name != b.Name)
	mark(eni.SortStatus, a.Status != b.Status)
	mark(eni.SortType, a.Type != b.Type)
	mark(eni.SortInstance, a.InstanceID != b.InstanceID)
	mark(eni.SortVSwitch, a.VSwitchID != b.VSwitchID)
	mark(eni.SortZone, a.ZoneID != b.ZoneID)
	mark(eni.SortIP, a.PrimaryIP != b.PrimaryIP)
	mark(eni.SortID, a.ID != b.ID)
}

// get returns the order, building it if the cached one is stale. The
// caller holds the store's read lock.
func (c *orderCache) get(s *Store, id orderID) []int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if o, ok := c.built[id]; ok && o.at >= c.all && o.at >= c.changed[id.key] {
		return o.slots
	}
	slots := make([]int32, 0, len(s.byID))
	for i, r := range s.recs {
		if r != nil {
			slots = append(slots, int32(i))
		}
	}
	less := compareRecs(id)
	slices.SortFunc(slots, func(a, b int32) int { return less(s.recs[a], s.recs[b]) })
	c.built[id] = &builtOrder{slots: slots, at: s.version}
	return slots
}

// compareRecs orders by the key (reversed when descending), ties in the
// cloud's order.
func compareRecs(id orderID) func(a, b *rec) int {
	by := keyCompare(id.key)
	return func(a, b *rec) int {
		c := by(a, b)
		if id.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	}
}

func keyCompare(k eni.SortKey) func(a, b *rec) int {
	switch k {
	case eni.SortCreated:
		return func(a, b *rec) int { return a.e.CreatedAt.Compare(b.e.CreatedAt) }
	case eni.SortName:
		return func(a, b *rec) int { return compareFold(a.e.Name, b.e.Name) }
	case eni.SortStatus:
		return func(a, b *rec) int { return cmp.Compare(statusRank(a.e.Status), statusRank(b.e.Status)) }
	case eni.SortType:
		return func(a, b *rec) int { return strings.Compare(string(a.e.Type), string(b.e.Type)) }
	case eni.SortInstance:
		return func(a, b *rec) int { return strings.Compare(a.e.InstanceID, b.e.InstanceID) }
	case eni.SortVSwitch:
		return func(a, b *rec) int { return strings.Compare(a.e.VSwitchID, b.e.VSwitchID) }
	case eni.SortZone:
		return func(a, b *rec) int { return strings.Compare(a.e.ZoneID, b.e.ZoneID) }
	case eni.SortIP:
		return func(a, b *rec) int { return cmp.Compare(a.ip, b.ip) }
	case eni.SortID:
		return func(a, b *rec) int { return strings.Compare(a.e.ID, b.e.ID) }
	}
	return func(a, b *rec) int { return 0 }
}

// statusRank sorts statuses in lifecycle order; unknown ones last.
func statusRank(s eni.Status) int {
	if i := slices.Index(eni.Statuses, s); i >= 0 {
		return i
	}
	return len(eni.Statuses)
}

// compareFold compares case-insensitively, without allocating; equal
// folds fall back to the bytes so the order is total.
func compareFold(a, b string) int {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		ra, na := rune(a[i]), 1
		if ra >= utf8.RuneSelf {
			ra, na = utf8.DecodeRuneInString(a[i:])
		}
		rb, nb := rune(b[j]), 1
		if rb >= utf8.RuneSelf {
			rb, nb = utf8.DecodeRuneInString(b[j:])
		}
		if c := cmp.Compare(foldRune(ra), foldRune(rb)); c != 0 {
			return c
		}
		i, j = i+na, j+nb
	}
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func foldRune(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	if r >= utf8.RuneSelf {
		return unicode.ToLower(r)
	}
	return r
}
