package invsync_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// One view watched by 900 subscribers, on one replica or spread over
// three: the time from an action's poll to the last subscriber hearing of
// it (ns/op), and the region's cloud calls per minute.
func BenchmarkOneViewAcrossReplicas(b *testing.B) {
	for _, shape := range []struct{ replicas, subs int }{{1, 900}, {3, 300}} {
		b.Run(fmt.Sprintf("%dx%d", shape.replicas, shape.subs), func(b *testing.B) {
			w := newWorld(b, 1200)
			var reps []*replica
			var regs []*inventory.Region
			for i := range shape.replicas {
				reps = append(reps, w.replica(b, string(rune('a'+i)), quiet))
				regs = append(regs, reps[i].acquire(b))
			}
			waitFor(b, "every replica ready", func() bool {
				for _, r := range regs {
					if !r.Progress().Ready {
						return false
					}
				}
				return true
			})
			w.settle(b, shape.replicas)
			leader := regs[leaderOf(b, regs...)]
			target := leader.Store().Select(eni.View{Filter: eni.Filter{Region: region, Status: eni.StatusAvailable}}, inventory.Options{})[0].ID

			var heard sync.WaitGroup
			var mu sync.Mutex
			want := ""
			var done sync.WaitGroup
			for _, r := range regs {
				for range shape.subs {
					sub := r.Subscribe()
					done.Add(1)
					go func() {
						defer done.Done()
						for cs := range sub.C {
							for _, c := range cs.Changed {
								mu.Lock()
								hit := c.ENI.ID == target && c.ENI.Name == want
								mu.Unlock()
								if hit {
									heard.Done()
								}
							}
						}
					}()
					b.Cleanup(sub.Close)
				}
			}
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				name := fmt.Sprintf("bench-%d", i)
				if _, err := w.cloud.ModifyENI(ctx, eni.ModifyRequest{Region: region, ID: target, Name: &name}); err != nil {
					b.Fatal(err)
				}
				mu.Lock()
				want = name
				mu.Unlock()
				heard.Add(shape.replicas * shape.subs)
				b.StartTimer()
				leader.Hot(target)
				heard.Wait()
			}
			b.StopTimer()

			// Cloud calls over four refresh intervals, by every replica.
			total := func() int {
				n := 0
				for _, r := range reps {
					n += r.count(describe)
				}
				return n
			}
			w.settle(b, shape.replicas)
			before, start := total(), w.clock.Now()
			for range 4 {
				w.clock.Advance(leader.Progress().Interval)
				now := w.clock.Now()
				waitFor(b, "the listing", func() bool { return leader.Progress().AsOf.Equal(now) })
				w.settle(b, shape.replicas)
			}
			elapsed := w.clock.Since(start)
			b.ReportMetric(float64(total()-before)/elapsed.Minutes(), "calls/min")
			for _, r := range reps {
				r.close()
			}
			done.Wait()
		})
	}
}
