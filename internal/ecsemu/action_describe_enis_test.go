package ecsemu

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
)

// describeAll returns the IDs DescribeNetworkInterfaces lists for kv in one
// page of 1000.
func describeAll(t *testing.T, w *World, kv ...string) []string {
	t.Helper()
	out := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", append([]string{"PageSize", "1000"}, kv...)...)
	ids := make([]string, 0, len(out.NetworkInterfaceSets.NetworkInterfaceSet))
	for _, it := range out.NetworkInterfaceSets.NetworkInterfaceSet {
		ids = append(ids, it.NetworkInterfaceId)
	}
	if out.TotalCount != len(ids) {
		t.Errorf("%v: TotalCount %d for %d ENIs", kv, out.TotalCount, len(ids))
	}
	return ids
}

// reference lists, in creation order, the ENIs of region that satisfy pred:
// the brute-force meaning of a filter, to check the indexed search against.
func reference(w *World, region string, pred func(*eni) bool) []string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var ids []string
	for _, e := range w.regionByID[region].enis {
		if pred(e) {
			ids = append(ids, e.id)
		}
	}
	return ids
}

func TestDescribeNetworkInterfacesFilters(t *testing.T) {
	w := quickWorld(t, 300)
	web1 := w.eniNamed(t, "web1-frontend")
	v6 := w.eniNamed(t, "staging-app-v6")
	db := w.instanceNamed(t, "db-prod-01")
	prodWeb := w.groupNamed(t, hz, "prod-web")
	prodVPC, appH := web1.vpc, web1.vswitch
	other := w.eniNamed(t, "sh-api1-public")
	hasTag := func(e *eni, k, v string) bool { return hasTags(e.tags, []TagParam{{Key: k, Value: v}}) }

	cases := []struct {
		name string
		kv   []string
		want func(*eni) bool
	}{
		{"all", nil, func(*eni) bool { return true }},
		{"VpcId", []string{"VpcId", prodVPC.id}, func(e *eni) bool { return e.vpc == prodVPC }},
		{"VSwitchId", []string{"VSwitchId", appH.id}, func(e *eni) bool { return e.vswitch == appH }},
		{"SecurityGroupId matches secondary ENIs", []string{"SecurityGroupId", prodWeb.id},
			func(e *eni) bool { return e.typ == eniSecondary && slices.Contains(e.groups, prodWeb) }},
		{"Type Primary", []string{"Type", "Primary"}, func(e *eni) bool { return e.typ == eniPrimary }},
		{"Type Secondary", []string{"Type", "Secondary"}, func(e *eni) bool { return e.typ == eniSecondary }},
		{"InstanceId", []string{"InstanceId", db.id}, func(e *eni) bool { return e.instance == db }},
		{"NetworkInterfaceName", []string{"NetworkInterfaceName", "web1-frontend"}, func(e *eni) bool { return e == web1 }},
		{"PrimaryIpAddress", []string{"PrimaryIpAddress", web1.primaryIP.String()}, func(e *eni) bool { return e == web1 }},
		{"PrivateIpAddress.N", []string{"PrivateIpAddress.1", web1.secondaryIPs[1].String(), "PrivateIpAddress.2", v6.primaryIP.String()},
			func(e *eni) bool { return e == web1 || e == v6 }},
		{"NetworkInterfaceId.N", []string{"NetworkInterfaceId.1", v6.id, "NetworkInterfaceId.2", web1.id, "NetworkInterfaceId.3", other.id},
			func(e *eni) bool { return e == web1 || e == v6 }},
		{"Ipv6Address.N", []string{"Ipv6Address.1", v6.ipv6[1].String()}, func(e *eni) bool { return e == v6 }},
		{"Tag key and value", []string{"Tag.1.Key", "env", "Tag.1.Value", "prod"}, func(e *eni) bool { return hasTag(e, "env", "prod") }},
		{"Tag key only", []string{"Tag.1.Key", "owner"}, func(e *eni) bool { return hasTag(e, "owner", "") }},
		{"every Tag must match", []string{"Tag.1.Key", "env", "Tag.1.Value", "prod", "Tag.2.Key", "team", "Tag.2.Value", "search"},
			func(e *eni) bool { return hasTag(e, "env", "prod") && hasTag(e, "team", "search") }},
		{"ResourceGroupId also lists the default group", []string{"ResourceGroupId", rgStaging},
			func(e *eni) bool { return e.resourceGroup == rgStaging || e.resourceGroup == rgDefault }},
		{"ServiceManaged true", []string{"ServiceManaged", "true"}, func(e *eni) bool { return e.serviceManaged }},
		{"ServiceManaged false", []string{"ServiceManaged", "false"}, func(e *eni) bool { return !e.serviceManaged }},
		{"VpcId and Status", []string{"VpcId", prodVPC.id, "Status", "Available"},
			func(e *eni) bool { return e.vpc == prodVPC && e.status == eniAvailable }},
		{"unknown VPC", []string{"VpcId", "vpc-bp1doesnotexist000000"}, func(*eni) bool { return false }},
	}
	for _, s := range []string{eniAvailable, eniAttaching, eniInUse, eniDetaching, eniDeleting} {
		cases = append(cases, struct {
			name string
			kv   []string
			want func(*eni) bool
		}{"Status " + s, []string{"Status", s}, func(e *eni) bool { return e.status == s }})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := describeAll(t, w, append([]string{"RegionId", hz}, c.kv...)...)
			want := reference(w, hz, c.want)
			if !slices.Equal(got, want) {
				t.Errorf("got %d ENIs %v\nwant %d %v", len(got), got, len(want), want)
			}
			if c.name != "unknown VPC" && len(want) == 0 {
				t.Errorf("filter matches nothing in the seed; the case proves little")
			}
		})
	}
}

func TestDescribeNetworkInterfacesPaging(t *testing.T) {
	w := quickWorld(t, 0)
	all := describeAll(t, w, "RegionId", hz)

	var paged []string
	for page := 1; ; page++ {
		out := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", "RegionId", hz, "PageNumber", strconv.Itoa(page))
		if out.PageNumber != page || out.PageSize != 10 || out.TotalCount != len(all) || out.NextToken != nil {
			t.Fatalf("page %d: meta %+v", page, out.pageMeta)
		}
		set := out.NetworkInterfaceSets.NetworkInterfaceSet
		if len(set) == 0 {
			break
		}
		for _, it := range set {
			paged = append(paged, it.NetworkInterfaceId)
		}
	}
	if !slices.Equal(paged, all) || len(all) <= 30 {
		t.Errorf("pages of 10 gave %d ENIs, one page %d", len(paged), len(all))
	}

	var tokened []string
	token, calls := "", 0
	for {
		kv := []string{"RegionId", hz, "MaxResults", "3"} // clamped up to 10
		if token != "" {
			kv = append(kv, "NextToken", token)
		}
		out := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", kv...)
		calls++
		if n := len(out.NetworkInterfaceSets.NetworkInterfaceSet); n > 10 || (n < 10 && *out.NextToken != "") {
			t.Fatalf("token page of %d entries, next %q", n, *out.NextToken)
		}
		for _, it := range out.NetworkInterfaceSets.NetworkInterfaceSet {
			tokened = append(tokened, it.NetworkInterfaceId)
		}
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		token = *out.NextToken
	}
	if !slices.Equal(tokened, all) || calls != (len(all)+9)/10 {
		t.Errorf("token paging gave %d ENIs in %d calls, want %d", len(tokened), calls, len(all))
	}
}

func TestDescribeNetworkInterfacesMaxResultsClamp(t *testing.T) {
	w := quickWorld(t, 4000)
	for _, c := range []struct {
		max  string
		want int
	}{{"1", 10}, {"50", 50}, {"600", 500}} {
		out := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", "RegionId", hz, "MaxResults", c.max)
		if got := len(out.NetworkInterfaceSets.NetworkInterfaceSet); got != c.want {
			t.Errorf("MaxResults=%s returned %d, want %d", c.max, got, c.want)
		}
	}
	out := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", "RegionId", hz, "Tag.1.Key", "purpose")
	if out.TotalCount != taggedQueryCap {
		t.Errorf("tag query counted %d, want the documented cap %d", out.TotalCount, taggedQueryCap)
	}
}

// A token names the next ENI, so deleting entries between pages neither
// repeats nor skips the others.
func TestDescribeNetworkInterfacesTokenSurvivesDeletion(t *testing.T) {
	w := quickWorld(t, 0)
	all := describeAll(t, w, "RegionId", hz)
	first := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", "RegionId", hz, "MaxResults", "10")
	gone := all[12]
	w.mu.Lock()
	w.removeENI(w.enis[gone])
	w.mu.Unlock()
	second := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", "RegionId", hz, "MaxResults", "10",
		"NextToken", *first.NextToken)
	var got []string
	for _, it := range second.NetworkInterfaceSets.NetworkInterfaceSet {
		got = append(got, it.NetworkInterfaceId)
	}
	want := slices.DeleteFunc(slices.Clone(all[10:21]), func(id string) bool { return id == gone })
	if !slices.Equal(got, want) {
		t.Errorf("second page %v, want %v", got, want)
	}
}

func TestDescribeNetworkInterfacesErrors(t *testing.T) {
	h := newHarness(t, 0)
	instToken := encodeToken(instancePaging.kind, 3)
	tooMany := []string{"RegionId", hz}
	for i := 1; i <= 101; i++ {
		tooMany = append(tooMany, fmt.Sprintf("NetworkInterfaceId.%d", i), "eni-x")
	}
	h.expectErrors(t, "DescribeNetworkInterfaces", []errCase{
		{"missing region", nil, "MissingRegionId", 400},
		{"unknown region", []string{"RegionId", "cn-nowhere"}, "InvalidRegionId.MalFormed", 400},
		{"bad Type", []string{"RegionId", hz, "Type", "Trunk"}, "InvalidParameter", 400},
		{"bad Status", []string{"RegionId", hz, "Status", "Broken"}, "InvalidParameter", 400},
		{"bad ServiceManaged", []string{"RegionId", hz, "ServiceManaged", "maybe"}, "InvalidParameter", 400},
		{"garbage NextToken", []string{"RegionId", hz, "NextToken", "AAAAAdDWBF2"}, "InvalidParameter", 400},
		{"another listing's token", []string{"RegionId", hz, "NextToken", instToken}, "InvalidParameter", 400},
		{"bad MaxResults", []string{"RegionId", hz, "MaxResults", "ten"}, "InvalidParameter", 400},
		{"PageSize 0", []string{"RegionId", hz, "PageSize", "0"}, "InvalidParameter", 400},
		{"PageSize 1001", []string{"RegionId", hz, "PageSize", "1001"}, "InvalidParameter", 400},
		{"PageNumber 0", []string{"RegionId", hz, "PageNumber", "0"}, "InvalidParameter", 400},
		{"101 IDs", tooMany, "InvalidParameter", 400},
		{"Tag.21", []string{"RegionId", hz, "Tag.21.Key", "a"}, "InvalidParameter", 400},
		{"Tag value without key", []string{"RegionId", hz, "Tag.1.Value", "a"}, "InvalidParameter", 400},
	})
}

// BenchmarkDescribeNetworkInterfacesAction is the emulator's own share of
// BenchmarkDescribeNetworkInterfacesSDK: the action and the JSON rendering
// of its page, without HTTP or the SDK.
func BenchmarkDescribeNetworkInterfacesAction(b *testing.B) {
	w := quickWorld(b, 20000)
	vpc := w.instanceNamed(b, "web-prod-01").vpc.id
	v := params("RegionId", hz, "VpcId", vpc, "Status", "Available", "MaxResults", "100")
	for b.Loop() {
		body, err := w.call("DescribeNetworkInterfaces", v)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(body); err != nil {
			b.Fatal(err)
		}
	}
}
