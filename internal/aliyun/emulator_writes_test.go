package aliyun

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// The write actions through the real SDK against the emulator: the ENI's
// whole life, what a create request sets, and idempotent create.

func TestEmulatorWriteLifecycle(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s, ctx := env.c, env.seed, context.Background()
	web1 := s.inst["web-prod-01"]
	rg := s.eniNamed(t, "web1-frontend").ResourceGroupID
	no := false

	// Transitions are held while stuck, so each transitional state can be
	// seen before it completes.
	stuck := func(on bool) { env.emu.SetFaults(ecsemu.Faults{StuckTransitions: on}) }

	res, err := c.CreateENI(ctx, eni.CreateRequest{
		Region: emuRegion, ZoneID: "cn-hangzhou-h", VSwitchID: s.vswitch(t, "prod-app-h"),
		SecurityGroupIDs: []string{s.group(t, "prod-web"), s.group(t, "prod-mgmt")},
		Name:             "life-eni", Description: "made by the write tests",
		SecondaryIPCount: 2, IPv6Count: 1, Tags: []eni.Tag{{Key: "env", Value: "test"}, {Key: "owner", Value: "qa"}},
		ResourceGroupID: rg, DeleteOnRelease: &no, QueueNumber: 2, TrafficMode: "Standard",
		ClientToken: "life-eni-token",
	})
	if err != nil {
		t.Fatal(err)
	}
	id := res.ENIID
	if !strings.HasPrefix(id, "eni-") || res.RequestID == "" {
		t.Fatalf("CreateENI = %+v, want an ENI ID and a RequestId", res)
	}
	e := waitENI(t, c, id, eni.StatusAvailable) // create is synchronous: no wait happens
	if e.Name != "life-eni" || e.Description != "made by the write tests" || e.VSwitchID != s.vswitch(t, "prod-app-h") ||
		e.ZoneID != "cn-hangzhou-h" || len(e.SecondaryIPs()) != 2 || len(e.IPv6) != 1 || e.ResourceGroupID != rg ||
		e.DeleteOnRelease || e.QueueNumber != 2 || e.TrafficMode != "Standard" || e.Type != eni.TypeSecondary {
		t.Errorf("created ENI %+v", e)
	}
	if want := []string{s.group(t, "prod-mgmt"), s.group(t, "prod-web")}; !slices.Equal(slices.Sorted(slices.Values(e.SecurityGroups)), sortedCopy(want)) {
		t.Errorf("security groups %v, want %v", e.SecurityGroups, want)
	}
	if !slices.Contains(e.Tags, eni.Tag{Key: "env", Value: "test"}) || !slices.Contains(e.Tags, eni.Tag{Key: "owner", Value: "qa"}) {
		t.Errorf("tags %v", e.Tags)
	}

	stuck(true)
	res, err = c.AttachENI(ctx, eni.AttachRequest{Region: emuRegion, ENIID: id, InstanceID: web1.ID})
	if err != nil {
		t.Fatal(err)
	}
	if res.ENIID != id || res.RequestID == "" {
		t.Errorf("AttachENI = %+v", res)
	}
	if st := statusOf(t, c, id); st != eni.StatusAttaching {
		t.Fatalf("after attach: %s, want Attaching", st)
	}
	stuck(false)
	e = waitENI(t, c, id, eni.StatusInUse)
	if e.InstanceID != web1.ID || e.Attachment == nil || e.Attachment.InstanceID != web1.ID {
		t.Errorf("attached ENI %+v", e)
	}
	insts, err := c.Instances(ctx, emuRegion, web1.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(insts, func(in eni.Instance) bool { return in.ID == web1.ID })
	if i < 0 || insts[i].ENICount != web1.ENICount+1 || insts[i].ENILimit != 4 {
		t.Errorf("web-prod-01 after attach: %+v (before: %d ENIs)", insts, web1.ENICount)
	}

	stuck(true)
	res, err = c.DetachENI(ctx, eni.DetachRequest{Region: emuRegion, ENIID: id, InstanceID: web1.ID})
	if err != nil {
		t.Fatal(err)
	}
	if res.ENIID != id || res.RequestID == "" {
		t.Errorf("DetachENI = %+v", res)
	}
	if st := statusOf(t, c, id); st != eni.StatusDetaching {
		t.Fatalf("after detach: %s, want Detaching", st)
	}
	stuck(false)
	if e := waitENI(t, c, id, eni.StatusAvailable); e.InstanceID != "" || e.Attachment != nil {
		t.Errorf("detached ENI %+v", e)
	}

	stuck(true)
	res, err = c.DeleteENI(ctx, emuRegion, id)
	if err != nil {
		t.Fatal(err)
	}
	if res.ENIID != id || res.RequestID == "" {
		t.Errorf("DeleteENI = %+v", res)
	}
	if st := statusOf(t, c, id); st != eni.StatusDeleting {
		t.Fatalf("after delete: %s, want Deleting", st)
	}
	stuck(false)
	waitENI(t, c, id, "")
}

func sortedCopy(s []string) []string { return slices.Sorted(slices.Values(s)) }

// TestEmulatorCreateENIRequests checks that every field of a create request
// reaches the cloud: what the cloud then lists is what was asked for.
func TestEmulatorCreateENIRequests(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s := env.c, env.seed
	yes := true
	tests := []struct {
		name  string
		req   eni.CreateRequest
		check func(t *testing.T, e eni.ENI)
	}{
		{"one security group, defaults", eni.CreateRequest{VSwitchID: s.vswitch(t, "prod-app-i"), SecurityGroupIDs: []string{s.group(t, "prod-db")}},
			func(t *testing.T, e eni.ENI) {
				if !slices.Equal(e.SecurityGroups, []string{s.group(t, "prod-db")}) || len(e.PrivateIPs) != 1 || len(e.IPv6) != 0 ||
					!e.DeleteOnRelease || e.TrafficMode != "Standard" || e.Name != "" {
					t.Errorf("%+v", e)
				}
			}},
		{"explicit addresses", eni.CreateRequest{VSwitchID: s.vswitch(t, "prod-app-h"), SecurityGroupIDs: []string{s.group(t, "prod-web")},
			PrimaryIP: "10.0.60.10", SecondaryIPs: []string{"10.0.60.11", "10.0.60.12"},
			IPv6: []string{"2408:4005:3c1:a100::6:10"}, IPv4Prefixes: []string{"10.0.61.0/28"}, DeleteOnRelease: &yes},
			func(t *testing.T, e eni.ENI) {
				if e.PrimaryIP != "10.0.60.10" || !slices.Equal(e.SecondaryIPs(), []string{"10.0.60.11", "10.0.60.12"}) ||
					!slices.Equal(e.IPv6, []string{"2408:4005:3c1:a100::6:10"}) || !slices.Equal(e.IPv4Prefixes, []string{"10.0.61.0/28"}) ||
					!e.DeleteOnRelease {
					t.Errorf("%+v", e)
				}
			}},
		{"counts", eni.CreateRequest{VSwitchID: s.vswitch(t, "staging-k"), SecurityGroupIDs: []string{s.group(t, "staging-default")},
			SecondaryIPCount: 3, IPv6Count: 2, IPv4PrefixCount: 2},
			func(t *testing.T, e eni.ENI) {
				if len(e.SecondaryIPs()) != 3 || len(e.IPv6) != 2 || len(e.IPv4Prefixes) != 2 {
					t.Errorf("%+v", e)
				}
			}},
		{"high performance mode, queues, source/dest check", eni.CreateRequest{VSwitchID: s.vswitch(t, "prod-app-h"),
			SecurityGroupIDs: []string{s.group(t, "prod-web")}, TrafficMode: "HighPerformance", QueueNumber: 8, SourceDestCheck: &yes},
			func(t *testing.T, e eni.ENI) {
				if e.TrafficMode != "HighPerformance" || e.QueueNumber != 8 {
					t.Errorf("%+v", e)
				}
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.Region, req.ClientToken = emuRegion, fmt.Sprintf("create-requests-%d", i)
			res, err := c.CreateENI(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			e := waitENI(t, c, res.ENIID, eni.StatusAvailable)
			if e.VSwitchID != req.VSwitchID || e.Type != eni.TypeSecondary {
				t.Errorf("%+v", e)
			}
			tt.check(t, e)
		})
	}
}

// TestEmulatorAttachNetworkCard attaches to the second network card of a
// type that has two.
func TestEmulatorAttachNetworkCard(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, ctx := env.c, context.Background()
	bj := walk(t, c, eni.Filter{Region: "cn-beijing", Size: 100})
	spare := first(t, bj, func(e eni.ENI) bool { return e.Name == "bj-spare-00" })
	hpc := first(t, bj, func(e eni.ENI) bool { return e.Name == "hpc-fabric-1" }).InstanceID
	card := 1
	if _, err := c.AttachENI(ctx, eni.AttachRequest{Region: "cn-beijing", ENIID: spare.ID, InstanceID: hpc, NetworkCardIndex: &card}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the attach to complete", func() bool {
		e, err := c.GetENI(ctx, "cn-beijing", spare.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != eni.StatusInUse {
			return false
		}
		if e.Attachment == nil || e.Attachment.InstanceID != hpc || e.Attachment.NetworkCardIndex != 1 {
			t.Errorf("attached %+v", e.Attachment)
		}
		return true
	})
}

// TestEmulatorCreateENIIdempotent sends one form twenty times at once: the
// ClientToken makes them one ENI.
func TestEmulatorCreateENIIdempotent(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s := env.c, env.seed
	req := eni.CreateRequest{Region: emuRegion, VSwitchID: s.vswitch(t, "prod-app-i"), SecurityGroupIDs: []string{s.group(t, "prod-web")},
		Name: "idempotent-eni", ClientToken: "5c2c6a2e-1c1f-4a51-9d7e-2f6b1a9c0e11"}
	results := make([]eni.Result, 20)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			res, err := c.CreateENI(context.Background(), req)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	var got []string
	for _, r := range results {
		got = append(got, r.ENIID)
		if r.RequestID == "" {
			t.Errorf("result %+v without RequestId", r)
		}
	}
	if uniq := slices.Compact(slices.Sorted(slices.Values(got))); len(uniq) != 1 || uniq[0] == "" {
		t.Errorf("20 creates with one ClientToken gave the IDs %v", uniq)
	}
	if named := walk(t, c, eni.Filter{Region: emuRegion, Name: "idempotent-eni"}); len(named) != 1 {
		t.Errorf("%d ENIs exist, want 1", len(named))
	}

	req.ClientToken = "another-token"
	other, err := c.CreateENI(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if other.ENIID == results[0].ENIID {
		t.Error("a new ClientToken gave the first ENI again")
	}
}
