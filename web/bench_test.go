package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
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

// BenchmarkCreateAndDelete is an operator creating an ENI through the form
// (validation against the pickers, audit intent and outcome in SQLite,
// the cloud call) and deleting it from its row (reading it, the audit,
// the call): the time of each POST to its answer.
func BenchmarkCreateAndDelete(b *testing.B) {
	env := webtest.Start(b, ecsemu.Config{World: ecsemu.WorldConfig{DeleteDelay: time.Millisecond}})
	in := env.Instance(b, "web-prod-01")
	p, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", InstanceID: in.ID, Type: eni.TypePrimary}})
	if err != nil || len(p.ENIs) != 1 {
		b.Fatalf("primary ENI: %v", err)
	}
	primary := p.ENIs[0]
	post := func(path string, form url.Values) (*http.Response, time.Duration) {
		req, _ := http.NewRequest(http.MethodPost, env.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		start := time.Now()
		res, err := env.Client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res, time.Since(start)
	}
	var creates, deletes []time.Duration
	n := 0
	for b.Loop() {
		n++
		form := url.Values{"region": {"cn-hangzhou"}, "zone": {in.ZoneID}, "vswitch": {primary.VSwitchID},
			"sg": primary.SecurityGroups, "name": {fmt.Sprintf("bench-%d", n)}, "client_token": {fmt.Sprintf("bench-token-%d", n)}}
		res, d := post("/enis", form)
		if res.StatusCode != http.StatusSeeOther {
			b.Fatalf("create: %d", res.StatusCode)
		}
		creates = append(creates, d)
		id := strings.TrimPrefix(strings.SplitN(res.Header.Get("Location"), "?", 2)[0], "/enis/")
		res, d = post("/enis/"+id+"/delete", url.Values{"region": {"cn-hangzhou"}, "back": {"/enis?region=cn-hangzhou"}})
		if res.StatusCode != http.StatusSeeOther {
			b.Fatalf("delete %s: %d", id, res.StatusCode)
		}
		deletes = append(deletes, d)
	}
	slices.Sort(creates)
	slices.Sort(deletes)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(creates[len(creates)/2]), "create-p50-ms")
	b.ReportMetric(ms(creates[len(creates)*99/100]), "create-p99-ms")
	b.ReportMetric(ms(deletes[len(deletes)/2]), "delete-p50-ms")
	b.ReportMetric(ms(deletes[len(deletes)*99/100]), "delete-p99-ms")
}
