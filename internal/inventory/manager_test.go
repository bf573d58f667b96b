package inventory

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// A region starts with its first Acquire, is shared by later ones, and
// stops Linger after its last release, unless acquired again meanwhile;
// its goroutine ends with it.
func TestManagerLingersThenDrops(t *testing.T) {
	rg := newRig(t, 0, Config{Fast: time.Hour})
	rg.cloud.Regions(context.Background()) // warm the connection pool
	ignore := goleak.IgnoreCurrent()
	m := NewManager(rg.cloud, Config{Clock: rg.clock, Fast: time.Hour}, time.Minute)
	defer m.Close()

	a, releaseA := m.Acquire(testRegion)
	b, releaseB := m.Acquire(testRegion)
	if a != b || m.Len() != 1 {
		t.Fatalf("two Acquires of one region gave %p and %p, %d running", a, b, m.Len())
	}
	rg.settle(t) // its first listing is done
	if !a.Progress().Ready {
		t.Fatalf("not listed: %+v", a.Progress())
	}
	listings := rg.count(describe, "ok")
	releaseA()
	releaseA() // giving back twice counts once
	releaseB()
	if m.Running(testRegion) != a {
		t.Fatal("the region stopped at once after its last release")
	}
	rg.clock.Advance(30 * time.Second)   // past its refresh interval
	waiters(t, rg, 2)                    // the region's and the linger's
	c, releaseC := m.Acquire(testRegion) // back within the linger
	if c != a {
		t.Fatal("a region acquired again while lingering was listed anew")
	}
	releaseC()
	rg.clock.Advance(59 * time.Second)
	if m.Running(testRegion) == nil {
		t.Fatal("dropped before the linger after its last release")
	}
	rg.clock.Advance(time.Second)
	waitUntil(t, func() bool { return m.Running(testRegion) == nil })
	if n := rg.count(describe, "ok") - listings; n == 0 {
		t.Error("the lingering region was not refreshed")
	}
	goleak.VerifyNone(t, ignore,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))

	d, releaseD := m.Acquire(testRegion)
	defer releaseD()
	if d == a {
		t.Fatal("a dropped region came back instead of a new one")
	}
}

// The budget reaches the regions: a 60-call budget refreshes a region of
// 20,000 ENIs every 80 s.
func TestManagerPassesTheBudget(t *testing.T) {
	rg := newRig(t, 0, Config{})
	m := NewManager(rg.cloud, Config{Clock: rg.clock, Budget: 60}, 0)
	defer m.Close()
	r, release := m.Acquire(testRegion)
	defer release()
	if got := r.cfg.RefreshInterval(20000); got != 80*time.Second {
		t.Fatalf("refresh of 20,000 ENIs every %s, want 80s", got)
	}
	if m.linger != DefaultLinger {
		t.Fatalf("linger %s, want the default %s", m.linger, DefaultLinger)
	}
}

// After Close nothing runs and Acquire gives nothing.
func TestManagerClosed(t *testing.T) {
	rg := newRig(t, 0, Config{})
	m := NewManager(rg.cloud, Config{Clock: rg.clock}, 0)
	m.Acquire(testRegion)
	m.Close()
	if r, release := m.Acquire(testRegion); r != nil || m.Len() != 0 {
		t.Fatalf("after Close: %v, %d running", r, m.Len())
	} else {
		release()
	}
}

// waiters waits until n timers wait on the rig's clock.
func waiters(t *testing.T, rg *rig, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rg.clock.BlockUntilContext(ctx, n); err != nil {
		t.Fatal(err)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for range 2000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition never met")
}
