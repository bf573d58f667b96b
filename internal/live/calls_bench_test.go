package live

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"enidash/internal/aliyun"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// BenchmarkRegionCallsPerMinute measures what a watched region costs in
// DescribeNetworkInterfaces calls a minute with the default budget (120,
// Slow 15 s), for regions of 500, 5,000 and 20,000 ENIs (the emulator's
// SeedVaried over its demo account) with 1 and 100 distinct views open.
// The clock is fake: four simulated minutes run in a few seconds. The
// seed's stalled ENIs are left to the listings at once (StuckAfter 1 s),
// so the figure is the listings' alone.
func BenchmarkRegionCallsPerMinute(b *testing.B) {
	for _, n := range []int{500, 5000, 20000} {
		for _, views := range []int{1, 100} {
			b.Run(fmt.Sprintf("enis=%d/views=%d", n, views), func(b *testing.B) {
				for b.Loop() {
					perMinute, interval := regionCalls(b, n, views)
					b.ReportMetric(perMinute, "calls/min")
					b.ReportMetric(interval.Seconds(), "s/listing")
				}
			})
		}
	}
}

func regionCalls(b *testing.B, n, views int) (float64, time.Duration) {
	emu := ecsemu.New(ecsemu.Config{World: ecsemu.WorldConfig{Jitter: -1}})
	srv := httptest.NewServer(emu)
	defer emu.Close()
	defer srv.Close()
	var describes atomic.Int64
	id, secret := emu.AccessKey()
	cloud, err := aliyun.New(aliyun.Config{Endpoint: srv.Listener.Addr().String(), Protocol: "http",
		AccessKeyID: id, AccessKeySecret: secret, ReadAttempts: 1,
		OnCall: func(action, _ string) {
			if action == describe {
				describes.Add(1)
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	p, err := cloud.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: region, Size: 10}})
	if err != nil {
		b.Fatal(err)
	}
	if n > p.TotalCount {
		emu.SeedVaried(region, n-p.TotalCount, 1)
	}
	clock := clockwork.NewFakeClock()
	inv := inventory.NewManager(cloud, inventory.Config{Clock: clock, StuckAfter: time.Second}, linger)
	hub := New(inv, Config{Clock: clock})
	defer inv.Close()
	defer hub.Close()
	for k := range views {
		f := eni.Filter{Region: region}
		if k > 0 {
			f.Name = fmt.Sprintf("view-%d", k)
		}
		s := hub.Subscribe(f, "")
		defer s.Close()
	}
	settle := func() {
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := clock.BlockUntilContext(wctx, 2*inv.Len()); err != nil {
			b.Fatalf("the region never came to rest: %v", err)
		}
		hub.flush(region)
	}
	settle()
	reg := inv.Running(region)
	if reg == nil || !reg.Progress().Ready {
		b.Fatal("the region was not listed")
	}
	// Past StuckAfter and a listing, so no poll by ID is left.
	for range 3 {
		clock.Advance(15 * time.Second)
		settle()
	}
	const window = 4 * time.Minute
	before := describes.Load()
	for step := time.Duration(0); step < window; step += time.Second {
		clock.Advance(time.Second)
		settle()
	}
	return float64(describes.Load()-before) / window.Minutes(), reg.Progress().Interval
}
