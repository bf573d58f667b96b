package inventory

import (
	"context"
	"slices"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

const describe = "DescribeNetworkInterfaces"

func TestRefreshInterval(t *testing.T) {
	tests := []struct {
		cfg  Config
		enis int
		want time.Duration
	}{
		{Config{}, 500, 15 * time.Second},
		{Config{}, 5000, 15 * time.Second},
		{Config{}, 20000, 40 * time.Second},
		{Config{}, 100000, 200 * time.Second},
		{Config{Budget: 60}, 20000, 80 * time.Second},
		{Config{Budget: 120, Reserved: 100}, 5000, 30 * time.Second},
		{Config{Slow: time.Minute}, 500, time.Minute},
	}
	for _, tt := range tests {
		if got := tt.cfg.RefreshInterval(tt.enis); got != tt.want {
			t.Errorf("%+v: %d ENIs every %s, want %s", tt.cfg, tt.enis, got, tt.want)
		}
	}
}

// A region is listed in pages of 500 with its progress, then again once
// its interval has passed, and not before.
func TestRegionListsAndRefreshes(t *testing.T) {
	// Fast polls of the seeded ENIs in transition once an hour, so every
	// call counted here is the listing's.
	rg := newRig(t, 1200, Config{Fast: time.Hour})
	rg.start(t)
	p := rg.region.Progress()
	n := rg.region.Store().Len()
	if p.Listed != n || p.Total != n || n < 1200 {
		t.Fatalf("progress %+v for %d ENIs", p, n)
	}
	if p.Interval != 15*time.Second || !p.AsOf.Equal(rg.clock.Now()) {
		t.Errorf("interval %s as of %s", p.Interval, p.AsOf)
	}
	pages := (n + 499) / 500
	before := rg.count(describe, "ok")
	rg.clock.Advance(p.Interval - time.Second)
	rg.settle(t)
	if got := rg.count(describe, "ok"); got != before {
		t.Errorf("%d calls before the interval passed", got-before)
	}
	rg.clock.Advance(time.Second)
	rg.settle(t)
	if got := rg.count(describe, "ok") - before; got != pages {
		t.Errorf("a refresh of %d ENIs made %d calls, want %d", n, got, pages)
	}
	if p2 := rg.region.Progress(); !p2.AsOf.After(p.AsOf) {
		t.Errorf("refresh not recorded: %+v", p2)
	}
}

// Throttling backs the refresh off with growing, jittered waits, said in
// the progress; once the cloud answers again the listing goes on.
func TestRegionBacksOffWhenThrottled(t *testing.T) {
	rg := newRig(t, 0, Config{Fast: 2 * time.Second})
	rg.start(t)
	rg.emu.SetFaults(ecsemu.Faults{ThrottleRate: 1})
	rg.clock.Advance(rg.region.Progress().Interval)
	var waits []time.Duration
	for range 4 {
		rg.settle(t)
		p := rg.region.Progress()
		ce, ok := eni.AsCloudError(p.Err)
		if !ok || !ce.Throttled() {
			t.Fatalf("progress error %v, want throttling", p.Err)
		}
		wait := p.Retry.Sub(rg.clock.Now())
		waits = append(waits, wait)
		rg.clock.Advance(wait)
	}
	// 2s, 4s, 8s, 16s, each ±50%, whatever the fast polls meet.
	for i, w := range waits {
		base := 2 * time.Second << i
		if w < base/2 || w > base*3/2 {
			t.Errorf("wait %d = %s, want within 50%% of %s", i, w, base)
		}
	}
	rg.emu.SetFaults(ecsemu.Faults{})
	before := rg.region.Progress().AsOf
	rg.settle(t)
	rg.clock.Advance(rg.region.Progress().Retry.Sub(rg.clock.Now()))
	rg.settle(t)
	if p := rg.region.Progress(); p.Err != nil || !p.AsOf.After(before) {
		t.Errorf("after the throttling ended: %+v", p)
	}
}

// ENIs just acted on are polled by ID, all in one call, until they
// settle; a settled one cools down after one poll.
func TestRegionPollsHotENIs(t *testing.T) {
	rg := newRig(t, 0, Config{})
	rg.start(t)
	sub := rg.region.Subscribe()
	defer sub.Close()
	ctx := context.Background()
	var avail []eni.ENI
	for _, e := range rg.region.Store().Select(eni.View{Filter: eni.Filter{Status: eni.StatusAvailable}}, Options{}) {
		if e.Type == eni.TypeSecondary {
			avail = append(avail, e)
		}
	}
	target := avail[0]
	if _, err := rg.cloud.DeleteENI(ctx, testRegion, target.ID); err != nil {
		t.Fatal(err)
	}
	seeded := rg.region.hotCount() // the seed's ENIs in transition
	before := rg.count(describe, "ok")
	rg.region.Hot(target.ID, avail[1].ID)
	cs := <-sub.C
	if len(cs.Changed) != 1 || cs.Changed[0].ENI.ID != target.ID || cs.Changed[0].ENI.Status != eni.StatusDeleting {
		t.Fatalf("change set %+v, want %s Deleting", cs, target.ID)
	}
	rg.settle(t)
	if got := rg.count(describe, "ok") - before; got != 1 {
		t.Errorf("%d calls for one poll of two ENIs", got)
	}
	if n := rg.region.hotCount(); n != seeded+1 {
		t.Errorf("%d ENIs still hot, want the %d in transition and the Deleting one", n, seeded)
	}
	rg.clock.Advance(rg.region.cfg.Fast)
	rg.settle(t)
	if got := rg.count(describe, "ok") - before; got != 2 {
		t.Errorf("%d calls after two fast polls", got)
	}
}

// Relisting a view merges the cloud's answer: a new ENI is added, a
// changed one updated, and one the snapshot has but the cloud lost is
// asked for by ID and removed.
func TestRegionRelist(t *testing.T) {
	rg := newRig(t, 0, Config{})
	rg.start(t)
	ctx := context.Background()
	store := rg.region.Store()
	var inUse eni.ENI
	for _, e := range store.Select(eni.View{Filter: eni.Filter{Status: eni.StatusInUse, Type: eni.TypeSecondary}}, Options{}) {
		inUse = e
		break
	}
	vsw := inUse.VSwitchID
	created, err := rg.cloud.CreateENI(ctx, eni.CreateRequest{Region: testRegion, VSwitchID: vsw,
		SecurityGroupIDs: inUse.SecurityGroups[:1], ClientToken: "relist-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rg.cloud.DetachENI(ctx, eni.DetachRequest{Region: testRegion, ENIID: inUse.ID, InstanceID: inUse.InstanceID}); err != nil {
		t.Fatal(err)
	}
	ghost := inUse
	ghost.ID, ghost.PrivateIPs, ghost.PrimaryIP = "eni-bp1ghost00000000", nil, "10.255.0.1"
	store.Upsert([]eni.ENI{ghost}, rg.clock.Now().Add(-time.Second))

	cs, err := rg.region.Relist(ctx, eni.Filter{VSwitchID: vsw})
	if err != nil {
		t.Fatal(err)
	}
	if ids := idsOf(changesENIs(cs.Added)); !slices.Equal(ids, []string{created.ENIID}) {
		t.Errorf("added %v, want %s", ids, created.ENIID)
	}
	if ids := idsOf(changesENIs(cs.Removed)); !slices.Equal(ids, []string{ghost.ID}) {
		t.Errorf("removed %v, want %s", ids, ghost.ID)
	}
	if e, _ := store.Get(inUse.ID); e.Status != eni.StatusDetaching {
		t.Errorf("%s is %s in the snapshot, want Detaching", inUse.ID, e.Status)
	}
}

func changesENIs(cs []Change) []eni.ENI {
	out := make([]eni.ENI, len(cs))
	for i, c := range cs {
		out[i] = c.ENI
	}
	return out
}

// A subscriber that falls behind is dropped; the others keep receiving.
func TestSlowSubscriberDropped(t *testing.T) {
	var f fanout
	slow, quick := f.subscribe(1), f.subscribe(8)
	one := ChangeSet{Added: []Change{{ENI: eni.ENI{ID: "eni-bp1aaaa"}}}}
	for range 3 {
		f.publish(one)
	}
	if !slow.Dropped() {
		t.Error("the slow subscriber is still subscribed")
	}
	n := 0
	for range slow.C {
		n++
	}
	if n != 1 {
		t.Errorf("slow subscriber got %d sets before being dropped, want 1", n)
	}
	if len(quick.C) != 3 || quick.Dropped() {
		t.Errorf("quick subscriber has %d sets, dropped %v", len(quick.C), quick.Dropped())
	}
	quick.Close()
	f.publish(one) // no one left; must not panic on a closed channel
}
