package live

import (
	"testing"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// statusOf is the last Status event among evs, nil if none.
func statusOf(evs []*Event) *Event {
	var last *Event
	for _, ev := range evs {
		if ev.Kind == Status {
			last = ev
		}
	}
	return last
}

// A view beyond the cap on watched views is not evaluated, and its
// watchers are told why. Once a place is free again, the next browser to
// open the view takes it, and every watcher's banner goes.
func TestViewsBeyondTheCapArePaused(t *testing.T) {
	r := newRig(t, Config{MaxPollers: 1}, inventory.Config{})
	polled := eni.Filter{Region: region, Type: eni.TypeSecondary}
	first := r.watch(t, polled)

	paused := eni.Filter{Region: region, Type: eni.TypePrimary}
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
	r.tick(t, r.interval(t))
	if p, pa, rf := gauge(r.hub.cfg.Metrics.Pollers), gauge(r.hub.cfg.Metrics.Paused), counter(r.hub.cfg.Metrics.Refused); p != 1 || pa != 1 || rf != 2 {
		t.Fatalf("watched %v, paused %v, refused %v; want 1, 1, 2", p, pa, rf)
	}
	none(t, s)

	// The watched view's browser leaves: a reload of the paused view takes
	// its place, is brought up to date, and every watcher's banner goes.
	first.Close()
	reload := r.hub.Subscribe(paused, r.hub.Observe(paused, nil, r.clock.Now()))
	t.Cleanup(reload.Close)
	var got []*Event
	for len(s.Events()) > 0 {
		got = append(got, next(t, s))
	}
	if ev := statusOf(got); ev == nil || ev.Health.Degraded {
		t.Fatalf("after the reload the paused view's watcher got %+v, want the banner cleared", got)
	}
	if gauge(r.hub.cfg.Metrics.Paused) != 0 || gauge(r.hub.cfg.Metrics.Pollers) != 1 {
		t.Fatalf("after the reload: paused %v, watched %v; want 0, 1", gauge(r.hub.cfg.Metrics.Paused), gauge(r.hub.cfg.Metrics.Pollers))
	}
}
