package web_test

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// benchPage requests u b.N times over loopback and reports the median and
// 99th percentile of the time to the last byte, cloud calls to the
// emulator included.
func benchPage(b *testing.B, u string) {
	client := webtest.ClientFor(u) // signed in, as every page needs
	warm, err := client.Get(u)
	if err != nil || warm.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %v %v", u, err, warm.Status)
	}
	io.Copy(io.Discard, warm.Body)
	warm.Body.Close()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		res, err := client.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkListPage is the list page with 100 rows over 20,000 ENIs.
func BenchmarkListPage(b *testing.B) {
	env := webtest.Start(b, ecsemu.Config{World: ecsemu.WorldConfig{ExtraENIs: 20000}})
	benchPage(b, env.URL+"/enis?region=cn-hangzhou&size=100")
}

// BenchmarkDetailPage is one ENI's page.
func BenchmarkDetailPage(b *testing.B) {
	env := webtest.Start(b, ecsemu.Config{})
	ids, _ := serverRowsB(b, env.URL+"/enis?region=cn-hangzhou")
	benchPage(b, env.URL+"/enis/"+ids[0]+"?region=cn-hangzhou")
}
