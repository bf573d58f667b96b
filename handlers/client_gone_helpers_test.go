package handlers_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"enidash/web/webtest"
)

// cloudHold holds the calls of one API at the emulator's door while armed,
// telling of each as it arrives, until released. A held call whose caller
// gives up is dropped unanswered, as a cloud that never answers would.
type cloudHold struct {
	api     string
	once    bool // disarm after the first call held
	armed   atomic.Bool
	arrived chan struct{}
	release chan struct{}
}

func newHold(api string) *cloudHold {
	return &cloudHold{api: api, arrived: make(chan struct{}, 100), release: make(chan struct{})}
}

func (h *cloudHold) intercept(w http.ResponseWriter, r *http.Request) bool {
	if apiAction(r) != h.api || !h.armed.Load() {
		return false
	}
	if h.once && !h.armed.CompareAndSwap(true, false) {
		return false
	}
	h.arrived <- struct{}{}
	select {
	case <-h.release:
		return false // on to the emulator
	case <-r.Context().Done():
		return true
	}
}

// wait waits until n calls are held.
func (h *cloudHold) wait(t *testing.T, n int) {
	t.Helper()
	for range n {
		<-h.arrived
	}
}

// frontDoor serves env's dashboard on a server of its own that tells when
// it sees the client of a request to path go away, and when it has
// finished serving that request. The operator's cookies hold for it too
// (cookies do not depend on the port).
type frontDoor struct {
	url          string
	gone, served chan struct{}
}

func newFrontDoor(t *testing.T, env *webtest.Env, path string) *frontDoor {
	fd := &frontDoor{gone: make(chan struct{}), served: make(chan struct{})}
	var goneOnce, servedOnce sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			env.Handler.ServeHTTP(w, r)
			return
		}
		stop := context.AfterFunc(r.Context(), func() { goneOnce.Do(func() { close(fd.gone) }) })
		defer stop()
		defer servedOnce.Do(func() { close(fd.served) })
		env.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	fd.url = srv.URL
	return fd
}

// leave sends a request as the operator's browser and goes away once
// ready says so, without reading the answer; it returns when the server
// has finished serving the request.
func (fd *frontDoor) leave(t *testing.T, env *webtest.Env, method, path string, form url.Values, ready func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, method, fd.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	sent := make(chan error, 1)
	go func() {
		res, err := env.Client.Do(req)
		if err == nil {
			res.Body.Close()
		}
		sent <- err
	}()
	ready()
	cancel()
	<-fd.gone
	if err := <-sent; err == nil {
		t.Fatal("the request was answered before the browser left")
	}
}

// logBuffer collects log lines from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines are the logged lines that contain every one of parts.
func (l *logBuffer) lines(parts ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	sc.Buffer(nil, 1<<20)
next:
	for sc.Scan() {
		for _, p := range parts {
			if !strings.Contains(sc.Text(), p) {
				continue next
			}
		}
		out = append(out, sc.Text())
	}
	return out
}

// metricLine is the value line of a counter sample on /metrics, "" when
// absent.
func metricLine(t *testing.T, env *webtest.Env, sample string) string {
	t.Helper()
	for _, l := range strings.Split(get(t, env.URL+"/metrics").body, "\n") {
		if strings.HasPrefix(l, sample+" ") {
			return l
		}
	}
	return ""
}

// waitFor waits until a line holding every part has been logged.
func (l *logBuffer) waitFor(t *testing.T, parts ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(l.lines(parts...)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q", parts)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
