package aliyun

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
	"enidash/internal/eni"
)

// Helpers of the write tests: an emulator whose transitions are quick, a
// proxy in front of it that counts the requests reaching it, and the seeded
// account's IDs by name.

// writeEnv is an emulator, the counting proxy in front of it and a Client
// that calls through the proxy.
type writeEnv struct {
	emu   *ecsemu.Emulator
	proxy *countingProxy
	c     *Client
	logs  *logBuffer
	seed  *seedIDs
}

// startWriteEnv serves an emulator whose transitions take 20ms, without
// jitter, behind a counting proxy, and returns a Client for it with a
// 1ms first backoff.
func startWriteEnv(t *testing.T, cfg Config) *writeEnv {
	t.Helper()
	d := 20 * time.Millisecond
	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{World: ecsemu.WorldConfig{
		AttachDelay: d, DetachDelay: d, DeleteDelay: d, Jitter: -1}})
	p := newCountingProxy(t, endpoint)
	logger, logs := newTestLogger()
	cfg.Endpoint, cfg.Protocol, cfg.Logger = p.endpoint(), "http", logger
	cfg.AccessKeyID, cfg.AccessKeySecret = emu.AccessKey()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.retryInitial = time.Millisecond
	return &writeEnv{emu: emu, proxy: p, c: c, logs: logs, seed: lookupSeed(t, c)}
}

// countingProxy forwards every request to the emulator and counts them by
// action. lose, when set, makes it answer 503 after forwarding a request,
// as if the cloud had done the work and its answer were lost on the way.
type countingProxy struct {
	srv *httptest.Server
	rp  *httputil.ReverseProxy

	mu      sync.Mutex
	calls   map[string]int
	answers map[string][]int // HTTP status of each answer, by action
	lose    func(action string, n int) bool
}

func newCountingProxy(t *testing.T, target string) *countingProxy {
	t.Helper()
	p := &countingProxy{calls: map[string]int{}, answers: map[string][]int{}}
	p.rp = httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: target})
	// The outgoing Host stays the proxy's, which is what the SDK signed.
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *countingProxy) serve(w http.ResponseWriter, r *http.Request) {
	action := r.Header.Get("x-acs-action")
	if action == "" {
		action = r.URL.Query().Get("Action")
	}
	p.mu.Lock()
	p.calls[action]++
	n, lose := p.calls[action], p.lose
	p.mu.Unlock()

	rec := httptest.NewRecorder()
	p.rp.ServeHTTP(rec, r)
	if lose != nil && lose(action, n) {
		p.answered(action, http.StatusServiceUnavailable)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server.","RequestId":"LOST-%s-%d"}`, action, n)
		return
	}
	p.answered(action, rec.Code)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (p *countingProxy) answered(action string, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answers[action] = append(p.answers[action], status)
}

// statuses returns the HTTP status of every answer to action so far.
func (p *countingProxy) statuses(action string) []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.answers[action])
}

func (p *countingProxy) endpoint() string { return strings.TrimPrefix(p.srv.URL, "http://") }

// count returns how many requests of action reached the proxy.
func (p *countingProxy) count(action string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[action]
}

func (p *countingProxy) setLose(lose func(action string, n int) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lose = lose
}

// seedIDs names the seeded resources of emuRegion by their names.
type seedIDs struct {
	vsw  map[string]eni.VSwitch
	sg   map[string]string
	inst map[string]eni.Instance
	enis []eni.ENI
}

func lookupSeed(t *testing.T, c *Client) *seedIDs {
	t.Helper()
	ctx := context.Background()
	s := &seedIDs{vsw: map[string]eni.VSwitch{}, sg: map[string]string{}, inst: map[string]eni.Instance{}}
	vsws, err := c.VSwitches(ctx, emuRegion, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vsws {
		s.vsw[v.Name] = v
	}
	sgs, err := c.SecurityGroups(ctx, emuRegion, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range sgs {
		s.sg[g.Name] = g.ID
	}
	insts, err := c.Instances(ctx, emuRegion, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range insts {
		s.inst[in.Name] = in
	}
	s.enis = walk(t, c, eni.Filter{Region: emuRegion, Size: 500})
	return s
}

func (s *seedIDs) vswitch(t *testing.T, name string) string {
	t.Helper()
	v, ok := s.vsw[name]
	if !ok {
		t.Fatalf("no seeded vSwitch %q", name)
	}
	return v.ID
}

func (s *seedIDs) group(t *testing.T, name string) string {
	t.Helper()
	id, ok := s.sg[name]
	if !ok {
		t.Fatalf("no seeded security group %q", name)
	}
	return id
}

func (s *seedIDs) instance(t *testing.T, name string) string {
	t.Helper()
	in, ok := s.inst[name]
	if !ok {
		t.Fatalf("no seeded instance %q", name)
	}
	return in.ID
}

// eni returns the first seeded ENI that ok accepts.
func (s *seedIDs) eni(t *testing.T, ok func(eni.ENI) bool) eni.ENI {
	t.Helper()
	return first(t, s.enis, ok)
}

func (s *seedIDs) eniNamed(t *testing.T, name string) eni.ENI {
	t.Helper()
	return s.eni(t, func(e eni.ENI) bool { return e.Name == name })
}

// spareIn returns a seeded Available secondary ENI of the named vSwitch.
func (s *seedIDs) spareIn(t *testing.T, vswName string) eni.ENI {
	t.Helper()
	id := s.vswitch(t, vswName)
	return s.eni(t, func(e eni.ENI) bool {
		return e.VSwitchID == id && e.Status == eni.StatusAvailable && e.Type == eni.TypeSecondary && !e.ServiceManaged
	})
}

// waitENI polls until the ENI reaches want, or is gone when want is "".
func waitENI(t *testing.T, c *Client, id string, want eni.Status) eni.ENI {
	t.Helper()
	var got eni.ENI
	waitFor(t, fmt.Sprintf("ENI %s to become %q", id, want), func() bool {
		e, err := c.GetENI(context.Background(), emuRegion, id)
		if want == "" {
			return errors.Is(err, eni.ErrNotFound)
		}
		if err != nil {
			t.Fatalf("GetENI(%s): %v", id, err)
		}
		got = e
		return e.Status == want
	})
	return got
}

// statusOf returns the ENI's status now.
func statusOf(t *testing.T, c *Client, id string) eni.Status {
	t.Helper()
	e, err := c.GetENI(context.Background(), emuRegion, id)
	if err != nil {
		t.Fatalf("GetENI(%s): %v", id, err)
	}
	return e.Status
}

// expectCloudError checks err is the cloud's answer code with status, as
// the *eni.CloudError of action carrying the cloud's RequestId.
func expectCloudError(t *testing.T, err error, action, code string, status int) *eni.CloudError {
	t.Helper()
	ce, ok := eni.AsCloudError(err)
	if !ok {
		t.Fatalf("err = %v (%T), want the cloud's %s (%d) as *eni.CloudError", err, err, code, status)
	}
	if ce.Code != code || ce.HTTPStatus != status || ce.Action != action {
		t.Errorf("got %s %s (%d) %q, want %s %s (%d)", ce.Action, ce.Code, ce.HTTPStatus, ce.Message, action, code, status)
	}
	if ce.RequestID == "" || ce.Message == "" {
		t.Errorf("%s lacks RequestId %q or message %q", ce.Code, ce.RequestID, ce.Message)
	}
	return ce
}
