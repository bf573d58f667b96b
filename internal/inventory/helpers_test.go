package inventory

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"enidash/internal/aliyun"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

const testRegion = "cn-hangzhou"

// rig is a Region on a fake clock listing the emulator through the real
// SDK over loopback HTTP, with its cloud calls counted.
type rig struct {
	emu    *ecsemu.Emulator
	cloud  *aliyun.Client
	clock  *clockwork.FakeClock
	region *Region
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	calls map[string]int // by "action outcome"
}

// newRig seeds extra varied ENIs into the emulator's cn-hangzhou. The
// emulator's transitions take an hour, so statuses stay put while a test
// compares.
func newRig(t testing.TB, extra int, cfg Config) *rig {
	t.Helper()
	emu := ecsemu.New(ecsemu.Config{World: ecsemu.WorldConfig{
		AttachDelay: time.Hour, DetachDelay: time.Hour, DeleteDelay: time.Hour, Jitter: -1}})
	if extra > 0 {
		if got := emu.SeedVaried(testRegion, extra, 7); got != extra {
			t.Fatalf("seeded %d ENIs, want %d", got, extra)
		}
	}
	srv := httptest.NewServer(emu)
	r := &rig{emu: emu, clock: clockwork.NewFakeClock(), calls: map[string]int{}, done: make(chan struct{})}
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
	r.region = NewRegion(testRegion, cloud, cfg)
	t.Cleanup(func() {
		r.stop()
		srv.Close()
		emu.Close()
	})
	return r
}

// start runs the region and waits until its first listing is complete.
func (r *rig) start(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		defer close(r.done)
		r.region.Run(ctx)
	}()
	r.settle(t)
	if p := r.region.Progress(); !p.Ready {
		t.Fatalf("region not ready after its first listing: %+v", p)
	}
}

func (r *rig) stop() {
	if r.cancel != nil {
		r.cancel()
		<-r.done
		r.cancel = nil
	}
}

// settle waits until the region's loop waits on the clock again.
func (r *rig) settle(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := r.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("region loop never came to rest: %v", err)
	}
}

func (r *rig) count(action, outcome string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[action+" "+outcome]
}

// cloudIDs lists f's view from the cloud with its own filters, every page.
func cloudIDs(t testing.TB, c eni.Cloud, f eni.Filter) []string {
	t.Helper()
	f.Region, f.Size, f.Trail = testRegion, 500, nil
	var ids []string
	token := ""
	for {
		page, err := c.ListENIs(context.Background(), eni.ListQuery{Filter: f, NextToken: token})
		if err != nil {
			t.Fatalf("cloud listing %s: %v", f.Query(), err)
		}
		for _, e := range page.ENIs {
			ids = append(ids, e.ID)
		}
		if token = page.NextToken; token == "" {
			return ids
		}
	}
}

func idsOf(enis []eni.ENI) []string {
	out := make([]string, len(enis))
	for i, e := range enis {
		out[i] = e.ID
	}
	return out
}
