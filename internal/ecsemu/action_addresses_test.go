package ecsemu

import (
	"slices"
	"strings"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// The address actions, modelled on their references:
// https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-assignprivateipaddresses
// https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-unassignprivateipaddresses
// https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-assignipv6addresses
// https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-unassignipv6addresses
// (the ENI Available or InUse; a primary ENI's instance Running or Stopped;
// 49 secondary IPv4 and 10 IPv6 addresses while Available, the instance
// type's limits while attached; addresses in the vSwitch's CIDR blocks and
// free; the error tables with their HTTP statuses).

// addrWorld names the seeded parts the address tests use.
type addrWorld struct {
	spare, spareNoV6, front, edge, stgV6, maint, attaching string
	takenV4, takenV6                                       string
}

func newAddrWorld(t *testing.T, w *World) addrWorld {
	front := w.eniNamed(t, "web1-frontend")
	w.mu.RLock()
	defer w.mu.RUnlock()
	return addrWorld{
		spare: w.eniNamed(t, "spare-h-00").id, spareNoV6: w.eniNamed(t, "spare-i-01").id,
		front: w.eniNamed(t, "web2-frontend").id, edge: w.eniNamed(t, "edge-nat").id,
		stgV6: w.eniNamed(t, "staging-app-v6").id, maint: w.instanceNamed(t, "maint-01").primary.id,
		attaching: w.eniNamed(t, "db-replication").id,
		takenV4:   front.primaryIP.String(), takenV6: front.ipv6[0].String(),
	}
}

func withRegion(cases []errCase) []errCase {
	for i := range cases {
		cases[i].kv = append([]string{"RegionId", hz}, cases[i].kv...)
	}
	return cases
}

func TestAssignPrivateIpAddressesPreconditions(t *testing.T) {
	h := newHarness(t, 0)
	a := newAddrWorld(t, h.w)
	cases := withRegion([]errCase{
		{"no ENI", []string{"SecondaryPrivateIpAddressCount", "1"}, "MissingParameter", 400},
		{"malformed ENI ID", []string{"NetworkInterfaceId", "x", "SecondaryPrivateIpAddressCount", "1"}, "InvalidParams.EniId", 400},
		{"unknown ENI", []string{"NetworkInterfaceId", "eni-bp1nope", "SecondaryPrivateIpAddressCount", "1"}, "InvalidEniId.NotFound", 404},
		{"nothing to assign", []string{"NetworkInterfaceId", a.spare}, "MissingParameter", 400},
		{"count and list", []string{"NetworkInterfaceId", a.spare, "SecondaryPrivateIpAddressCount", "1", "PrivateIpAddress.1", "10.0.1.10"},
			"InvalidParameter.Conflict", 400},
		{"count 0", []string{"NetworkInterfaceId", a.spare, "SecondaryPrivateIpAddressCount", "0"}, "InvalidParameter", 400},
		{"count 51", []string{"NetworkInterfaceId", a.spare, "SecondaryPrivateIpAddressCount", "51"}, "InvalidParameter", 400},
		{"PrivateIpAddress.51", []string{"NetworkInterfaceId", a.spare, "PrivateIpAddress.51", "10.0.1.10"}, "InvalidParameter", 400},
		{"long ClientToken", []string{"NetworkInterfaceId", a.spare, "SecondaryPrivateIpAddressCount", "1", "ClientToken", strings.Repeat("t", 65)},
			"InvalidParameter", 400},
		{"malformed address", []string{"NetworkInterfaceId", a.spare, "PrivateIpAddress.1", "10.0.1"}, "InvalidIp.Address", 403},
		{"IPv6 address", []string{"NetworkInterfaceId", a.spare, "PrivateIpAddress.1", "2408:4005:3c1:a100::10"}, "InvalidIp.Address", 403},
		{"address twice", []string{"NetworkInterfaceId", a.spare, "PrivateIpAddress.1", "10.0.1.10", "PrivateIpAddress.2", "10.0.1.10"},
			"InvalidIp.IpRepeated", 403},
		{"address outside the vSwitch", []string{"NetworkInterfaceId", a.spare, "PrivateIpAddress.1", "10.0.64.10"}, "InvalidVSwitchId.IpInvalid", 403},
		{"reserved address", []string{"NetworkInterfaceId", a.spare, "PrivateIpAddress.1", "10.0.0.0"}, "InvalidVSwitchId.IpInvalid", 403},
		{"address in use", []string{"NetworkInterfaceId", a.spare, "PrivateIpAddress.1", a.takenV4}, "InvalidIp.IpAssigned", 403},
		{"prefix of another mask", []string{"NetworkInterfaceId", a.spare, "Ipv4Prefix.1", "10.0.1.0/27"}, "InvalidIp.IpPrefixMaskInvalid", 403},
		{"vSwitch full", []string{"NetworkInterfaceId", a.edge, "SecondaryPrivateIpAddressCount", "3"}, "InvalidVSwitchId.IpNotEnough", 403},
		{"more than 49 while Available", []string{"NetworkInterfaceId", a.spare, "SecondaryPrivateIpAddressCount", "50"},
			"InvalidOperation.Ipv4CountExceeded", 403},
		{"beyond the instance type", []string{"NetworkInterfaceId", a.front, "SecondaryPrivateIpAddressCount", "5"},
			"InvalidOperation.Ipv4CountExceeded", 403},
		{"Attaching ENI", []string{"NetworkInterfaceId", a.attaching, "SecondaryPrivateIpAddressCount", "1"}, "InvalidOperation.InvalidEniState", 400},
		{"primary ENI of a Stopping instance", []string{"NetworkInterfaceId", a.maint, "SecondaryPrivateIpAddressCount", "1"},
			"InvalidOperation.InvalidEcsState", 400},
		{"ENI of a cloud service", []string{"NetworkInterfaceId", h.w.groupless(t), "SecondaryPrivateIpAddressCount", "1"},
			"InvalidOperation.EniServiceManaged", 403},
	})
	h.expectErrors(t, "AssignPrivateIpAddresses", cases)
	if n := len(h.w.eniNamed(t, "spare-h-00").secondaryIPs); n != 0 {
		t.Errorf("refused assignments left %d addresses", n)
	}
}

func TestUnassignPrivateIpAddressesPreconditions(t *testing.T) {
	h := newHarness(t, 0)
	a := newAddrWorld(t, h.w)
	w := h.w
	w.mu.RLock()
	primary, secondary := w.enis[a.front].primaryIP.String(), w.enis[a.front].secondaryIPs[0].String()
	w.mu.RUnlock()
	cases := withRegion([]errCase{
		{"no address", []string{"NetworkInterfaceId", a.front}, "MissingParameter", 400},
		{"malformed address", []string{"NetworkInterfaceId", a.front, "PrivateIpAddress.1", "10.0"}, "InvalidIp.Address", 403},
		{"the primary address", []string{"NetworkInterfaceId", a.front, "PrivateIpAddress.1", primary}, "InvalidParameter", 400},
		{"address outside the vSwitch", []string{"NetworkInterfaceId", a.front, "PrivateIpAddress.1", "192.168.0.9"}, "InvalidVSwitchId.IpInvalid", 403},
		{"address of another ENI", []string{"NetworkInterfaceId", a.front, "PrivateIpAddress.1", a.takenV4}, "InvalidIp.IpUnassigned", 403},
		{"address twice", []string{"NetworkInterfaceId", a.front, "PrivateIpAddress.1", secondary, "PrivateIpAddress.2", secondary},
			"InvalidIp.IpRepeated", 403},
		{"Attaching ENI", []string{"NetworkInterfaceId", a.attaching, "PrivateIpAddress.1", "10.0.128.9"}, "InvalidOperation.InvalidEniState", 400},
		{"unknown ENI", []string{"NetworkInterfaceId", "eni-bp1nope", "PrivateIpAddress.1", "10.0.0.9"}, "InvalidEniId.NotFound", 404},
	})
	h.expectErrors(t, "UnassignPrivateIpAddresses", cases)
}

// Assigning by count and by list, then unassigning, through the typed SDK
// with both schemes: DescribeNetworkInterfaces and the vSwitch's free
// addresses follow each step.
func TestPrivateIpAddressesRoundTrip(t *testing.T) {
	h := newHarness(t, 0)
	for scheme, name := range map[string]string{"v3": "spare-h-00", "v2": "spare-h-07"} {
		t.Run(scheme, func(t *testing.T) {
			c := h.clients[scheme]
			e := h.w.eniNamed(t, name)
			free := func() int {
				h.w.mu.RLock()
				defer h.w.mu.RUnlock()
				return e.vswitch.pool.free()
			}
			free0, before := free(), secondaryOf(sdkENI(t, c, e.id))
			resp, err := c.AssignPrivateIpAddresses(&ecs.AssignPrivateIpAddressesRequest{RegionId: tea.String(hz),
				NetworkInterfaceId: tea.String(e.id), SecondaryPrivateIpAddressCount: tea.Int32(2)})
			if err != nil {
				t.Fatal(err)
			}
			got := tea.StringSliceValue(resp.Body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress)
			if len(got) != 2 || tea.StringValue(resp.Body.AssignedPrivateIpAddressesSet.NetworkInterfaceId) != e.id {
				t.Fatalf("assigned %v", resp.Body)
			}
			explicit := "10.0.60." + map[string]string{"v3": "10", "v2": "20"}[scheme]
			if _, err := c.AssignPrivateIpAddresses(&ecs.AssignPrivateIpAddressesRequest{RegionId: tea.String(hz),
				NetworkInterfaceId: tea.String(e.id), PrivateIpAddress: tea.StringSlice([]string{explicit})}); err != nil {
				t.Fatal(err)
			}
			listed := secondaryOf(sdkENI(t, c, e.id))
			if want := append(slices.Concat(before, got), explicit); !sameSet(listed, want) {
				t.Errorf("listed secondary addresses %v, want %v", listed, want)
			}
			if free() != free0-3 {
				t.Errorf("vSwitch free addresses %d, want %d", free(), free0-3)
			}
			if _, err := c.UnassignPrivateIpAddresses(&ecs.UnassignPrivateIpAddressesRequest{RegionId: tea.String(hz),
				NetworkInterfaceId: tea.String(e.id), PrivateIpAddress: tea.StringSlice([]string{got[0], explicit})}); err != nil {
				t.Fatal(err)
			}
			if listed, want := secondaryOf(sdkENI(t, c, e.id)), slices.Concat(before, got[1:]); !sameSet(listed, want) {
				t.Errorf("after unassigning: %v, want %v", listed, want)
			}
			if free() != free0-1 {
				t.Errorf("unassigned addresses not freed: %d free, want %d", free(), free0-1)
			}
		})
	}
}

// A repeated ClientToken answers the first assignment again and assigns
// nothing more; with other parameters it is refused.
func TestAssignClientToken(t *testing.T) {
	h := newHarness(t, 0)
	c := h.clients["v3"]
	id := h.w.eniNamed(t, "spare-h-00").id
	req := &ecs.AssignPrivateIpAddressesRequest{RegionId: tea.String(hz), NetworkInterfaceId: tea.String(id),
		SecondaryPrivateIpAddressCount: tea.Int32(1), ClientToken: tea.String("assign-once")}
	first, err := c.AssignPrivateIpAddresses(req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.AssignPrivateIpAddresses(req)
	if err != nil {
		t.Fatal(err)
	}
	a1 := tea.StringSliceValue(first.Body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress)
	a2 := tea.StringSliceValue(again.Body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress)
	if !slices.Equal(a1, a2) || len(secondaryOf(sdkENI(t, c, id))) != 1 {
		t.Errorf("repeat answered %v after %v; ENI has %v", a2, a1, secondaryOf(sdkENI(t, c, id)))
	}
	req.SecondaryPrivateIpAddressCount = tea.Int32(2)
	_, err = c.AssignPrivateIpAddresses(req)
	if se, ok := err.(*tea.SDKError); !ok || tea.StringValue(se.Code) != "IdempotentParameterMismatch" || tea.IntValue(se.StatusCode) != 400 {
		t.Errorf("same token, other count: %v", err)
	}
	v6 := &ecs.AssignIpv6AddressesRequest{RegionId: tea.String(hz), NetworkInterfaceId: tea.String(id),
		Ipv6AddressCount: tea.Int32(1), ClientToken: tea.String("assign-once")}
	r1, err := c.AssignIpv6Addresses(v6)
	if err != nil {
		t.Fatal(err) // a token binds one action: the IPv4 use does not block it
	}
	r2, err := c.AssignIpv6Addresses(v6)
	if err != nil || !slices.Equal(tea.StringSliceValue(r1.Body.Ipv6Sets.Ipv6Address), tea.StringSliceValue(r2.Body.Ipv6Sets.Ipv6Address)) {
		t.Errorf("IPv6 repeat: %v, %v", r2, err)
	}
}

func secondaryOf(e *ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet) []string {
	var out []string
	for _, p := range e.PrivateIpSets.PrivateIpSet {
		if !tea.BoolValue(p.Primary) {
			out = append(out, tea.StringValue(p.PrivateIpAddress))
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
