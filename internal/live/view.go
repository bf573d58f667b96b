package live

import (
	"slices"
	"time"

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
	key string
	vw  eni.View

	base      uint64 // the hub's sequence when the view was created
	seq       uint64 // the sequence of its latest event
	order     []string
	enis      map[string]*entry
	gone      []goneRec
	goneFloor uint64 // the latest sequence forgotten from gone
	health    Health
	healthSeq uint64
	listed    bool      // set up by a first listing; its first one makes no events
	asOf      time.Time // when the listing it was last set to was asked for
	// marks are the answers applied, by when they were asked for, oldest
	// first, with the sequence before each; forgot is set once the oldest
	// were dropped.
	marks  []mark
	forgot bool
	used   time.Time

	subs map[*Subscription]struct{}
	// watched: it has subscribers and counts against the cap; paused:
	// it has subscribers but is past the cap, so it is not fed.
	watched, paused bool
	// feed is the region feed evaluating this view, nil when none does;
	// stale is set when one stopped doing so, so the view is brought up
	// to date from the snapshot when fed again.
	feed  *feed
	stale bool
	// earlier holds the ENIs on the pages before this one, for a later
	// page of a view answered by the snapshot.
	earlier map[string]bool
	// ageDue: for a view of ENIs older than an age, the creation time
	// plus age of the next ENI to enter it (zero: none).
	ageDue time.Time
}

type entry struct {
	eni       eni.ENI
	seq       uint64 // its latest Changed or Added
	addedSeq  uint64
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

func newView(key string, vw eni.View, seq uint64) *view {
	return &view{key: key, vw: vw, base: seq, seq: seq, enis: map[string]*entry{}, subs: map[*Subscription]struct{}{}}
}

// region is the view's region.
func (v *view) region() string { return v.vw.Region }

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

// whyGone says why an ENI left a view: the ENI as the view last held it.
type whyGone func(id string, last eni.ENI) string

// applyListLocked sets the view to a listing of it (a page's, or the
// snapshot's answer): ENIs that entered it, changed or left it become
// events, why says why ENIs left. The first listing of a view only sets
// it up.
func (h *Hub) applyListLocked(v *view, enis []eni.ENI, why whyGone) {
	now := h.clock.Now()
	quiet := !v.listed
	order := make([]string, 0, len(enis))
	in := make(map[string]bool, len(enis))
	for _, e := range enis {
		order = append(order, e.ID)
		in[e.ID] = true
	}
	var moved map[string]bool
	if !quiet {
		moved = movedRows(v.order, order)
	}
	prev := ""
	for _, e := range enis {
		h.trackLocked(e, now)
		en, ok := v.enis[e.ID]
		switch {
		case !ok:
			en = &entry{eni: e}
			v.enis[e.ID] = en
			if !quiet {
				h.publishLocked(v, &Event{Kind: Added, ENI: e, After: prev, Stuck: h.stuckLocked(e, now)})
			}
		case moved[e.ID]:
			// Sent again, after the row it now follows: the browser
			// moves it there.
			stuck := h.stuckLocked(e, now)
			en.eni, en.stuckSent = e, stuck > 0
			h.publishLocked(v, &Event{Kind: Added, ENI: e, After: prev, Stuck: stuck})
		default:
			h.updateLocked(v, en, e, now)
		}
		prev = e.ID
	}
	old := v.order
	v.order, v.listed = order, true
	for _, id := range old {
		if !in[id] {
			h.removeLocked(v, id, why(id, v.enis[id].eni), quiet)
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
	flag := stuck > 0 && !en.stuckSent
	if en.eni.Equal(&e) && !flag {
		return
	}
	en.eni = e
	en.stuckSent = en.stuckSent || flag
	h.publishLocked(v, &Event{Kind: Changed, ENI: e, Stuck: stuck})
}

// removeLocked takes id out of the view, saying why unless quiet.
func (h *Hub) removeLocked(v *view, id, reason string, quiet bool) {
	delete(v.enis, id)
	v.order = slices.DeleteFunc(v.order, func(s string) bool { return s == id })
	if !quiet {
		h.publishLocked(v, &Event{Kind: Gone, GoneID: id, Reason: reason})
	}
}

// setHealthLocked publishes a change of the view's health.
func (h *Hub) setHealthLocked(v *view, hl Health) {
	if hl == v.health {
		return
	}
	v.health = hl
	h.publishLocked(v, &Event{Kind: Status, Health: hl})
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
