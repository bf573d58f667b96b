package live

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// An ENI attached in the cloud is seen Attaching one FirstDelay after the
// action, and InUse one Fast interval after the cloud finished: the clock
// is advanced by exactly those intervals and no more.
func TestChangeReachesSubscriberWithinFastInterval(t *testing.T) {
	r := newRig(t, Config{})
	inst, id, f, s := r.attachHeld(t)

	r.emu.SetFaults(ecsemu.Faults{})
	r.waitCloud(t, id, eni.StatusInUse)
	r.idle(t, 1)
	none(t, s)
	r.clock.Advance(r.hub.cfg.Fast - time.Millisecond)
	r.idle(t, 1)
	none(t, s) // not polled before the interval is up
	r.clock.Advance(time.Millisecond)
	ev := next(t, s)
	if ev.Kind != Changed || ev.ENI.Status != eni.StatusInUse || ev.ENI.InstanceID != inst.ID {
		t.Fatalf("after the fast interval: %s %s on %q, want row InUse on %s", ev.Kind, ev.ENI.Status, ev.ENI.InstanceID, inst.ID)
	}
	// Settled, the view is listed once more (it is narrowed to the ENI, which
	// may no longer match) and then goes back to the slow pace.
	r.tick(t, r.hub.cfg.Fast)
	if wait := r.due(f).Sub(r.clock.Now()); wait != r.hub.cfg.Slow {
		t.Fatalf("after the ENI settled the next poll is in %s, want %s", wait, r.hub.cfg.Slow)
	}
}

// However many browsers watch a view, the cloud is asked the same.
func TestSubscribersShareOnePoller(t *testing.T) {
	calls := map[int]int{}
	for _, n := range []int{1, 2, 100} {
		r := newRig(t, Config{})
		f := eni.Filter{Region: region, Type: eni.TypeSecondary}
		for range n {
			r.watch(t, f)
		}
		before := r.callCount()
		for range 4 {
			r.tick(t, r.hub.cfg.Slow)
		}
		calls[n] = r.callCount() - before
		if got := gauge(r.hub.cfg.Metrics.Pollers); got != 1 {
			t.Errorf("%d subscribers: %v pollers, want 1", n, got)
		}
	}
	if calls[1] == 0 || calls[2] != calls[1] || calls[100] != calls[1] {
		t.Fatalf("cloud calls by subscribers: %v, want the same non-zero count", calls)
	}
}

// A browser that stops reading is dropped; the others get every event and
// nobody waits for it.
func TestStalledSubscriberDoesNotDelayOthers(t *testing.T) {
	r := newRig(t, Config{Buffer: 2})
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

// Throttling backs the poller off with jitter, one call per try, and says
// so; when the cloud answers again it recovers and says that too.
func TestPollerBacksOffUnderThrottling(t *testing.T) {
	r := newRig(t, Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary}
	s := r.watch(t, f)
	r.emu.SetFaults(ecsemu.Faults{ThrottleRate: 1})

	r.tick(t, r.hub.cfg.Slow)
	ev := next(t, s)
	if ev.Kind != Status || !ev.Health.Degraded || !strings.Contains(ev.Health.Message, "throttling") {
		t.Fatalf("got %s %+v, want a degraded status about throttling", ev.Kind, ev.Health)
	}
	base := 2 * r.hub.cfg.Fast
	for k := range 6 {
		wait := r.due(f).Sub(r.clock.Now())
		interval := min(base<<k, r.hub.cfg.MaxBackoff)
		if lo, hi := interval/2, interval*3/2; wait < lo || wait > hi {
			t.Fatalf("try %d: waits %s, want within [%s, %s]", k+1, wait, lo, hi)
		}
		before := r.count("DescribeNetworkInterfaces", "throttled")
		r.tick(t, wait)
		if got := r.count("DescribeNetworkInterfaces", "throttled") - before; got != 1 {
			t.Fatalf("try %d: %d calls, want 1", k+1, got)
		}
	}
	for len(s.Events()) > 0 {
		if ev := next(t, s); ev.Kind != Status || !ev.Health.Degraded {
			t.Fatalf("while throttled: %s %+v", ev.Kind, ev.Health)
		}
	}
	r.emu.SetFaults(ecsemu.Faults{})
	r.tick(t, r.due(f).Sub(r.clock.Now()))
	// Switching faults off also lets the seeded stalled ENIs finish, so
	// rows may change too.
	healthy := false
	for len(s.Events()) > 0 {
		if ev := next(t, s); ev.Kind == Status {
			healthy = !ev.Health.Degraded
		}
	}
	if !healthy {
		t.Fatal("no healthy status after recovery")
	}
	if wait := r.due(f).Sub(r.clock.Now()); wait != r.hub.cfg.Slow && wait != r.hub.cfg.Fast {
		t.Fatalf("after recovery the next poll is in %s, want the usual %s or %s", wait, r.hub.cfg.Fast, r.hub.cfg.Slow)
	}
}

func (r *rig) due(f eni.Filter) time.Time {
	r.hub.mu.Lock()
	defer r.hub.mu.Unlock()
	return r.hub.views[f.Query()].due
}

// Pollers stop a little after their last subscriber leaves, and leave no
// goroutine behind.
func TestNoGoroutineLeftBehind(t *testing.T) {
	r := newRig(t, Config{})
	r.cloud.Regions(context.Background()) // warm the connection pool
	ignore := goleak.IgnoreCurrent()
	var subs []*Subscription
	for _, st := range []eni.Status{eni.StatusAvailable, eni.StatusInUse, eni.StatusAttaching} {
		f := eni.Filter{Region: region, Status: st}
		subs = append(subs, r.watch(t, f), r.watch(t, f))
	}
	r.idle(t, 3)
	if p := gauge(r.hub.cfg.Metrics.Pollers); p != 3 {
		t.Fatalf("%v pollers for 3 views", p)
	}
	for _, s := range subs {
		s.Close()
	}
	r.idle(t, 3)
	r.clock.Advance(r.hub.cfg.StopAfter)
	waitFor(t, func() bool { return gauge(r.hub.cfg.Metrics.Pollers) == 0 })
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
	r := newRig(t, Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary}
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

// An ENI that stays in transition past StuckAfter is flagged once, and the
// poller stops polling it fast.
func TestStuckENIIsFlagged(t *testing.T) {
	r := newRig(t, Config{StuckAfter: time.Minute})
	_, id, f, s := r.attachHeld(t)
	for range 100 {
		r.tick(t, r.hub.cfg.Fast)
		select {
		case ev := <-s.Events():
			if ev.Stuck < time.Minute || ev.ENI.Status != eni.StatusAttaching {
				t.Fatalf("got %s stuck %s, want Attaching stuck a minute", ev.ENI.Status, ev.Stuck)
			}
			if d := r.due(f).Sub(r.clock.Now()); d <= r.hub.cfg.Fast {
				t.Fatalf("a stuck ENI is still polled every %s", d)
			}
			if got := r.hub.StuckFor([]eni.ENI{ev.ENI}); got[id] < time.Minute {
				t.Fatalf("StuckFor says %v", got)
			}
			return
		default:
		}
	}
	t.Fatal("never flagged stuck")
}

// ENIs created or deleted by other tools appear in and leave the view at
// the next listing, the deleted ones said to be deleted.
func TestAppearingAndVanishingENIs(t *testing.T) {
	r := newRig(t, Config{})
	inst := r.instance(t)
	first, vsw := r.createBeside(t, inst, "live-first")
	f := eni.Filter{Region: region, VSwitchID: vsw, Type: eni.TypeSecondary, Size: 100}
	s := r.watch(t, f)
	second, _ := r.createBeside(t, inst, "live-second")
	r.tick(t, r.hub.cfg.Slow)
	ev := next(t, s)
	if ev.Kind != Added || ev.ENI.ID != second {
		t.Fatalf("got %s %s, want added %s", ev.Kind, ev.ENI.ID, second)
	}
	if _, err := r.cloud.DeleteENI(context.Background(), region, first); err != nil {
		t.Fatal(err)
	}
	r.waitCloud(t, first, "") // gone
	r.tick(t, r.hub.cfg.Slow)
	ev = next(t, s)
	if ev.Kind != Gone || ev.GoneID != first || ev.Reason != "deleted" {
		t.Fatalf("got %s %s %q, want %s gone, deleted", ev.Kind, ev.GoneID, ev.Reason, first)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 1000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition never met")
}

// attachHeld watches a new ENI's view and attaches it from this dashboard
// with the cloud holding transitions: the subscriber sees it Attaching one
// FirstDelay later, not yet stuck.
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
	r.hub.JustActed(region, []string{id}, false)
	r.tick(t, r.hub.cfg.FirstDelay)
	if ev := next(t, s); ev.Kind != Changed || ev.ENI.Status != eni.StatusAttaching || ev.Stuck != 0 {
		t.Fatalf("after the first delay: %s %s stuck %s, want row Attaching", ev.Kind, ev.ENI.Status, ev.Stuck)
	}
	return inst, id, f, s
}

// A browser coming back to a view whose poller stopped (a tab shown
// again) is brought up to date at once, not at the next slow poll; a page
// subscribing right after listing the view does not list it again.
func TestResumedViewIsPolledAtOnce(t *testing.T) {
	r := newRig(t, Config{})
	inst := r.instance(t)
	id, vsw := r.createBeside(t, inst, "live-resume")
	f := eni.Filter{Region: region, VSwitchID: vsw, Size: 100}
	s := r.watch(t, f)
	before := r.callCount()
	r.idle(t, 1)
	if n := r.callCount() - before; n != 0 {
		t.Fatalf("the view just listed by its page was polled again (%d calls)", n)
	}
	last := r.cursor(f) // where the browser was
	s.Close()
	r.clock.Advance(r.hub.cfg.StopAfter)
	waitFor(t, func() bool { return gauge(r.hub.cfg.Metrics.Pollers) == 0 })
	if n := r.callCount() - before; n != 0 {
		t.Fatalf("%d calls while nobody watched", n)
	}

	if _, err := r.cloud.DeleteENI(context.Background(), region, id); err != nil {
		t.Fatal(err)
	}
	before = r.callCount()
	back := r.hub.Subscribe(f, last)
	defer back.Close()
	r.idle(t, 1)
	if n := r.callCount() - before; n == 0 {
		t.Fatal("the resumed view was not polled at once")
	}
	if ev := next(t, back); ev.ENI.ID != id || ev.ENI.Status != eni.StatusDeleting && ev.Kind != Gone {
		t.Fatalf("got %s %s %s, want %s Deleting or gone", ev.Kind, ev.ENI.ID+ev.GoneID, ev.ENI.Status, id)
	}
}

// cursor is the latest position in view f, as its last event's ID.
func (r *rig) cursor(f eni.Filter) string {
	r.hub.mu.Lock()
	defer r.hub.mu.Unlock()
	return cursor{r.hub.boot, r.hub.views[f.Query()].seq}.String()
}

// A page whose listing was asked for before an answer the hub already
// applied does not take the watchers back to the older state; its own
// stream is sent what it lacks.
func TestStalePageListingDoesNotGoBack(t *testing.T) {
	r := newRig(t, Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary}
	s := r.watch(t, f)
	p, err := r.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: f})
	if err != nil || len(p.ENIs) == 0 {
		t.Fatal(err)
	}
	old := r.clock.Now() // a page asks the cloud now…
	r.clock.Advance(time.Second)
	renamed := append([]eni.ENI(nil), p.ENIs...)
	renamed[0].Name = "renamed"
	r.hub.Observe(f, renamed, r.clock.Now()) // …a newer answer is applied…
	if ev := next(t, s); ev.Kind != Changed || ev.ENI.Name != "renamed" {
		t.Fatalf("got %s %q, want the rename", ev.Kind, ev.ENI.Name)
	}
	from := r.hub.Observe(f, p.ENIs, old) // …then the page's older one comes
	none(t, s)
	late := r.hub.Subscribe(f, from)
	defer late.Close()
	if b := late.Backlog(); len(b) != 1 || b[0].Kind != Changed || b[0].ENI.Name != "renamed" {
		t.Fatalf("the late page's backlog: %v, want the rename", b)
	}
}
