package live

import (
	"time"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// requeryLocked sets v to its page as the snapshot answers it now.
func (h *Hub) requeryLocked(f *feed, v *view, m *inventory.Matcher, removed map[string]bool, now time.Time) {
	store := f.region.Store()
	res := store.Query(v.vw, inventory.Options{Now: now, Names: h.namesOf(f.id)})
	defer h.followLocked(f, v, now)
	h.applyListLocked(v, res.ENIs, func(id string, last eni.ENI) string {
		e, ok := store.Get(id)
		switch {
		case removed[id] || !ok:
			return "deleted"
		case !m.Match(&e) && e.Status != last.Status:
			return "no longer in this view (now " + string(e.Status) + ")"
		case !m.Match(&e):
			return "no longer in this view"
		}
		return "no longer on this page of the view"
	})
	v.asOf = now
}

// followLocked notes what, beyond the changes of its own ENIs, moves v's
// page: the ENIs on the pages before it, and the next ENI to age into it.
func (h *Hub) followLocked(f *feed, v *view, now time.Time) {
	v.earlier = h.earlierLocked(f, v, now)
	v.ageDue = h.nextAgeLocked(f, v, now)
}

// maxEarlier bounds the ENIs before a page that are followed.
const maxEarlier = 10000

// earlierLocked is the set of ENIs on the pages before v's, which move
// v's page when they leave the view; nil for a first page, or when they
// are too many to follow.
func (h *Hub) earlierLocked(f *feed, v *view, now time.Time) map[string]bool {
	n := (v.vw.PageNumber() - 1) * v.vw.PageSize()
	if n == 0 || n > maxEarlier || !f.ready {
		return nil
	}
	head := v.vw
	head.Page, head.Size = 1, n
	res := f.region.Store().Query(head, inventory.Options{Now: now, Names: h.namesOf(f.id)})
	out := make(map[string]bool, len(res.ENIs))
	for _, e := range res.ENIs {
		out[e.ID] = true
	}
	return out
}

// young is v without its age filter, newest first: the ENIs that may age
// into it.
func young(vw eni.View) eni.View {
	vw.Older, vw.OlderText = 0, ""
	vw.Sort, vw.Desc = eni.SortCreated, true
	vw.Page, vw.Trail = 1, nil
	return vw
}

// nextAgeLocked is the creation time plus age of the ENI that ages into v
// next (it enters once the clock is past it); zero for a view with no
// age filter or no ENI left to enter it. Age only grows: nothing leaves
// such a view by time alone.
func (h *Hub) nextAgeLocked(f *feed, v *view, now time.Time) time.Time {
	if v.vw.Older <= 0 || !f.ready {
		return time.Time{}
	}
	store := f.region.Store()
	opts := inventory.Options{Now: now, Names: h.namesOf(f.id)}
	aged := v.vw
	aged.Page, aged.Size = 1, 1
	y := young(v.vw)
	y.Size = 1
	n := store.Query(y, opts).Total - store.Query(aged, opts).Total
	if n <= 0 {
		return time.Time{}
	}
	// Newest first, the young come before the aged, and those with no
	// creation time (never older) last: the first n hold every young one.
	y.Size = n
	cutoff := now.Add(-v.vw.Older)
	var due time.Time
	for _, e := range store.Query(y, opts).ENIs {
		if !e.CreatedAt.IsZero() && !e.CreatedAt.Before(cutoff) {
			due = e.CreatedAt.Add(v.vw.Older)
		}
	}
	return due
}

// noteYoungLocked brings v's next age forward for an ENI of cs that will
// age into it before the one it awaits (an ENI created, or changed to
// match the view's other filters).
func (h *Hub) noteYoungLocked(f *feed, v *view, cs inventory.ChangeSet, now time.Time) {
	if v.vw.Older <= 0 || !f.ready {
		return
	}
	var m *inventory.Matcher
	for _, set := range [][]inventory.Change{cs.Added, cs.Changed} {
		for i := range set {
			e := &set[i].ENI
			due := e.CreatedAt.Add(v.vw.Older)
			if e.CreatedAt.IsZero() || due.Before(now) || !v.ageDue.IsZero() && !due.Before(v.ageDue) {
				continue
			}
			if m == nil {
				m = f.region.Store().Matcher(young(v.vw), now, h.namesOf(f.id))
			}
			if m.Match(e) {
				v.ageDue = due
			}
		}
	}
}

// ageLocked brings up to date the views whose next ENI has aged into
// them, and says when the next one is due.
func (h *Hub) ageLocked(f *feed, now time.Time) time.Time {
	next := now.Add(24 * time.Hour)
	for v := range f.views {
		if v.ageDue.IsZero() {
			continue
		}
		if !now.After(v.ageDue) {
			next = minTime(next, v.ageDue.Add(time.Nanosecond))
			continue
		}
		before := v.seq
		h.requeryLocked(f, v, h.matcherLocked(f, v, now), nil, now)
		v.markLocked(now, before)
		if !v.ageDue.IsZero() {
			next = minTime(next, v.ageDue.Add(time.Nanosecond))
		}
	}
	return next
}
