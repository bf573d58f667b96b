package ecsemutest_test

import (
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"

	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
)

func TestStartAndClient(t *testing.T) {
	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{AccessKeyID: "LTAIhelper", AccessKeySecret: "helper-secret"})
	id, secret := emu.AccessKey()
	for _, v2 := range []bool{false, true} {
		c := ecsemutest.Client(t, endpoint, id, secret, v2)
		resp, err := c.DescribeRegions(&ecs.DescribeRegionsRequest{})
		if err != nil {
			t.Fatalf("v2=%v: DescribeRegions: %v", v2, err)
		}
		if resp.Body.Regions == nil || len(resp.Body.Regions.Region) == 0 {
			t.Errorf("v2=%v: no regions", v2)
		}
		if code, status := ecsemutest.ErrorCode(err); code != "" || status != 0 {
			t.Errorf("ErrorCode(nil) = %q, %d", code, status)
		}

		_, err = ecsemutest.Client(t, endpoint, "LTAIunknown", secret, v2).DescribeRegions(&ecs.DescribeRegionsRequest{})
		if code, status := ecsemutest.ErrorCode(err); code != "InvalidAccessKeyId.NotFound" || status != 404 {
			t.Errorf("v2=%v: unknown key gave %q/%d (%v)", v2, code, status, err)
		}
	}

	emu.SetFaults(ecsemu.Faults{ThrottleRate: 1})
	_, err := ecsemutest.Client(t, endpoint, id, secret, false).DescribeRegions(&ecs.DescribeRegionsRequest{})
	if code, status := ecsemutest.ErrorCode(err); code != "Throttling" || status != 400 {
		t.Errorf("throttled call gave %q/%d (%v)", code, status, err)
	}
}
