package ecsemu

import (
	"net/netip"
	"slices"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// AssignIpv6Addresses and UnassignIpv6Addresses against their references
// (URLs in action_addresses_test.go).

func TestAssignIpv6AddressesPreconditions(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	a := newAddrWorld(t, w)
	// web-prod-02 becomes an instance type without IPv6, for the type rule.
	web2 := w.instanceNamed(t, "web-prod-02")
	w.mu.Lock()
	noV6 := *web2.typ
	noV6.eniIPv6 = 0
	web2.typ = &noV6
	w.mu.Unlock()
	cases := withRegion([]errCase{
		{"nothing to assign", []string{"NetworkInterfaceId", a.spare}, "MissingParameter", 400},
		{"count and list", []string{"NetworkInterfaceId", a.spare, "Ipv6AddressCount", "1", "Ipv6Address.1", "2408:4005:3c1:a100::99"},
			"InvalidParameter.Conflict", 400},
		{"count 11", []string{"NetworkInterfaceId", a.spare, "Ipv6AddressCount", "11"}, "MaxEniIpv6IpsCountExceeded", 403},
		{"more than 10 while Available", []string{"NetworkInterfaceId", a.spare, "Ipv6AddressCount", "10"}, "MaxEniIpv6IpsCountExceeded", 403},
		{"IPv4 address", []string{"NetworkInterfaceId", a.spare, "Ipv6Address.1", "10.0.1.1"}, "InvalidIp.Address", 403},
		{"address twice", []string{"NetworkInterfaceId", a.spare, "Ipv6Address.1", "2408:4005:3c1:a100::99", "Ipv6Address.2", "2408:4005:3c1:a100::99"},
			"InvalidIp.IpRepeated", 403},
		{"address outside the vSwitch", []string{"NetworkInterfaceId", a.spare, "Ipv6Address.1", "2408:4005:3c1:b200::9"}, "InvalidVSwitchId.IpInvalid", 403},
		{"address in use", []string{"NetworkInterfaceId", a.spare, "Ipv6Address.1", a.takenV6}, "InvalidIp.IpAssigned", 403},
		{"vSwitch without IPv6", []string{"NetworkInterfaceId", a.spareNoV6, "Ipv6AddressCount", "1"}, "InvalidVSwitch.Ipv6NotTurnOn", 403},
		{"beyond the instance type", []string{"NetworkInterfaceId", a.stgV6, "Ipv6AddressCount", "5"}, "InvalidOperation.Ipv6CountExceeded", 403},
		{"instance type without IPv6", []string{"NetworkInterfaceId", a.front, "Ipv6AddressCount", "1"}, "InvalidOperation.Ipv6NotSupport", 403},
		{"Attaching ENI", []string{"NetworkInterfaceId", a.attaching, "Ipv6AddressCount", "1"}, "InvalidOperation.InvalidEniState", 400},
		{"unknown ENI", []string{"NetworkInterfaceId", "eni-bp1nope", "Ipv6AddressCount", "1"}, "InvalidEniId.NotFound", 404},
	})
	cases = append(cases, errCase{"HighPerformance ENI", []string{"RegionId", "cn-beijing", "NetworkInterfaceId",
		w.eniNamed(t, "rdma-eri-spare").id, "Ipv6AddressCount", "1"}, "InvalidOperation.EniTrafficModeNotSupportIpv6", 404})
	h.expectErrors(t, "AssignIpv6Addresses", cases)
}

func TestUnassignIpv6AddressesPreconditions(t *testing.T) {
	h := newHarness(t, 0)
	a := newAddrWorld(t, h.w)
	cases := withRegion([]errCase{
		{"no address", []string{"NetworkInterfaceId", a.spare}, "MissingParameter", 400},
		{"IPv4 address", []string{"NetworkInterfaceId", a.spare, "Ipv6Address.1", "10.0.0.9"}, "InvalidIp.Address", 403},
		{"address of another ENI", []string{"NetworkInterfaceId", a.spare, "Ipv6Address.1", a.takenV6}, "InvalidIp.IpUnassigned", 403},
		{"Attaching ENI", []string{"NetworkInterfaceId", a.attaching, "Ipv6Address.1", "2408:4005:3c1:a100::9"}, "InvalidOperation.InvalidEniState", 400},
	})
	h.expectErrors(t, "UnassignIpv6Addresses", cases)
}

func TestIpv6AddressesRoundTrip(t *testing.T) {
	h := newHarness(t, 0)
	v6net := netip.MustParsePrefix("2408:4005:3c1:a100::/64")
	for scheme, name := range map[string]string{"v3": "spare-h-00", "v2": "web1-frontend"} {
		t.Run(scheme, func(t *testing.T) {
			c := h.clients[scheme]
			id := h.w.eniNamed(t, name).id
			before := listedIPv6(sdkENI(t, c, id))
			resp, err := c.AssignIpv6Addresses(&ecs.AssignIpv6AddressesRequest{RegionId: tea.String(hz),
				NetworkInterfaceId: tea.String(id), Ipv6AddressCount: tea.Int32(2)})
			if err != nil {
				t.Fatal(err)
			}
			got := tea.StringSliceValue(resp.Body.Ipv6Sets.Ipv6Address)
			if len(got) != 2 || tea.StringValue(resp.Body.NetworkInterfaceId) != id {
				t.Fatalf("assigned %v", resp.Body)
			}
			for _, s := range got {
				if a, err := netip.ParseAddr(s); err != nil || !v6net.Contains(a) {
					t.Errorf("assigned %q outside the vSwitch's %s", s, v6net)
				}
			}
			if listed := listedIPv6(sdkENI(t, c, id)); !sameSet(listed, slices.Concat(before, got)) {
				t.Errorf("listed %v, want %v", listed, slices.Concat(before, got))
			}
			if _, err := c.UnassignIpv6Addresses(&ecs.UnassignIpv6AddressesRequest{RegionId: tea.String(hz),
				NetworkInterfaceId: tea.String(id), Ipv6Address: tea.StringSlice(got[:1])}); err != nil {
				t.Fatal(err)
			}
			if listed := listedIPv6(sdkENI(t, c, id)); !sameSet(listed, slices.Concat(before, got[1:])) {
				t.Errorf("after unassigning: %v", listed)
			}
		})
	}
}

func listedIPv6(e *ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet) []string {
	var out []string
	for _, s := range e.Ipv6Sets.Ipv6Set {
		out = append(out, tea.StringValue(s.Ipv6Address))
	}
	return out
}
