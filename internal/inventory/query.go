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

// Query answers one page of v, with its total and facets.
func (s *Store) Query(v eni.View, o Options) Result {
	size, page := v.PageSize(), v.PageNumber()
	lo := (page - 1) * size
	res := Result{Page: page, Statuses: map[eni.Status]int{}, Types: map[eni.Type]int{}}
	s.mu.RLock()
	defer s.mu.RUnlock()
	res.Version = s.version
	sel := s.evaluate(v, o, true)
	res.Total = sel.total
	res.Pages = max(1, (res.Total+size-1)/size)
	res.ENIs = s.page(v, sel, lo, size)
	for i, st := range eni.Statuses {
		if n := sel.statuses[i]; n > 0 {
			res.Statuses[st] = n
		}
	}
	for i, ty := range eni.Types {
		if n := sel.types[i]; n > 0 {
			res.Types[ty] = n
		}
	}
	return res
}

func typeRank(t eni.Type) int {
	if i := slices.Index(eni.Types, t); i >= 0 {
		return i
	}
	return len(eni.Types)
}

// Select returns every ENI of v in the view's order, all pages (exports,
// select-all). Page and size are ignored.
func (s *Store) Select(v eni.View, o Options) []eni.ENI {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sel := s.evaluate(v, o, false)
	return s.page(v, sel, 0, sel.total)
}

// selection is the ENIs of a view, unordered, with the facets' counts.
type selection struct {
	in    bitset  // the view's ENIs; nil when few (then list has them)
	list  []int32 // the view's ENIs, while there are few
	total int
	// Counted by position in eni.Statuses and eni.Types, unknown last.
	statuses [8]int
	types    [3]int
}

// fewSlots: up to this many ENIs a view is sorted on its own; past it,
// the cached order of the whole snapshot is walked and filtered.
func fewSlots(n int) int { return max(64, n/100) }

// evaluate finds the ENIs of v. With an index condition only the ENIs
// that every list holds are looked at; otherwise every slot's columns.
// The caller holds the read lock.
func (s *Store) evaluate(v eni.View, o Options, facets bool) selection {
	m := NewMatcher(v, o.Now, o.Names, s.defaultRG)
	m.prepareNames(s.insts)
	p := s.compile(m)
	var sel selection
	if p.empty {
		return sel
	}
	few := fewSlots(len(s.byID))
	visit := func(slot int32, wordsOK bool) {
		if !p.base(slot) || !wordsOK {
			return
		}
		sOK, tOK := p.statusOK(slot), p.typeOK(slot)
		if facets {
			if tOK {
				sel.statuses[min(int(s.col.status[slot]), len(sel.statuses)-1)]++
			}
			if sOK {
				sel.types[s.col.typ[slot]]++
			}
		}
		if !sOK || !tOK {
			return
		}
		sel.total++
		switch {
		case sel.in != nil:
			sel.in.set(slot)
		case len(sel.list) < few:
			sel.list = append(sel.list, slot)
		default:
			sel.in = newBitset(len(s.recs))
			for _, l := range sel.list {
				sel.in.set(l)
			}
			sel.in.set(slot)
			sel.list = nil
		}
	}
	if len(p.lists) > 0 {
		cands := intersect(p.lists)
		if len(p.words) > 0 && len(cands) > few {
			p.prepareWordSets()
		}
		for _, slot := range cands {
			visit(slot, p.wordSets != nil && p.wordSetsOK(slot) || p.wordSets == nil && p.wordsOK(slot))
		}
		return sel
	}
	p.prepareWordSets()
	for slot, r := range s.recs {
		if r != nil {
			visit(int32(slot), p.wordSetsOK(int32(slot)))
		}
	}
	return sel
}

// page returns the ENIs from the lo-th of the view's order, at most size.
func (s *Store) page(v eni.View, sel selection, lo, size int) []eni.ENI {
	if lo >= sel.total || size <= 0 {
		return nil
	}
	id := orderID{key: v.Sort, desc: v.Desc}
	n := min(size, sel.total-lo)
	out := make([]eni.ENI, 0, n)
	if sel.in == nil {
		less := compareRecs(id)
		slices.SortFunc(sel.list, func(a, b int32) int { return less(s.recs[a], s.recs[b]) })
		for _, slot := range sel.list[lo : lo+n] {
			out = append(out, s.recs[slot].e)
		}
		return out
	}
	seen := 0
	for _, slot := range s.orders.get(s, id) {
		if !sel.in.has(slot) {
			continue
		}
		if seen >= lo {
			out = append(out, s.recs[slot].e)
			if len(out) == n {
				break
			}
		}
		seen++
	}
	return out
}
