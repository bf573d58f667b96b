package live

import (
	"context"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"enidash/internal/aliyun"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/inventory"
)

const region = "cn-hangzhou"

const describe = "DescribeNetworkInterfaces"

// linger is how long the rigs' regions outlive their last view.
const linger = time.Minute

// rig is a hub fed by the inventory of the emulator's regions, listed
// through the real SDK over loopback HTTP, all on one fake clock, with
// every cloud call counted.
type rig struct {
	hub   *Hub
	inv   *inventory.Manager
	icfg  inventory.Config
	clock *clockwork.FakeClock
	emu   *ecsemu.Emulator
	cloud *aliyun.Client

	mu    sync.Mutex
	calls map[string]int // by "action outcome"
}

func newRig(t *testing.T, cfg Config, icfg inventory.Config) *rig {
	t.Helper()
	emu := ecsemu.New(ecsemu.Config{World: ecsemu.WorldConfig{
		AttachDelay: 20 * time.Millisecond, DetachDelay: 20 * time.Millisecond, DeleteDelay: 20 * time.Millisecond, Jitter: -1}})
	srv := httptest.NewServer(emu)
	r := &rig{emu: emu, calls: map[string]int{}, clock: clockwork.NewFakeClock()}
	id, secret := emu.AccessKey()
	cloud, err := aliyun.New(aliyun.Config{Endpoint: srv.Listener.Addr().String(), Protocol: "http",
		AccessKeyID: id, AccessKeySecret: secret, ReadAttempts: 1,
		OnCall: func(action, outcome string) {
			r.mu.Lock()
			r.calls[action+" "+outcome]++
			r.mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	r.cloud = cloud
	icfg.Clock, cfg.Clock = r.clock, r.clock
	r.icfg = icfg
	r.inv = inventory.NewManager(cloud, icfg, linger)
	r.hub = New(r.inv, cfg)
	t.Cleanup(func() {
		r.hub.Close()
		r.inv.Close()
		srv.Close()
		emu.Close()
	})
	return r
}

// callCount is how many cloud calls were made, of every kind.
func (r *rig) callCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		n += c
	}
	return n
}

func (r *rig) count(action, outcome string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[action+" "+outcome]
}

// settle waits until every region's loop and every feed waits on the
// clock (or, for a region nobody holds, on it and its linger), then has
// the feed apply what its region published.
func (r *rig) settle(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := r.clock.BlockUntilContext(ctx, 2*r.inv.Len()); err != nil {
		t.Fatalf("the regions and feeds never came to rest: %v", err)
	}
	r.hub.flush(region)
}

// tick advances the clock by d and waits for what falls due to be done.
func (r *rig) tick(t *testing.T, d time.Duration) {
	t.Helper()
	r.settle(t)
	r.clock.Advance(d)
	r.settle(t)
}

// region is the running inventory of the rigs' region.
func (r *rig) region(t *testing.T) *inventory.Region {
	t.Helper()
	reg := r.inv.Running(region)
	if reg == nil {
		t.Fatal("the region's inventory does not run")
	}
	return reg
}

// interval is the region's refresh interval.
func (r *rig) interval(t *testing.T) time.Duration {
	t.Helper()
	return r.region(t).Progress().Interval
}

// acted tells the hub an ENI was acted on and waits until the region's
// poll by ID that follows is applied.
func (r *rig) acted(t *testing.T, id string, created bool) {
	t.Helper()
	before := r.count(describe, "ok")
	r.hub.JustActed(region, []string{id}, created)
	waitFor(t, func() bool { return r.count(describe, "ok") > before })
	r.settle(t)
}

// next is the next event of s; the test fails if none comes.
func next(t *testing.T, s *Subscription) *Event {
	t.Helper()
	select {
	case ev, ok := <-s.Events():
		if !ok {
			t.Fatal("subscription ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	return nil
}

// nextFor is the next event of s about id, skipping others.
func nextFor(t *testing.T, s *Subscription, id string) *Event {
	t.Helper()
	for {
		if ev := next(t, s); ev.ENI.ID == id || ev.GoneID == id {
			return ev
		}
	}
}

// none checks that s has no event waiting.
func none(t *testing.T, s *Subscription) {
	t.Helper()
	select {
	case ev := <-s.Events():
		t.Fatalf("unexpected event %s %s%s", ev.Kind, ev.ENI.ID, ev.GoneID)
	default:
	}
}

// instance is a running instance of the seeded account with room for one
// more ENI.
func (r *rig) instance(t *testing.T) eni.Instance {
	t.Helper()
	all, err := r.cloud.Instances(context.Background(), region, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range all {
		if in.Status == "Running" && in.ENILimit > in.ENICount+1 {
			return in
		}
	}
	t.Fatal("no instance with room")
	return eni.Instance{}
}

// createBeside creates an Available ENI in inst's zone and VPC, with the
// groups of its primary ENI, and returns it with its vSwitch.
func (r *rig) createBeside(t *testing.T, inst eni.Instance, name string) (id, vswitch string) {
	t.Helper()
	ctx := context.Background()
	p, err := r.cloud.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: region, InstanceID: inst.ID, Type: eni.TypePrimary}})
	if err != nil || len(p.ENIs) != 1 {
		t.Fatalf("primary ENI of %s: %v", inst.ID, err)
	}
	vsws, err := r.cloud.VSwitches(ctx, region, inst.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(vsws, func(v eni.VSwitch) bool { return v.ZoneID == inst.ZoneID && v.AvailableIP > 10 })
	if k < 0 {
		t.Fatal("no vSwitch with room")
	}
	res, err := r.cloud.CreateENI(ctx, eni.CreateRequest{Region: region, VSwitchID: vsws[k].ID,
		SecurityGroupIDs: p.ENIs[0].SecurityGroups, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return res.ENIID, vsws[k].ID
}

// waitCloud waits (in real time) until the cloud reports id in status,
// or, for status "", no longer knows it.
func (r *rig) waitCloud(t *testing.T, id string, status eni.Status) {
	t.Helper()
	for range 500 {
		got, err := r.cloud.ENIsByID(context.Background(), region, []string{id})
		if err == nil && (len(got) == 1 && got[0].Status == status || len(got) == 0 && status == "") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never became %s", id, status)
}

// watch observes view f as a page would (listing it from the cloud) and
// subscribes from there, then waits until its region is listed and fed.
func (r *rig) watch(t *testing.T, f eni.Filter) *Subscription {
	t.Helper()
	p, err := r.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	s := r.hub.Subscribe(f, r.hub.Observe(f, p.ENIs, r.clock.Now()))
	if len(s.Backlog()) != 0 {
		t.Fatalf("fresh subscriber got a backlog: %v", s.Backlog())
	}
	t.Cleanup(s.Close)
	r.settle(t)
	if !r.region(t).Progress().Ready {
		t.Fatal("the region was not listed")
	}
	return s
}

// cursor is the latest position in view f, as its last event's ID.
func (r *rig) cursor(f eni.Filter) string {
	r.hub.mu.Lock()
	defer r.hub.mu.Unlock()
	return cursor{r.hub.boot, r.hub.views[ViewOf(f).Query()].seq}.String()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 2000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition never met")
}
