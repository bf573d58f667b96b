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
)

const region = "cn-hangzhou"

// rig is a hub on a fake clock polling the emulator through the real SDK,
// with every cloud call counted.
type rig struct {
	hub   *Hub
	clock *clockwork.FakeClock
	emu   *ecsemu.Emulator
	cloud *aliyun.Client

	mu    sync.Mutex
	calls map[string]int // by "action outcome"
}

func newRig(t *testing.T, cfg Config) *rig {
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
	cfg.Clock = r.clock
	r.hub = New(cloud, cfg)
	t.Cleanup(func() {
		r.hub.Close()
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

// idle waits until the pollers are waiting on the clock for when they are
// due, their polls (if any) done, and any wake-up (an action, a departure)
// taken into account. n is the number of pollers expected to wait.
func (r *rig) idle(t *testing.T, n int) {
	t.Helper()
	waitFor(t, func() bool {
		r.hub.mu.Lock()
		defer r.hub.mu.Unlock()
		for _, v := range r.hub.views {
			target := v.due
			if len(v.subs) == 0 {
				target = v.idleSince.Add(r.hub.cfg.StopAfter)
			}
			if v.running && !v.armed.Equal(target) {
				return false
			}
		}
		return true
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.clock.BlockUntilContext(ctx, n); err != nil {
		t.Fatalf("pollers never waited: %v", err)
	}
}

// tick advances the clock by d once the poller waits, then waits for the
// poll that follows to end.
func (r *rig) tick(t *testing.T, d time.Duration) {
	t.Helper()
	r.idle(t, 1)
	r.clock.Advance(d)
	r.idle(t, 1)
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

// none checks that s has no event waiting.
func none(t *testing.T, s *Subscription) {
	t.Helper()
	select {
	case ev := <-s.Events():
		t.Fatalf("unexpected event %s %s", ev.Kind, ev.ENI.ID)
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

// watch observes view f as a page would and subscribes from there.
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
	return s
}
