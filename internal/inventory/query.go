package inventory

import (
	"slices"
	"time"

	"enidash/internal/eni"
)

// Result is one page of a view answered from the snapshot.
type Result struct {
	ENIs  []eni.ENI
	Total int // ENIs in the view, every page
	Page  int // 1-based, as asked
	Pages int // at least 1
	// Statuses counts the view's ENIs by status as if it had no status
	// filter, and Types by type as if it had no type filter, so each count
	// is what choosing that value would show.
	Statuses map[eni.Status]int
	Types    map[eni.Type]int
	Version  uint64
}

// PastEnd reports whether the page asked for is after the last one.
func (r Result) PastEnd() bool { return r.Page > r.Pages }

// Options are what a query needs beyond the view.
type Options struct {
	Now   time.Time     // older counts back from it
	Names InstanceNames // for q; nil: instance names are not searched
}

// scanShare: an index list longer than this share of the snapshot is not
// worth sorting; walking the cached order is cheaper.
const scanShare = 8

// Query answers one page of v, with its total and facets.
func (s *Store) Query(v eni.View, o Options) Result {
	size, page := v.PageSize(), v.PageNumber()
	lo := (page - 1) * size
	res := Result{Page: page, Statuses: map[eni.Status]int{}, Types: map[eni.Type]int{}}
	s.mu.RLock()
	defer s.mu.RUnlock()
	res.Version = s.version
	m := NewMatcher(v, o.Now, o.Names, s.defaultRG)
	m.prepareNames(s.insts)
	// Counted by position in eni.Statuses and eni.Types (unknown last):
	// cheaper than a map per ENI.
	var statuses [8]int
	var types [3]int
	s.walk(m, v, true, func(r *rec, inView bool) {
		if m.typeOK(&r.e) {
			statuses[min(statusRank(r.e.Status), len(statuses)-1)]++
		}
		if m.statusOK(&r.e) {
			types[typeRank(r.e.Type)]++
		}
		if inView {
			if res.Total >= lo && res.Total < lo+size {
				res.ENIs = append(res.ENIs, r.e)
			}
			res.Total++
		}
	})
	res.Pages = max(1, (res.Total+size-1)/size)
	for i, st := range eni.Statuses {
		if statuses[i] > 0 {
			res.Statuses[st] = statuses[i]
		}
	}
	for i, ty := range eni.Types {
		if types[i] > 0 {
			res.Types[ty] = types[i]
		}
	}
	return res
}

func typeRank(t eni.Type) int {
	switch t {
	case eni.TypePrimary:
		return 0
	case eni.TypeSecondary:
		return 1
	}
	return 2
}

// Select returns every ENI of v in the view's order, all pages (exports,
// select-all). Page and size are ignored.
func (s *Store) Select(v eni.View, o Options) []eni.ENI {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := NewMatcher(v, o.Now, o.Names, s.defaultRG)
	m.prepareNames(s.insts)
	var out []eni.ENI
	s.walk(m, v, false, func(r *rec, inView bool) {
		if inView {
			out = append(out, r.e)
		}
	})
	return out
}

// walk calls fn, in the view's order, for every ENI that passes m's base
// conditions (all but status and type), saying whether it is in the view.
// Without facets only ENIs in the view are visited. The caller holds the
// read lock.
func (s *Store) walk(m *Matcher, v eni.View, facets bool, fn func(r *rec, inView bool)) {
	visit := func(r *rec) {
		if !m.base(&r.e, r.hay) {
			return
		}
		in := m.statusOK(&r.e) && m.typeOK(&r.e)
		if in || facets {
			fn(r, in)
		}
	}
	id := orderID{key: v.Sort, desc: v.Desc}
	cands, indexed := s.candidates(m, facets)
	if !indexed || len(cands)*scanShare > len(s.byID) {
		for _, slot := range s.orders.get(s, id) {
			visit(s.recs[slot])
		}
		return
	}
	recs := make([]*rec, 0, len(cands))
	for _, slot := range cands {
		r := s.recs[slot]
		if m.base(&r.e, r.hay) {
			recs = append(recs, r)
		}
	}
	slices.SortFunc(recs, compareRecs(id))
	for _, r := range recs {
		in := m.statusOK(&r.e) && m.typeOK(&r.e)
		if in || facets {
			fn(r, in)
		}
	}
}
