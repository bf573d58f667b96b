package inventory

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"enidash/internal/eni"
)

// benchViews are list pages an operator opens: a filter, a sort, a page.
var benchViews = []string{
	"region=cn-hangzhou&status=Available&older=7d&sort=-created&page=3",
	"region=cn-hangzhou&vpc=vpc-bp1vpc0002&sort=name&size=100&page=2",
	"region=cn-hangzhou&q=terway&sort=-ip&size=50",
	"region=cn-hangzhou&tag=env:prod&status=InUse&sort=instance&page=5",
	"region=cn-hangzhou&vswitch=vsw-bp1vsw0007&sort=-created",
	"region=cn-hangzhou&sort=zone&size=100&page=40",
	"region=cn-hangzhou&q=nginx-42",
	"region=cn-hangzhou&ip=10.3.17.52",
}

// BenchmarkQuery100k answers list pages over 100,000 ENIs, counts
// included, and reports the latency percentiles of one page.
func BenchmarkQuery100k(b *testing.B) {
	s, _ := synthStore(100_000, 11)
	views := make([]eni.View, len(benchViews))
	for i, q := range benchViews {
		v, errs := eni.ParseView(mustQuery(b, q))
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		views[i] = v
		s.Query(v, Options{Now: synthBase, Names: synthNames}) // warm the orders
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		res := s.Query(views[i%len(views)], Options{Now: synthBase, Names: synthNames})
		lat = append(lat, time.Since(start))
		if res.Pages == 0 {
			b.Fatal("no pages")
		}
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkQueryColdOrder answers a sorted page right after a change of
// the sort key, when the order must be built again.
func BenchmarkQueryColdOrder(b *testing.B) {
	s, all := synthStore(100_000, 12)
	v, _ := eni.ParseView(mustQuery(b, "region=cn-hangzhou&sort=status&page=2"))
	var lat []time.Duration
	at := synthBase
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		e := all[i%len(all)]
		e.Status = eni.Statuses[i%len(eni.Statuses)]
		at = at.Add(time.Second)
		s.Upsert([]eni.ENI{e}, at)
		b.StartTimer()
		start := time.Now()
		s.Query(v, Options{Now: synthBase})
		lat = append(lat, time.Since(start))
	}
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkSnapshotMemory measures the heap a snapshot of 100,000 ENIs
// holds, ENIs and indexes together, with its common orders built.
func BenchmarkSnapshotMemory(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		before := heapInUse()
		s, _ := synthStore(n, 13)
		for _, k := range []string{"", "sort=-created", "sort=name"} {
			v, _ := eni.ParseView(mustQuery(b, k))
			s.Query(v, Options{Now: synthBase})
		}
		after := heapInUse()
		b.ReportMetric(float64(after-before)/n, "B/ENI")
		runtime.KeepAlive(s)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkApplyPage applies one 500-ENI page of a refresh to a snapshot
// of 100,000 ENIs: 450 unchanged, 40 changed in status, 10 new.
func BenchmarkApplyPage(b *testing.B) {
	s, all := synthStore(100_000, 14)
	fresh := synthENIs(10*5000, 15)
	at := synthBase
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		page := make([]eni.ENI, 0, 500)
		base := (i * 490) % (len(all) - 490)
		for k, e := range all[base : base+490] {
			if k%12 == 0 {
				e.Status = eni.Statuses[(i+k)%len(eni.Statuses)]
			}
			e.PrivateIPs = slices.Clone(e.PrivateIPs)
			page = append(page, e)
		}
		for k := range 10 {
			e := fresh[(i*10+k)%len(fresh)]
			e.ID = fmt.Sprintf("eni-bp1new%010d", i*10+k)
			page = append(page, e)
		}
		at = at.Add(time.Second)
		b.StartTimer()
		cs := s.Upsert(page, at)
		if len(cs.Added) != 10 {
			b.Fatalf("added %d", len(cs.Added))
		}
	}
}
