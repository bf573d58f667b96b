package eni

import (
	"strings"
	"testing"
)

// TestValidateAgainst has one row per rule of ValidateAgainst.
func TestValidateAgainst(t *testing.T) {
	vs := VSwitch{ID: "vsw-bp1aaaa", VpcID: "vpc-bp1prod", ZoneID: "cn-hangzhou-h", CIDR: "10.0.0.0/24",
		IPv6CIDR: "2408:4005:3c1:a100::/64", AvailableIP: 100}
	noV6 := vs
	noV6.IPv6CIDR = ""
	few := vs
	few.AvailableIP = 3
	groups := []SecurityGroup{{ID: "sg-bp1good", VpcID: "vpc-bp1prod"}, {ID: "sg-bp1other", VpcID: "vpc-bp1stg"}}
	base := CreateRequest{Region: "cn-hangzhou", VSwitchID: vs.ID, SecurityGroupIDs: []string{"sg-bp1good"}}
	tests := []struct {
		name    string
		edit    func(*CreateRequest)
		vs      VSwitch
		field   string
		message string
	}{
		{"vswitch in the zone", func(r *CreateRequest) { r.ZoneID = "cn-hangzhou-i" }, vs, FormVSwitch, "is in zone cn-hangzhou-h, not in the chosen zone cn-hangzhou-i"},
		{"primary ip in the cidr", func(r *CreateRequest) { r.PrimaryIP = "10.0.1.5" }, vs, FormPrimaryIP, "outside the CIDR block 10.0.0.0/24"},
		{"primary ip not the first", func(r *CreateRequest) { r.PrimaryIP = "10.0.0.0" }, vs, FormPrimaryIP, "is reserved"},
		{"primary ip not the last three", func(r *CreateRequest) { r.PrimaryIP = "10.0.0.253" }, vs, FormPrimaryIP, "is reserved"},
		{"secondary ip in the cidr", func(r *CreateRequest) { r.SecondaryIPs = []string{"10.0.0.7", "192.168.0.7"} }, vs, FormSecondaryIPs, "outside the CIDR block"},
		{"secondary ip not reserved", func(r *CreateRequest) { r.SecondaryIPs = []string{"10.0.0.255"} }, vs, FormSecondaryIPs, "is reserved"},
		{"prefix in the cidr", func(r *CreateRequest) { r.IPv4Prefixes = []string{"10.0.1.16/28"} }, vs, FormPrefixes, "outside the CIDR block"},
		{"prefix not over reserved", func(r *CreateRequest) { r.IPv4Prefixes = []string{"10.0.0.0/28"} }, vs, FormPrefixes, "takes reserved addresses"},
		{"prefix not over the last three", func(r *CreateRequest) { r.IPv4Prefixes = []string{"10.0.0.240/28"} }, vs, FormPrefixes, "takes reserved addresses"},
		{"ipv6 count needs ipv6", func(r *CreateRequest) { r.IPv6Count = 1 }, noV6, FormIPv6Count, "has no IPv6 CIDR block"},
		{"ipv6 list needs ipv6", func(r *CreateRequest) { r.IPv6 = []string{"2408:4005:3c1:a100::5"} }, noV6, FormIPv6, "has no IPv6 CIDR block"},
		{"ipv6 in the block", func(r *CreateRequest) { r.IPv6 = []string{"2408:4005:3c1:b200::5"} }, vs, FormIPv6, "outside the vSwitch's IPv6 block"},
		{"free addresses for the primary", func(r *CreateRequest) {}, VSwitch{ID: "vsw-bp1full", VpcID: "vpc-bp1prod", CIDR: "10.0.0.0/28"}, FormVSwitch, "asks for 1 private IPv4 addresses, the primary included; vSwitch vsw-bp1full has 0 free"},
		{"free addresses for a count", func(r *CreateRequest) { r.SecondaryIPCount = 3 }, few, FormSecondaryCount, "asks for 4"},
		{"free addresses for a list", func(r *CreateRequest) { r.SecondaryIPs = []string{"10.0.0.5", "10.0.0.6", "10.0.0.7"} }, few, FormSecondaryIPs, "asks for 4"},
		{"free addresses for prefixes", func(r *CreateRequest) { r.IPv4PrefixCount = 1 }, few, FormPrefixCount, "asks for 17"},
		{"security group of the vpc", func(r *CreateRequest) { r.SecurityGroupIDs = []string{"sg-bp1good", "sg-bp1other"} }, vs, FormSG, "is in vpc-bp1stg, but the vSwitch is in vpc-bp1prod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.edit(&r)
			errs := ValidateAgainst(r, tt.vs, groups)
			for _, e := range errs {
				if e.Field == tt.field && strings.Contains(e.Message, tt.message) {
					return
				}
			}
			t.Errorf("want %s: …%s…; got %v", tt.field, tt.message, errs)
		})
	}
}

func TestValidateAgainstAccepts(t *testing.T) {
	vs := VSwitch{ID: "vsw-bp1aaaa", VpcID: "vpc-bp1prod", ZoneID: "cn-hangzhou-h", CIDR: "10.0.0.0/24",
		IPv6CIDR: "2408:4005:3c1:a100::/64", AvailableIP: 20}
	r := CreateRequest{Region: "cn-hangzhou", ZoneID: "cn-hangzhou-h", VSwitchID: vs.ID, PrimaryIP: "10.0.0.1",
		SecondaryIPs: []string{"10.0.0.252"}, IPv4Prefixes: []string{"10.0.0.16/28"}, IPv6: []string{"2408:4005:3c1:a100::1"},
		// sg-bp1unknown is not in the look-up: the cloud judges it.
		SecurityGroupIDs: []string{"sg-bp1good", "sg-bp1unknown"}}
	groups := []SecurityGroup{{ID: "sg-bp1good", VpcID: "vpc-bp1prod"}}
	if errs := ValidateAgainst(r, vs, groups); len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}

func TestCreateErrorField(t *testing.T) {
	withList := CreateRequest{PrimaryIP: "10.0.0.5", SecondaryIPs: []string{"10.0.0.50", "10.0.0.6"}, IPv4Prefixes: []string{"10.0.0.16/28"},
		IPv6: []string{"2408::5"}}
	withCount := CreateRequest{SecondaryIPCount: 3, IPv6Count: 2, IPv4PrefixCount: 1}
	tests := []struct {
		name string
		r    CreateRequest
		code string
		msg  string
		want string
	}{
		{"field of the code", withList, "InvalidVSwitchId.NotFound", "The specified vSwitch does not exist.", FormVSwitch},
		{"primary address quoted", withList, "InvalidPrivateIpAddress.Duplicated", `The specified private IP address "10.0.0.5" is duplicated.`, FormPrimaryIP},
		{"secondary address quoted", withList, "InvalidPrivateIpAddress.Duplicated", `The specified private IP address "10.0.0.50" is duplicated.`, FormSecondaryIPs},
		{"address ends a sentence", withList, "InvalidVSwitchId.IpInvalid", `Address 10.0.0.6.`, FormSecondaryIPs},
		{"ipv6 quoted", withList, "InvalidIp.Address", `The IP address "2408::5" is not valid.`, FormIPv6},
		{"no primary: the list", CreateRequest{SecondaryIPs: []string{"10.0.0.9"}}, "InvalidIp.Address", "bad address", FormSecondaryIPs},
		{"count to list", withList, "InvalidVSwitchId.IpPrefixNotEnough", "", FormPrefixes},
		{"list to count", withCount, "InvalidIp.IpRepeated", "", FormSecondaryCount},
		{"ipv6 disabled, count", withCount, "InvalidOperation.VSwitchIpv6Disabled", "", FormIPv6Count},
		{"ipv6 disabled, list", withList, "InvalidOperation.VSwitchIpv6Disabled", "", FormIPv6},
		{"parameter named", withList, "InvalidParameter", `The specified parameter "Description" is not valid.`, FormDescription},
		{"longest parameter name", withCount, "InvalidParameter.Conflict", `"SecondaryPrivateIpAddressCount" and "PrivateIpAddress.N"`, FormSecondaryCount},
		{"no field", withList, "EniPerInstanceLimitExceeded", "limit", ""},
		{"unknown code", withList, "Whatever", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CreateErrorField(tt.r, &CloudError{Code: tt.code, Message: tt.msg}); got != tt.want {
				t.Errorf("CreateErrorField = %q, want %q", got, tt.want)
			}
		})
	}
}
