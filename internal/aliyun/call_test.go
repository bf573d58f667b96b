package aliyun

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

func TestReadRetries(t *testing.T) {
	type answer struct {
		status int
		code   string
	}
	ok := answer{200, ""}
	tests := []struct {
		name      string
		attempts  int
		answers   []answer // the last one repeats
		wantCalls int
		wantCode  string // "" = success
	}{
		{name: "throttled then ok", attempts: 4, answers: []answer{{400, "Throttling"}, {503, "ServiceUnavailable"}, ok}, wantCalls: 3},
		{name: "internal error then ok", attempts: 4, answers: []answer{{500, "InternalError"}, ok}, wantCalls: 2},
		{name: "gives up after ReadAttempts", attempts: 2, answers: []answer{{500, "InternalError"}}, wantCalls: 2, wantCode: "InternalError"},
		{name: "no retry on a bad parameter", attempts: 4, answers: []answer{{400, "InvalidParameter"}}, wantCalls: 1, wantCode: "InvalidParameter"},
		{name: "no retry on not found", attempts: 4, answers: []answer{{404, "InvalidVSwitchId.NotFound"}}, wantCalls: 1, wantCode: "InvalidVSwitchId.NotFound"},
		{name: "no retry on auth failure", attempts: 4, answers: []answer{{403, "Forbidden.RAM"}}, wantCalls: 1, wantCode: "Forbidden.RAM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeECS(t, func(n int, _ *http.Request, _ url.Values) (int, any) {
				a := tt.answers[min(n, len(tt.answers))-1]
				rid := "R-" + strconv.Itoa(n)
				if a.status == 200 {
					return 200, emptyENIPage(rid)
				}
				return a.status, cloudErr(a.code, "injected", rid)
			})
			c := fake.client(t, Config{ReadAttempts: tt.attempts})
			page, err := c.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou"}})
			if got := fake.callCount(); got != tt.wantCalls {
				t.Errorf("cloud saw %d calls, want %d", got, tt.wantCalls)
			}
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("ListENIs: %v", err)
				}
				if want := "R-" + strconv.Itoa(tt.wantCalls); page.RequestID != want {
					t.Errorf("RequestID = %q, want %q (of the attempt that worked)", page.RequestID, want)
				}
				return
			}
			ce, ok := eni.AsCloudError(err)
			if !ok || ce.Code != tt.wantCode || ce.RequestID != "R-"+strconv.Itoa(tt.wantCalls) {
				t.Errorf("err = %v, want CloudError %s of the last attempt", err, tt.wantCode)
			}
		})
	}
}

// hangingECS answers nothing until released, so a test can tell that a
// call returned while the cloud was still working on it.
func hangingECS(t *testing.T) (*fakeECS, func()) {
	release := make(chan struct{})
	var once sync.Once
	fake := newFakeECS(t, func(n int, r *http.Request, _ url.Values) (int, any) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return 200, emptyENIPage("R-late")
	})
	rel := func() { once.Do(func() { close(release) }) }
	t.Cleanup(rel) // before the server closes: Cleanup runs last-in first-out
	return fake, rel
}

func TestContextEndsCallEarly(t *testing.T) {
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		end  func(cancel context.CancelFunc) // ends the context once the call is in flight; nil: it ends itself
		want error
	}{
		{
			name: "canceled",
			ctx:  func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			end:  func(cancel context.CancelFunc) { cancel() },
			want: context.Canceled,
		},
		{
			name: "deadline",
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 100*time.Millisecond)
			},
			want: context.DeadlineExceeded, // ends by itself, in flight or not
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, release := hangingECS(t)
			c := fake.client(t, Config{CallTimeout: 30 * time.Second})
			ctx, cancel := tt.ctx()
			defer cancel()
			errc := make(chan error, 1)
			go func() {
				_, err := c.GetENI(ctx, "cn-hangzhou", "eni-1")
				errc <- err
			}()
			if tt.end != nil {
				waitFor(t, "the call to reach the cloud", func() bool { return fake.callCount() == 1 })
				tt.end(cancel)
			}
			err := <-errc // the cloud has not answered: only the context can end the call
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), "DescribeNetworkInterfaces in cn-hangzhou") {
				t.Errorf("err %q does not say which call", err)
			}
			release()
			waitFor(t, "the abandoned call to free its lane", func() bool { return len(c.lanes) == maxInFlight })
			if n := fake.callCount(); n > 1 {
				t.Errorf("cloud saw %d calls; a context error must not be retried", n)
			}
		})
	}
}

func TestCanceledBeforeCall(t *testing.T) {
	fake := newFakeECS(t, func(int, *http.Request, url.Values) (int, any) { return 200, emptyENIPage("R") })
	c := fake.client(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.VPCs(ctx, "cn-hangzhou"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := fake.callCount(); n != 0 {
		t.Errorf("cloud saw %d calls for a canceled context", n)
	}
}

func TestBudget(t *testing.T) {
	c := &Client{cfg: Config{CallTimeout: 10 * time.Second}}
	tests := []struct {
		left time.Duration // 0 = no deadline
		want time.Duration
	}{
		{0, 10 * time.Second},
		{time.Hour, 10 * time.Second},
		{7 * time.Second, 10 * time.Second},
		{4 * time.Second, 5 * time.Second},
		{2 * time.Second, 2500 * time.Millisecond},
		{time.Second, 1250 * time.Millisecond},
		{100 * time.Millisecond, 625 * time.Millisecond},
	}
	for _, tt := range tests {
		ctx := context.Background()
		if tt.left > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, tt.left)
			defer cancel()
		}
		if got := c.budget(ctx); got != tt.want {
			t.Errorf("budget with %v left = %v, want %v", tt.left, got, tt.want)
		}
	}
}

func TestRuntimeOptions(t *testing.T) {
	a, err := New(Config{AccessKeyID: "id", AccessKeySecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{AccessKeyID: "id", AccessKeySecret: "s", Endpoint: "127.0.0.1:8081", Protocol: "http"})
	if err != nil {
		t.Fatal(err)
	}
	rt := a.runtimeFor(3, 9*time.Second)
	if tea.BoolValue(rt.Autoretry) {
		t.Error("the SDK's own retries are on")
	}
	if got := tea.IntValue(rt.ConnectTimeout) + tea.IntValue(rt.ReadTimeout); got != 9000 {
		t.Errorf("connect+read = %dms, want the 9000ms budget", got)
	}
	keys := map[string]bool{}
	for _, rt := range []*struct {
		c    *Client
		lane int
	}{{a, 0}, {a, 1}, {b, 0}, {b, 1}} {
		keys[tea.StringValue(rt.c.runtimeFor(rt.lane, time.Second).Socks5NetWork)] = true
	}
	if len(keys) != 4 {
		t.Errorf("pool keys of two clients × two lanes are not distinct: %v", keys)
	}
	if rt.NoProxy != nil {
		t.Errorf("NoProxy %q set for the public endpoint", tea.StringValue(rt.NoProxy))
	}
	if got := tea.StringValue(b.runtimeFor(0, time.Second).NoProxy); got != "127.0.0.1:8081" {
		t.Errorf("NoProxy = %q for a loopback endpoint, want the endpoint", got)
	}
}

// TestConcurrentCalls runs many calls at once on one Client; under -race it
// guards the lanes that keep the SDK's unsynchronised state apart.
func TestConcurrentCalls(t *testing.T) {
	fake := newFakeECS(t, func(n int, _ *http.Request, _ url.Values) (int, any) { return 200, emptyENIPage("R") })
	c := fake.client(t, Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			region := []string{"cn-hangzhou", "cn-beijing"}[i%2]
			if _, err := c.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: region}}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := fake.callCount(); n != 40 {
		t.Errorf("cloud saw %d calls, want 40", n)
	}
}

func TestCredentialsSent(t *testing.T) {
	// The default chain would pick these up; an explicit pair must win.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIfromenv")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
	t.Setenv("HOME", t.TempDir())
	tests := []struct {
		name   string
		id     string
		v2     bool
		wantID string
	}{
		{name: "explicit, ACS3", id: "LTAIexplicit", wantID: "LTAIexplicit"},
		{name: "explicit, signature 1.0", id: "LTAIexplicit", v2: true, wantID: "LTAIexplicit"},
		{name: "default chain", wantID: "LTAIfromenv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeECS(t, func(int, *http.Request, url.Values) (int, any) { return 200, emptyENIPage("R") })
			cfg := Config{Endpoint: fake.endpoint(), Protocol: "http", SignatureV2: tt.v2}
			if tt.id != "" {
				cfg.AccessKeyID, cfg.AccessKeySecret = tt.id, "explicit-secret"
			}
			c, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if (c.cred == nil) != (tt.id != "") {
				t.Errorf("default chain built = %v with explicit key %q", c.cred != nil, tt.id)
			}
			if _, err := c.Zones(context.Background(), "cn-hangzhou"); err != nil {
				t.Fatal(err)
			}
			call := fake.call(0)
			got := call.params.Get("AccessKeyId")
			if !tt.v2 {
				got = between(call.auth, "Credential=", ",")
			}
			if got != tt.wantID {
				t.Errorf("cloud saw AccessKeyId %q, want %q (auth %q)", got, tt.wantID, call.auth)
			}
		})
	}
}

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}

func TestNewRejects(t *testing.T) {
	tests := []Config{
		{Protocol: "ftp"},
		{Endpoint: "http://127.0.0.1:1"},
		{AccessKeyID: "only-id"},
		{AccessKeySecret: "only-secret"},
	}
	for _, cfg := range tests {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%v) accepted", cfg)
		}
	}
}

func TestLogs(t *testing.T) {
	const secret = "test-secret-never-logged"
	fake := newFakeECS(t, func(n int, _ *http.Request, _ url.Values) (int, any) {
		if n == 1 {
			return 200, map[string]any{"RequestId": "R-ok", "Zones": map[string]any{"Zone": []any{}}}
		}
		return 403, cloudErr("Forbidden.RAM", "denied", "R-bad")
	})
	logger, buf := newTestLogger()
	c := fake.client(t, Config{Logger: logger, AccessKeyID: "LTAIlog", AccessKeySecret: secret})
	logger.Info("config", "cfg", c.cfg)
	ctx := context.Background()
	if _, err := c.Zones(ctx, "cn-hangzhou"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zones(ctx, "cn-hangzhou"); err == nil {
		t.Fatal("second call should fail")
	}
	var calls []map[string]any
	for _, r := range buf.records(t) {
		if r["action"] != nil {
			calls = append(calls, r)
		}
	}
	want := []map[string]string{
		{"level": "INFO", "action": "DescribeZones", "region": "cn-hangzhou", "outcome": "ok", "requestId": "R-ok"},
		{"level": "WARN", "action": "DescribeZones", "region": "cn-hangzhou", "outcome": "cloud error", "requestId": "R-bad", "code": "Forbidden.RAM"},
	}
	if len(calls) != len(want) {
		t.Fatalf("got %d call records, want %d:\n%s", len(calls), len(want), buf)
	}
	for i, w := range want {
		for k, v := range w {
			if got := fmt.Sprint(calls[i][k]); got != v {
				t.Errorf("record %d: %s = %q, want %q", i, k, got, v)
			}
		}
		if _, ok := calls[i]["duration"]; !ok {
			t.Errorf("record %d has no duration", i)
		}
	}
	if strings.Contains(buf.String(), secret) {
		t.Errorf("the AccessKey secret is in the log:\n%s", buf)
	}
	if s := fmt.Sprint(c.cfg); strings.Contains(s, secret) {
		t.Errorf("Config prints its secret: %s", s)
	}
}
