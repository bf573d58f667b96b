package ecsemu

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
)

func TestInjectedErrorsThroughSDK(t *testing.T) {
	s, _, ep := startFake(t, serverOptions{seed: 7})
	tests := []struct {
		name   string
		faults Faults
		want   map[string]int // code -> status, every one must be seen
	}{
		{"throttle always", Faults{ThrottleRate: 1}, map[string]int{"Throttling": 400}},
		{"errors always", Faults{ErrorRate: 1}, map[string]int{"InternalError": 500, "ServiceUnavailable": 503}},
		{"throttle wins over errors", Faults{ThrottleRate: 1, ErrorRate: 1}, map[string]int{"Throttling": 400}},
	}
	for _, tt := range tests {
		for _, sc := range schemes {
			t.Run(tt.name+"/"+sc.name, func(t *testing.T) {
				s.faults.set(tt.faults)
				t.Cleanup(func() { s.faults.set(Faults{}) })
				c := sdkClient(t, ep, testKeyID, testSecret, sc.v2)
				seen := map[string]bool{}
				for range 20 {
					_, err := c.DescribeRegions(&ecs.DescribeRegionsRequest{})
					if err == nil {
						t.Fatal("call succeeded despite the fault")
					}
					code, status := sdkCode(t, err)
					if want, ok := tt.want[code]; !ok || want != status {
						t.Fatalf("got %s/%d, want one of %v", code, status, tt.want)
					}
					seen[code] = true
				}
				if len(seen) != len(tt.want) {
					t.Errorf("saw %v, want all of %v", seen, tt.want)
				}
			})
		}
	}
	// Faults off again: calls succeed.
	if _, err := sdkClient(t, ep, testKeyID, testSecret, false).DescribeRegions(&ecs.DescribeRegionsRequest{}); err != nil {
		t.Errorf("call with no faults: %v", err)
	}
}

func TestInjectedLatency(t *testing.T) {
	s, _, ep := startFake(t, serverOptions{})
	const latency = 120 * time.Millisecond
	s.faults.set(Faults{Latency: latency})
	c := sdkClient(t, ep, testKeyID, testSecret, true)
	start := time.Now()
	if _, err := c.DescribeRegions(&ecs.DescribeRegionsRequest{}); err != nil {
		t.Fatal(err)
	}
	// A lower bound only: the delay must have been applied.
	if took := time.Since(start); took < latency {
		t.Errorf("call took %s, injected latency is %s", took, latency)
	}
}

func TestInjectedLatencyEndsWithCaller(t *testing.T) {
	rc := &recorder{}
	s := newServer(testKeyID, testSecret, fakeActions(rc), serverOptions{})
	s.faults.set(Faults{Latency: time.Hour})
	ts := httptest.NewServer(s)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	q := v2Common("DescribeRegions")
	q = withSignature(q, toPtrMap(q), "GET", testSecret)
	req, err := http.NewRequestWithContext(ctx, "GET", ts.URL+"/?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("request returned despite an hour of latency")
	}
	// Close waits for running handlers: it returns only because the
	// handler stopped sleeping when the caller left.
	ts.Close()

	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if err := sleep(ctx2, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep on a cancelled context = %v", err)
	}
}

func TestFaultDrawsAreSeededAndProportional(t *testing.T) {
	draw := func(seed uint64, f Faults, n int) []string {
		fi := newFaultInjector(seed, nil)
		fi.set(f)
		out := make([]string, n)
		for i := range out {
			if _, e := fi.decide(); e != nil {
				out[i] = e.Code
			}
		}
		return out
	}
	f := Faults{ThrottleRate: 0.3, ErrorRate: 0.2}
	a, b := draw(42, f, 500), draw(42, f, 500)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs between runs with the same seed", i)
		}
	}
	counts := map[string]int{}
	for _, c := range draw(42, f, 10000) {
		counts[c]++
	}
	// Expected: throttle 30%, errors 70%*20% = 14%, split evenly.
	within := func(got int, want float64) bool { return math.Abs(float64(got)/10000-want) < 0.03 }
	if !within(counts["Throttling"], 0.30) || !within(counts["InternalError"]+counts["ServiceUnavailable"], 0.14) {
		t.Errorf("proportions off: %v", counts)
	}
	for _, c := range draw(1, Faults{}, 1000) {
		if c != "" {
			t.Fatalf("fault %s injected with zero rates", c)
		}
	}
}

func TestStuckTransitionsForwarded(t *testing.T) {
	var mu sync.Mutex
	var got []bool
	fi := newFaultInjector(1, func(on bool) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, on)
	})
	fi.set(Faults{StuckTransitions: true})
	if _, err := fi.update(func(f Faults) (Faults, error) { f.StuckTransitions = false; return f, nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := fi.update(func(f Faults) (Faults, error) { return f, errors.New("rejected") }); err == nil {
		t.Fatal("update error lost")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || !got[0] || got[1] {
		t.Errorf("world told %v, want [true false]", got)
	}
}

func TestFaultsValidateClampJSON(t *testing.T) {
	tests := []struct {
		f       Faults
		wantErr bool
		clamped Faults
	}{
		{Faults{ThrottleRate: 0.5, ErrorRate: 1, Latency: time.Second}, false, Faults{ThrottleRate: 0.5, ErrorRate: 1, Latency: time.Second}},
		{Faults{ThrottleRate: 1.5}, true, Faults{ThrottleRate: 1}},
		{Faults{ErrorRate: -0.1}, true, Faults{}},
		{Faults{ErrorRate: math.NaN()}, true, Faults{}},
		{Faults{Latency: -time.Second}, true, Faults{}},
	}
	for _, tt := range tests {
		if err := tt.f.Validate(); (err != nil) != tt.wantErr {
			t.Errorf("%+v.Validate() = %v", tt.f, err)
		}
		if got := tt.f.clamped(); got != tt.clamped {
			t.Errorf("%+v.clamped() = %+v, want %+v", tt.f, got, tt.clamped)
		}
	}
	b, err := json.Marshal(Faults{ThrottleRate: 0.25, Latency: 250 * time.Millisecond, StuckTransitions: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"throttleRate":0.25,"errorRate":0,"latency":"250ms","stuckTransitions":true}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}
