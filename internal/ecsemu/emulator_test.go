package ecsemu

import (
	"net/http/httptest"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
)

func TestNewDefaultsAndFaults(t *testing.T) {
	tests := []struct {
		name             string
		cfg              Config
		wantID, wantSecr string
	}{
		{"defaults", Config{}, DefaultAccessKeyID, DefaultAccessKeySecret},
		{"configured", Config{AccessKeyID: "LTAIcustom", AccessKeySecret: "custom-secret"}, "LTAIcustom", "custom-secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(tt.cfg)
			defer e.Close()
			if id, secret := e.AccessKey(); id != tt.wantID || secret != tt.wantSecr {
				t.Errorf("AccessKey() = %q, %q", id, secret)
			}
		})
	}

	e := New(Config{Faults: Faults{ThrottleRate: 2, Latency: -time.Second}})
	defer e.Close()
	if got := e.Faults(); got != (Faults{ThrottleRate: 1}) {
		t.Errorf("configured faults not clamped: %+v", got)
	}
	e.SetFaults(Faults{ErrorRate: 0.5, StuckTransitions: true})
	if got := e.Faults(); got != (Faults{ErrorRate: 0.5, StuckTransitions: true}) {
		t.Errorf("Faults() after SetFaults = %+v", got)
	}
	e.SetFaults(Faults{})
}

// The emulator wires its world's actions behind the protocol layer.
func TestEmulatorServesWorldAndAdmin(t *testing.T) {
	e := New(Config{})
	defer e.Close()
	ts := httptest.NewServer(e)
	defer ts.Close()
	ep := ts.Listener.Addr().String()
	for _, sc := range schemes {
		c := sdkClient(t, ep, DefaultAccessKeyID, DefaultAccessKeySecret, sc.v2)
		resp, err := c.DescribeRegions(&ecs.DescribeRegionsRequest{})
		if err != nil {
			t.Fatalf("%s: DescribeRegions: %v", sc.name, err)
		}
		if resp.Body.Regions == nil || len(resp.Body.Regions.Region) == 0 {
			t.Errorf("%s: no regions: %s", sc.name, resp.Body)
		}
		_, err = sdkClient(t, ep, DefaultAccessKeyID, "wrong", sc.v2).DescribeRegions(&ecs.DescribeRegionsRequest{})
		want := map[bool]string{false: "IncompleteSignature", true: "SignatureDoesNotMatch"}[sc.v2]
		if code, status := sdkCode(t, err); status != 400 || code != want {
			t.Errorf("%s: wrong secret gave %s/%d", sc.name, code, status)
		}
	}
	status, body := adminDo(t, "PUT", ts.URL+adminFaultsPath, `{"stuckTransitions":true}`)
	if status != 200 || !e.Faults().StuckTransitions {
		t.Errorf("admin PUT through the emulator: %d %s", status, body)
	}
}
