package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"enidash/handlers"
	"enidash/internal/auth"
	"enidash/internal/ecsemu"
	"enidash/internal/live"
	"enidash/web/webtest"
)

// rawStream is a stream read as a browser would, to its end.
type rawStream struct {
	status int
	body   string // the answer, when it was not a stream
	events chan browserEvent
	cancel context.CancelFunc
}

func openRaw(t *testing.T, c *http.Client, rawURL string, header ...string) *rawStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &rawStream{status: res.StatusCode, events: make(chan browserEvent, 256), cancel: cancel}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		s.body = string(b)
		close(s.events)
		return s
	}
	go func() {
		defer res.Body.Close()
		readLikeABrowser(res.Body, s.events)
	}()
	return s
}

// ending waits for the stream to end and returns its events of kinds
// other than the view's own.
func (s *rawStream) ending(t *testing.T) []browserEvent {
	t.Helper()
	var last []browserEvent
	deadline := time.After(wait)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				return last
			}
			if ev.Type == handlers.EventSignedOut {
				last = append(last, ev)
			}
		case <-deadline:
			t.Fatal("the stream did not end")
		}
	}
}

// postAs submits a form with c's session, as a page of the site would.
func postAs(t *testing.T, c *http.Client, rawURL string, form url.Values) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// clock is the sign-in service's time, moved by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// A stream opened before its session ended stops at the next heartbeat:
// the page is told it was signed out, and stops. A session gone idle only
// here ends the stream quietly; the browser's reconnection is then
// refused (401) if the session really ended.
func TestEventsEndWithTheSession(t *testing.T) {
	tests := []struct {
		name   string
		end    func(t *testing.T, env *webtest.Env, clk *clock)
		signed bool // a signedout event is the stream's last
	}{
		{"disabled by an admin", func(t *testing.T, env *webtest.Env, _ *clock) {
			if st := postAs(t, env.SignIn(t, webtest.Admin), env.URL+"/admin/users/"+webtest.Viewer+"/disable", nil); st != http.StatusSeeOther {
				t.Fatalf("disable: %d", st)
			}
		}, true},
		{"role changed by an admin", func(t *testing.T, env *webtest.Env, _ *clock) {
			if st := postAs(t, env.SignIn(t, webtest.Admin), env.URL+"/admin/users/"+webtest.Viewer+"/role", url.Values{"role": {"operator"}}); st != http.StatusSeeOther {
				t.Fatalf("set role: %d", st)
			}
		}, true},
		{"password reset by an admin", func(t *testing.T, env *webtest.Env, _ *clock) {
			if st := postAs(t, env.SignIn(t, webtest.Admin), env.URL+"/admin/users/"+webtest.Viewer+"/password", url.Values{"password": {"a brand new passphrase"}}); st != http.StatusSeeOther {
				t.Fatalf("reset password: %d", st)
			}
		}, true},
		{"signed out everywhere", func(t *testing.T, env *webtest.Env, _ *clock) {
			if st := postAs(t, env.SignIn(t, webtest.Viewer), env.URL+"/logout", nil); st != http.StatusSeeOther {
				t.Fatalf("sign out: %d", st)
			}
		}, true},
		{"own password changed in another browser", func(t *testing.T, env *webtest.Env, _ *clock) {
			if st := postAs(t, env.SignIn(t, webtest.Viewer), env.URL+"/account/password", url.Values{
				"current": {webtest.Password}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}); st != http.StatusSeeOther {
				t.Fatalf("change password: %d", st)
			}
		}, true},
		{"maximum age reached", func(t *testing.T, env *webtest.Env, clk *clock) { clk.advance(2 * time.Hour) }, true},
		{"idle", func(t *testing.T, env *webtest.Env, clk *clock) { clk.advance(time.Hour) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			clk := &clock{t: start}
			env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: 50 * time.Millisecond,
				Auth: auth.Config{Now: clk.Now, IdleTimeout: time.Hour, MaxAge: 90 * time.Minute}})
			viewer := env.SignIn(t, webtest.Viewer)
			env.Warm(t, "cn-hangzhou")
			p := get(t, env.URL+"/enis?region=cn-hangzhou&sort=-created")
			stream := liveURL(t, env, p)
			s := openRaw(t, viewer, stream)
			if s.status != http.StatusOK {
				t.Fatalf("stream: %d %s", s.status, s.body)
			}
			// Someone else's stream goes on.
			other := webtest.OpenSSE(t, env.Client, stream, "")

			tt.end(t, env, clk)
			last := s.ending(t)
			if !tt.signed {
				if len(last) != 0 {
					t.Fatalf("an idle session's stream said %+v, want a quiet end", last)
				}
				if again := openRaw(t, viewer, stream); again.status != http.StatusUnauthorized {
					t.Fatalf("reconnecting after the idle timeout: %d, want 401", again.status)
				}
				return
			}
			if len(last) != 1 || !strings.Contains(last[0].Data, `data-banner="live-signed-out"`) ||
				!strings.Contains(last[0].Data, "/login?next=") {
				t.Fatalf("the stream ended with %+v, want one signedout event with the banner", last)
			}
			if !strings.Contains(last[0].Data, "sort%3D-created") {
				t.Fatalf("signing in again does not come back to the sorted view: %s", last[0].Data)
			}
			if clk.Now().Equal(start) {
				if c := other.NextComment(t, wait); c != "heartbeat" {
					t.Fatalf("the operator's stream: %q", c)
				}
			}
		})
	}
}

// One session may hold only so many streams: the next is refused with a
// 429 saying what to do, while another session still gets its stream. A
// stream whose browser has gone gives its place back at once, not at the
// next heartbeat. The page's probe gets the same answers without a stream.
func TestEventsCapStreamsPerSession(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: time.Hour})
	p := get(t, env.URL+"/enis?region=cn-hangzhou")
	stream := liveURL(t, env, p)
	var open []*rawStream
	for i := range handlers.DefaultMaxStreamsPerSession {
		s := openRaw(t, env.Client, stream)
		if s.status != http.StatusOK {
			t.Fatalf("stream %d: %d %s", i+1, s.status, s.body)
		}
		open = append(open, s)
	}
	want := "Too many live views open for your session (12): close some tabs; this page still works, it just won't update by itself."
	over := openRaw(t, env.Client, stream)
	if over.status != http.StatusTooManyRequests || strings.TrimSpace(over.body) != want {
		t.Fatalf("stream 13: %d %q, want 429 %q", over.status, over.body, want)
	}
	if probe := openRaw(t, env.Client, stream, handlers.HeaderLiveProbe, "1"); probe.status != http.StatusTooManyRequests {
		t.Fatalf("probe at the cap: %d", probe.status)
	}
	if s := openRaw(t, env.SignIn(t, webtest.Operator), stream); s.status != http.StatusOK {
		t.Fatalf("another session of the same user: %d %s", s.status, s.body)
	}

	open[0].cancel()
	for range open[0].events {
	}
	deadline := time.Now().Add(wait)
	for {
		s := openRaw(t, env.Client, stream, handlers.HeaderLiveProbe, "1")
		if s.status == http.StatusNoContent {
			break
		}
		if s.status != http.StatusTooManyRequests || time.Now().After(deadline) {
			t.Fatalf("after a browser went: probe %d %q", s.status, s.body)
		}
	}
	if s := openRaw(t, env.Client, stream); s.status != http.StatusOK {
		t.Fatalf("a stream in the place of one gone: %d %s", s.status, s.body)
	}
}

// The server as a whole holds only so many streams; past them any session
// is refused, saying so.
func TestEventsCapStreamsOverall(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: time.Hour, Streams: handlers.StreamCaps{Total: 2}})
	stream := liveURL(t, env, get(t, env.URL+"/enis?region=cn-hangzhou"))
	for _, c := range []*http.Client{env.Client, env.SignIn(t, webtest.Viewer)} {
		if s := openRaw(t, c, stream); s.status != http.StatusOK {
			t.Fatalf("stream: %d %s", s.status, s.body)
		}
	}
	s := openRaw(t, env.SignIn(t, webtest.Admin), stream)
	if s.status != http.StatusTooManyRequests || !strings.Contains(s.body, "The server has too many live views open (2)") {
		t.Fatalf("a third stream: %d %q, want 429 naming the server's cap", s.status, s.body)
	}
}

// A view beyond the cap on pollers gets no poller; its page is told why,
// in the banner where cloud trouble shows.
func TestEventsTellAPausedView(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Live: live.Config{MaxPollers: 1}})
	polled := webtest.OpenSSE(t, env.Client, liveURL(t, env, get(t, env.URL+"/enis?region=cn-hangzhou")), "")
	if polled.Resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: %d", polled.Resp.StatusCode)
	}
	paused := webtest.OpenSSE(t, env.Client, liveURL(t, env, get(t, env.URL+"/enis?region=cn-hangzhou&status=InUse")), "")
	ev := paused.Next(t, wait, func(ev webtest.SSEEvent) bool { return ev.Event == "status" })
	if !strings.Contains(ev.Data, `data-banner="live-degraded"`) || !strings.Contains(ev.Data, "Live updates are paused for this view") {
		t.Fatalf("the paused view's status: %q", ev.Data)
	}
	res, err := http.Get(env.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range []string{"enidash_live_views_paused 1", "enidash_live_pollers_refused_total 1", "enidash_live_pollers 1"} {
		if !strings.Contains(string(b), "\n"+line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}
}
