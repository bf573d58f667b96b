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
	// dirty lists the slots added, removed or changed in the order's key
	// since it was built: the next read moves just them. stale: too many
	// to move, or positions in the cloud's order changed; built again.
	dirty []int32
	stale bool
}

// orderCache keeps each order a query asked for and keeps it right as the
// snapshot changes, at the cost of the ENIs that changed.
type orderCache struct {
	mu    sync.Mutex
	built map[orderID]*builtOrder
}

func (c *orderCache) init() {
	c.built = map[orderID]*builtOrder{}
}

// invalidateAll marks every order to be built again.
func (c *orderCache) invalidateAll(uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, o := range c.built {
		o.stale, o.dirty = true, nil
	}
}

// touch notes that a slot gained or lost its ENI: every order moves it.
func (c *orderCache) touch(slot int32, _ uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, o := range c.built {
		o.markDirty(slot)
	}
}

func (o *builtOrder) markDirty(slot int32) {
	if o.stale {
		return
	}
	o.dirty = append(o.dirty, slot)
	if len(o.dirty) > 64+len(o.slots)/8 {
		o.stale, o.dirty = true, nil
	}
}

// invalidateChanged notes a slot whose ENI changes from a to b: the
// orders whose key differs between them move it.
func (c *orderCache) invalidateChanged(a, b *eni.ENI, slot int32, _ uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	differs := map[eni.SortKey]bool{
		eni.SortCreated:  !a.CreatedAt.Equal(b.CreatedAt),
		eni.SortName:     a.Name != b.Name,
		eni.SortStatus:   a.Status != b.Status,
		eni.SortType:     a.Type != b.Type,
		eni.SortInstance: a.InstanceID != b.InstanceID,
		eni.SortVSwitch:  a.VSwitchID != b.VSwitchID,
		eni.SortZone:     a.ZoneID != b.ZoneID,
		eni.SortIP:       a.PrimaryIP != b.PrimaryIP,
		eni.SortID:       a.ID != b.ID,
	}
	for id, o := range c.built {
		if differs[id.key] {
			o.markDirty(slot)
		}
	}
}

// get returns the order, built or brought up to date. The caller holds
// the store's read lock, so no change is applied meanwhile; an order
// handed out is never modified after.
func (c *orderCache) get(s *Store, id orderID) []int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.built[id]
	switch {
	case !ok || o.stale:
		o = &builtOrder{slots: buildOrder(s, id)}
		c.built[id] = o
	case len(o.dirty) > 0:
		o.slots = moveDirty(s, id, o.slots, o.dirty)
		o.dirty = nil
	}
	return o.slots
}

func buildOrder(s *Store, id orderID) []int32 {
	slots := make([]int32, 0, len(s.byID))
	for i, r := range s.recs {
		if r != nil {
			slots = append(slots, int32(i))
		}
	}
	less := compareRecs(id)
	slices.SortFunc(slots, func(a, b int32) int { return less(s.recs[a], s.recs[b]) })
	return slots
}

// moveDirty takes the dirty slots out of an order and puts those that
// hold an ENI back where they now belong, each found by binary search.
func moveDirty(s *Store, id orderID, order, dirty []int32) []int32 {
	slices.Sort(dirty)
	dirty = slices.Compact(dirty)
	mark := newBitset(len(s.recs))
	for _, d := range dirty {
		mark.set(d)
	}
	kept := make([]int32, 0, len(order))
	for _, slot := range order {
		if !mark.has(slot) {
			kept = append(kept, slot)
		}
	}
	cmpRec := compareRecs(id)
	ins := slices.DeleteFunc(dirty, func(d int32) bool { return int(d) >= len(s.recs) || s.recs[d] == nil })
	slices.SortFunc(ins, func(a, b int32) int { return cmpRec(s.recs[a], s.recs[b]) })
	out := make([]int32, 0, len(kept)+len(ins))
	prev := 0
	for _, d := range ins {
		r := s.recs[d]
		i, _ := slices.BinarySearchFunc(kept[prev:], r, func(k int32, r *rec) int { return cmpRec(s.recs[k], r) })
		out = append(append(out, kept[prev:prev+i]...), d)
		prev += i
	}
	return append(out, kept[prev:]...)
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
