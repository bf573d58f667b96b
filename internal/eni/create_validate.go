package eni

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// prefixAddresses is how many private addresses an IPv4 prefix takes.
const prefixAddresses = 1 << (32 - IPv4PrefixBits)

// ValidateAgainst checks a parsed request against what the form offered:
// the chosen vSwitch and the region's security groups. Security groups
// missing from groups are left to the cloud to judge (the look-up may be a
// little stale). Like the cloud, it takes the first and the last three
// addresses of a vSwitch's block as reserved (Alibaba Cloud VPC docs,
// "vSwitch"); AvailableIP already leaves them out.
func ValidateAgainst(r CreateRequest, vs VSwitch, groups []SecurityGroup) FieldErrors {
	var errs FieldErrors
	fail := func(field, value, msg string) {
		errs = append(errs, FieldError{Field: field, Value: value, Message: msg})
	}
	if r.ZoneID != "" && vs.ZoneID != "" && vs.ZoneID != r.ZoneID {
		fail(FormVSwitch, vs.ID, fmt.Sprintf("is in zone %s, not in the chosen zone %s", vs.ZoneID, r.ZoneID))
	}
	if cidr, err := netip.ParsePrefix(vs.CIDR); err == nil && cidr.Addr().Is4() {
		if msg := addrProblem(cidr, r.PrimaryIP, vs.ID); msg != "" {
			fail(FormPrimaryIP, r.PrimaryIP, msg)
		}
		for _, a := range r.SecondaryIPs {
			if msg := addrProblem(cidr, a, vs.ID); msg != "" {
				fail(FormSecondaryIPs, a, msg)
			}
		}
		for _, s := range r.IPv4Prefixes {
			if msg := prefixProblem(cidr, s, vs.ID); msg != "" {
				fail(FormPrefixes, s, msg)
			}
		}
	}
	if vs.IPv6CIDR == "" {
		if r.IPv6Count > 0 {
			fail(FormIPv6Count, "", "cannot be met: vSwitch "+vs.ID+" has no IPv6 CIDR block; choose a vSwitch with IPv6, or ask for none")
		}
		if len(r.IPv6) > 0 {
			fail(FormIPv6, "", "cannot be met: vSwitch "+vs.ID+" has no IPv6 CIDR block; choose a vSwitch with IPv6, or give none")
		}
	} else if cidr6, err := netip.ParsePrefix(vs.IPv6CIDR); err == nil {
		for _, s := range r.IPv6 {
			if a, err := netip.ParseAddr(s); err == nil && !cidr6.Contains(a) {
				fail(FormIPv6, s, "is outside the vSwitch's IPv6 block "+vs.IPv6CIDR)
			}
		}
	}
	need := 1 + r.SecondaryIPCount + len(r.SecondaryIPs) + prefixAddresses*(r.IPv4PrefixCount+len(r.IPv4Prefixes))
	if need > vs.AvailableIP {
		fail(addressField(r), "", fmt.Sprintf("asks for %d private IPv4 addresses, the primary included; vSwitch %s has %d free",
			need, vs.ID, vs.AvailableIP))
	}
	for _, id := range r.SecurityGroupIDs {
		i := slices.IndexFunc(groups, func(g SecurityGroup) bool { return g.ID == id })
		if i >= 0 && groups[i].VpcID != vs.VpcID {
			fail(FormSG, id, fmt.Sprintf("is in %s, but the vSwitch is in %s; an ENI's security groups are of its VPC", groups[i].VpcID, vs.VpcID))
		}
	}
	return errs
}

// addressField is the field that asks for the most addresses: where to
// say that the vSwitch has too few.
func addressField(r CreateRequest) string {
	switch {
	case r.IPv4PrefixCount > 0:
		return FormPrefixCount
	case len(r.IPv4Prefixes) > 0:
		return FormPrefixes
	case r.SecondaryIPCount > 0:
		return FormSecondaryCount
	case len(r.SecondaryIPs) > 0:
		return FormSecondaryIPs
	}
	return FormVSwitch
}

// offset is a's place in the IPv4 block cidr; ok is false outside it.
func offset(cidr netip.Prefix, a netip.Addr) (uint32, bool) {
	if !a.Is4() || !cidr.Contains(a) {
		return 0, false
	}
	b, base := a.As4(), cidr.Masked().Addr().As4()
	return binary.BigEndian.Uint32(b[:]) - binary.BigEndian.Uint32(base[:]), true
}

func reserved(cidr netip.Prefix, off uint32) bool {
	size := uint64(1) << (32 - cidr.Bits())
	return off == 0 || uint64(off) >= size-3
}

func addrProblem(cidr netip.Prefix, s, vsID string) string {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return ""
	}
	off, ok := offset(cidr, a)
	switch {
	case !ok:
		return fmt.Sprintf("is outside the CIDR block %s of vSwitch %s", cidr, vsID)
	case reserved(cidr, off):
		return fmt.Sprintf("is reserved in %s: the first and the last three addresses of a vSwitch are", cidr)
	}
	return ""
}

func prefixProblem(cidr netip.Prefix, s, vsID string) string {
	pfx, err := netip.ParsePrefix(s)
	if err != nil {
		return ""
	}
	off, ok := offset(cidr, pfx.Addr())
	switch {
	case !ok || pfx.Bits() < cidr.Bits():
		return fmt.Sprintf("is outside the CIDR block %s of vSwitch %s", cidr, vsID)
	case reserved(cidr, off) || reserved(cidr, off+prefixAddresses-1):
		return fmt.Sprintf("takes reserved addresses of %s: the first and the last three addresses of a vSwitch are", cidr)
	}
	return ""
}

// CreateErrorField is the create form field a cloud error concerns for
// request r, or "". It starts from Explain's field and refines it: an
// address the cloud's message quotes is found among the fields that hold
// addresses; a count and the list of the same thing stand for each other,
// so the message lands on the one r used; a code that names no field is
// placed at the API parameter its message names.
func CreateErrorField(r CreateRequest, ce *CloudError) string {
	x, _ := Explain(ce.Code)
	field := x.Field
	if field == "" {
		field = paramField(ce.Message)
	}
	switch field {
	case FormPrimaryIP, FormSecondaryIPs, FormIPv6:
		if f := fieldOfAddress(r, ce.Message); f != "" {
			field = f
		} else if field == FormPrimaryIP && r.PrimaryIP == "" && len(r.SecondaryIPs) > 0 {
			field = FormSecondaryIPs
		}
	}
	pairs := []struct {
		count, list string
		hasCount    bool
		hasList     bool
	}{
		{FormSecondaryCount, FormSecondaryIPs, r.SecondaryIPCount > 0, len(r.SecondaryIPs) > 0},
		{FormIPv6Count, FormIPv6, r.IPv6Count > 0, len(r.IPv6) > 0},
		{FormPrefixCount, FormPrefixes, r.IPv4PrefixCount > 0, len(r.IPv4Prefixes) > 0},
	}
	for _, p := range pairs {
		switch {
		case field == p.count && !p.hasCount && p.hasList:
			field = p.list
		case field == p.list && !p.hasList && p.hasCount:
			field = p.count
		}
	}
	return field
}

// apiParams maps CreateNetworkInterface's parameter names to form keys.
var apiParams = map[string]string{
	"RegionId": FormRegion, "VSwitchId": FormVSwitch, "SecurityGroupId": FormSG, "SecurityGroupIds": FormSG,
	"NetworkInterfaceName": FormName, "Description": FormDescription, "PrimaryIpAddress": FormPrimaryIP,
	"SecondaryPrivateIpAddressCount": FormSecondaryCount, "PrivateIpAddress": FormSecondaryIPs,
	"Ipv6AddressCount": FormIPv6Count, "Ipv6Address": FormIPv6, "Ipv4PrefixCount": FormPrefixCount,
	"Ipv4Prefix": FormPrefixes, "Tag": FormTags, "ResourceGroupId": FormRG, "DeleteOnRelease": FormDeleteOnRelease,
	"QueueNumber": FormQueueNumber, "NetworkInterfaceTrafficMode": FormTrafficMode,
	"SourceDestCheck": FormSourceDestCheck, "ClientToken": FormClientToken,
}

// paramField is the form key of the first API parameter msg names.
func paramField(msg string) string {
	words := strings.FieldsFunc(msg, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	for _, w := range words {
		if f, ok := apiParams[w]; ok {
			return f
		}
	}
	return ""
}

// fieldOfAddress is the field of r holding an address msg quotes, or "".
func fieldOfAddress(r CreateRequest, msg string) string {
	words := strings.FieldsFunc(msg, func(c rune) bool {
		return !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':')
	})
	for _, w := range words {
		a, err := netip.ParseAddr(w)
		if err != nil {
			// An address ending a sentence.
			if a, err = netip.ParseAddr(strings.TrimRight(w, ".")); err != nil {
				continue
			}
		}
		s := a.String()
		switch {
		case s == r.PrimaryIP:
			return FormPrimaryIP
		case slices.Contains(r.SecondaryIPs, s):
			return FormSecondaryIPs
		case slices.Contains(r.IPv6, s):
			return FormIPv6
		}
	}
	return ""
}
