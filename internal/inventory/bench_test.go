package inventory

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"enidash/internal/eni"
)

// benchViews are list pages an operator opens over a large fleet: the
// whole region, one index filter, a column filter, words of q (common,
// rare, part of an ID, part of an address), the leaked-ENI recipe, a tag,
// sorts both ways, deep pages.
var benchViews = []struct{ name, query string }{
	{"all", "region=cn-hangzhou"},
	{"status", "region=cn-hangzhou&status=Available"},
	{"leaked", "region=cn-hangzhou&status=Available&older=7d&sort=-created&page=3"},
	{"vpc-name", "region=cn-hangzhou&vpc=vpc-bp1vpc0002&sort=name&size=100&page=2"},
	{"q-common", "region=cn-hangzhou&q=terway&sort=-ip&size=50"},
	{"q-rare", "region=cn-hangzhou&q=nginx-42"},
	{"q-id-part", "region=cn-hangzhou&q=bp1a3"},
	{"q-addr-part", "region=cn-hangzhou&q=10.3.&sort=ip"},
	{"q-instance-name", "region=cn-hangzhou&q=node-12&status=InUse"},
	{"tag-status", "region=cn-hangzhou&tag=env:prod&status=InUse&sort=instance&page=5"},
	{"vswitch-created", "region=cn-hangzhou&vswitch=vsw-bp1vsw0007&sort=-created"},
	{"zone-deep", "region=cn-hangzhou&sort=zone&size=100&page=40"},
	{"created-desc", "region=cn-hangzhou&sort=-created&size=100"},
	{"ip", "region=cn-hangzhou&ip=10.3.17.52"},
}

func parseBenchViews(b *testing.B) []eni.View {
	views := make([]eni.View, len(benchViews))
	for i, bv := range benchViews {
		v, errs := eni.ParseView(mustQuery(b, bv.query))
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		views[i] = v
	}
	return views
}

// BenchmarkQuery100k answers list pages over 100,000 ENIs, counts
// included, and reports the latency percentiles of one page: "mix" cycles
// through every view, then each view alone. Orders and word look-ups are
// warm, as they are for a page someone keeps open; BenchmarkQueryNewWord
// and BenchmarkQueryUnderChurn measure them cold.
func BenchmarkQuery100k(b *testing.B) {
	s, all := synthStore(100_000, 11)
	opts := Options{Now: synthBase, Names: synthNameTable(all)}
	views := parseBenchViews(b)
	for _, v := range views {
		s.Query(v, opts) // warm the orders
	}
	run := func(b *testing.B, pick func(i int) eni.View) {
		var lat []time.Duration
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			res := s.Query(pick(i), opts)
			lat = append(lat, time.Since(start))
			if res.Pages == 0 {
				b.Fatal("no pages")
			}
		}
		reportPercentiles(b, lat)
	}
	b.Run("mix", func(b *testing.B) { run(b, func(i int) eni.View { return views[i%len(views)] }) })
	for k, bv := range benchViews {
		b.Run(bv.name, func(b *testing.B) { run(b, func(int) eni.View { return views[k] }) })
	}
}

// BenchmarkQueryNewWord searches 100,000 ENIs for a word nobody searched
// before: a part of some ENI's ID, of its address, or a tag value.
func BenchmarkQueryNewWord(b *testing.B) {
	s, all := synthStore(100_000, 16)
	opts := Options{Now: synthBase, Names: synthNameTable(all)}
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		e := all[(i*7919)%len(all)]
		word := []string{e.ID[7:12], e.PrimaryIP[:len(e.PrimaryIP)-1], fmt.Sprintf("nginx-%d", i%5000)}[i%3]
		v := eni.View{Filter: eni.Filter{Region: testRegion}, Search: word, Sort: eni.SortCreated}
		start := time.Now()
		res := s.Query(v, opts)
		lat = append(lat, time.Since(start))
		if i%3 != 2 && res.Total == 0 {
			b.Fatalf("%q found nothing", word)
		}
	}
	reportPercentiles(b, lat)
}

// BenchmarkQueryUnderChurn answers the views of BenchmarkQuery100k while
// refreshes land: before every fourth query (untimed), a 500-ENI page with
// 40 status changes, 5 ENIs attached elsewhere, 5 new and 5 gone. The
// timed query pays for bringing its order and word look-ups up to date.
func BenchmarkQueryUnderChurn(b *testing.B) {
	s, all := synthStore(100_000, 17)
	opts := Options{Now: synthBase, Names: synthNameTable(all)}
	views := parseBenchViews(b)
	for _, v := range views {
		s.Query(v, opts)
	}
	fresh := synthENIs(5000, 18)
	at := synthBase
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		if i%4 == 0 {
			b.StopTimer()
			at = at.Add(time.Second)
			s.Upsert(churnPage(all, fresh, i), at)
			gone := make([]string, 5)
			for k := range gone {
				gone[k] = all[(i*131+k*17)%len(all)].ID
			}
			s.Remove(gone, at.Add(time.Millisecond))
			b.StartTimer()
		}
		start := time.Now()
		s.Query(views[i%len(views)], opts)
		lat = append(lat, time.Since(start))
	}
	reportPercentiles(b, lat)
}

// churnPage is one page of a refresh: 490 known ENIs (every twelfth in a
// new status, five on another instance) and 10 new ones.
func churnPage(all, fresh []eni.ENI, i int) []eni.ENI {
	page := make([]eni.ENI, 0, 500)
	base := (i * 490) % (len(all) - 490)
	for k, e := range all[base : base+490] {
		switch {
		case k%12 == 0:
			e.Status = eni.Statuses[(i+k)%len(eni.Statuses)]
		case k%98 == 1:
			e.InstanceID = fmt.Sprintf("i-bp1moved%05d", i+k)
		}
		page = append(page, e)
	}
	for k := range 10 {
		e := fresh[(i*10+k)%len(fresh)]
		e.ID = fmt.Sprintf("eni-bp1new%010d", i*10+k)
		page = append(page, e)
	}
	return page
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
