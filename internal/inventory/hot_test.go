package inventory

import (
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// An ENI acted on while nothing was polled fast is polled once, at once,
// and then at the fast pace: not twice in a row.
func TestHotPollsOnceAtOnce(t *testing.T) {
	rg := newRig(t, 0, Config{StuckAfter: time.Minute})
	rg.emu.SetFaults(ecsemu.Faults{StuckTransitions: true})
	rg.start(t)
	var stalled string
	for _, e := range rg.region.Store().Select(eni.View{Filter: eni.Filter{Region: testRegion}}, Options{}) {
		if e.Status.Transitional() {
			stalled = e.ID
			break
		}
	}
	// Past StuckAfter nothing is polled fast, and the last fast poll is
	// long past.
	for rg.region.hotCount() > 0 {
		rg.clock.Advance(rg.region.cfg.Fast)
		rg.settle(t)
	}
	rg.clock.Advance(rg.region.Progress().Interval)
	rg.settle(t)

	before := rg.count(describe, "ok")
	rg.region.Hot(stalled)
	waitUntil(t, func() bool { return rg.count(describe, "ok") > before })
	rg.settle(t)
	if n := rg.count(describe, "ok") - before; n != 1 {
		t.Fatalf("%d calls right after acting on one ENI, want 1", n)
	}
}
