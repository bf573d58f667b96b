package eni

import (
	"strings"
	"testing"
)

// The limits of an ENI not attached follow the current references, which
// the emulator models too (internal/ecsemu, maxSecondaryAvailable and
// maxIPv6Available):
//   - AssignPrivateIpAddresses: "When an ENI is in the Available state, you
//     can assign up to 49 secondary private IP addresses to the ENI."
//     https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-assignprivateipaddresses
//     (the same sentence is in the usage notes the ecs-20140526/v4 SDK
//     carries; older translations of the page and the ROS resource still
//     say 10, which CreateNetworkInterface's 49 contradicts);
//   - AssignIpv6Addresses: "If the ENI is in the Available (Available)
//     state, up to 10 IPv6 addresses can be assigned to the ENI."
//     https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-assignipv6addresses
//
// Attached, the instance type's EniPrivateIpAddressQuantity (the primary
// address included) and EniIpv6AddressQuantity apply.
func TestAddressLimitOf(t *testing.T) {
	g7 := Instance{ID: "i-g7", Type: "ecs.g7.xlarge", IPv4PerENI: 15, IPv6PerENI: 15}
	t6 := Instance{ID: "i-t6", Type: "ecs.t6-c1m1.large", IPv4PerENI: 2}
	free := ENI{ID: "eni-a", PrimaryIP: "10.0.0.5", PrivateIPs: []PrivateIP{{Address: "10.0.0.5", Primary: true},
		{Address: "10.0.0.6"}, {Address: "10.0.0.7"}}, IPv6: []string{"2408::1"}}
	on := func(e ENI, id string) ENI { e.InstanceID = id; return e }
	noV6 := free
	noV6.IPv6 = nil
	tests := []struct {
		name         string
		e            ENI
		inst         Instance
		fam          AddressFamily
		max, room    int
		allowed      string
		add          int
		exceededWant string
	}{
		{"ipv4 not attached", free, Instance{}, FamilyIPv4, 49, 47,
			"47 more IPv4 addresses allowed (not attached: 49 secondary per ENI)", 48, "at most 49"},
		{"ipv6 not attached", free, Instance{}, FamilyIPv6, 10, 9,
			"9 more IPv6 addresses allowed (not attached: 10 secondary per ENI)", 10, "at most 10"},
		{"ipv4 attached", on(free, "i-g7"), g7, FamilyIPv4, 14, 12,
			"12 more IPv4 addresses allowed (type ecs.g7.xlarge: 15 per ENI", 13, "ecs.g7.xlarge takes 15 per ENI, the primary included, so at most 12 more"},
		{"ipv6 attached", on(free, "i-g7"), g7, FamilyIPv6, 15, 14,
			"14 more IPv6 addresses allowed (type ecs.g7.xlarge: 15 per ENI)", 15, "so at most 14 more"},
		{"ipv6 on a type without", on(noV6, "i-t6"), t6, FamilyIPv6, 0, 0,
			"No IPv6 addresses allowed (type ecs.t6-c1m1.large takes none)", 1, "takes 0 per ENI"},
		{"type unknown", on(free, "i-g7"), Instance{ID: "i-g7", Type: "ecs.g7.xlarge"}, FamilyIPv4, -1, 0,
			"could not be read", 100, ""},
		{"another instance", on(free, "i-other"), g7, FamilyIPv4, -1, 0, "could not be read", 100, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := AddressLimitOf(tt.e, tt.inst, tt.fam)
			if l.Max != tt.max || l.Known() && l.Room() != tt.room {
				t.Fatalf("max %d room %d, want %d and %d", l.Max, l.Room(), tt.max, tt.room)
			}
			if got := l.Allowed(); !strings.Contains(got, tt.allowed) {
				t.Errorf("Allowed() = %q, want %q", got, tt.allowed)
			}
			if ok := l.exceeded(l.Room()); ok != "" {
				t.Errorf("adding the room (%d) is refused: %s", l.Room(), ok)
			}
			if got := l.exceeded(tt.add); !strings.Contains(got, tt.exceededWant) || (tt.exceededWant == "") != (got == "") {
				t.Errorf("adding %d: %q, want %q", tt.add, got, tt.exceededWant)
			}
		})
	}
}
