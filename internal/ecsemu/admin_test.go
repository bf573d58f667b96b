package ecsemu

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func adminDo(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if method == "PUT" || method == "POST" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestAdminFaults(t *testing.T) {
	s, _, ep := startFake(t, serverOptions{})
	url := "http://" + ep + adminFaultsPath
	steps := []struct {
		name       string
		method     string
		body       string
		wantStatus int
		wantBody   string // substring
		want       Faults // state afterwards
	}{
		{"initial GET", "GET", "", 200, `"throttleRate":0,"errorRate":0,"latency":"0s"`, Faults{}},
		{"PUT sets all", "PUT", `{"throttleRate":0.2,"errorRate":0.1,"latency":"250ms","stuckTransitions":true}`, 200,
			`"latency":"250ms","stuckTransitions":true`, Faults{0.2, 0.1, 250 * time.Millisecond, true}},
		{"POST merges", "POST", `{"errorRate":0.5}`, 200, `"errorRate":0.5`, Faults{0.2, 0.5, 250 * time.Millisecond, true}},
		{"PUT replaces", "PUT", `{"latency":"1s"}`, 200, `"latency":"1s"`, Faults{Latency: time.Second}},
		{"rate above 1", "PUT", `{"throttleRate":1.5}`, 400, "throttleRate must be between 0 and 1", Faults{Latency: time.Second}},
		{"negative rate", "POST", `{"errorRate":-0.1}`, 400, "errorRate must be between 0 and 1", Faults{Latency: time.Second}},
		{"bad latency", "POST", `{"latency":"soon"}`, 400, `latency \"soon\" is not a duration`, Faults{Latency: time.Second}},
		{"numeric latency", "POST", `{"latency":250}`, 400, "latency must be a duration string", Faults{Latency: time.Second}},
		{"negative latency", "POST", `{"latency":"-1s"}`, 400, "latency must not be negative", Faults{Latency: time.Second}},
		{"unknown field", "POST", `{"throttle":1}`, 400, `unknown field \"throttle\"`, Faults{Latency: time.Second}},
		{"wrong type", "POST", `{"stuckTransitions":"yes"}`, 400, "invalid JSON body", Faults{Latency: time.Second}},
		{"not JSON", "POST", `throttleRate=1`, 400, "invalid JSON body", Faults{Latency: time.Second}},
		{"two values", "POST", `{}{}`, 400, "more than one value", Faults{Latency: time.Second}},
		{"empty body", "PUT", "", 400, "empty body", Faults{Latency: time.Second}},
		{"DELETE not allowed", "DELETE", "", 405, "DELETE is not allowed", Faults{Latency: time.Second}},
		{"clear", "PUT", `{}`, 200, `"latency":"0s"`, Faults{}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			status, body := adminDo(t, st.method, url, st.body)
			if status != st.wantStatus || !strings.Contains(body, st.wantBody) {
				t.Errorf("%s: got %d %s, want %d containing %s", st.method, status, body, st.wantStatus, st.wantBody)
			}
			if got := s.faults.get(); got != st.want {
				t.Errorf("faults now %+v, want %+v", got, st.want)
			}
			if status != 200 {
				var e map[string]string
				if err := json.Unmarshal([]byte(body), &e); err != nil || e["error"] == "" {
					t.Errorf("error body %q is not {\"error\": ...}", body)
				}
			}
		})
	}
	if status, body := adminDo(t, "GET", "http://"+ep+adminPrefix+"nothing", ""); status != 404 || !strings.Contains(body, adminFaultsPath) {
		t.Errorf("unknown admin path: %d %s", status, body)
	}
}

func TestAdminChangesWhatCallsSee(t *testing.T) {
	_, _, ep := startFake(t, serverOptions{})
	if status, body := adminDo(t, "PUT", "http://"+ep+adminFaultsPath, `{"throttleRate":1}`); status != 200 {
		t.Fatalf("PUT: %d %s", status, body)
	}
	resp := rawV2(t, ep, "GET", v2Common("DescribeRegions"), nil, testSecret)
	if resp.status != 400 || !strings.Contains(resp.body, `"Code":"Throttling"`) ||
		!strings.Contains(resp.body, "Request was denied due to request throttling.") {
		t.Errorf("after enabling throttling: %d %s", resp.status, resp.body)
	}
}

// adminSend makes one admin request with the given headers.
func adminSend(t *testing.T, method, url, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// A web page in the operator's browser must not change the faults: a
// cross-site form or fetch can POST text/plain, form-encoded or
// multipart bodies without a preflight, never application/json, and it
// always says where it comes from in Origin.
func TestAdminRefusesCrossSiteChanges(t *testing.T) {
	s, _, ep := startFake(t, serverOptions{})
	url := "http://" + ep + adminFaultsPath
	body := `{"throttleRate":1}`
	tests := []struct {
		name       string
		method     string
		header     map[string]string
		wantStatus int
		wantBody   string
	}{
		{"text/plain", "POST", map[string]string{"Content-Type": "text/plain"}, 415, "Content-Type must be application/json"},
		{"form-encoded", "PUT", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "Content-Type must be application/json"},
		{"multipart", "POST", map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, 415, "Content-Type must be application/json"},
		{"no content type", "POST", nil, 415, "Content-Type must be application/json"},
		{"foreign origin", "POST", map[string]string{"Content-Type": "application/json", "Origin": "http://evil.example"}, 403, "http://evil.example"},
		{"opaque origin", "PUT", map[string]string{"Content-Type": "application/json", "Origin": "null"}, 403, "Origin"},
		{"another port", "POST", map[string]string{"Content-Type": "application/json", "Origin": "http://127.0.0.1:1"}, 403, "Origin"},
		{"cross-site fetch", "POST", map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}, 403, "Sec-Fetch-Site"},
		{"foreign origin reading", "GET", map[string]string{"Origin": "http://evil.example"}, 403, "Origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := adminSend(t, tt.method, url, body, tt.header)
			if status != tt.wantStatus || !strings.Contains(got, tt.wantBody) {
				t.Errorf("got %d %s, want %d containing %q", status, got, tt.wantStatus, tt.wantBody)
			}
			if f := s.faults.get(); f != (Faults{}) {
				t.Errorf("faults changed to %+v", f)
			}
		})
	}
	// Its own origin, a JSON body with a charset, and tools that send no
	// Origin at all (curl, the tests) are served.
	for _, h := range []map[string]string{
		{"Content-Type": "application/json; charset=utf-8", "Origin": "http://" + ep},
		{"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"},
		{"Content-Type": "application/json"},
	} {
		s.faults.set(Faults{})
		if status, got := adminSend(t, "PUT", url, body, h); status != 200 || s.faults.get().ThrottleRate != 1 {
			t.Errorf("%v: got %d %s", h, status, got)
		}
	}
}
