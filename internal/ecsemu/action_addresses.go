package ecsemu

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
)

// AssignPrivateIpAddresses and UnassignPrivateIpAddresses (IPv4 addresses
// and /28 prefixes). Both are synchronous, as their references describe
// them: the answer of an assignment names the addresses, and
// DescribeNetworkInterfaces shows them at once. The IPv6 pair is in
// action_addresses_v6.go; the rules they share are here and in
// action_addresses_family.go.

// maxSecondaryAvailable is how many secondary IPv4 addresses an ENI that is
// not attached may have (AssignPrivateIpAddresses' reference: 49).
const maxSecondaryAvailable = 49

// addrSpec is a syntactically valid assignment or unassignment.
type addrSpec struct {
	eniID       string
	token       string
	addrs       []netip.Addr
	count       int
	prefixes    []netip.Prefix
	prefixCount int
}

// assignUse is what an assignment's ClientToken was first used for.
type assignUse struct {
	params string
	body   any
}

func (s *addrSpec) parseToken(r *Request) error {
	s.token = r.String("ClientToken")
	if len(s.token) > 64 || !isASCII(s.token) {
		return errParamInvalid("ClientToken")
	}
	return nil
}

// parseAddrList reads name.N (at most maxN) as addresses of one family.
func parseAddrList(r *Request, name string, maxN int, v6 bool) ([]netip.Addr, error) {
	list, err := listParam(r, name, maxN)
	if err != nil {
		return nil, err
	}
	out := make([]netip.Addr, 0, len(list))
	for _, v := range list {
		a, err := netip.ParseAddr(v)
		if err != nil || a.Is6() != v6 || a.Is4In6() || a.Zone() != "" {
			return nil, errBadIP(v)
		}
		if slices.Contains(out, a) {
			return nil, errRepeatedIP(v)
		}
		out = append(out, a)
	}
	return out, nil
}

// addressTarget finds the ENI an address action changes and applies the
// references' state rules: the ENI Available or InUse, and a primary ENI's
// instance Running or Stopped.
func (w *World) addressTarget(r *Request, id string) (*eni, error) {
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	e, err := w.lookupENI(reg, id, http.StatusNotFound)
	if err != nil {
		return nil, err
	}
	if e.serviceManaged {
		return nil, errServiceManaged(e)
	}
	if e.status != eniAvailable && e.status != eniInUse {
		return nil, errENIState(e)
	}
	if e.typ == eniPrimary && e.instance != nil && e.instance.status != "Running" && e.instance.status != "Stopped" {
		return nil, newAPIErr(http.StatusBadRequest, "InvalidOperation.InvalidEcsState",
			"The operation is not allowed in the current instance state %q.", e.instance.status)
	}
	return e, nil
}

// replayToken answers a repeated ClientToken with the first answer, or
// refuses it when the parameters differ. ok reports a repeat.
func (w *World) replayToken(r *Request, e *eni, token string) (body any, ok bool, err error) {
	if token == "" {
		return nil, false, nil
	}
	use, seen := w.assignTokens[e.region.id+"/"+r.Action+"/"+token]
	if !seen {
		return nil, false, nil
	}
	if use.params != apiParams(r) {
		return nil, true, errTokenMismatch()
	}
	return use.body, true, nil
}

func (w *World) keepToken(r *Request, e *eni, token string, body any) {
	if token != "" {
		w.assignTokens[e.region.id+"/"+r.Action+"/"+token] = assignUse{params: apiParams(r), body: body}
	}
}

type assignPrivateIPsResponse struct {
	AssignedPrivateIpAddressesSet struct {
		NetworkInterfaceId string `json:"NetworkInterfaceId"`
		PrivateIpSet       struct {
			PrivateIpAddress []string `json:"PrivateIpAddress"`
		} `json:"PrivateIpSet"`
		Ipv4PrefixSet struct {
			Ipv4Prefixes []string `json:"Ipv4Prefixes"`
		} `json:"Ipv4PrefixSet"`
	} `json:"AssignedPrivateIpAddressesSet"`
}

func (w *World) assignPrivateIpAddresses(_ context.Context, r *Request) (any, error) {
	s, err := parseAssign(r, params4)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	e, err := w.addressTarget(r, s.eniID)
	if err != nil {
		return nil, err
	}
	if body, ok, err := w.replayToken(r, e, s.token); ok {
		return body, err
	}
	adding := len(s.addrs) + s.count
	if inst := e.instance; inst != nil {
		if 1+len(e.secondaryIPs)+adding > inst.typ.eniPrivateIPs {
			return nil, newAPIErr(http.StatusForbidden, "InvalidOperation.Ipv4CountExceeded",
				"The instance type %q supports at most %d private IPv4 addresses per ENI.", inst.typ.id, inst.typ.eniPrivateIPs)
		}
	} else if len(e.secondaryIPs)+adding > maxSecondaryAvailable {
		return nil, newAPIErr(http.StatusForbidden, "InvalidOperation.Ipv4CountExceeded",
			"An ENI that is not attached can have at most %d secondary private IPv4 addresses.", maxSecondaryAvailable)
	}
	p := e.vswitch.pool
	if p.free() < adding+16*(len(s.prefixes)+s.prefixCount) {
		return nil, errIPNotEnough(e)
	}
	for _, a := range s.addrs {
		if !p.usableAddr(a) {
			return nil, newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpInvalid",
				"The specified private IP address %q is not in the CIDR block of the vSwitch.", a)
		}
		if !p.isFree(a) {
			return nil, errIPAssigned(a.String())
		}
	}
	for _, pfx := range s.prefixes {
		if !e.vswitch.cidr.Contains(pfx.Addr()) {
			return nil, newAPIErr(http.StatusForbidden, "InvalidIp.IpPrefixIllegal", "The ip prefixes %s is/are illegal.", pfx)
		}
		if !p.prefix4Free(pfx) {
			return nil, errPrefixNotAvailable()
		}
	}
	addrs, prefixes, err := ops4(e.vswitch.pool).takeAll(e, s)
	if err != nil {
		return nil, err
	}
	e.secondaryIPs = append(e.secondaryIPs, addrs...)
	e.ipv4Prefixes = append(e.ipv4Prefixes, prefixes...)
	body := &assignPrivateIPsResponse{}
	set := &body.AssignedPrivateIpAddressesSet
	set.NetworkInterfaceId = e.id
	set.PrivateIpSet.PrivateIpAddress = addrStrings(addrs)
	set.Ipv4PrefixSet.Ipv4Prefixes = prefixStrings(prefixes)
	w.keepToken(r, e, s.token, body)
	return body, nil
}

func (w *World) unassignPrivateIpAddresses(_ context.Context, r *Request) (any, error) {
	s, err := parseUnassign(r, params4)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	e, err := w.addressTarget(r, s.eniID)
	if err != nil {
		return nil, err
	}
	for _, a := range s.addrs {
		switch {
		case a == e.primaryIP:
			return nil, newAPIErr(http.StatusBadRequest, "InvalidParameter",
				"The primary private IP address %q of the ENI cannot be unassigned.", a)
		case !e.vswitch.cidr.Contains(a):
			return nil, newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpInvalid",
				"The specified IpAddress %q is not valid in VSwitch CIDR block.", a)
		case !slices.Contains(e.secondaryIPs, a):
			return nil, errIPUnassigned(a.String())
		}
	}
	for _, pfx := range s.prefixes {
		if !slices.Contains(e.ipv4Prefixes, pfx) {
			return nil, errIPUnassigned(pfx.String())
		}
	}
	ops4(e.vswitch.pool).giveBack(s, &e.secondaryIPs, &e.ipv4Prefixes)
	return emptyBody{}, nil
}

func errIPAssigned(a string) error {
	return newAPIErr(http.StatusForbidden, "InvalidIp.IpAssigned", "The specified IP address %q is already assigned.", a)
}

func errPrefixNotEnough() error {
	return newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpPrefixNotEnough", "The specified VSwitch does not have enough IP prefixes.")
}

func errIPUnassigned(a string) error {
	return newAPIErr(http.StatusForbidden, "InvalidIp.IpUnassigned", "The specified IP %q is not assigned on this ENI.", a)
}

func addrStrings(addrs []netip.Addr) []string {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, a.String())
	}
	return out
}

func prefixStrings(prefixes []netip.Prefix) []string {
	out := make([]string, 0, len(prefixes))
	for _, p := range prefixes {
		out = append(out, p.String())
	}
	return out
}
