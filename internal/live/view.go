package live

import (
	"reflect"
	"slices"
	"time"

	"github.com/cenkalti/backoff/v5"

	"enidash/internal/eni"
)

// maxGone is how many departures a view remembers for reconnecting
// browsers; one further back gets a Reset.
const maxGone = 256

// maxMarks is how many applied answers a view remembers the time of.
const maxMarks = 32

// view is the state of one watched view: what it shows, in order, and the
// sequence number of each ENI's last change, so a browser can be brought
// up to date from any cursor it holds.
type view struct {
	key    string
	filter eni.Filter

	base      uint64 // the hub's sequence when the view was created
	seq       uint64 // the sequence of its latest event
	order     []string
	enis      map[string]*entry
	gone      []goneRec
	goneFloor uint64 // the latest sequence forgotten from gone
	health    Health
	healthSeq uint64
	listed    time.Time // last full listing; zero before the first
	relist    bool      // list again at the next poll
	// marks are the answers applied, by when they were asked for, oldest
	// first, with the sequence before each; forgot is set once the oldest
	// were dropped.
	marks  []mark
	forgot bool
	used   time.Time

	subs      map[*Subscription]struct{}
	running   bool
	paused    bool // watched, but not polled for the cap on pollers
	due       time.Time
	armed     time.Time // what the poller's timer waits for
	wake      chan struct{}
	idleSince time.Time
	failing   bool
	backoff   *backoff.ExponentialBackOff
}

type entry struct {
	eni       eni.ENI
	seq       uint64 // its latest Changed or Added
	addedSeq  uint64
	hotUntil  time.Time
	stuckSent bool
}

type mark struct {
	asOf   time.Time
	before uint64
}

type goneRec struct {
	id, reason string
	seq        uint64
}

func newView(key string, f eni.Filter, seq uint64, fast, maxBackoff time.Duration) *view {
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval = 2 * fast
	bo.MaxInterval = maxBackoff
	bo.Multiplier = 2
	bo.RandomizationFactor = 0.5
	bo.Reset()
	return &view{key: key, filter: f, base: seq, seq: seq, enis: map[string]*entry{},
		subs: map[*Subscription]struct{}{}, wake: make(chan struct{}, 1), backoff: bo}
}

// markLocked remembers that an answer asked for at asOf was applied after
// sequence before.
func (v *view) markLocked(asOf time.Time, before uint64) {
	i := len(v.marks)
	for i > 0 && v.marks[i-1].asOf.After(asOf) {
		i--
	}
	v.marks = slices.Insert(v.marks, i, mark{asOf, before})
	if len(v.marks) > maxMarks {
		v.marks, v.forgot = slices.Delete(v.marks, 0, 1), true
	}
}

// behindLocked reports whether an answer asked for at asOf is older than
// one already applied, and if so from which sequence its page must be
// brought up to date (0, a full catch-up, when that is forgotten).
func (v *view) behindLocked(asOf time.Time) (uint64, bool) {
	from, behind := v.seq, false
	for _, m := range v.marks {
		if m.asOf.After(asOf) {
			from, behind = min(from, m.before), true
		}
	}
	if behind && v.forgot && v.marks[0].asOf.After(asOf) {
		return 0, true
	}
	return from, behind
}

// soonLocked brings the next poll forward to t and wakes the poller.
func (v *view) soonLocked(t time.Time) {
	if v.due.IsZero() || t.Before(v.due) {
		v.due = t
	}
	select {
	case v.wake <- struct{}{}:
	default:
	}
}

// fastIDsLocked are the ENIs worth polling fast: in transition and not
// yet flagged stuck, or just acted on.
func (h *Hub) fastIDsLocked(v *view, now time.Time) []string {
	var ids []string
	for _, id := range v.order {
		en := v.enis[id]
		if en.hotUntil.After(now) || en.eni.Status.Transitional() && h.stuckLocked(en.eni, now) == 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// publishLocked numbers ev, records it in the view for reconnecting
// browsers and hands it to every subscriber. A subscriber whose queue is
// full is dropped rather than waited for.
func (h *Hub) publishLocked(v *view, ev *Event) {
	seq := h.nextSeqLocked()
	v.seq = seq
	ev.ID = cursor{h.boot, seq}.String()
	ev.At = h.clock.Now()
	switch ev.Kind {
	case Changed:
		v.enis[ev.ENI.ID].seq = seq
	case Added:
		en := v.enis[ev.ENI.ID]
		en.seq, en.addedSeq = seq, seq
	case Gone:
		v.gone = append(v.gone, goneRec{id: ev.GoneID, reason: ev.Reason, seq: seq})
		if len(v.gone) > maxGone {
			v.goneFloor = v.gone[0].seq
			v.gone = slices.Delete(v.gone, 0, 1)
		}
	case Status:
		v.healthSeq = seq
	}
	h.cfg.Metrics.Events.WithLabelValues(string(ev.Kind)).Inc()
	for s := range v.subs {
		select {
		case s.c <- ev:
		default:
			h.unsubscribeLocked(s, true)
		}
	}
}

// applyListLocked takes a fresh listing of the view: ENIs that entered it,
// changed or left it become events. reasons says why ENIs left, where
// known. The first listing of a view only sets it up.
func (h *Hub) applyListLocked(v *view, enis []eni.ENI, reasons map[string]string, asOf time.Time) {
	now := h.clock.Now()
	defer v.markLocked(asOf, v.seq)
	quiet := v.listed.IsZero()
	order := make([]string, 0, len(enis))
	prev := ""
	for _, e := range enis {
		h.trackLocked(e, now)
		order = append(order, e.ID)
		en, ok := v.enis[e.ID]
		if !ok {
			en = &entry{eni: e}
			v.enis[e.ID] = en
			if !quiet {
				h.publishLocked(v, &Event{Kind: Added, ENI: e, After: prev, Stuck: h.stuckLocked(e, now)})
			}
		} else {
			h.updateLocked(v, en, e, now)
		}
		prev = e.ID
	}
	for _, id := range v.order {
		if slices.Contains(order, id) {
			continue
		}
		reason := reasons[id]
		if reason == "" {
			reason = "no longer in this view"
		}
		h.removeLocked(v, id, reason, quiet)
	}
	v.order = order
	v.listed, v.relist = now, false
}

// applyByIDLocked takes the answer to a poll of ids by ID: the ones
// missing were deleted.
func (h *Hub) applyByIDLocked(v *view, ids []string, got []eni.ENI, asOf time.Time) {
	now := h.clock.Now()
	defer v.markLocked(asOf, v.seq)
	for _, e := range got {
		h.trackLocked(e, now)
		en, ok := v.enis[e.ID]
		if !ok {
			continue
		}
		settled := en.eni.Status.Transitional() && !e.Status.Transitional()
		h.updateLocked(v, en, e, now)
		if settled && v.filter.Narrowed() {
			// It may no longer match the view: the next poll lists it.
			v.relist = true
		}
	}
	for _, id := range ids {
		if _, ok := v.enis[id]; ok && !containsID(got, id) {
			delete(h.transit, id)
			h.removeLocked(v, id, "deleted", false)
			v.order = slices.DeleteFunc(v.order, func(s string) bool { return s == id })
		}
	}
}

// updateLocked publishes e if it differs from what the view holds, or if
// it has just been in transition too long.
func (h *Hub) updateLocked(v *view, en *entry, e eni.ENI, now time.Time) {
	stuck := h.stuckLocked(e, now)
	if e.Status != en.eni.Status {
		en.stuckSent = false
	}
	if e.Status.Transitional() {
		// The action shows in the cloud: its state keeps the view fast
		// until it settles, and no longer.
		en.hotUntil = time.Time{}
	}
	flag := stuck > 0 && !en.stuckSent
	if sameENI(en.eni, e) && !flag {
		return
	}
	en.eni = e
	en.stuckSent = en.stuckSent || flag
	h.publishLocked(v, &Event{Kind: Changed, ENI: e, Stuck: stuck})
}

func (h *Hub) removeLocked(v *view, id, reason string, quiet bool) {
	delete(v.enis, id)
	if !quiet {
		h.publishLocked(v, &Event{Kind: Gone, GoneID: id, Reason: reason})
	}
}

// setHealthLocked publishes a change of the poller's health.
func (h *Hub) setHealthLocked(v *view, hl Health) {
	if hl == v.health {
		return
	}
	v.health = hl
	h.publishLocked(v, &Event{Kind: Status, Health: hl})
}

// sameENI compares two readings of an ENI; times are compared as
// instants, whatever their location.
func sameENI(a, b eni.ENI) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return false
	}
	a.CreatedAt, b.CreatedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

// replayLocked brings a browser at cursor after up to date: the ENIs
// added or changed since, those gone since, and the health if it changed.
// A cursor of another process, from before the view's state or beyond
// what it remembers, gets a Reset.
func (h *Hub) replayLocked(v *view, after string) []*Event {
	id := cursor{h.boot, v.seq}.String()
	c, err := parseCursor(after)
	if err != nil || c.boot != h.boot || c.seq < v.base || c.seq < v.goneFloor || c.seq > h.seq {
		return []*Event{{Kind: Reset, ID: id, At: h.clock.Now()}}
	}
	var out []*Event
	now := h.clock.Now()
	prev := ""
	for _, eid := range v.order {
		en := v.enis[eid]
		switch {
		case en.addedSeq > c.seq:
			out = append(out, &Event{Kind: Added, ID: id, At: now, ENI: en.eni, After: prev, Stuck: h.stuckLocked(en.eni, now)})
		case en.seq > c.seq:
			out = append(out, &Event{Kind: Changed, ID: id, At: now, ENI: en.eni, Stuck: h.stuckLocked(en.eni, now)})
		}
		prev = eid
	}
	for _, g := range v.gone {
		if _, back := v.enis[g.id]; g.seq > c.seq && !back {
			out = append(out, &Event{Kind: Gone, ID: id, At: now, GoneID: g.id, Reason: g.reason})
		}
	}
	if v.healthSeq > c.seq {
		out = append(out, &Event{Kind: Status, ID: id, At: now, Health: v.health})
	}
	return out
}
