package ecsemu

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestDescribeRegionsAndZones(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	zh := mustCall[*describeRegionsResponse](t, w, "DescribeRegions").Regions.Region
	en := mustCall[*describeRegionsResponse](t, w, "DescribeRegions", "AcceptLanguage", "en-US").Regions.Region
	if len(zh) < 3 || len(zh) != len(en) {
		t.Fatalf("%d regions (%d in English)", len(zh), len(en))
	}
	if zh[0].RegionId != hz || zh[0].LocalName != "华东1（杭州）" || en[0].LocalName != "China (Hangzhou)" ||
		en[0].RegionEndpoint != "ecs.cn-hangzhou.aliyuncs.com" || en[0].Status != "available" {
		t.Errorf("first region %+v / %+v", zh[0], en[0])
	}

	zones := mustCall[*describeZonesResponse](t, w, "DescribeZones", "RegionId", hz, "AcceptLanguage", "en-US").Zones.Zone
	if len(zones) < 3 || zones[0].ZoneId != "cn-hangzhou-h" || zones[0].LocalName != "Hangzhou Zone H" ||
		zones[0].AvailableInstanceTypes == nil {
		t.Errorf("zones %+v", zones)
	}
	brief := mustCall[*describeZonesResponse](t, w, "DescribeZones", "RegionId", "ap-southeast-1", "Verbose", "false").Zones.Zone
	if brief[0].ZoneId != "ap-southeast-1a" || brief[0].AvailableInstanceTypes != nil {
		t.Errorf("terse zones %+v", brief[0])
	}
	h.expectErrors(t, "DescribeRegions", []errCase{{"language", []string{"AcceptLanguage", "fr"}, "InvalidParameter", 400}})
	h.expectErrors(t, "DescribeZones", []errCase{{"region", []string{"RegionId", "mars-1"}, "InvalidRegionId.MalFormed", 400}})
}

func TestDescribeVpcsAndVSwitches(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	vpcs := mustCall[*describeVpcsResponse](t, w, "DescribeVpcs", "RegionId", hz)
	if vpcs.TotalCount != 3 || len(vpcs.Vpcs.Vpc) != 3 || vpcs.PageSize != 10 {
		t.Fatalf("VPCs %+v", vpcs)
	}
	prod := vpcs.Vpcs.Vpc[0]
	if prod.VpcName != "prod-vpc" || prod.CidrBlock != "10.0.0.0/16" || len(prod.VSwitchIds.VSwitchId) != 4 ||
		!strings.HasPrefix(prod.VpcId, "vpc-bp1") || prod.Status != "Available" {
		t.Errorf("prod VPC %+v", prod)
	}
	one := mustCall[*describeVpcsResponse](t, w, "DescribeVpcs", "RegionId", hz, "VpcId", prod.VpcId)
	def := mustCall[*describeVpcsResponse](t, w, "DescribeVpcs", "RegionId", hz, "IsDefault", "true")
	page2 := mustCall[*describeVpcsResponse](t, w, "DescribeVpcs", "RegionId", hz, "PageSize", "2", "PageNumber", "2")
	if one.TotalCount != 1 || def.TotalCount != 1 || !def.Vpcs.Vpc[0].IsDefault || len(page2.Vpcs.Vpc) != 1 || page2.TotalCount != 3 {
		t.Errorf("VpcId %d, IsDefault %d, page 2 %d", one.TotalCount, def.TotalCount, len(page2.Vpcs.Vpc))
	}
	h.expectErrors(t, "DescribeVpcs", []errCase{{"page size", []string{"RegionId", hz, "PageSize", "51"}, "InvalidParameter", 400}})
	h.expectErrors(t, "DescribeVSwitches", []errCase{{"page", []string{"RegionId", hz, "PageNumber", "0"}, "InvalidParameter", 400}})

	all := mustCall[*describeVSwitchesResponse](t, w, "DescribeVSwitches", "RegionId", hz, "PageSize", "50")
	if all.TotalCount != 8 {
		t.Fatalf("%d vSwitches", all.TotalCount)
	}
	edge := w.vswitchNamed(t, "prod-edge-j")
	for _, c := range []struct {
		kv   []string
		want func(vswitchItem) bool
	}{
		{[]string{"VpcId", prod.VpcId}, func(v vswitchItem) bool { return v.VpcId == prod.VpcId }},
		{[]string{"ZoneId", "cn-hangzhou-h"}, func(v vswitchItem) bool { return v.ZoneId == "cn-hangzhou-h" }},
		{[]string{"VSwitchId", edge.id}, func(v vswitchItem) bool { return v.VSwitchId == edge.id }},
		{[]string{"VpcId", prod.VpcId, "ZoneId", "cn-hangzhou-j"}, func(v vswitchItem) bool {
			return v.VpcId == prod.VpcId && v.ZoneId == "cn-hangzhou-j"
		}},
	} {
		got := mustCall[*describeVSwitchesResponse](t, w, "DescribeVSwitches", append([]string{"RegionId", hz, "PageSize", "50"}, c.kv...)...)
		want := slices.DeleteFunc(slices.Clone(all.VSwitches.VSwitch), func(v vswitchItem) bool { return !c.want(v) })
		if !slices.Equal(got.VSwitches.VSwitch, want) || len(want) == 0 {
			t.Errorf("%v: %d vSwitches, want %d", c.kv, len(got.VSwitches.VSwitch), len(want))
		}
	}
	for _, v := range all.VSwitches.VSwitch {
		switch v.VSwitchName {
		case "prod-edge-j":
			if v.AvailableIpAddressCount != 2 {
				t.Errorf("nearly full vSwitch shows %d free", v.AvailableIpAddressCount)
			}
		case "prod-app-h":
			if v.Ipv6CidrBlock == "" {
				t.Error("IPv6 vSwitch without Ipv6CidrBlock")
			}
		}
	}
}

func TestDescribeSecurityGroups(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	all := mustCall[*describeSecurityGroupsResponse](t, w, "DescribeSecurityGroups", "RegionId", hz, "PageSize", "50")
	groups := all.SecurityGroups.SecurityGroup
	if all.TotalCount != 6 || all.RegionId != hz ||
		!slices.IsSortedFunc(groups, func(a, b sgItem) int { return strings.Compare(b.SecurityGroupId, a.SecurityGroupId) }) {
		t.Fatalf("groups %+v", all)
	}
	web := w.groupNamed(t, hz, "prod-web")
	for _, c := range []struct {
		kv   []string
		want func(sgItem) bool
	}{
		{[]string{"VpcId", web.vpc.id}, func(g sgItem) bool { return g.VpcId == web.vpc.id }},
		{[]string{"SecurityGroupId", web.id}, func(g sgItem) bool { return g.SecurityGroupId == web.id }},
		{[]string{"SecurityGroupIds", `["` + web.id + `","sg-bp1nope"]`}, func(g sgItem) bool { return g.SecurityGroupId == web.id }},
		{[]string{"SecurityGroupType", "enterprise"}, func(g sgItem) bool { return g.SecurityGroupType == "enterprise" }},
		{[]string{"SecurityGroupName", "prod", "FuzzyQuery", "true"}, func(g sgItem) bool { return strings.Contains(g.SecurityGroupName, "prod") }},
		{[]string{"Tag.1.Key", "env", "Tag.1.Value", "prod"}, func(g sgItem) bool { return len(g.Tags.Tag) > 0 }},
	} {
		got := mustCall[*describeSecurityGroupsResponse](t, w, "DescribeSecurityGroups", append([]string{"RegionId", hz}, c.kv...)...)
		want := slices.DeleteFunc(slices.Clone(groups), func(g sgItem) bool { return !c.want(g) })
		if !slices.Equal(sgIDs(got.SecurityGroups.SecurityGroup), sgIDs(want)) || len(want) == 0 {
			t.Errorf("%v: %d groups, want %d", c.kv, len(got.SecurityGroups.SecurityGroup), len(want))
		}
	}
	if groups[slices.IndexFunc(groups, func(g sgItem) bool { return g.SecurityGroupId == web.id })].EcsCount == 0 {
		t.Error("prod-web counts no instances")
	}
	var tokened []sgItem
	token := ""
	for range 10 {
		kv := []string{"RegionId", hz, "MaxResults", "1"} // clamped to 10
		if token != "" {
			kv = append(kv, "NextToken", token)
		}
		out := mustCall[*describeSecurityGroupsResponse](t, w, "DescribeSecurityGroups", kv...)
		tokened = append(tokened, out.SecurityGroups.SecurityGroup...)
		if token = *out.NextToken; token == "" {
			break
		}
	}
	p2 := mustCall[*describeSecurityGroupsResponse](t, w, "DescribeSecurityGroups", "RegionId", hz, "PageSize", "4", "PageNumber", "2")
	if !slices.Equal(sgIDs(tokened), sgIDs(groups)) || !slices.Equal(sgIDs(p2.SecurityGroups.SecurityGroup), sgIDs(groups[4:])) {
		t.Errorf("paging: token %d groups, page 2 %d", len(tokened), len(p2.SecurityGroups.SecurityGroup))
	}
	h.expectErrors(t, "DescribeSecurityGroups", []errCase{
		{"ID list not JSON", []string{"RegionId", hz, "SecurityGroupIds", "sg-1,sg-2"}, "InvalidParameter", 400},
		{"type", []string{"RegionId", hz, "SecurityGroupType", "special"}, "InvalidParameter", 400},
		{"dry run", []string{"RegionId", hz, "DryRun", "true"}, "DryRunOperation", 400},
		{"token", []string{"RegionId", hz, "NextToken", "bogus"}, "InvalidParameter", 400},
	})
}

func sgIDs(groups []sgItem) []string {
	out := make([]string, 0, len(groups))
	for _, g := range groups {
		out = append(out, g.SecurityGroupId)
	}
	return out
}

func TestDescribeInstances(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	all := mustCall[*describeInstancesResponse](t, w, "DescribeInstances", "RegionId", hz, "PageSize", "100").Instances.Instance
	if len(all) != 10 {
		t.Fatalf("%d instances", len(all))
	}
	web1 := w.instanceNamed(t, "web-prod-01")
	first := all[0]
	if first.InstanceId != web1.id || first.VpcAttributes.VpcId != web1.vpc.id || first.VpcAttributes.VSwitchId != web1.vswitch.id ||
		first.VpcAttributes.PrivateIpAddress.IpAddress[0] != web1.primary.primaryIP.String() ||
		len(first.NetworkInterfaces.NetworkInterface) != 3 || first.NetworkInterfaces.NetworkInterface[0].Type != eniPrimary {
		t.Errorf("first instance %+v", first)
	}
	cases := []struct {
		kv   []string
		want func(instanceItem) bool
	}{
		{[]string{"VpcId", web1.vpc.id}, func(i instanceItem) bool { return i.VpcAttributes.VpcId == web1.vpc.id }},
		{[]string{"VSwitchId", web1.vswitch.id}, func(i instanceItem) bool { return i.VpcAttributes.VSwitchId == web1.vswitch.id }},
		{[]string{"ZoneId", "cn-hangzhou-k"}, func(i instanceItem) bool { return i.ZoneId == "cn-hangzhou-k" }},
		{[]string{"Status", "Stopped"}, func(i instanceItem) bool { return i.Status == "Stopped" }},
		{[]string{"InstanceName", "web-prod-01"}, func(i instanceItem) bool { return i.InstanceName == "web-prod-01" }},
		{[]string{"InstanceName", "*prod*"}, func(i instanceItem) bool { return strings.Contains(i.InstanceName, "prod") }},
		{[]string{"InstanceIds", `["` + web1.id + `","i-bp1nope"]`}, func(i instanceItem) bool { return i.InstanceId == web1.id }},
		{[]string{"InstanceIds", `[]`}, func(instanceItem) bool { return false }},
		{[]string{"InstanceType", "ecs.g7.large"}, func(i instanceItem) bool { return i.InstanceType == "ecs.g7.large" }},
		{[]string{"SecurityGroupId", web1.primary.groups[0].id}, func(i instanceItem) bool {
			return slices.Contains(i.SecurityGroupIds.SecurityGroupId, web1.primary.groups[0].id)
		}},
		{[]string{"PrivateIpAddresses", `["` + web1.primary.primaryIP.String() + `"]`}, func(i instanceItem) bool { return i.InstanceId == web1.id }},
	}
	for _, c := range cases {
		got := mustCall[*describeInstancesResponse](t, w, "DescribeInstances", append([]string{"RegionId", hz, "PageSize", "100"}, c.kv...)...)
		want := slices.DeleteFunc(slices.Clone(all), func(i instanceItem) bool { return !c.want(i) })
		ids := func(s []instanceItem) (out []string) {
			for _, i := range s {
				out = append(out, i.InstanceId)
			}
			return out
		}
		if !slices.Equal(ids(got.Instances.Instance), ids(want)) || got.TotalCount != len(want) {
			t.Errorf("%v: %v, want %v", c.kv, ids(got.Instances.Instance), ids(want))
		}
	}
	var paged []string
	for p := 1; p <= 4; p++ {
		out := mustCall[*describeInstancesResponse](t, w, "DescribeInstances", "RegionId", hz, "PageSize", "3", "PageNumber", strconv.Itoa(p))
		for _, i := range out.Instances.Instance {
			paged = append(paged, i.InstanceId)
		}
	}
	if len(paged) != 10 || paged[0] != all[0].InstanceId || paged[9] != all[9].InstanceId {
		t.Errorf("pages of 3 gave %v", paged)
	}
	h.expectErrors(t, "DescribeInstances", []errCase{
		{"status", []string{"RegionId", hz, "Status", "Sleeping"}, "InvalidParameter", 400},
		{"ID list not JSON", []string{"RegionId", hz, "InstanceIds", "i-1"}, "InvalidParameter", 400},
		{"page size", []string{"RegionId", hz, "PageSize", "101"}, "InvalidParameter", 400},
		{"dry run", []string{"RegionId", hz, "DryRun", "true"}, "DryRunOperation", 400},
	})
}

func TestDescribeInstanceTypes(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	h.expectErrors(t, "DescribeInstanceTypes", []errCase{
		{"11 types", []string{"InstanceTypes.11", "ecs.g7.large"}, "InvalidParameter", 400},
		{"token", []string{"NextToken", "xyz"}, "InvalidParameter", 400},
		{"minimum not a number", []string{"MinimumEniQuantity", "many"}, "InvalidParameter", 400},
	})
	all := mustCall[*describeInstanceTypesResponse](t, w, "DescribeInstanceTypes").InstanceTypes.InstanceType
	if len(all) != len(seedTypes) {
		t.Fatalf("%d types", len(all))
	}
	two := mustCall[*describeInstanceTypesResponse](t, w, "DescribeInstanceTypes",
		"InstanceTypes.1", "ecs.g7.large", "InstanceTypes.2", "ecs.t6-c1m1.large").InstanceTypes.InstanceType
	if len(two) != 2 || two[0].EniQuantity != 3 || two[0].EniPrivateIpAddressQuantity != 6 || two[1].EniIpv6AddressQuantity != 0 {
		t.Errorf("filtered types %+v", two)
	}
	big := mustCall[*describeInstanceTypesResponse](t, w, "DescribeInstanceTypes", "MinimumEniQuantity", "8").InstanceTypes.InstanceType
	for _, it := range big {
		if it.EniQuantity < 8 {
			t.Errorf("%s has %d ENIs", it.InstanceTypeId, it.EniQuantity)
		}
	}
	page := mustCall[*describeInstanceTypesResponse](t, w, "DescribeInstanceTypes", "MaxResults", "3")
	rest := mustCall[*describeInstanceTypesResponse](t, w, "DescribeInstanceTypes", "MaxResults", "100", "NextToken", page.NextToken)
	if len(big) == 0 || len(page.InstanceTypes.InstanceType) != 3 || len(rest.InstanceTypes.InstanceType) != len(all)-3 || rest.NextToken != "" {
		t.Errorf("minimum filter %d, pages %d + %d", len(big), len(page.InstanceTypes.InstanceType), len(rest.InstanceTypes.InstanceType))
	}
}
