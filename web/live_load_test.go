package web_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/handlers"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/web/webtest"
)

// Load benchmarks of the live updates, over loopback against the emulator.
// Each makes one measurement whatever b.N; run them with -benchtime=1x:
//
//	go test -run '^$' -bench Live -benchtime=1x ./web/

// prodLive are the production intervals (internal/config defaults).
func prodLive() inventory.Config {
	return inventory.Config{Slow: 15 * time.Second, Fast: 1500 * time.Millisecond}
}

// prodWorld has the production emulator delays, without jitter so that
// every run sees the same transitions: a change completes exactly its
// delay after the cloud accepted it.
func prodWorld() ecsemu.WorldConfig {
	return ecsemu.WorldConfig{AttachDelay: 3 * time.Second, DetachDelay: 3 * time.Second, DeleteDelay: 2 * time.Second, Jitter: -1}
}

const (
	statusAttaching = string(eni.StatusAttaching)
	statusInUse     = string(eni.StatusInUse)
	statusDetaching = string(eni.StatusDetaching)
	statusAvailable = string(eni.StatusAvailable)
)

// watched is an ENI of its own in a view that nothing else moves in.
type watched struct {
	inst eni.Instance
	id   string
	view eni.Filter
}

// newWatched creates an Available ENI beside web-prod-01 and the view of
// its vSwitch, and checks that no other ENI there is in transition (it
// would keep the poller fast throughout).
func newWatched(b *testing.B, env *webtest.Env) watched {
	b.Helper()
	inst := env.Instance(b, "web-prod-01")
	id := env.CreateBeside(b, inst, "live-load")
	e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id)
	if err != nil {
		b.Fatal(err)
	}
	w := watched{inst: inst, id: id, view: eni.Filter{Region: "cn-hangzhou", VSwitchID: e.VSwitchID, Size: 100}}
	p, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: w.view})
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range p.ENIs {
		if o.Status.Transitional() {
			b.Fatalf("%s in the watched view is %s", o.ID, o.Status)
		}
	}
	return w
}

func (w watched) pageURL(env *webtest.Env) string { return env.URL + "/enis?" + w.view.Query() }

// act attaches or detaches the ENI through the dashboard as htmx does from
// its row, and returns when the answer has arrived.
func (w watched) act(b *testing.B, env *webtest.Env, action string) time.Time {
	b.Helper()
	form := url.Values{"region": {"cn-hangzhou"}, "instance": {w.inst.ID}, "back": {"/enis?" + w.view.Query()}}
	return htmxPost(b, env.Client, env.URL+"/enis/"+w.id+"/"+action, form)
}

// streamClient shares the operator's session with a transport of its own.
func streamClient(env *webtest.Env) (*http.Client, *http.Transport) {
	tr := loadTransport()
	return &http.Client{Jar: env.Client.Jar, Transport: tr}, tr
}

// BenchmarkLiveCallsPerMinute: the cloud calls of a watched view in a
// fixed window, with 1 and with 1,000 browsers watching it, the same
// activity in both (an attach at 10 s, a detach at 30 s).
func BenchmarkLiveCallsPerMinute(b *testing.B) {
	window := envDuration(b, "ENIDASH_LOAD_WINDOW", time.Minute)
	if window < 45*time.Second {
		b.Fatalf("ENIDASH_LOAD_WINDOW %s: the scripted activity needs at least 45s", window)
	}
	var one float64
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			perMin := callsPerMinute(b, n, window)
			if n == 1 {
				one = perMin
			} else if one > 0 {
				b.ReportMetric(perMin/one, "ratio-to-1")
				// The pollers are shared: more browsers must not mean more calls.
				if perMin/one > 1.1 {
					b.Errorf("%d subscribers: %.1f calls/min, %.2f times the %.1f of one", n, perMin, perMin/one, one)
				}
			}
		})
	}
}

// callsPerMinute runs the window with n subscribers and reports the calls.
func callsPerMinute(b *testing.B, n int, window time.Duration) float64 {
	// The n browsers share one session: its cap on streams is raised.
	env := webtest.StartWith(b, ecsemu.Config{World: prodWorld()}, webtest.Options{Inventory: prodLive(),
		Streams: handlers.StreamCaps{PerSession: n}})
	w := newWatched(b, env)
	// The page lists the view; the poller lists it again Slow later. The
	// window starts half a Slow interval after the page, so that no
	// listing falls on its edges in either run.
	stream := streamURL(b, env.Client, env.URL, w.pageURL(env))
	start := time.Now().Add(prodLive().Slow / 2)

	// Bit k of seen[i]: stream i got the ENI's row in statuses[k].
	statuses := []string{statusAttaching, statusInUse, statusDetaching, statusAvailable}
	seen := make([]atomic.Uint32, n)
	client, tr := streamClient(env)
	defer tr.CloseIdleConnections()
	streams := openStreams(b, client, []string{stream}, n, 16, func(i int, id, status string, _ time.Time) {
		if k := slices.Index(statuses, status); id == w.id && k >= 0 {
			seen[i].Or(1 << k)
		}
	})
	defer streams.Close()
	waitMetric(b, env.URL, "enidash_live_subscribers", float64(n), 30*time.Second)
	if time.Now().After(start) {
		b.Fatalf("opening %d streams took longer than %s", n, prodLive().Slow/2)
	}

	time.Sleep(time.Until(start))
	before := scrape(b, env.URL)
	time.Sleep(time.Until(start.Add(10 * time.Second)))
	w.act(b, env, "attach")
	time.Sleep(time.Until(start.Add(30 * time.Second)))
	w.act(b, env, "detach")
	time.Sleep(time.Until(start.Add(window)))
	after := scrape(b, env.URL)

	all := cloudCalls(after) - cloudCalls(before)
	describe := cloudCalls(after, "DescribeNetworkInterfaces") - cloudCalls(before, "DescribeNetworkInterfaces")
	complete := 0 // subscribers that got the row in each of the four states
	for i := range seen {
		if seen[i].Load() == 1<<len(statuses)-1 {
			complete++
		}
	}
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if d := after[k] - before[k]; d > 0 && strings.HasPrefix(k, "enidash_cloud_calls_total{") {
			b.Logf("%s: %v in the window", k, d)
		}
	}
	b.ReportMetric(all/window.Minutes(), "calls/min")
	b.ReportMetric(describe/window.Minutes(), "describe/min")
	b.ReportMetric(float64(complete), "subscribers-with-all-rows")
	b.ReportMetric(after["enidash_live_subscribers_dropped_total"], "dropped")
	if complete != n {
		b.Errorf("%d of %d subscribers got the Attaching, InUse, Detaching and Available rows", complete, n)
	}
	return all / window.Minutes()
}

// change is one attach or detach being watched: when each stream got the
// row in its transitional and then its settled status.
type change struct {
	id, trans, settled   string
	gotTrans, gotSettled []atomic.Int64 // UnixNano, 0 until seen
	pending              atomic.Int64   // streams still waiting for the settled row
	done                 chan struct{}
}

func (c *change) saw(i int, id, status string, at time.Time) {
	if c == nil || id != c.id {
		return
	}
	switch status {
	case c.trans:
		c.gotTrans[i].CompareAndSwap(0, at.UnixNano())
	case c.settled:
		if c.gotSettled[i].CompareAndSwap(0, at.UnixNano()) && c.pending.Add(-1) == 0 {
			close(c.done)
		}
	}
}

// BenchmarkLiveChangeLatency: 1,000 browsers watch one view while an ENI
// in it is attached and detached through the dashboard. For each browser
// and change: from the htmx POST's answer to the row in its transitional
// status (action-to-browser), and from the moment the change completed in
// the cloud to the row in its settled status (cloud-to-browser).
func BenchmarkLiveChangeLatency(b *testing.B) {
	const n = 1000
	cycles := envInt(b, "ENIDASH_LOAD_CYCLES", 10)
	// When the emulator received each attach and detach: without jitter,
	// the change completes exactly its delay later.
	var mu sync.Mutex
	accepted := map[string]time.Time{}
	intercept := func(_ http.ResponseWriter, r *http.Request) bool {
		if a := r.Header.Get("x-acs-action"); a == "AttachNetworkInterface" || a == "DetachNetworkInterface" {
			mu.Lock()
			accepted[a] = time.Now()
			mu.Unlock()
		}
		return false
	}
	world := prodWorld()
	env := webtest.StartWith(b, ecsemu.Config{World: world}, webtest.Options{Inventory: prodLive(), Intercept: intercept,
		Streams: handlers.StreamCaps{PerSession: n}})
	w := newWatched(b, env)
	stream := streamURL(b, env.Client, env.URL, w.pageURL(env))

	var current atomic.Pointer[change]
	client, tr := streamClient(env)
	defer tr.CloseIdleConnections()
	streams := openStreams(b, client, []string{stream}, n, 16, func(i int, id, status string, at time.Time) {
		current.Load().saw(i, id, status, at)
	})
	defer streams.Close()
	waitMetric(b, env.URL, "enidash_live_subscribers", n, 30*time.Second)

	steps := []struct {
		action, api, trans, settled string
		delay                       time.Duration
	}{
		{"attach", "AttachNetworkInterface", statusAttaching, statusInUse, world.AttachDelay},
		{"detach", "DetachNetworkInterface", statusDetaching, statusAvailable, world.DetachDelay},
	}
	var toTrans, toSettled []time.Duration
	missing := 0
	b.ResetTimer()
	for range cycles {
		for _, s := range steps {
			c := &change{id: w.id, trans: s.trans, settled: s.settled, done: make(chan struct{}),
				gotTrans: make([]atomic.Int64, n), gotSettled: make([]atomic.Int64, n)}
			c.pending.Store(n)
			current.Store(c)
			answered := w.act(b, env, s.action)
			mu.Lock()
			at, ok := accepted[s.api]
			delete(accepted, s.api)
			mu.Unlock()
			if !ok {
				b.Fatalf("the emulator saw no %s", s.api)
			}
			completed := at.Add(s.delay)
			select {
			case <-c.done:
			case <-time.After(30 * time.Second):
				b.Fatalf("%s: %d of %d streams got no %s row within 30s", s.action, c.pending.Load(), n, s.settled)
			}
			for i := range n {
				t := c.gotTrans[i].Load()
				if t == 0 {
					missing++
				} else {
					toTrans = append(toTrans, time.Unix(0, t).Sub(answered))
				}
				toSettled = append(toSettled, time.Unix(0, c.gotSettled[i].Load()).Sub(completed))
			}
		}
	}
	b.StopTimer()
	current.Store(nil)
	slices.Sort(toTrans)
	slices.Sort(toSettled)
	b.ReportMetric(percentileMS(toTrans, 0.50), "action-p50-ms")
	b.ReportMetric(percentileMS(toTrans, 0.99), "action-p99-ms")
	b.ReportMetric(percentileMS(toSettled, 0.50), "cloud-p50-ms")
	b.ReportMetric(percentileMS(toSettled, 0.99), "cloud-p99-ms")
	b.ReportMetric(float64(len(toSettled)), "samples")
	b.ReportMetric(scrape(b, env.URL)["enidash_live_subscribers_dropped_total"], "dropped")
	if missing > 0 {
		b.Errorf("%d of %d deliveries went from the old status to the settled one with no transitional row", missing, len(toSettled))
	}
	if toTrans[0] < 0 {
		b.Logf("some transitional rows arrived before the POST's answer (min %s)", toTrans[0])
	}
}

// idleViews are the views the idle streams are spread over: ten list
// views of cn-hangzhou, so ten pollers.
var idleViews = []string{"", "status=Available", "status=InUse", "type=Primary", "type=Secondary",
	"size=50", "size=100", "status=Available&type=Secondary", "status=InUse&type=Secondary", "status=InUse&type=Primary"}

// BenchmarkLiveIdleConnections: 5,000 idle streams held open against the
// dashboard running as its own process (built from this tree, on its
// embedded emulator, production settings), and its resident memory before
// and with them.
func BenchmarkLiveIdleConnections(b *testing.B) {
	n := envInt(b, "ENIDASH_LOAD_CONNS", 5000)
	raiseNoFile(b, uint64(n)+1024)
	const password = "load-bench-password-1"
	// The n streams share one session: the caps on streams are raised.
	dir := b.TempDir()
	p := runDashboard(b, buildEnidash(b, dir), dir, []string{"ENIDASH_ADMIN_PASSWORD=" + password}, "--cloud", "emulator",
		"--live-max-streams-per-session", strconv.Itoa(n), "--live-max-streams", strconv.Itoa(n))
	admin := p.signIn(b, "admin", password)
	defer admin.CloseIdleConnections()
	urls := make([]string, len(idleViews))
	for i, q := range idleViews {
		v, err := url.ParseQuery("region=cn-hangzhou&" + q)
		f, errs := eni.ParseFilter(v)
		if err != nil || len(errs) > 0 {
			b.Fatalf("view %q: %v %v", q, err, errs)
		}
		urls[i] = streamURL(b, admin, p.base, p.base+"/enis?"+f.Query())
	}
	time.Sleep(2 * time.Second)
	before := p.rssKB(b)

	b.ResetTimer()
	streams := openStreams(b, admin, urls, n, 32, func(int, string, string, time.Time) {})
	defer streams.Close()
	waitMetric(b, p.base, "enidash_live_subscribers", float64(n), time.Minute)
	b.StopTimer()
	time.Sleep(envDuration(b, "ENIDASH_LOAD_SETTLE", 5*time.Second))
	after := p.rssKB(b)
	m := scrape(b, p.base)
	if m["enidash_live_subscribers"] != float64(n) || m["enidash_live_pollers"] != float64(len(idleViews)) {
		b.Errorf("%v subscribers and %v pollers, want %d and %d", m["enidash_live_subscribers"], m["enidash_live_pollers"], n, len(idleViews))
	}
	b.ReportMetric(before/1024, "rss-before-MB")
	b.ReportMetric(after/1024, "rss-MB")
	b.ReportMetric((after-before)/float64(n), "KB/conn")
	b.ReportMetric(m["go_memstats_heap_inuse_bytes"]/(1<<20), "heap-inuse-MB")
	b.ReportMetric(m["go_memstats_stack_inuse_bytes"]/(1<<20), "stack-MB")
	b.ReportMetric(m["go_goroutines"], "goroutines")

	if after/1024 >= 150 {
		b.Logf("the dashboard holds %.0f MB with %d idle streams; the goal is under 150 MB", after/1024, n)
	}
}

// signIn signs in through the form as a browser does: the CSRF cookie and
// field from GET /login, then the POST.
func (p *dashboardProcess) signIn(tb testing.TB, user, password string) *http.Client {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	c := &http.Client{Jar: jar, Transport: loadTransport(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(p.base + "/login")
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil {
		tb.Fatal(err)
	}
	token, _ := doc.Find(`input[name="_csrf"]`).Attr("value")
	form := url.Values{"username": {user}, "password": {password}, "_csrf": {token}}
	req, err := http.NewRequest(http.MethodPost, p.base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err = c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		tb.Fatalf("signing in as %s: %s", user, res.Status)
	}
	return c
}

// cleanEnv is this process's environment without cloud credentials or
// enidash settings, so the child runs on its emulator with its defaults.
func cleanEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, p := range []string{"ALIBABA_CLOUD_", "ALICLOUD_", "ENIDASH_", "HOME="} {
			if strings.HasPrefix(kv, p) {
				return true
			}
		}
		return false
	})
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// raiseNoFile lets this process, and the children it starts, open need
// files. Setting the limit explicitly also keeps Go from restoring the
// original soft limit in children.
func raiseNoFile(tb testing.TB, need uint64) {
	tb.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatal(err)
	}
	if lim.Max < need {
		tb.Fatalf("ulimit -Hn is %d; %d connections need %d", lim.Max, need/2, need)
	}
	lim.Cur = max(lim.Cur, need)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatal(err)
	}
}
