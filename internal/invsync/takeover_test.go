package invsync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// two starts two replicas watching the region and waits until both are
// ready; it returns them leader first.
func two(t *testing.T, w *world) (reps [2]*replica, regs [2]*inventory.Region) {
	t.Helper()
	a, b := w.replica(t, "a", quiet), w.replica(t, "b", quiet)
	ra, rb := a.acquire(t), b.acquire(t)
	waitFor(t, "both replicas ready", func() bool { return ra.Progress().Ready && rb.Progress().Ready })
	w.settle(t, 2) // the leader's first polls of ENIs in transition are done
	if leaderOf(t, ra, rb) == 1 {
		return [2]*replica{b, a}, [2]*inventory.Region{rb, ra}
	}
	return [2]*replica{a, b}, [2]*inventory.Region{ra, rb}
}

// lockHolder is the backend holding the database's region lock; 0 when
// none does.
func lockHolder(t *testing.T, w *world) int {
	t.Helper()
	var pid int
	err := w.pg.DB.QueryRow(`SELECT coalesce(max(pid), 0) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&pid)
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// The leader stops (its process shuts down): the follower takes the
// region within one refresh interval and lists it.
func TestFollowerTakesOverWhenTheLeaderStops(t *testing.T) {
	w := newWorld(t, 0)
	reps, regs := two(t, w)
	iv := regs[0].Progress().Interval
	w.clock.Advance(time.Millisecond)
	stopped := w.clock.Now()
	reps[0].close()
	if pid := lockHolder(t, w); pid != 0 {
		t.Fatalf("backend %d still holds the region's lock after its replica closed", pid)
	}
	// The follower tries the lead at least every interval/2.
	withinInterval(t, w, iv, "the follower leads and lists", func() bool {
		return regs[1].Leading() && !regs[1].Progress().AsOf.Before(stopped)
	})
	if reps[1].count(describe) == 0 {
		t.Fatal("the new leader made no listing call")
	}
	if !regs[1].Progress().Ready {
		t.Fatalf("the new leader is not ready: %+v", regs[1].Progress())
	}
}

// The leader's lock connection dies (pg_terminate_backend): it stops
// leading at once, and within one refresh interval the region is led
// again on a live connection and listed.
func TestLeadMovesWhenTheLockConnectionDies(t *testing.T) {
	w := newWorld(t, 0)
	reps, regs := two(t, w)
	iv := regs[0].Progress().Interval
	old := lockHolder(t, w)
	if old == 0 {
		t.Fatal("no backend holds the region's lock")
	}
	// A moment later than the first listing, so that a listing started
	// after the connection died is told from it.
	w.clock.Advance(time.Millisecond)
	died := w.clock.Now()
	if _, err := w.pg.DB.Exec(`SELECT pg_terminate_backend($1)`, old); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the leader steps down", func() bool { return reps[0].logs.has("lost the region's lead") })
	// The replica that stepped down may take the lead back at once (and
	// list then), or either takes it at its next try: both are a listing
	// started since the connection died.
	withinInterval(t, w, iv, "the region is led and listed again", func() bool {
		pid := lockHolder(t, w)
		return pid != 0 && pid != old && (regs[0].Leading() || regs[1].Leading()) &&
			!regs[0].Progress().AsOf.Before(died) && !regs[1].Progress().AsOf.Before(died)
	})
	leaderOf(t, regs[0], regs[1])
}

// An action's ENI is polled by the replica that acted, a follower here,
// and the leader's snapshot sees the result; so does a Refresh now.
func TestFollowerPollsWhatItActedOn(t *testing.T) {
	w := newWorld(t, 0)
	reps, regs := two(t, w)
	leader, follower := regs[0], regs[1]
	sub := leader.Subscribe()
	defer sub.Close()
	var target eni.ENI
	for _, e := range follower.Store().Select(eni.View{Filter: eni.Filter{Region: region, Status: eni.StatusInUse, Type: eni.TypeSecondary}}, inventory.Options{}) {
		target = e
		break
	}
	ctx := context.Background()
	if _, err := w.cloud.DetachENI(ctx, eni.DetachRequest{Region: region, ENIID: target.ID, InstanceID: target.InstanceID}); err != nil {
		t.Fatal(err)
	}
	leaderCalls, followerCalls := reps[0].count(describe), reps[1].count(describe)
	follower.Hot(target.ID)
	waitFor(t, "the leader sees the detach", func() bool {
		e, _ := leader.Store().Get(target.ID)
		return e.Status == eni.StatusDetaching
	})
	if n := reps[1].count(describe) - followerCalls; n != 1 {
		t.Errorf("the follower made %d calls for one poll", n)
	}
	if n := reps[0].count(describe) - leaderCalls; n != 0 {
		t.Errorf("the leader made %d calls", n)
	}
	if e, _ := follower.Store().Get(target.ID); e.Status != eni.StatusDetaching {
		t.Errorf("the follower has %s %s", e.ID, e.Status)
	}

	created, err := w.cloud.CreateENI(ctx, eni.CreateRequest{Region: region, VSwitchID: target.VSwitchID,
		SecurityGroupIDs: target.SecurityGroups[:1], ClientToken: "follower-relist"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := follower.Relist(ctx, eni.Filter{Region: region, VSwitchID: target.VSwitchID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the leader sees the ENI the follower's relisting found", func() bool {
		_, ok := leader.Store().Get(created.ENIID)
		return ok
	})
	if n := reps[0].count(describe) - leaderCalls; n != 0 {
		t.Errorf("the leader made %d calls", n)
	}
}

// Closing the replicas' inventories and coordinators leaves nothing
// running.
func TestNothingLeftRunning(t *testing.T) {
	w := newWorld(t, 0)
	w.cloud.Regions(context.Background()) // the shared pool's connections
	ignore := goleak.IgnoreCurrent()
	reps, _ := two(t, w)
	reps[0].close()
	reps[1].close()
	goleak.VerifyNone(t, ignore,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
}

// A replica that takes a region nobody led for more than three refresh
// intervals does not claim it ready before its own listing ends; once it
// does, it is.
func TestStaleRegionIsNotReadyBeforeItsOwnListing(t *testing.T) {
	w := newWorld(t, 0)
	// A 10 ms refresh interval, so the rows grow stale in 30 ms.
	cfg := inventory.Config{Fast: time.Hour, Slow: 10 * time.Millisecond, Budget: 1_000_000}
	a := w.replica(t, "a", cfg)
	ra := a.acquire(t)
	waitFor(t, "a ready", func() bool { return ra.Progress().Ready })
	iv := ra.Progress().Interval
	a.close()
	waitFor(t, "the rows are older than three refresh intervals", func() bool {
		var stale bool
		err := w.pg.DB.QueryRow(`SELECT extract(epoch FROM now() - updated_at) * 1000 > $1 FROM inventory_regions`,
			3*iv.Milliseconds()).Scan(&stale)
		if err != nil {
			t.Fatal(err)
		}
		return stale
	})

	w.emu.SetFaults(ecsemu.Faults{ThrottleRate: 1})
	b := w.replica(t, "b", cfg)
	rb := b.acquire(t)
	waitFor(t, "b leads and its listing failed", func() bool { return rb.Leading() && rb.Progress().Err != nil })
	if rb.Store().Len() == 0 {
		t.Fatal("b did not start from the rows a wrote")
	}
	if _, err := rb.Query(eni.View{Filter: eni.Filter{Region: region}}, inventory.Options{}); !errors.Is(err, inventory.ErrNotReady) {
		t.Fatalf("b answers views from stale rows before its own listing: %v, %+v", err, rb.Progress())
	}
	w.emu.SetFaults(ecsemu.Faults{})
	w.clock.Advance(rb.Progress().Retry.Sub(w.clock.Now()))
	waitFor(t, "b ready after its own listing", func() bool { return rb.Progress().Ready })
}

// withinInterval moves the fake clock on in small steps, one refresh
// interval at most, until cond holds; it fails if cond does not hold by
// then. Stepping, rather than one jump, lets timers set while the clock
// moves fire too, as they would in real time.
func withinInterval(t *testing.T, w *world, iv time.Duration, what string, cond func() bool) {
	t.Helper()
	var moved time.Duration
	waitFor(t, what+" within one refresh interval", func() bool {
		if cond() {
			return true
		}
		if moved < iv {
			w.clock.Advance(iv / 50)
			moved += iv / 50
		}
		return false
	})
}
