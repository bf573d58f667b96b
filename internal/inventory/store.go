package inventory

import (
	"slices"
	"sync"
	"time"

	"enidash/internal/eni"
)

// Store is one region's snapshot: every ENI with its indexes. Cloud
// answers are applied to it as diffs; each observation carries the time
// its call started, so an older answer never overwrites a newer one.
// Queries read it concurrently.
type Store struct {
	region string

	mu      sync.RWMutex
	recs    []*rec // by slot; nil when free
	free    []int32
	byID    map[string]int32
	ix      index
	col     columns
	dict    dict // codes of the columns' values
	txt     text
	insts   map[string]int // ENIs by instance ID, for name look-ups
	intern  interner
	version uint64
	nextPos uint64
	// defaultRG is the account's default resource group, whose ENIs the
	// cloud's rg filter always lists too ("" when not known).
	defaultRG string

	orders orderCache
}

// NewStore returns an empty snapshot of region.
func NewStore(region string) *Store {
	s := &Store{region: region, byID: map[string]int32{}, ix: index{}, insts: map[string]int{}, intern: interner{}}
	s.orders.init()
	return s
}

// Len is the number of ENIs in the snapshot.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byID)
}

// Version increases with every change applied.
func (s *Store) Version() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// SetDefaultResourceGroup tells the store which resource group the
// cloud's rg filter always includes.
func (s *Store) SetDefaultResourceGroup(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultRG = id
}

// Get returns one ENI of the snapshot.
func (s *Store) Get(id string) (eni.ENI, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if slot, ok := s.byID[id]; ok {
		return s.recs[slot].e, true
	}
	return eni.ENI{}, false
}

// Upsert applies ENIs the cloud answered in a call started at asOf: new
// ones are added after the others in the cloud's order, changed ones
// updated. The store owns the ENIs from then on.
func (s *Store) Upsert(enis []eni.ENI, asOf time.Time) ChangeSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := ChangeSet{Region: s.region, AsOf: asOf}
	for i := range enis {
		s.upsertLocked(&cs, enis[i], asOf)
	}
	cs.Version = s.version
	return cs
}

// Remove forgets the ENIs with these IDs that were last seen before asOf:
// a call started at asOf found them gone.
func (s *Store) Remove(ids []string, asOf time.Time) ChangeSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := ChangeSet{Region: s.region, AsOf: asOf}
	for _, id := range ids {
		if slot, ok := s.byID[id]; ok && s.recs[slot].seen.Before(asOf) {
			s.removeLocked(&cs, slot)
		}
	}
	cs.Version = s.version
	return cs
}

// ApplyByID applies the answer to a poll of ids by ID started at asOf:
// the ENIs found are upserted, the IDs not found are gone.
func (s *Store) ApplyByID(ids []string, got []eni.ENI, asOf time.Time) ChangeSet {
	found := make(map[string]bool, len(got))
	for _, e := range got {
		found[e.ID] = true
	}
	cs := s.Upsert(got, asOf)
	var gone []string
	for _, id := range ids {
		if !found[id] {
			gone = append(gone, id)
		}
	}
	rm := s.Remove(gone, asOf)
	cs.Removed, cs.Version = rm.Removed, rm.Version
	return cs
}

// FinishListing ends a full listing started at asOf that listed ids in
// this order: the cloud's order becomes the listing's, and ENIs it did not
// list (and no later call saw) are gone.
func (s *Store) FinishListing(ids []string, asOf time.Time) ChangeSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := ChangeSet{Region: s.region, AsOf: asOf}
	listed := make(map[string]bool, len(ids))
	for _, id := range ids {
		listed[id] = true
	}
	for id, slot := range s.byID {
		if !listed[id] && s.recs[slot].seen.Before(asOf) {
			s.removeLocked(&cs, slot)
		}
	}
	// ENIs listed keep the listing's order; ENIs found since by other
	// calls follow them in the order they were found.
	var later []*rec
	for _, r := range s.recs {
		if r != nil && !listed[r.e.ID] {
			later = append(later, r)
		}
	}
	slices.SortFunc(later, func(a, b *rec) int { return cmpU64(a.pos, b.pos) })
	moved := false
	pos := uint64(0)
	for _, id := range ids {
		if slot, ok := s.byID[id]; ok {
			moved = moved || s.recs[slot].pos != pos
			s.recs[slot].pos = pos
			pos++
		}
	}
	for _, r := range later {
		moved = moved || r.pos != pos
		r.pos = pos
		pos++
	}
	s.nextPos = pos
	if moved {
		s.orders.invalidateAll(s.version + 1)
		s.version++
		cs.reordered = true
	}
	cs.Version = s.version
	return cs
}

func (s *Store) upsertLocked(cs *ChangeSet, e eni.ENI, asOf time.Time) {
	if e.ID == "" {
		return
	}
	if e.RegionID == "" {
		e.RegionID = s.region
	}
	s.intern.own(&e)
	slot, ok := s.byID[e.ID]
	if !ok {
		r := newRec(e, asOf)
		r.pos = s.nextPos
		s.nextPos++
		s.version++
		r.ver = s.version
		if n := len(s.free); n > 0 {
			slot = s.free[n-1]
			s.free = s.free[:n-1]
			s.recs[slot] = r
		} else {
			slot = int32(len(s.recs))
			s.recs = append(s.recs, r)
		}
		s.byID[e.ID] = slot
		s.index(r, slot)
		s.orders.touch(slot, s.version)
		cs.Added = append(cs.Added, Change{ENI: r.e, Version: r.ver})
		return
	}
	r := s.recs[slot]
	if asOf.Before(r.seen) {
		return // a newer answer is applied already
	}
	r.seen = asOf
	if r.e.Equal(&e) {
		return
	}
	s.version++
	prev := r.e
	s.orders.invalidateChanged(&r.e, &e, slot, s.version)
	s.reindex(r, slot, e)
	r.ver = s.version
	cs.Changed = append(cs.Changed, Change{ENI: r.e, Version: r.ver, Prev: &prev})
}

func (s *Store) removeLocked(cs *ChangeSet, slot int32) {
	r := s.recs[slot]
	s.unindex(r, slot)
	s.txt.clear(slot)
	delete(s.byID, r.e.ID)
	s.recs[slot] = nil
	s.free = append(s.free, slot)
	s.version++
	s.orders.touch(slot, s.version)
	cs.Removed = append(cs.Removed, Change{ENI: r.e, Version: s.version})
}

func (s *Store) index(r *rec, slot int32) {
	s.ix.add(keysOf(&r.e), slot)
	s.col.set(slot, &r.e, &s.dict)
	s.txt.set(slot, haystack(&r.e))
	if id := r.e.InstanceID; id != "" {
		s.insts[id]++
	}
}

func (s *Store) unindex(r *rec, slot int32) {
	s.ix.remove(keysOf(&r.e), slot)
	s.uncountInstance(r.e.InstanceID)
}

func (s *Store) uncountInstance(id string) {
	if id != "" {
		if s.insts[id]--; s.insts[id] <= 0 {
			delete(s.insts, id)
		}
	}
}

// reindex replaces r's ENI with e, touching only the index entries that
// differ: most changes are of status, which no index holds.
func (s *Store) reindex(r *rec, slot int32, e eni.ENI) {
	gone, added := diffKeys(keysOf(&r.e), keysOf(&e))
	s.ix.remove(gone, slot)
	s.ix.add(added, slot)
	s.uncountInstance(r.e.InstanceID)
	if id := e.InstanceID; id != "" {
		s.insts[id]++
	}
	r.e = e
	r.derive()
	s.col.set(slot, &r.e, &s.dict)
	s.txt.set(slot, haystack(&r.e))
}

// live reports whether a slot holds an ENI.
func (s *Store) live(slot int32) bool { return s.recs[slot] != nil }

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
