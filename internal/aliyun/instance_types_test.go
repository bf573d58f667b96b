package aliyun

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"enidash/internal/eni"
)

// ENI limits of instances: from DescribeInstanceTypes, asked once per
// distinct type, ten types a call, and left unknown when that fails.

// TestEmulatorInstanceENILimits checks the limits against the seed's
// instance types (ecs.g7.large takes 3 ENIs, ecs.g7.xlarge 4, …).
func TestEmulatorInstanceENILimits(t *testing.T) {
	env := startWriteEnv(t, Config{})
	ctx := context.Background()
	before := env.proxy.count(actionDescribeTypes)
	insts, err := env.c.Instances(ctx, emuRegion, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := env.proxy.count(actionDescribeTypes) - before; n != 1 {
		t.Errorf("%d DescribeInstanceTypes calls for the region's %d instances of fewer than 10 types, want 1", n, len(insts))
	}
	byName := map[string]eni.Instance{}
	limitOf := map[string]int{}
	for _, in := range insts {
		byName[in.Name] = in
		if in.ENILimit <= 0 || in.ENICount > in.ENILimit {
			t.Errorf("instance %s (%s): %d of %d ENIs", in.Name, in.Type, in.ENICount, in.ENILimit)
		}
		if l, ok := limitOf[in.Type]; ok && l != in.ENILimit {
			t.Errorf("type %s has limits %d and %d", in.Type, l, in.ENILimit)
		}
		limitOf[in.Type] = in.ENILimit
	}
	for _, want := range []struct {
		name, typ    string
		count, limit int
	}{
		{"web-prod-01", "ecs.g7.xlarge", 3, 4},
		{"web-prod-02", "ecs.g7.large", 3, 3},
		{"db-prod-01", "ecs.c7.4xlarge", 4, 8},
		{"staging-burst-01", "ecs.t6-c1m1.large", 1, 2},
	} {
		got := byName[want.name]
		if got.Type != want.typ || got.ENICount != want.count || got.ENILimit != want.limit {
			t.Errorf("%s: %s with %d of %d ENIs, want %s with %d of %d",
				want.name, got.Type, got.ENICount, got.ENILimit, want.typ, want.count, want.limit)
		}
	}
}

// TestEmulatorInstanceENILimitsUnknown fails DescribeInstanceTypes: the
// instances are still listed, without limits, and the failure is logged.
func TestEmulatorInstanceENILimitsUnknown(t *testing.T) {
	env := startWriteEnv(t, Config{ReadAttempts: 2})
	env.proxy.setLose(func(action string, _ int) bool { return action == actionDescribeTypes })
	insts, err := env.c.Instances(context.Background(), emuRegion, "")
	if err != nil {
		t.Fatalf("Instances failed with DescribeInstanceTypes: %v", err)
	}
	if len(insts) != len(env.seed.inst) {
		t.Errorf("%d instances, want the %d seeded", len(insts), len(env.seed.inst))
	}
	for _, in := range insts {
		if in.ENILimit != 0 || in.ENICount == 0 || in.AddressLimitsKnown() {
			t.Errorf("instance %+v: want ENILimit 0 and address limits unknown, and its ENICount", in)
		}
	}
	warned := false
	for _, r := range env.logs.records(t) {
		if r["level"] == "WARN" && r["msg"] == "instance ENI limits unknown" && strings.Contains(fmt.Sprint(r["error"]), "ServiceUnavailable") {
			warned = true
		}
	}
	if !warned {
		t.Error("the failure was not logged")
	}
}

// TestInstanceENILimitsBatches lists 25 instances of 23 types, one of
// which the cloud does not describe and ten of which it refuses to, and
// checks each type is asked about once, at most ten a call.
func TestInstanceENILimitsBatches(t *testing.T) {
	typeName := func(i int) string { return fmt.Sprintf("ecs.x%02d.large", i) }
	limit := func(typ string) int { n, _ := strconv.Atoi(typ[5:7]); return 2 + n }
	// The cloud does not describe unknownType and refuses any call that
	// asks about refusedType.
	unknownType, refusedType := typeName(7), typeName(10)
	f := newFakeECS(t, func(n int, r *http.Request, p url.Values) (int, any) {
		switch p.Get("Action") {
		case "DescribeInstances":
			var list []map[string]any
			for i := range 25 {
				list = append(list, map[string]any{"InstanceId": fmt.Sprintf("i-%02d", i), "InstanceType": typeName(i % 23),
					"Status": "Running"})
			}
			return 200, map[string]any{"RequestId": "R-list", "Instances": map[string]any{"Instance": list}}
		case "DescribeInstanceTypes":
			var out []map[string]any
			for k := 1; p.Get(fmt.Sprint("InstanceTypes.", k)) != ""; k++ {
				typ := p.Get(fmt.Sprint("InstanceTypes.", k))
				if typ == refusedType {
					return 403, cloudErr("Forbidden.RAM", "not allowed", fmt.Sprint("R-refused-", n))
				}
				if typ != unknownType {
					out = append(out, map[string]any{"InstanceTypeId": typ, "EniQuantity": limit(typ)})
				}
			}
			return 200, map[string]any{"RequestId": fmt.Sprint("R-types-", n), "InstanceTypes": map[string]any{"InstanceType": out}}
		}
		return 404, cloudErr("InvalidAction.NotFound", "no such action", "R-none")
	})
	logger, logs := newTestLogger()
	c := f.client(t, Config{Logger: logger})
	insts, err := c.Instances(context.Background(), "cn-hangzhou", "")
	if err != nil {
		t.Fatal(err)
	}

	var asked []string
	calls, refused := 0, map[string]bool{}
	for i := range f.callCount() {
		p := f.call(i).params
		if p.Get("Action") != actionDescribeTypes {
			continue
		}
		calls++
		var batch []string
		for k := 1; p.Get(fmt.Sprint("InstanceTypes.", k)) != ""; k++ {
			batch = append(batch, p.Get(fmt.Sprint("InstanceTypes.", k)))
		}
		if len(batch) == 0 || len(batch) > typesPerCall {
			t.Errorf("a call asked about %d types", len(batch))
		}
		asked = append(asked, batch...)
		if slices.Contains(batch, refusedType) {
			for _, typ := range batch {
				refused[typ] = true
			}
		}
	}
	if calls != 3 {
		t.Errorf("%d DescribeInstanceTypes calls for 23 types, want 3", calls)
	}
	slices.Sort(asked)
	var want []string
	for i := range 23 {
		want = append(want, typeName(i))
	}
	if !slices.Equal(asked, want) {
		t.Errorf("asked about %v, want each of the 23 types once", asked)
	}

	if len(insts) != 25 {
		t.Fatalf("%d instances, want 25", len(insts))
	}
	for _, in := range insts {
		want := limit(in.Type)
		if in.Type == unknownType || refused[in.Type] {
			want = 0
		}
		if in.ENILimit != want {
			t.Errorf("instance %s of %s: ENILimit %d, want %d", in.ID, in.Type, in.ENILimit, want)
		}
	}
	if !strings.Contains(logs.String(), "instance ENI limits unknown") {
		t.Error("the refused batch was not logged")
	}
}

// TestInstanceENILimitsNone makes no DescribeInstanceTypes call when no
// instance is listed.
func TestInstanceENILimitsNone(t *testing.T) {
	f := newFakeECS(t, func(n int, r *http.Request, p url.Values) (int, any) {
		return 200, map[string]any{"RequestId": "R-list", "Instances": map[string]any{"Instance": []any{}}}
	})
	c := f.client(t, Config{})
	insts, err := c.Instances(context.Background(), "cn-hangzhou", "vpc-empty")
	if err != nil || len(insts) != 0 {
		t.Fatalf("Instances = %v, %v", insts, err)
	}
	if n := f.callCount(); n != 1 {
		t.Errorf("%d calls, want only DescribeInstances", n)
	}
}

// TestEmulatorInstanceAddressLimits reads the per-ENI address limits of
// each instance's type (EniPrivateIpAddressQuantity, the primary address
// included, and EniIpv6AddressQuantity) from the same DescribeInstanceTypes
// call as the ENI limit: the seed's ecs.g7.large takes 6 and 6, the
// ecs.t6-c1m1.large 2 IPv4 and no IPv6.
func TestEmulatorInstanceAddressLimits(t *testing.T) {
	env := startWriteEnv(t, Config{})
	insts, err := env.c.Instances(context.Background(), emuRegion, "")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]eni.Instance{}
	for _, in := range insts {
		byName[in.Name] = in
	}
	for _, want := range []struct {
		name, typ  string
		ipv4, ipv6 int
	}{
		{"web-prod-02", "ecs.g7.large", 6, 6},
		{"web-prod-01", "ecs.g7.xlarge", 15, 15},
		{"db-prod-01", "ecs.c7.4xlarge", 30, 30},
		{"staging-burst-01", "ecs.t6-c1m1.large", 2, 0},
	} {
		got := byName[want.name]
		if got.Type != want.typ || got.IPv4PerENI != want.ipv4 || got.IPv6PerENI != want.ipv6 || !got.AddressLimitsKnown() {
			t.Errorf("%s: %s with %d IPv4 and %d IPv6 per ENI (known %v), want %s with %d and %d",
				want.name, got.Type, got.IPv4PerENI, got.IPv6PerENI, got.AddressLimitsKnown(), want.typ, want.ipv4, want.ipv6)
		}
	}
}
