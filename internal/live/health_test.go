package live

import (
	"context"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// lastStatus is the health in the last status event s has waiting, and
// whether there was one.
func lastStatus(t *testing.T, s *Subscription) (Health, bool) {
	t.Helper()
	var hl Health
	seen := false
	for len(s.Events()) > 0 {
		if ev := next(t, s); ev.Kind == Status {
			hl, seen = ev.Health, true
		}
	}
	return hl, seen
}

// A poll by ID that fails raises the view's banner as a failing listing
// does, saying when it is tried again; the next poll that works clears
// it. The region's listing works throughout.
func TestFailedPollRaisesTheBanner(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary}
	s := r.watch(t, f)
	p, err := r.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: f})
	if err != nil || len(p.ENIs) == 0 {
		t.Fatal(err)
	}
	lists := r.region(t).Progress().AsOf

	for _, c := range []struct {
		faults  ecsemu.Faults
		outcome string
		says    string
	}{
		{ecsemu.Faults{ThrottleRate: 1}, "throttled", "throttling"},
		{ecsemu.Faults{ErrorRate: 1}, "server_error", "failed to answer"},
	} {
		r.emu.SetFaults(c.faults)
		before := r.count(describe, c.outcome)
		r.hub.JustActed(region, []string{p.ENIs[0].ID}, false)
		waitFor(t, func() bool { return r.count(describe, c.outcome) > before })
		r.settle(t)
		prog := r.region(t).Progress()
		hl, _ := lastStatus(t, s)
		wait := roundSec(prog.PollRetry.Sub(r.clock.Now()))
		if !hl.Degraded || !strings.Contains(hl.Message, c.says) || !strings.Contains(hl.Message, "next try in "+wait.String()) {
			t.Fatalf("after a %s poll: status %+v, want a banner saying %q, next try in %s", c.outcome, hl, c.says, wait)
		}
		r.emu.SetFaults(ecsemu.Faults{})
		before = r.count(describe, "ok")
		r.tick(t, prog.PollRetry.Sub(r.clock.Now()))
		waitFor(t, func() bool { return r.count(describe, "ok") > before })
		r.settle(t)
		if hl, seen := lastStatus(t, s); !seen || hl.Degraded {
			t.Fatalf("after a poll that worked: status %+v (sent %t), want the banner cleared", hl, seen)
		}
	}
	if got := r.region(t).Progress(); got.Err != nil || !got.AsOf.Equal(lists) {
		t.Fatalf("the listing failed or ran meanwhile: %+v", got)
	}
}
