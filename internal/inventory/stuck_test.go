package inventory

import (
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// An ENI stuck in a transition is polled fast for StuckAfter, then left to
// the listings, so a stalled ENI does not spend the budget forever; acted
// on again, it is polled fast again.
func TestStuckENIsAreLeftToTheListings(t *testing.T) {
	rg := newRig(t, 0, Config{StuckAfter: time.Minute})
	rg.emu.SetFaults(ecsemu.Faults{StuckTransitions: true})
	rg.start(t)
	var stalled []string // the seed's ENIs in transition
	for _, e := range rg.region.Store().Select(eni.View{Filter: eni.Filter{Region: testRegion}}, Options{}) {
		if e.Status.Transitional() {
			stalled = append(stalled, e.ID)
		}
	}
	if len(stalled) == 0 || rg.region.hotCount() != len(stalled) {
		t.Fatalf("%d ENIs in transition, %d hot", len(stalled), rg.region.hotCount())
	}
	fast := rg.region.cfg.fastInterval(len(stalled))
	for start := rg.clock.Now(); rg.clock.Since(start) < time.Minute+fast; {
		rg.clock.Advance(fast)
		rg.settle(t)
	}
	if n := rg.region.hotCount(); n != 0 {
		t.Fatalf("%d stuck ENIs still polled fast after StuckAfter", n)
	}
	before := rg.count(describe, "ok")
	interval := rg.region.Progress().Interval
	rg.clock.Advance(interval)
	rg.settle(t)
	if n := rg.count(describe, "ok") - before; n != 1 {
		t.Fatalf("%d calls in a refresh interval, want the listing's 1", n)
	}
	if n := rg.region.hotCount(); n != 0 {
		t.Fatalf("the listing made %d stuck ENIs hot again", n)
	}
	rg.region.Hot(stalled[0])
	waitUntil(t, func() bool { return rg.count(describe, "ok") > before+1 })
	rg.settle(t)
	if n := rg.region.hotCount(); n != 1 {
		t.Fatalf("%d hot after acting on a stuck ENI, want it alone", n)
	}
}
