package live

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// An ENI attached from this dashboard is seen Attaching at once (the
// region polls it by ID), and InUse one fast interval after the cloud
// finished: the clock is advanced by exactly that interval and no more.
func TestChangeReachesSubscriberWithinFastInterval(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	inst, id, _, s := r.attachHeld(t)

	r.emu.SetFaults(ecsemu.Faults{})
	r.waitCloud(t, id, eni.StatusInUse)
	r.settle(t)
	none(t, s)
	fast := 2 * time.Second // the inventory's default
	r.tick(t, fast-time.Millisecond)
	none(t, s) // not polled before the interval is up
	r.tick(t, time.Millisecond)
	ev := next(t, s)
	if ev.Kind != Changed || ev.ENI.Status != eni.StatusInUse || ev.ENI.InstanceID != inst.ID {
		t.Fatalf("after the fast interval: %s %s on %q, want row InUse on %s", ev.Kind, ev.ENI.Status, ev.ENI.InstanceID, inst.ID)
	}
}

// However many browsers watch a view, and however many distinct views of
// a region are watched, the cloud is asked the same: the region's
// listings and polls, nothing per view or viewer.
func TestCallsDependOnTheRegionOnly(t *testing.T) {
	type load struct {
		name         string
		views, subs  int
		perView, all int
	}
	loads := []*load{{name: "1 view, 1 subscriber", views: 1, subs: 1}, {name: "1 view, 1,000 subscribers", views: 1, subs: 1000},
		{name: "100 views", views: 100, subs: 1}}
	for _, l := range loads {
		r := newRig(t, Config{}, inventory.Config{})
		for k := range l.views {
			f := eni.Filter{Region: region, Type: eni.TypeSecondary}
			if k > 0 {
				f.Name = fmt.Sprintf("view-%d", k)
			}
			for range l.subs {
				s := r.hub.Subscribe(f, "")
				t.Cleanup(s.Close)
			}
		}
		r.settle(t)
		before := r.callCount()
		for range 4 {
			r.tick(t, r.interval(t))
		}
		l.all = r.callCount() - before
		if got := gauge(r.hub.cfg.Metrics.Pollers); got != float64(l.views) {
			t.Errorf("%s: %v views watched, want %d", l.name, got, l.views)
		}
	}
	one := loads[0].all
	for _, l := range loads[1:] {
		if one == 0 || float64(l.all)/float64(one) > 1.1 {
			t.Errorf("%s: %d cloud calls, %d for one view with one subscriber", l.name, l.all, one)
		}
	}
}

// A browser that stops reading is dropped; the others get every event and
// nobody waits for it.
func TestStalledSubscriberDoesNotDelayOthers(t *testing.T) {
	r := newRig(t, Config{Buffer: 2}, inventory.Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary}
	stalled := r.watch(t, f)
	reader := r.watch(t, f)
	p, err := r.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: f})
	if err != nil || len(p.ENIs) == 0 {
		t.Fatal(err)
	}
	acks := make(chan string)
	go func() {
		for ev := range reader.Events() {
			if ev.Kind == Changed {
				acks <- ev.ENI.Name
			}
		}
		close(acks)
	}()
	for i := range 10 {
		// A page load that saw the ENI renamed: every watcher hears of it.
		name := "renamed-" + string(rune('a'+i))
		p.ENIs[0].Name = name
		r.hub.Observe(f, p.ENIs, r.clock.Now())
		select {
		case got, ok := <-acks:
			if !ok || got != name {
				t.Fatalf("change %d: reader got %q (open %t), want %q", i, got, ok, name)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("change %d never reached the reader", i)
		}
	}
	if !stalled.Dropped() {
		t.Fatal("the stalled subscriber was not dropped")
	}
	if _, open := <-drain(stalled); open {
		t.Fatal("the stalled subscriber's channel is still open")
	}
	if reader.Dropped() {
		t.Fatal("the reader was dropped")
	}
	if d := counter(r.hub.cfg.Metrics.Dropped); d != 1 {
		t.Fatalf("dropped counter %v, want 1", d)
	}
}

// drain empties what s had queued and returns its channel.
func drain(s *Subscription) <-chan *Event {
	for {
		select {
		case _, ok := <-s.Events():
			if !ok {
				c := make(chan *Event)
				close(c)
				return c
			}
		default:
			return s.Events()
		}
	}
}

// Throttling of the region's listing backs it off with growing jittered
// waits, each told on the page with when it is tried again; when the
// cloud answers again the banner goes.
func TestThrottlingBacksOffAndRecovers(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary}
	s := r.watch(t, f)
	r.emu.SetFaults(ecsemu.Faults{ThrottleRate: 1})
	r.tick(t, r.interval(t))
	base := 2 * time.Second // the inventory's Fast
	var shown Health        // the last status the watcher got
	for k := range 4 {
		for len(s.Events()) > 0 {
			if ev := next(t, s); ev.Kind == Status {
				shown = ev.Health
			}
		}
		p := r.region(t).Progress()
		wait := p.Retry.Sub(r.clock.Now())
		if !shown.Degraded || !strings.Contains(shown.Message, "throttling") ||
			!strings.Contains(shown.Message, "next try in "+roundSec(wait).String()) {
			t.Fatalf("try %d: status %+v, want a degraded status about throttling, next try in %s", k+1, shown, roundSec(wait))
		}
		if lo, hi := (base<<k)/2, (base<<k)*3/2; wait < lo || wait > hi {
			t.Fatalf("try %d: waits %s, want within [%s, %s]", k+1, wait, lo, hi)
		}
		r.tick(t, wait)
	}
	r.emu.SetFaults(ecsemu.Faults{})
	r.tick(t, r.region(t).Progress().Retry.Sub(r.clock.Now()))
	healthy := false
	for len(s.Events()) > 0 {
		if ev := next(t, s); ev.Kind == Status {
			healthy = !ev.Health.Degraded
		}
	}
	if !healthy || r.region(t).Progress().Err != nil {
		t.Fatalf("no healthy status after recovery: %+v", r.region(t).Progress())
	}
}

// Once the views' subscribers have left, the views are let go, the
// region's inventory lingers and then stops, and no goroutine is left.
func TestNoGoroutineLeftBehind(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	r.cloud.Regions(context.Background()) // warm the connection pool
	ignore := goleak.IgnoreCurrent()
	var subs []*Subscription
	for _, st := range []eni.Status{eni.StatusAvailable, eni.StatusInUse, eni.StatusAttaching} {
		f := eni.Filter{Region: region, Status: st}
		subs = append(subs, r.watch(t, f), r.watch(t, f))
	}
	if p := gauge(r.hub.cfg.Metrics.Pollers); p != 3 {
		t.Fatalf("%v views watched, want 3", p)
	}
	for _, s := range subs {
		s.Close()
	}
	if p := gauge(r.hub.cfg.Metrics.Pollers); p != 0 {
		t.Fatalf("%v views watched after their subscribers left", p)
	}
	r.tick(t, r.hub.cfg.StopAfter)
	r.hub.mu.Lock()
	feeds := len(r.hub.feeds)
	r.hub.mu.Unlock()
	if feeds != 0 || r.inv.Len() != 1 {
		t.Fatalf("after StopAfter: %d feeds, %d regions; want 0 and the lingering one", feeds, r.inv.Len())
	}
	r.clock.Advance(linger)
	waitFor(t, func() bool { return r.inv.Len() == 0 })
	if s := gauge(r.hub.cfg.Metrics.Subscribers); s != 0 {
		t.Fatalf("%v subscribers left", s)
	}
	goleak.VerifyNone(t, ignore,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
}

// A browser that reconnects with the last event it saw gets what changed
// since; one with a cursor the hub cannot honour is told to reload.
func TestReconnectGetsWhatChanged(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary}
	r.watch(t, f)
	p, err := r.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: f})
	if err != nil || len(p.ENIs) < 3 {
		t.Fatal(err)
	}
	c0 := r.hub.Observe(f, p.ENIs, r.clock.Now())
	renamed := append([]eni.ENI(nil), p.ENIs...)
	renamed[1].Name = "renamed"
	gone := renamed[2].ID
	renamed = append(renamed[:2], renamed[3:]...)
	r.hub.Observe(f, renamed, r.clock.Now())

	s := r.hub.Subscribe(f, c0)
	defer s.Close()
	var kinds []string
	for _, ev := range s.Backlog() {
		kinds = append(kinds, string(ev.Kind)+" "+ev.ENI.ID+ev.GoneID)
	}
	want := []string{"row " + p.ENIs[1].ID, "gone " + gone}
	if strings.Join(kinds, ",") != strings.Join(want, ",") {
		t.Fatalf("backlog %v, want %v", kinds, want)
	}
	latest := s.Backlog()[0].ID
	if again := r.hub.Subscribe(f, latest); len(again.Backlog()) != 0 {
		t.Fatalf("up-to-date cursor got %d events", len(again.Backlog()))
	} else {
		again.Close()
	}
	for _, bad := range []string{"", "nonsense", "0badboot.1", strings.Split(c0, ".")[0] + ".999999"} {
		s := r.hub.Subscribe(f, bad)
		if b := s.Backlog(); len(b) != 1 || b[0].Kind != Reset {
			t.Errorf("cursor %q: backlog %v, want one reset", bad, b)
		}
		s.Close()
	}
}

// An ENI that stays in transition past StuckAfter is flagged once, with
// no cloud call to tell.
func TestStuckENIIsFlagged(t *testing.T) {
	r := newRig(t, Config{StuckAfter: time.Minute}, inventory.Config{})
	_, id, _, s := r.attachHeld(t)
	r.tick(t, time.Minute-time.Second)
	none(t, s)
	r.tick(t, time.Second)
	ev := next(t, s)
	if ev.Kind != Changed || ev.Stuck < time.Minute || ev.ENI.Status != eni.StatusAttaching {
		t.Fatalf("got %s %s stuck %s, want Attaching stuck a minute", ev.Kind, ev.ENI.Status, ev.Stuck)
	}
	if got := r.hub.StuckFor([]eni.ENI{ev.ENI}); got[id] < time.Minute {
		t.Fatalf("StuckFor says %v", got)
	}
	r.tick(t, time.Minute)
	none(t, s) // flagged once
}

// ENIs created or deleted by other tools appear in and leave the view at
// the region's next listing, the deleted ones said to be deleted.
func TestAppearingAndVanishingENIs(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	inst := r.instance(t)
	first, vsw := r.createBeside(t, inst, "live-first")
	f := eni.Filter{Region: region, VSwitchID: vsw, Type: eni.TypeSecondary, Size: 100}
	s := r.watch(t, f)
	second, _ := r.createBeside(t, inst, "live-second")
	r.tick(t, r.interval(t))
	ev := nextFor(t, s, second)
	if ev.Kind != Added || ev.ENI.ID != second {
		t.Fatalf("got %s %s, want added %s", ev.Kind, ev.ENI.ID, second)
	}
	if _, err := r.cloud.DeleteENI(context.Background(), region, first); err != nil {
		t.Fatal(err)
	}
	r.waitCloud(t, first, "") // gone
	r.tick(t, r.interval(t))
	ev = nextFor(t, s, first)
	if ev.Kind != Gone || ev.GoneID != first || ev.Reason != "deleted" {
		t.Fatalf("got %s %s %q, want %s gone, deleted", ev.Kind, ev.GoneID, ev.Reason, first)
	}
}

// An ENI created from this dashboard is in its views at once: one poll
// by ID finds it, with no wait for the next listing.
func TestCreatedENIAppearsAtOnce(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	inst := r.instance(t)
	_, vsw := r.createBeside(t, inst, "live-before")
	f := eni.Filter{Region: region, VSwitchID: vsw, Size: 100}
	s := r.watch(t, f)
	id, _ := r.createBeside(t, inst, "live-created")
	before := r.count(describe, "ok")
	r.acted(t, id, true)
	if ev := nextFor(t, s, id); ev.Kind != Added {
		t.Fatalf("got %s, want %s added", ev.Kind, id)
	}
	if n := r.count(describe, "ok") - before; n != 1 {
		t.Fatalf("%d calls to find the new ENI, want 1", n)
	}
}

// attachHeld watches a new ENI's view and attaches it from this dashboard
// with the cloud holding transitions: the subscriber sees it Attaching
// after the region's poll by ID, not yet stuck.
func (r *rig) attachHeld(t *testing.T) (inst eni.Instance, id string, f eni.Filter, s *Subscription) {
	t.Helper()
	inst = r.instance(t)
	id, _ = r.createBeside(t, inst, "live-attach")
	f = eni.Filter{Region: region, IDs: []string{id}}
	s = r.watch(t, f)
	r.emu.SetFaults(ecsemu.Faults{StuckTransitions: true})
	if _, err := r.cloud.AttachENI(context.Background(), eni.AttachRequest{Region: region, ENIID: id, InstanceID: inst.ID}); err != nil {
		t.Fatal(err)
	}
	r.acted(t, id, false)
	if ev := next(t, s); ev.Kind != Changed || ev.ENI.Status != eni.StatusAttaching || ev.Stuck != 0 {
		t.Fatalf("after the poll by ID: %s %s stuck %s, want row Attaching", ev.Kind, ev.ENI.Status, ev.Stuck)
	}
	return inst, id, f, s
}
