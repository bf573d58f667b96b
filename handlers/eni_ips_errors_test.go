package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"enidash/internal/eni"
)

// A refusal of an address call is explained at the addresses form's own
// field (addresses, count or family, whichever the operator used) with a
// sentence about that form: never the create form's advice to leave a
// field empty or to choose another vSwitch or traffic mode.
func TestIPsCloudErrorsAtTheirField(t *testing.T) {
	m := startModify(t)
	byCount := []string{"family", "ipv4", "op", "assign", "count", "2"}
	byList := []string{"family", "ipv4", "op", "assign", "addresses", "10.0.1.200"}
	v6ByCount := []string{"family", "ipv6", "op", "assign", "count", "2"}
	res, err := m.Cloud.AssignAddresses(context.Background(), eni.AddressRequest{Region: "cn-hangzhou", ID: m.e.ID, Family: eni.FamilyIPv4, Count: 1})
	if err != nil || len(res.Addresses) != 1 {
		t.Fatalf("a secondary address to remove: %v %v", res.Addresses, err)
	}
	unassign := []string{"family", "ipv4", "op", "unassign", "addresses", res.Addresses[0]}
	tests := []struct {
		api, code string
		kv        []string
		field     string
		summary   string // at the field
		next      string // in the banner
	}{
		{"AssignPrivateIpAddresses", "InvalidIp.Address", byList, "addresses", "not well formed", "give a count instead"},
		{"AssignPrivateIpAddresses", "InvalidVSwitchId.IpInvalid", byList, "addresses", "cannot be used in the ENI's vSwitch", "inside the vSwitch's CIDR block"},
		{"AssignPrivateIpAddresses", "InvalidPrivateIpAddress.Duplicated", byList, "addresses", "already in use", "give a count instead"},
		{"AssignPrivateIpAddresses", "InvalidIp.IpAssigned", byList, "addresses", "already assigned", "ask for a count instead"},
		{"AssignPrivateIpAddresses", "InvalidIp.IpRepeated", byList, "addresses", "more than once", "each address once"},
		{"AssignPrivateIpAddresses", "InvalidOperation.Ipv4CountExceeded", byCount, "count", "more private IPv4 addresses", "how many more"},
		{"AssignPrivateIpAddresses", "InvalidOperation.Ipv4CountExceeded", byList, "addresses", "more private IPv4 addresses", "how many more"},
		{"AssignPrivateIpAddresses", "MaxEniPrivateIpsCountExceeded", byCount, "count", "secondary private IPv4", "how many more"},
		{"AssignPrivateIpAddresses", "InvalidVSwitchId.IpNotEnough", byCount, "count", "not enough free addresses", "Add fewer"},
		{"AssignPrivateIpAddresses", "QuotaExceeded.PrivateIpAddress", byList, "addresses", "not enough free addresses", "Add fewer"},
		{"AssignPrivateIpAddresses", "InvalidParameter.Conflict", byCount, "count", "both sent", "not both"},
		{"UnassignPrivateIpAddresses", "InvalidIp.IpUnassigned", unassign, "addresses", "not assigned to this ENI", "current addresses"},
		{"UnassignPrivateIpAddresses", "InvalidVSwitchId.IpInvalid", unassign, "addresses", "not one of the ENI's vSwitch", "current addresses"},
		{"UnassignPrivateIpAddresses", "InvalidIp.Address", unassign, "addresses", "not well formed", "current addresses"},
		{"AssignIpv6Addresses", "MaxEniIpv6IpsCountExceeded", v6ByCount, "count", "more IPv6 addresses", "at most 10"},
		{"AssignIpv6Addresses", "InvalidOperation.Ipv6CountExceeded", v6ByCount, "count", "more IPv6 addresses", "how many more"},
		{"AssignIpv6Addresses", "InvalidVSwitch.Ipv6NotTurnOn", v6ByCount, "family", "no IPv6 CIDR block", "IPv4 addresses instead"},
		{"AssignIpv6Addresses", "InvalidOperation.VSwitchIpv6Disabled", v6ByCount, "family", "no IPv6 CIDR block", "IPv4 addresses instead"},
		{"AssignIpv6Addresses", "InvalidOperation.Ipv6NotSupport", v6ByCount, "family", "does not support IPv6", "IPv4 addresses instead"},
		{"AssignIpv6Addresses", "InvalidOperation.EniTrafficModeNotSupportIpv6", v6ByCount, "family", "HighPerformance", "IPv4 addresses instead"},
		{"AssignIpv6Addresses", "InvalidOperation.AddressNotInVSwitchCidr", []string{"family", "ipv6", "op", "assign", "addresses", "2408:4005:3c1:a100::99"}, "addresses", "outside the vSwitch's IPv6 block", "IPv6 CIDR block"},
	}
	// Advice that fits only the create form.
	createOnly := []string{"leave it empty", "when creating", "Choose another vSwitch", "choose another vSwitch", "traffic mode"}
	for _, tt := range tests {
		t.Run(tt.api+"/"+tt.code+"/"+tt.field, func(t *testing.T) {
			m.fail.Store(tt.api)
			m.failCode.Store(tt.code)
			defer m.fail.Store("")
			r := post(t, actionPost(m.Env, "ips", m.e.ID), m.form(tt.kv...))
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			msg := r.doc.Find(`[data-error="` + tt.field + `"]`).Text()
			if !strings.Contains(msg, tt.summary) || !strings.Contains(msg, tt.code) {
				t.Fatalf("message at %s: %q, want %q and the code", tt.field, msg, tt.summary)
			}
			if n := r.doc.Find(`[data-error]`).Length(); n != 1 {
				t.Errorf("%d messages at fields, want one", n)
			}
			banner := r.doc.Find(`[data-failure]`).Text()
			if !strings.Contains(banner, tt.next) {
				t.Errorf("banner %q, want %q", banner, tt.next)
			}
			for _, s := range createOnly {
				if strings.Contains(msg+banner, s) {
					t.Errorf("advice for the create form (%q) on the addresses form: %q / %q", s, msg, banner)
				}
			}
		})
	}
}
