package live

import (
	"testing"

	"enidash/internal/eni"
)

// statusOf is the first Status event among evs, nil if none.
func statusOf(evs []*Event) *Event {
	for _, ev := range evs {
		if ev.Kind == Status {
			return ev
		}
	}
	return nil
}

// A view beyond the cap on pollers is not polled: it makes no cloud call
// however long it is watched, and its watchers are told why. Once a
// poller is free again, the next browser to open the view starts it.
func TestPollersBeyondTheCapMakeNoCloudCalls(t *testing.T) {
	r := newRig(t, Config{MaxPollers: 1})
	polled := eni.Filter{Region: region, Type: eni.TypeSecondary}
	first := r.watch(t, polled)
	r.idle(t, 1)

	paused := eni.Filter{Region: region, Type: eni.TypePrimary}
	before := r.callCount()
	s := r.hub.Subscribe(paused, r.hub.Observe(paused, nil, r.clock.Now()))
	t.Cleanup(s.Close)
	ev := statusOf(s.Backlog())
	if ev == nil || !ev.Health.Degraded || ev.Health.Message != PausedMessage {
		t.Fatalf("the paused view's watcher got %+v, want the paused banner", s.Backlog())
	}
	// A second browser on the paused view is told too.
	again := r.hub.Subscribe(paused, r.hub.Observe(paused, nil, r.clock.Now()))
	t.Cleanup(again.Close)
	if ev := statusOf(again.Backlog()); ev == nil || ev.Health.Message != PausedMessage {
		t.Fatalf("a later watcher of the paused view got %+v, want the paused banner", again.Backlog())
	}

	for range 3 {
		r.tick(t, r.hub.cfg.Slow)
	}
	// Only the polled view was listed: one call each Slow interval.
	if got := r.callCount() - before; got != 3 {
		t.Fatalf("%d cloud calls in 3 slow intervals, want 3 (the polled view's only)", got)
	}
	if p, pa, rf := gauge(r.hub.cfg.Metrics.Pollers), gauge(r.hub.cfg.Metrics.Paused), counter(r.hub.cfg.Metrics.Refused); p != 1 || pa != 1 || rf != 2 {
		t.Fatalf("pollers %v, paused %v, refused %v; want 1, 1, 2", p, pa, rf)
	}
	none(t, s)

	// The polled view's watcher leaves and its poller stops: a reload of
	// the paused view starts one, and every watcher's banner goes.
	first.Close()
	r.idle(t, 1)
	r.clock.Advance(r.hub.cfg.StopAfter)
	waitFor(t, func() bool { return gauge(r.hub.cfg.Metrics.Pollers) == 0 })
	reload := r.hub.Subscribe(paused, r.hub.Observe(paused, nil, r.clock.Now()))
	t.Cleanup(reload.Close)
	if ev := next(t, s); ev.Kind != Status || ev.Health.Degraded {
		t.Fatalf("after the reload the paused view's watcher got %+v, want the banner cleared", ev)
	}
	if gauge(r.hub.cfg.Metrics.Paused) != 0 || gauge(r.hub.cfg.Metrics.Pollers) != 1 {
		t.Fatalf("after the reload: paused %v, pollers %v; want 0, 1", gauge(r.hub.cfg.Metrics.Paused), gauge(r.hub.cfg.Metrics.Pollers))
	}
	before = r.callCount()
	r.tick(t, r.hub.cfg.Slow)
	if r.callCount() == before {
		t.Fatal("the view is still not polled after the reload")
	}
}
