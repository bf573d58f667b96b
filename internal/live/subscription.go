package live

import (
	"slices"

	"enidash/internal/eni"
)

// Subscription is one browser watching one view.
type Subscription struct {
	hub     *Hub
	view    *view
	c       chan *Event
	backlog []*Event
	dropped bool
}

// Subscribe is SubscribeView for a list filter.
func (h *Hub) Subscribe(f eni.Filter, after string) *Subscription {
	return h.SubscribeView(ViewOf(f), after)
}

// SubscribeView starts watching view vw from cursor after (as given by
// Observe or by a reconnecting browser's last event ID). The view's
// region is fed to it from then on, its inventory started if need be.
func (h *Hub) SubscribeView(vw eni.View, after string) *Subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := &Subscription{hub: h, c: make(chan *Event, h.cfg.Buffer)}
	if h.closed {
		close(s.c)
		return s
	}
	v := h.viewLocked(paged(vw))
	s.view = v
	// Watched (or paused) first, so the backlog has what the snapshot
	// changed and the view's health.
	h.watchLocked(v)
	s.backlog = h.replayLocked(v, after)
	if v.paused && !slices.ContainsFunc(s.backlog, func(ev *Event) bool { return ev.Kind == Status }) {
		// Paused before this browser's page was rendered: say so anyway.
		s.backlog = append(s.backlog, &Event{Kind: Status, ID: cursor{h.boot, v.seq}.String(), At: h.clock.Now(), Health: v.health})
	}
	v.subs[s] = struct{}{}
	h.cfg.Metrics.Subscribers.Inc()
	return s
}

// watchLocked counts v among the watched views and has its region feed
// it. Beyond MaxPollers the view is paused instead: not evaluated, and a
// banner for its watchers; the next subscriber tries again.
func (h *Hub) watchLocked(v *view) {
	if v.watched {
		return
	}
	if h.watched >= h.cfg.MaxPollers {
		h.cfg.Metrics.Refused.Inc()
		h.pauseLocked(v, true)
		h.detachLocked(v)
		v.stale = true
		h.setHealthLocked(v, Health{Degraded: true, Message: PausedMessage})
		return
	}
	h.pauseLocked(v, false)
	v.watched = true
	h.watched++
	h.cfg.Metrics.Pollers.Inc()
	h.attachLocked(v, true)
}

// pauseLocked marks v paused or not, keeping the gauge.
func (h *Hub) pauseLocked(v *view, paused bool) {
	if v.paused == paused {
		return
	}
	v.paused = paused
	if paused {
		h.cfg.Metrics.Paused.Inc()
	} else {
		h.cfg.Metrics.Paused.Dec()
	}
}

// Backlog is what the browser missed before subscribing; send it first.
func (s *Subscription) Backlog() []*Event { return s.backlog }

// Events delivers the view's events. It is closed when the subscription
// is dropped for lagging, or the hub closes.
func (s *Subscription) Events() <-chan *Event { return s.c }

// Dropped reports whether the subscriber was dropped for lagging.
func (s *Subscription) Dropped() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.dropped
}

// Close ends the subscription; the view is let go a little after its
// last subscriber leaves.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.unsubscribeLocked(s, false)
}

func (h *Hub) unsubscribeLocked(s *Subscription, dropped bool) {
	v := s.view
	if v == nil {
		return
	}
	if _, ok := v.subs[s]; !ok {
		return
	}
	delete(v.subs, s)
	close(s.c)
	h.cfg.Metrics.Subscribers.Dec()
	if dropped {
		s.dropped = true
		h.cfg.Metrics.Dropped.Inc()
	}
	if len(v.subs) > 0 {
		return
	}
	if v.watched {
		v.watched = false
		h.watched--
		h.cfg.Metrics.Pollers.Dec()
	}
	// Nobody waits for a paused view any more.
	h.pauseLocked(v, false)
	v.used = h.clock.Now()
	if v.feed != nil {
		v.feed.poke() // it times the view's release
	}
}

// Subscribers is how many browsers are watching, over all views.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, v := range h.views {
		n += len(v.subs)
	}
	return n
}
