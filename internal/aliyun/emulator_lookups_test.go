package aliyun

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

func TestEmulatorLookups(t *testing.T) {
	_, c := startEmulator(t, 0, Config{})
	ctx := context.Background()

	regions, err := c.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []eni.Region{{ID: "cn-hangzhou", Name: "China (Hangzhou)"}, {ID: "ap-southeast-1", Name: "Singapore"}} {
		if !slices.Contains(regions, want) {
			t.Errorf("Regions() = %v, missing %v", regions, want)
		}
	}

	zones, err := c.Zones(ctx, emuRegion)
	if err != nil {
		t.Fatal(err)
	}
	if want := []eni.Zone{{ID: "cn-hangzhou-h", Name: "Hangzhou Zone H"}, {ID: "cn-hangzhou-i", Name: "Hangzhou Zone I"},
		{ID: "cn-hangzhou-j", Name: "Hangzhou Zone J"}, {ID: "cn-hangzhou-k", Name: "Hangzhou Zone K"}}; !slices.Equal(zones, want) {
		t.Errorf("Zones = %v, want %v", zones, want)
	}

	vpcs, err := c.VPCs(ctx, emuRegion)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]eni.VPC{}
	for _, v := range vpcs {
		if !strings.HasPrefix(v.ID, "vpc-") {
			t.Errorf("VPC ID %q", v.ID)
		}
		byName[v.Name] = v
	}
	if len(vpcs) != 3 || byName["prod-vpc"].CIDR != "10.0.0.0/16" || byName["staging-vpc"].CIDR != "192.168.0.0/16" || byName[""].CIDR != "172.16.0.0/12" {
		t.Errorf("VPCs = %v, want the seeded prod, staging and default VPCs", vpcs)
	}
	prod := byName["prod-vpc"].ID

	vsws, err := c.VSwitches(ctx, emuRegion, prod)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range vsws {
		names = append(names, v.Name)
		p, err := netip.ParsePrefix(v.CIDR)
		if v.VpcID != prod || v.ZoneID == "" || err != nil || v.AvailableIP <= 0 || v.AvailableIP >= 1<<(32-p.Bits()) {
			t.Errorf("vSwitch %+v of VPC %s", v, prod)
		}
		if v.Name == "prod-app-h" && v.IPv6CIDR != "2408:4005:3c1:a100::/64" {
			t.Errorf("prod-app-h IPv6 CIDR = %q", v.IPv6CIDR)
		}
		if v.Name == "prod-app-i" && v.IPv6CIDR != "" {
			t.Errorf("prod-app-i has IPv6 CIDR %q; it has none", v.IPv6CIDR)
		}
	}
	sort.Strings(names)
	if want := []string{"prod-app-h", "prod-app-i", "prod-db-j", "prod-edge-j"}; !slices.Equal(names, want) {
		t.Errorf("vSwitches of prod = %v, want %v", names, want)
	}
	allVsw, err := c.VSwitches(ctx, emuRegion, "")
	if err != nil || len(allVsw) != 8 {
		t.Errorf("VSwitches of the region: %d, %v; want the 8 seeded", len(allVsw), err)
	}

	sgs, err := c.SecurityGroups(ctx, emuRegion, prod)
	if err != nil {
		t.Fatal(err)
	}
	names = names[:0]
	for _, g := range sgs {
		names = append(names, g.Name)
		if g.VpcID != prod || !strings.HasPrefix(g.ID, "sg-") {
			t.Errorf("security group %+v of VPC %s", g, prod)
		}
		wantKind := eni.SGBasic
		if g.Name == "prod-enterprise" {
			wantKind = eni.SGEnterprise
		}
		if g.Kind != wantKind {
			t.Errorf("security group %s: kind %q, want %q", g.Name, g.Kind, wantKind)
		}
	}
	sort.Strings(names)
	if want := []string{"prod-db", "prod-enterprise", "prod-mgmt", "prod-web"}; !slices.Equal(names, want) {
		t.Errorf("security groups of prod = %v, want %v", names, want)
	}
}

// TestEmulatorInstances checks instances against the ENIs the cloud lists:
// every instance has its primary ENI, and ENICount is what is plugged into it
// (InUse or still Detaching).
// The extra ENIs bring more instances than one page holds.
func TestEmulatorInstances(t *testing.T) {
	_, c := startEmulator(t, 2000, Config{})
	ctx := context.Background()
	insts, err := c.Instances(ctx, emuRegion, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(insts) <= instancePageSize {
		t.Fatalf("%d instances: the case does not page", len(insts))
	}
	enis := walk(t, c, eni.Filter{Region: emuRegion, Size: 500})
	attached := map[string]int{} // the instance lists ENIs done attaching and not yet detached
	primaryGroups := map[string][]string{}
	for _, e := range enis {
		if e.Type == eni.TypePrimary {
			primaryGroups[e.InstanceID] = e.SecurityGroups
		}
		if e.InstanceID != "" && (e.Status == eni.StatusInUse || e.Status == eni.StatusDetaching) {
			attached[e.InstanceID]++
		}
	}
	seen := map[string]bool{}
	for _, in := range insts {
		if seen[in.ID] {
			t.Errorf("instance %s listed twice", in.ID)
		}
		seen[in.ID] = true
		if in.ENICount != attached[in.ID] || in.ENICount == 0 {
			t.Errorf("instance %s: ENICount %d, the cloud lists %d ENIs on it", in.ID, in.ENICount, attached[in.ID])
		}
		if in.Status == "" || in.Type == "" || in.ZoneID == "" || in.VpcID == "" {
			t.Errorf("instance %+v lacks attributes", in)
		}
		if len(in.SecurityGroupIDs) == 0 || !slices.Equal(in.SecurityGroupIDs, primaryGroups[in.ID]) {
			t.Errorf("instance %s: security groups %v, its primary ENI is in %v", in.ID, in.SecurityGroupIDs, primaryGroups[in.ID])
		}
	}
	if len(seen) != len(attached) {
		t.Errorf("%d instances listed, ENIs are attached to %d", len(seen), len(attached))
	}

	vpcs, err := c.VPCs(ctx, emuRegion)
	if err != nil {
		t.Fatal(err)
	}
	inVPC, err := c.Instances(ctx, emuRegion, vpcs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(inVPC) == 0 || len(inVPC) >= len(insts) {
		t.Errorf("%d instances in VPC %s of %d in the region", len(inVPC), vpcs[0].ID, len(insts))
	}
	for _, in := range inVPC {
		if in.VpcID != vpcs[0].ID {
			t.Errorf("instance %s of VPC %s listed for %s", in.ID, in.VpcID, vpcs[0].ID)
		}
	}
}

func TestEmulatorRetriesInjectedFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults ecsemu.Faults
		codes  []string
	}{
		{"throttling", ecsemu.Faults{ThrottleRate: 0.4}, []string{"Throttling"}},
		{"internal errors", ecsemu.Faults{ErrorRate: 0.4}, []string{"InternalError", "ServiceUnavailable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := newTestLogger()
			emu, c := startEmulator(t, 0, Config{Logger: logger, ReadAttempts: 10})
			emu.SetFaults(tt.faults)
			for range 10 {
				if _, err := c.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: emuRegion}}); err != nil {
					t.Fatalf("ListENIs failed despite retries: %v", err)
				}
			}
			injected := 0
			for _, r := range logs.records(t) {
				if code, _ := r["code"].(string); slices.Contains(tt.codes, code) {
					injected++
				}
			}
			if injected == 0 {
				t.Error("no fault was injected, so nothing was retried")
			}
		})
	}
}

func TestEmulatorRetriesAreBounded(t *testing.T) {
	logger, logs := newTestLogger()
	emu, c := startEmulator(t, 0, Config{Logger: logger, ReadAttempts: 3})
	emu.SetFaults(ecsemu.Faults{ThrottleRate: 1})
	_, err := c.VSwitches(context.Background(), emuRegion, "")
	ce, ok := eni.AsCloudError(err)
	if !ok || !ce.Throttled() || ce.HTTPStatus != 400 || ce.RequestID == "" || ce.Action != "DescribeVSwitches" {
		t.Fatalf("err = %#v, want the cloud's Throttling with its RequestId", err)
	}
	if n := len(logs.records(t)); n != 3 {
		t.Errorf("%d attempts logged, want ReadAttempts = 3", n)
	}
}

func TestEmulatorContextEndsSlowCall(t *testing.T) {
	emu, c := startEmulator(t, 0, Config{})
	emu.SetFaults(ecsemu.Faults{Latency: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := c.SecurityGroups(ctx, emuRegion, "")
		errc <- err
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want DeadlineExceeded", err)
		}
	case <-time.After(20 * time.Second): // a guard against hanging, far from the minute of latency
		t.Fatal("the call outlived its context")
	}
}

func TestEmulatorErrorsAndSignatures(t *testing.T) {
	_, c := startEmulator(t, 0, Config{SignatureV2: true})
	ctx := context.Background()
	if _, err := c.Regions(ctx); err != nil {
		t.Fatalf("signature 1.0: %v", err)
	}
	_, err := c.VPCs(ctx, "xx-nowhere-1")
	ce, ok := eni.AsCloudError(err)
	if !ok || ce.Code != "InvalidRegionId.MalFormed" || ce.HTTPStatus != 400 || ce.RequestID == "" || ce.Message == "" {
		t.Errorf("unknown region: %#v", err)
	}

	emu, bad := startEmulator(t, 0, Config{})
	id, _ := emu.AccessKey()
	wrong, err := New(Config{Endpoint: bad.cfg.Endpoint, Protocol: "http", AccessKeyID: id, AccessKeySecret: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = wrong.Zones(ctx, emuRegion)
	if ce, ok := eni.AsCloudError(err); !ok || (ce.Code != "SignatureDoesNotMatch" && ce.Code != "IncompleteSignature") || ce.RequestID == "" {
		t.Errorf("wrong secret: %#v", err)
	}
}

func TestEmulatorConcurrentUse(t *testing.T) {
	_, c := startEmulator(t, 0, Config{})
	ctx := context.Background()
	calls := []func() error{
		func() error { _, err := c.Regions(ctx); return err },
		func() error { _, err := c.Zones(ctx, emuRegion); return err },
		func() error { _, err := c.VPCs(ctx, emuRegion); return err },
		func() error { _, err := c.VSwitches(ctx, emuRegion, ""); return err },
		func() error { _, err := c.SecurityGroups(ctx, emuRegion, ""); return err },
		func() error { _, err := c.Instances(ctx, emuRegion, ""); return err },
		func() error {
			_, err := c.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: "cn-shanghai"}})
			return err
		},
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*len(calls))
	for range 3 {
		for _, call := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := call(); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
