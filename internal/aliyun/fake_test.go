package aliyun

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeECS is a loopback HTTP server that answers like ECS without checking
// signatures, for tests of the call machinery (retries, deadlines, errors,
// credentials) that need answers the emulator does not give on demand.
type fakeECS struct {
	srv    *httptest.Server
	answer func(n int, r *http.Request, params url.Values) (status int, body any)

	mu    sync.Mutex
	calls []fakeCall
}

type fakeCall struct {
	params url.Values
	auth   string // Authorization header (ACS3 signature)
}

func newFakeECS(t *testing.T, answer func(n int, r *http.Request, params url.Values) (int, any)) *fakeECS {
	t.Helper()
	f := &fakeECS{answer: answer}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeECS) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	params := r.Form
	if params.Get("Action") == "" {
		params.Set("Action", r.Header.Get("x-acs-action"))
	}
	f.mu.Lock()
	f.calls = append(f.calls, fakeCall{params: params, auth: r.Header.Get("Authorization")})
	n := len(f.calls)
	f.mu.Unlock()
	status, body := f.answer(n, r, params)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (f *fakeECS) endpoint() string { return strings.TrimPrefix(f.srv.URL, "http://") }

func (f *fakeECS) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fakeECS) call(i int) fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[i]
}

// client returns a Client for the fake with an explicit AccessKey pair.
func (f *fakeECS) client(t *testing.T, cfg Config) *Client {
	t.Helper()
	cfg.Endpoint, cfg.Protocol = f.endpoint(), "http"
	if cfg.AccessKeyID == "" {
		cfg.AccessKeyID, cfg.AccessKeySecret = "LTAItestkey", "test-secret-never-logged"
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// emptyENIPage is a successful DescribeNetworkInterfaces answer.
func emptyENIPage(requestID string) map[string]any {
	return map[string]any{"RequestId": requestID, "TotalCount": 0,
		"NetworkInterfaceSets": map[string]any{"NetworkInterfaceSet": []any{}}}
}

func cloudErr(code, msg, requestID string) map[string]any {
	return map[string]any{"Code": code, "Message": msg, "RequestId": requestID, "HostId": "ecs.aliyuncs.com"}
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records decodes the JSON log lines.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func newTestLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// waitFor polls cond until it holds or a generous limit passes; it is a
// synchronisation helper, not a timing assertion.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
