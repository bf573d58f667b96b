package invsync_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// Fast polls once an hour: every call counted is a listing's, or a poll
// a test asked for.
var quiet = inventory.Config{Fast: time.Hour}

// settle waits until n region loops wait on the clock.
func (w *world) settle(t testing.TB, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.clock.BlockUntilContext(ctx, n); err != nil {
		t.Fatalf("the regions never came to rest: %v", err)
	}
}

// Two replicas watch one region: one lists it, the other makes no cloud
// call, is ready with the same view once the listing is complete, and
// hears of a change made from elsewhere through the database.
func TestOneReplicaListsTheOtherFollows(t *testing.T) {
	w := newWorld(t, 200)
	reps := []*replica{w.replica(t, "a", quiet), w.replica(t, "b", quiet)}
	regs := []*inventory.Region{reps[0].acquire(t), reps[1].acquire(t)}
	waitFor(t, "both replicas ready", func() bool { return regs[0].Progress().Ready && regs[1].Progress().Ready })
	l := leaderOf(t, regs...)
	f := 1 - l
	leader, follower := regs[l], regs[f]
	if n := reps[f].count(describe); n != 0 {
		t.Errorf("the follower made %d listing calls", n)
	}
	if reps[l].count(describe) == 0 {
		t.Fatal("the leader made no listing call")
	}
	if a, b := view(t, leader), view(t, follower); !slices.Equal(a, b) {
		t.Fatalf("the follower's view differs from the leader's:\n%v\n%v", a, b)
	}
	lp, fp := leader.Progress(), follower.Progress()
	if !fp.AsOf.Equal(lp.AsOf) || fp.Interval != lp.Interval || fp.Listed != lp.Listed || fp.Total != lp.Total {
		t.Errorf("follower's progress %+v, leader's %+v", fp, lp)
	}

	sub := follower.Subscribe()
	defer sub.Close()
	target := attachOne(t, w, follower)
	w.clock.Advance(lp.Interval) // the leader's next listing finds it
	deadline := time.After(30 * time.Second)
	for found := false; !found; {
		select {
		case cs, ok := <-sub.C:
			if !ok {
				t.Fatal("the follower's subscription closed")
			}
			for _, c := range cs.Changed {
				found = found || c.ENI.ID == target && c.ENI.Status == eni.StatusAttaching
			}
		case <-deadline:
			t.Fatalf("the attach of %s never reached the follower's subscribers", target)
		}
	}
	if a, b := view(t, leader), view(t, follower); !slices.Equal(a, b) {
		t.Fatalf("after the attach, the follower's view differs from the leader's:\n%v\n%v", a, b)
	}
	if n := reps[f].count(describe); n != 0 {
		t.Errorf("the follower made %d listing calls", n)
	}
}

// attachOne attaches an Available secondary ENI of the region to an
// instance that takes it, with a client of its own, and returns its ID.
func attachOne(t testing.TB, w *world, r *inventory.Region) string {
	t.Helper()
	ctx := context.Background()
	insts, err := w.cloud.Instances(ctx, region, "")
	if err != nil {
		t.Fatal(err)
	}
	avail := r.Store().Select(eni.View{Filter: eni.Filter{Region: region, Status: eni.StatusAvailable, Type: eni.TypeSecondary}}, inventory.Options{})
	for _, in := range insts {
		if in.Status != "Running" || in.ENILimit-in.ENICount < 1 {
			continue
		}
		for _, e := range avail {
			if e.VpcID != in.VpcID || e.ZoneID != in.ZoneID {
				continue
			}
			if _, err := w.cloud.AttachENI(ctx, eni.AttachRequest{Region: region, ENIID: e.ID, InstanceID: in.ID}); err == nil {
				return e.ID
			}
		}
	}
	t.Fatal("no ENI could be attached")
	return ""
}

// Cloud calls over ten refresh intervals with two and three replicas
// watching the region are those of one replica alone.
func TestCloudCallsDoNotGrowWithReplicas(t *testing.T) {
	const intervals = 10
	calls := map[int]int{}
	for _, n := range []int{1, 2, 3} {
		w := newWorld(t, 1200)
		var reps []*replica
		var regs []*inventory.Region
		for i := range n {
			reps = append(reps, w.replica(t, string(rune('a'+i)), quiet))
			regs = append(regs, reps[i].acquire(t))
		}
		waitFor(t, "every replica ready", func() bool {
			for _, r := range regs {
				if !r.Progress().Ready {
					return false
				}
			}
			return true
		})
		w.settle(t, n)
		total := func() int {
			sum := 0
			for _, r := range reps {
				sum += r.count(describe)
			}
			return sum
		}
		before := total()
		for range intervals {
			w.clock.Advance(regs[leaderOf(t, regs...)].Progress().Interval)
			now := w.clock.Now()
			waitFor(t, "every replica has the new listing", func() bool {
				for _, r := range regs {
					if !r.Progress().AsOf.Equal(now) {
						return false
					}
				}
				return true
			})
			w.settle(t, n)
		}
		calls[n] = total() - before
		for _, r := range reps {
			r.close()
		}
	}
	t.Logf("DescribeNetworkInterfaces calls over %d refresh intervals: 1 replica %d, 2 replicas %d, 3 replicas %d",
		intervals, calls[1], calls[2], calls[3])
	if calls[1] == 0 {
		t.Fatal("no call counted")
	}
	for _, n := range []int{2, 3} {
		if ratio := float64(calls[n]) / float64(calls[1]); ratio > 1.2 {
			t.Errorf("%d replicas made %d calls, %.2f times one replica's %d", n, calls[n], ratio, calls[1])
		}
	}
}
