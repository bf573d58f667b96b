package handlers_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web"
	"enidash/web/webtest"
)

// wait bounds how long a test waits for an event before failing; it is a
// guard against hanging, not a measure.
const wait = 15 * time.Second

// liveURL is the stream a page opens.
func liveURL(t *testing.T, env *webtest.Env, p page) string {
	t.Helper()
	u, ok := p.doc.Find("[sse-connect]").Attr("sse-connect")
	if !ok {
		t.Fatalf("the page opens no live stream:\n%s", p.body)
	}
	return env.URL + u
}

func isRow(id string, status eni.Status) func(webtest.SSEEvent) bool {
	return func(ev webtest.SSEEvent) bool {
		return ev.Event == "row" && strings.Contains(ev.Data, `id="row-`+id+`"`) &&
			strings.Contains(ev.Data, `data-status="`+string(status)+`"`)
	}
}

// A list page's stream carries each state change of an attach made from
// another browser, as rows rendered for the watcher, with event IDs; a
// heartbeat keeps it open.
func TestEventsFollowAnAttach(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: 200 * time.Millisecond})
	inst := env.Instance(t, "web-prod-01")
	e := newENI(t, env, inst, "live-watched")
	view := listURL(env, url.Values{"region": {"cn-hangzhou"}, "vswitch": {e.VSwitchID}, "size": {"100"}})

	viewer := env.SignIn(t, webtest.Viewer)
	watch := func(c *http.Client) *webtest.SSEStream {
		p := get(t, view)
		s := webtest.OpenSSE(t, c, liveURL(t, env, p), "")
		if s.Resp.StatusCode != http.StatusOK {
			t.Fatalf("stream: %d", s.Resp.StatusCode)
		}
		return s
	}
	op, vw := watch(env.Client), watch(viewer)
	for k, want := range map[string]string{"Content-Type": "text/event-stream; charset=utf-8", "X-Accel-Buffering": "no", "Cache-Control": "no-store"} {
		if got := op.Resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if c := op.NextComment(t, wait); c != "heartbeat" {
		t.Fatalf("comment %q, want heartbeat", c)
	}

	p := post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {inst.ID}}, "HX-Request", "true")
	if p.status != http.StatusOK {
		t.Fatalf("attach: %d\n%s", p.status, p.body)
	}
	inUse := map[*webtest.SSEStream]string{}
	for _, s := range []*webtest.SSEStream{op, vw} {
		ev := s.Next(t, wait, isRow(e.ID, eni.StatusAttaching))
		if ev.ID == "" || !strings.Contains(ev.Data, `hx-swap-oob="true"`) {
			t.Fatalf("event without ID or out-of-band swap: %+v", ev)
		}
		inUse[s] = s.Next(t, wait, isRow(e.ID, eni.StatusInUse)).Data
	}
	// Rendered for each role: only the operator's row offers actions.
	if !strings.Contains(inUse[op], "/detach") || strings.Contains(inUse[vw], "/detach") {
		t.Fatalf("detach offered: to the operator %t, to the viewer %t",
			strings.Contains(inUse[op], "/detach"), strings.Contains(inUse[vw], "/detach"))
	}
}

// A browser that reconnects with the ID of the last event it saw is sent
// what changed meanwhile at once; one with a cursor the server cannot
// honour is told to fetch its view again.
func TestEventsResumeFromLastEventID(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	inst := env.Instance(t, "web-prod-01")
	e := newENI(t, env, inst, "live-resume")
	p := get(t, env.URL+"/enis/"+e.ID+"?region=cn-hangzhou")
	stream := liveURL(t, env, p)
	if !strings.Contains(stream, "eni="+e.ID) {
		t.Fatalf("detail page stream %s", stream)
	}
	keep := webtest.OpenSSE(t, env.Client, stream, "")
	left := webtest.OpenSSE(t, env.Client, stream, "")
	post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {inst.ID}}, "HX-Request", "true")
	isDetail := func(status eni.Status) func(webtest.SSEEvent) bool {
		return func(ev webtest.SSEEvent) bool {
			return ev.Event == "row" && strings.Contains(ev.Data, `id="eni-detail"`) && strings.Contains(ev.Data, string(status))
		}
	}
	attaching := left.Next(t, wait, isDetail(eni.StatusAttaching))
	lastSeen := attaching.ID
	// The page's recent changes follow too.
	if !strings.Contains(attaching.Data, `id="eni-history"`) || !strings.Contains(attaching.Data, "eni.attach") {
		t.Fatalf("the ENI's history was not sent with the change:\n%s", attaching.Data)
	}
	left.Close()
	keep.Next(t, wait, isDetail(eni.StatusInUse))

	back := webtest.OpenSSE(t, env.Client, stream, lastSeen)
	ev := back.Next(t, wait, func(webtest.SSEEvent) bool { return true })
	if !isDetail(eni.StatusInUse)(ev) || ev.ID == lastSeen {
		t.Fatalf("first event after reconnecting: %+v, want the ENI InUse", ev)
	}
	reset := webtest.OpenSSE(t, env.Client, stream, "0000.1")
	if ev := reset.Next(t, wait, func(webtest.SSEEvent) bool { return true }); ev.Event != "reset" || !strings.Contains(ev.Data, "data-live-reset") {
		t.Fatalf("unknown cursor: %+v, want a reset", ev)
	}
}

// A stream for a view that is not one is refused with the field named.
func TestEventsRejectBadViews(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	for q, want := range map[string]string{
		"region=cn-hangzhou&colour=blue":             "colour",
		"status=Sleeping":                            "status",
		"eni=not-an-eni":                             "eni",
		"eni=eni-bp1abcdefgh&vpc=vpc-bp1abcdefgh":    "vpc",
		"region=cn-hangzhou&size=7&after=anything.1": "size",
		"region=xx-nowhere-1":                        "region",
	} {
		p := get(t, env.URL+"/events?"+q)
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, want) {
			t.Errorf("%s: %d %q, want 400 naming %s", q, p.status, p.body, want)
		}
	}
}

// /metrics reports cloud calls by action and outcome, pollers and
// subscribers, in the Prometheus text format, and the counts go back down
// when browsers leave.
func TestMetricsFollowSubscribers(t *testing.T) {
	// A browser that went away is noticed at the next heartbeat.
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: 100 * time.Millisecond})
	p := get(t, env.URL+"/enis?region=cn-hangzhou")
	s := webtest.OpenSSE(t, env.Client, liveURL(t, env, p), "")
	metric := func(name string) string {
		res, err := http.Get(env.URL + "/metrics") // no sign-in: scrapers cannot
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("/metrics: %d", res.StatusCode)
		}
		for line := range strings.Lines(string(b)) {
			if strings.HasPrefix(line, name+" ") {
				return strings.TrimSpace(strings.TrimPrefix(line, name+" "))
			}
		}
		return ""
	}
	waitMetric := func(name, want string) {
		t.Helper()
		deadline := time.Now().Add(wait)
		for metric(name) != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s = %q, want %s", name, metric(name), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitMetric("enidash_live_subscribers", "1")
	waitMetric("enidash_live_pollers", "1")
	if n := metric(`enidash_cloud_calls_total{action="DescribeNetworkInterfaces",outcome="ok"}`); n == "" || n == "0" {
		t.Fatalf("describe calls counted: %q", n)
	}
	s.Close()
	waitMetric("enidash_live_subscribers", "0")
}

// flushOnly is a ResponseWriter that can flush but not be taken over, as
// over HTTP/2.
type flushOnly struct{ http.ResponseWriter }

func (f flushOnly) Flush() { f.ResponseWriter.(http.Flusher).Flush() }

// Where the connection cannot be taken over (HTTP/2), the stream runs in
// the handler, alike, outlives the server's read timeout, and ends as soon
// as the browser goes.
func TestEventsWithoutTakingOverTheConnection(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: 30 * time.Millisecond})
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.Handler.ServeHTTP(flushOnly{w}, r)
	})
	srv := httptest.NewUnstartedServer(wrapped)
	srv.Config = web.NewHTTPServer(wrapped, web.HTTPLimits{ReadTimeout: 100 * time.Millisecond})
	srv.Start()
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	envURL, _ := url.Parse(env.URL)
	srvURL, _ := url.Parse(srv.URL)
	jar.SetCookies(srvURL, env.Client.Jar.Cookies(envURL))
	client := &http.Client{Jar: jar}

	inst := env.Instance(t, "web-prod-01")
	e := newENI(t, env, inst, "live-in-handler")
	p := get(t, env.URL+"/enis/"+e.ID+"?region=cn-hangzhou")
	stream := srv.URL + strings.TrimPrefix(liveURL(t, env, p), env.URL)
	s := webtest.OpenSSE(t, client, stream, "")
	if s.Resp.StatusCode != http.StatusOK || s.Resp.Header.Get("X-Accel-Buffering") != "no" {
		t.Fatalf("stream: %d %v", s.Resp.StatusCode, s.Resp.Header)
	}
	// Ten heartbeats 30 ms apart cannot come before the read timeout.
	for range 10 {
		s.NextComment(t, wait)
	}
	post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {inst.ID}}, "HX-Request", "true")
	s.Next(t, wait, func(ev webtest.SSEEvent) bool {
		return ev.Event == "row" && strings.Contains(ev.Data, `id="eni-detail"`) && strings.Contains(ev.Data, "Attaching")
	})
	s.Close()
	deadline := time.Now().Add(wait)
	for env.Live.Subscribers() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribers left after the browser went", env.Live.Subscribers())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
