package ecsemu_test

import (
	"slices"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/ecsemu/ecsemutest"
)

func idsOf(set []*eniItem) []string {
	out := make([]string, 0, len(set))
	for _, it := range set {
		out = append(out, tea.StringValue(it.NetworkInterfaceId))
	}
	return out
}

func byName(t *testing.T, all []*eniItem, name string) *eniItem {
	t.Helper()
	i := slices.IndexFunc(all, func(it *eniItem) bool { return tea.StringValue(it.NetworkInterfaceName) == name })
	if i < 0 {
		t.Fatalf("no ENI %q", name)
	}
	return all[i]
}

func hasTag(it *eniItem, key, value string) bool {
	return slices.ContainsFunc(it.Tags.Tag, func(tg *ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSetTagsTag) bool {
		return tea.StringValue(tg.TagKey) == key && (value == "" || tea.StringValue(tg.TagValue) == value)
	})
}

func privateIPs(it *eniItem) []string {
	var out []string
	for _, p := range it.PrivateIpSets.PrivateIpSet {
		out = append(out, tea.StringValue(p.PrivateIpAddress))
	}
	return out
}

// Every filter, sent with the SDK's typed request, must list exactly the
// ENIs of the full listing that satisfy it, in the same order.
func TestSDKDescribeNetworkInterfacesFilters(t *testing.T) {
	eachScheme(t, func(t *testing.T, v2 bool) {
		_, c := start(t, quick(300), v2)
		all := listENIs(t, c, &ecs.DescribeNetworkInterfacesRequest{})
		web1, v6 := byName(t, all, "web1-frontend"), byName(t, all, "staging-app-v6")
		db := instanceNamed(t, c, "db-prod-01")
		sg := groupNamed(t, c, "prod-web")
		defaultRG := tea.StringValue(instanceNamed(t, c, "default-jump-01").ResourceGroupId)
		stagingRG := tea.StringValue(v6.ResourceGroupId)
		s := tea.String
		cases := []struct {
			name string
			req  *ecs.DescribeNetworkInterfacesRequest
			want func(*eniItem) bool
		}{
			{"VpcId", &ecs.DescribeNetworkInterfacesRequest{VpcId: web1.VpcId},
				func(it *eniItem) bool { return *it.VpcId == *web1.VpcId }},
			{"VSwitchId", &ecs.DescribeNetworkInterfacesRequest{VSwitchId: web1.VSwitchId},
				func(it *eniItem) bool { return *it.VSwitchId == *web1.VSwitchId }},
			{"SecurityGroupId", &ecs.DescribeNetworkInterfacesRequest{SecurityGroupId: &sg}, func(it *eniItem) bool {
				return *it.Type == "Secondary" && slices.Contains(tea.StringSliceValue(it.SecurityGroupIds.SecurityGroupId), sg)
			}},
			{"Type", &ecs.DescribeNetworkInterfacesRequest{Type: s("Primary")}, func(it *eniItem) bool { return *it.Type == "Primary" }},
			{"InstanceId", &ecs.DescribeNetworkInterfacesRequest{InstanceId: db.InstanceId},
				func(it *eniItem) bool { return tea.StringValue(it.InstanceId) == *db.InstanceId }},
			{"Status", &ecs.DescribeNetworkInterfacesRequest{Status: s("Detaching")}, func(it *eniItem) bool { return *it.Status == "Detaching" }},
			{"NetworkInterfaceName", &ecs.DescribeNetworkInterfacesRequest{NetworkInterfaceName: s("web1-frontend")},
				func(it *eniItem) bool { return it == web1 }},
			{"PrimaryIpAddress", &ecs.DescribeNetworkInterfacesRequest{PrimaryIpAddress: web1.PrivateIpAddress},
				func(it *eniItem) bool { return it == web1 }},
			{"PrivateIpAddress", &ecs.DescribeNetworkInterfacesRequest{PrivateIpAddress: []*string{s(privateIPs(web1)[2]), v6.PrivateIpAddress}},
				func(it *eniItem) bool { return it == web1 || it == v6 }},
			{"NetworkInterfaceId", &ecs.DescribeNetworkInterfacesRequest{NetworkInterfaceId: []*string{v6.NetworkInterfaceId, web1.NetworkInterfaceId}},
				func(it *eniItem) bool { return it == web1 || it == v6 }},
			{"Ipv6Address", &ecs.DescribeNetworkInterfacesRequest{Ipv6Address: []*string{v6.Ipv6Sets.Ipv6Set[0].Ipv6Address}},
				func(it *eniItem) bool { return it == v6 }},
			{"Tag", &ecs.DescribeNetworkInterfacesRequest{Tag: []*ecs.DescribeNetworkInterfacesRequestTag{
				{Key: s("env"), Value: s("prod")}, {Key: s("team")}}},
				func(it *eniItem) bool { return hasTag(it, "env", "prod") && hasTag(it, "team", "") }},
			{"ResourceGroupId", &ecs.DescribeNetworkInterfacesRequest{ResourceGroupId: &stagingRG}, func(it *eniItem) bool {
				return *it.ResourceGroupId == stagingRG || *it.ResourceGroupId == defaultRG
			}},
			{"ServiceManaged", &ecs.DescribeNetworkInterfacesRequest{ServiceManaged: tea.Bool(true)},
				func(it *eniItem) bool { return tea.BoolValue(it.ServiceManaged) }},
			{"VpcId and Status", &ecs.DescribeNetworkInterfacesRequest{VpcId: web1.VpcId, Status: s("Available")},
				func(it *eniItem) bool { return *it.VpcId == *web1.VpcId && *it.Status == "Available" }},
		}
		for _, tc := range cases {
			got := idsOf(listENIs(t, c, tc.req))
			want := idsOf(slices.DeleteFunc(slices.Clone(all), func(it *eniItem) bool { return !tc.want(it) }))
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("%s: got %d ENIs, want %d", tc.name, len(got), len(want))
			}
		}
	})
}

func TestSDKDescribeNetworkInterfacesPaging(t *testing.T) {
	eachScheme(t, func(t *testing.T, v2 bool) {
		_, c := start(t, quick(0), v2)
		all := idsOf(listENIs(t, c, &ecs.DescribeNetworkInterfacesRequest{}))
		var paged []string
		for page := int32(1); ; page++ {
			resp, err := c.DescribeNetworkInterfaces(&ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String(region),
				PageNumber: tea.Int32(page)})
			if err != nil {
				t.Fatal(err)
			}
			b := resp.Body
			if tea.Int32Value(b.PageNumber) != page || tea.Int32Value(b.PageSize) != 10 || int(tea.Int32Value(b.TotalCount)) != len(all) {
				t.Fatalf("page %d: %d/%d/%d", page, tea.Int32Value(b.PageNumber), tea.Int32Value(b.PageSize), tea.Int32Value(b.TotalCount))
			}
			if len(b.NetworkInterfaceSets.NetworkInterfaceSet) == 0 {
				break
			}
			paged = append(paged, idsOf(b.NetworkInterfaceSets.NetworkInterfaceSet)...)
		}
		var tokened []string
		next := ""
		for {
			req := &ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String(region), MaxResults: tea.Int32(10)}
			if next != "" {
				req.NextToken = &next
			}
			resp, err := c.DescribeNetworkInterfaces(req)
			if err != nil {
				t.Fatal(err)
			}
			tokened = append(tokened, idsOf(resp.Body.NetworkInterfaceSets.NetworkInterfaceSet)...)
			if next = tea.StringValue(resp.Body.NextToken); next == "" {
				break
			}
		}
		if len(all) < 60 || !slices.Equal(paged, all) || !slices.Equal(tokened, all) {
			t.Errorf("%d ENIs; pages gave %d, tokens %d", len(all), len(paged), len(tokened))
		}
		_, err := c.DescribeNetworkInterfaces(&ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String(region),
			NextToken: tea.String("not-a-token")})
		if code, status := ecsemutest.ErrorCode(err); code != "InvalidParameter" || status != 400 {
			t.Errorf("garbage token gave %s/%d", code, status)
		}
	})
}

// 20,000 extra ENIs, walked with a filter in pages of 100.
func TestSDKScale(t *testing.T) {
	_, c := start(t, quick(20000), false)
	vpc := instanceNamed(t, c, "web-prod-01").VpcAttributes.VpcId
	seen := map[string]bool{}
	next, total := "", 0
	for {
		req := &ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String(region), VpcId: vpc, Status: tea.String("Available"),
			MaxResults: tea.Int32(100)}
		if next != "" {
			req.NextToken = &next
		}
		resp, err := c.DescribeNetworkInterfaces(req)
		if err != nil {
			t.Fatal(err)
		}
		total = int(tea.Int32Value(resp.Body.TotalCount))
		for _, it := range resp.Body.NetworkInterfaceSets.NetworkInterfaceSet {
			if seen[*it.NetworkInterfaceId] || *it.VpcId != *vpc || *it.Status != "Available" {
				t.Fatalf("unexpected %s %s %s", *it.NetworkInterfaceId, *it.VpcId, *it.Status)
			}
			seen[*it.NetworkInterfaceId] = true
		}
		if next = tea.StringValue(resp.Body.NextToken); next == "" {
			break
		}
	}
	if len(seen) != total || total < 2000 {
		t.Errorf("walked %d ENIs, TotalCount %d", len(seen), total)
	}
}
