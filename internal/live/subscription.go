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

// Subscribe starts watching view f from cursor after (as given by Observe
// or by a reconnecting browser's last event ID). The view's poller starts
// if it is not running.
func (h *Hub) Subscribe(f eni.Filter, after string) *Subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := &Subscription{hub: h, c: make(chan *Event, h.cfg.Buffer)}
	if h.closed {
		close(s.c)
		return s
	}
	v := h.viewLocked(f)
	s.view = v
	// Started (or paused) first, so the backlog has the view's health.
	h.startLocked(v)
	s.backlog = h.replayLocked(v, after)
	if v.paused && !slices.ContainsFunc(s.backlog, func(ev *Event) bool { return ev.Kind == Status }) {
		// Paused before this browser's page was rendered: say so anyway.
		s.backlog = append(s.backlog, &Event{Kind: Status, ID: cursor{h.boot, v.seq}.String(), At: h.clock.Now(), Health: v.health})
	}
	v.subs[s] = struct{}{}
	h.cfg.Metrics.Subscribers.Inc()
	return s
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

// Close ends the subscription; the poller stops a little after its last
// subscriber leaves.
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
	if len(v.subs) == 0 {
		// Nobody waits for a paused view any more.
		h.pauseLocked(v, false)
		now := h.clock.Now()
		v.idleSince, v.used = now, now
		v.soonLocked(now.Add(h.cfg.StopAfter))
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
