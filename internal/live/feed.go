package live

import (
	"time"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// PausedMessage is what the watchers of a view beyond the cap on watched
// views are told.
const PausedMessage = "Live updates are paused for this view: too many distinct views are being watched; reload to try again."

// feed carries one region's change sets to the views of that region that
// are watched, or were shown or watched less than StopAfter ago. It holds
// the region's inventory while it runs.
type feed struct {
	id      string
	region  *inventory.Region
	release func()
	sub     *inventory.Subscription
	views   map[*view]struct{}
	health  Health
	ready   bool // the region's first listing was complete when last seen
	stopped bool
	wake    chan struct{}
	flushC  chan chan struct{}
}

// feedLocked returns region's feed, starting it (and so the region's
// inventory) if it does not run; nil once the hub or the inventory closed.
func (h *Hub) feedLocked(region string) *feed {
	if f := h.feeds[region]; f != nil {
		return f
	}
	if h.closed {
		return nil
	}
	r, release := h.regions.Acquire(region)
	if r == nil {
		return nil
	}
	// Subscribed before anything is read from the snapshot, so that no
	// change falls between.
	f := &feed{id: region, region: r, release: release, sub: r.Subscribe(), views: map[*view]struct{}{},
		wake: make(chan struct{}, 1), flushC: make(chan chan struct{})}
	p := r.Progress()
	f.ready, f.health = p.Ready, healthOf(p, h.clock.Now())
	h.feeds[region] = f
	h.wg.Add(1)
	go h.runFeed(f)
	return f
}

func (f *feed) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// attachLocked has v evaluated by its region's feed, starting one if want
// (v has a subscriber) or if the region's inventory runs anyway. A view
// whose state may have missed changes is brought up to date from the
// snapshot first.
func (h *Hub) attachLocked(v *view, want bool) *feed {
	if v.paused {
		return nil
	}
	f := h.feeds[v.region()]
	if f == nil && (want || h.regions.Running(v.region()) != nil) {
		f = h.feedLocked(v.region())
	}
	if f == nil || v.feed == f {
		return f
	}
	v.feed = f
	f.views[v] = struct{}{}
	now := h.clock.Now()
	if v.stale || f.ready && f.region.Progress().AsOf.After(v.asOf) {
		h.resyncLocked(f, v, now)
	} else {
		h.followLocked(f, v, now)
	}
	h.setHealthLocked(v, f.health)
	f.poke()
	return f
}

// detachLocked stops evaluating v; the feed stops with its last view.
func (h *Hub) detachLocked(v *view) {
	f := v.feed
	if f == nil {
		return
	}
	delete(f.views, v)
	v.feed, v.stale = nil, true
	if len(f.views) == 0 && !f.stopped {
		f.stopped = true
		delete(h.feeds, f.id)
		f.poke()
	}
}

// runFeed applies the region's change sets and progress to its views, and
// flags ENIs stuck and lets idle views go when due, until the feed stops.
func (h *Hub) runFeed(f *feed) {
	defer h.wg.Done()
	defer func() {
		f.sub.Close()
		f.release()
	}()
	for {
		progressed := f.region.Progressed()
		h.mu.Lock()
		if f.stopped || h.closed {
			h.mu.Unlock()
			return
		}
		now := h.clock.Now()
		h.progressLocked(f, now)
		wait := h.tickLocked(f, now)
		sub := f.sub
		h.mu.Unlock()

		t := h.clock.NewTimer(wait)
		select {
		case cs, ok := <-sub.C:
			t.Stop()
			h.mu.Lock()
			h.receivedLocked(f, cs, ok)
			h.mu.Unlock()
		case done := <-f.flushC:
			t.Stop()
			h.mu.Lock()
			h.drainLocked(f)
			h.progressLocked(f, h.clock.Now())
			h.tickLocked(f, h.clock.Now())
			h.mu.Unlock()
			close(done)
		case <-progressed:
			t.Stop()
		case <-f.wake:
			t.Stop()
		case <-t.Chan():
		case <-h.ctx.Done():
			t.Stop()
			return
		}
	}
}

// receivedLocked takes what the region's subscription delivered: a change
// set, or its end. A subscription dropped for lagging is renewed and every
// view brought up to date from the snapshot; one ended by the inventory
// closing ends the feed.
func (h *Hub) receivedLocked(f *feed, cs inventory.ChangeSet, ok bool) {
	if ok {
		h.applyLocked(f, cs)
		return
	}
	if f.sub.Dropped() && !f.stopped {
		h.cfg.Logger.Warn("live: fell behind the inventory of a region; views brought up to date from it", "region", f.id)
		f.sub = f.region.Subscribe()
		now := h.clock.Now()
		for v := range f.views {
			h.resyncLocked(f, v, now)
		}
		return
	}
	for v := range f.views {
		h.detachLocked(v)
	}
}

// drainLocked applies the change sets already delivered.
func (h *Hub) drainLocked(f *feed) {
	for {
		select {
		case cs, ok := <-f.sub.C:
			h.receivedLocked(f, cs, ok)
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// flush applies what region's inventory has published so far, for tests:
// afterwards the views show every change set the region has made.
func (h *Hub) flush(region string) {
	h.mu.Lock()
	f := h.feeds[region]
	h.mu.Unlock()
	if f == nil {
		return
	}
	done := make(chan struct{})
	select {
	case f.flushC <- done:
		<-done
	case <-h.ctx.Done():
	}
}

// applyLocked evaluates each view of the feed on the ENIs cs touched.
func (h *Hub) applyLocked(f *feed, cs inventory.ChangeSet) {
	now := h.clock.Now()
	for _, c := range cs.Added {
		h.trackLocked(c.ENI, now)
	}
	for _, c := range cs.Changed {
		h.trackLocked(c.ENI, now)
	}
	removed := make(map[string]bool, len(cs.Removed))
	for _, c := range cs.Removed {
		removed[c.ENI.ID] = true
		delete(h.transit, c.ENI.ID)
	}
	for v := range f.views {
		before := v.seq
		if h.evaluateLocked(f, v, cs, removed, now) && v.seq == before && f.ready {
			// Nothing of its page changed, but what it counts did (counts
			// are the snapshot's: none before its first listing).
			h.publishLocked(v, &Event{Kind: Counts})
		}
		v.markLocked(cs.AsOf, before)
	}
}

// evaluateLocked applies cs to v. ENIs of the view that still match it are
// updated in place; when one enters or leaves it, the view's page is asked
// of the snapshot again (its order and page limit decide what it shows),
// or, before the region's first listing is complete, the ones that left
// are taken out. It reports whether what the view counts changed: its
// total, or its counts by status and type.
func (h *Hub) evaluateLocked(f *feed, v *view, cs inventory.ChangeSet, removed map[string]bool, now time.Time) (counted bool) {
	m := h.matcherLocked(f, v, now)
	h.noteYoungLocked(f, v, cs, now)
	var updates []eni.ENI
	var left []string
	membership := false
	for _, set := range [][]inventory.Change{cs.Added, cs.Changed} {
		for i := range set {
			e := &set[i].ENI
			_, in := v.enis[e.ID]
			ok := m.Match(e)
			counted = counted || countsChange(m, set[i].Prev, e, ok, in)
			switch {
			case in && ok:
				updates = append(updates, *e)
				// Its place in a sorted view may change.
				membership = membership || sortKeyChanged(v.vw.Sort, &v.enis[e.ID].eni, e)
			case in:
				left = append(left, e.ID)
				membership = true
			case ok:
				membership = true
			}
		}
	}
	for i := range cs.Removed {
		e := &cs.Removed[i].ENI
		counted = counted || m.Match(e)
		if _, in := v.enis[e.ID]; in {
			left = append(left, e.ID)
			membership = true
		}
	}
	for _, c := range cs.Changed {
		if v.earlier[c.ENI.ID] {
			// On an earlier page: leaving it or moving, it moves the
			// pages after it.
			membership = true
		}
	}
	for _, c := range cs.Removed {
		membership = membership || v.earlier[c.ENI.ID]
	}
	if membership && f.ready {
		h.requeryLocked(f, v, m, removed, now)
		return counted
	}
	for _, e := range updates {
		h.updateLocked(v, v.enis[e.ID], e, now)
	}
	for _, id := range left {
		reason := "deleted"
		if !removed[id] {
			reason = "no longer in this view"
		}
		h.removeLocked(v, id, reason, false)
	}
	return counted
}

// countsChange reports whether e, matching the view (ok) or not, changes
// what the view counts: it came in or went out, or changed status or type
// inside. prev is its state before; nil for an ENI new to the snapshot,
// which the view counted already if its page shows it (in).
func countsChange(m *inventory.Matcher, prev, e *eni.ENI, ok, in bool) bool {
	if prev == nil {
		return ok && !in
	}
	was := m.Match(prev)
	return was != ok || ok && (prev.Status != e.Status || prev.Type != e.Type)
}

func (h *Hub) matcherLocked(f *feed, v *view, now time.Time) *inventory.Matcher {
	return f.region.Store().Matcher(v.vw, now, h.namesOf(f.id))
}

func (h *Hub) namesOf(region string) inventory.InstanceNames {
	if h.cfg.Names == nil {
		return nil
	}
	return h.cfg.Names(region)
}

// resyncLocked brings v up to date from the snapshot: its page once the
// region is listed, else what the snapshot has of the view's ENIs.
func (h *Hub) resyncLocked(f *feed, v *view, now time.Time) {
	before := v.seq
	defer v.markLocked(now, before)
	v.stale = false
	m := h.matcherLocked(f, v, now)
	if f.ready {
		h.requeryLocked(f, v, m, nil, now)
		return
	}
	store := f.region.Store()
	for _, id := range append([]string(nil), v.order...) {
		e, ok := store.Get(id)
		switch {
		case !ok:
		case m.Match(&e):
			h.trackLocked(e, now)
			h.updateLocked(v, v.enis[id], e, now)
		default:
			h.removeLocked(v, id, "no longer in this view", false)
		}
	}
}

// progressLocked follows the region's progress: its health goes to every
// view, and once its first listing is complete every view is set to what
// the snapshot answers.
func (h *Hub) progressLocked(f *feed, now time.Time) {
	p := f.region.Progress()
	if hl := healthOf(p, now); hl != f.health {
		f.health = hl
		for v := range f.views {
			h.setHealthLocked(v, hl)
		}
	}
	if p.Ready && !f.ready {
		f.ready = true
		for v := range f.views {
			h.resyncLocked(f, v, now)
		}
	}
}

// tickLocked flags the ENIs of the region that have been in transition
// too long, lets go of the views nobody watched for StopAfter, and says
// how long until one of those is next due.
func (h *Hub) tickLocked(f *feed, now time.Time) time.Duration {
	next := now.Add(24 * time.Hour)
	for id, r := range h.transit {
		if r.region != f.id || r.flagged {
			continue
		}
		due := r.since.Add(h.cfg.StuckAfter)
		if now.Before(due) {
			next = minTime(next, due)
			continue
		}
		r.flagged = true
		h.transit[id] = r
		for v := range f.views {
			if en, ok := v.enis[id]; ok {
				h.updateLocked(v, en, en.eni, now)
			}
		}
	}
	next = minTime(next, h.ageLocked(f, now))
	for v := range f.views {
		if len(v.subs) > 0 {
			continue
		}
		due := v.used.Add(h.cfg.StopAfter)
		if now.Before(due) {
			next = minTime(next, due)
			continue
		}
		h.detachLocked(v)
	}
	return next.Sub(now)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
