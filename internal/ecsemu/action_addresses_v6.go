package ecsemu

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
)

// AssignIpv6Addresses and UnassignIpv6Addresses (addresses and /80
// prefixes), synchronous like their IPv4 counterparts. IPv6 needs a vSwitch
// with IPv6 enabled; an ENI not attached takes at most 10 addresses, an
// attached one what its instance type allows.

const maxIPv6Available = 10

func errIPv6Max() error {
	return newAPIErr(http.StatusForbidden, "MaxEniIpv6IpsCountExceeded", "The ipv6 address count exceed limitation.")
}

func parseAssignIPv6(r *Request) (*addrSpec, error) {
	id, _, err := idsParam(r, false)
	if err != nil {
		return nil, err
	}
	s := &addrSpec{eniID: id}
	if err := s.parseToken(r); err != nil {
		return nil, err
	}
	if s.addrs, err = parseAddrList(r, "Ipv6Address", maxIPv6Available, true); err != nil {
		return nil, err
	}
	if s.count, err = countParam(r, "Ipv6AddressCount", maxIPv6Available, errIPv6Max()); err != nil {
		return nil, err
	}
	if len(s.addrs) > 0 && s.count > 0 {
		return nil, errParamConflict("Ipv6Address.N", "Ipv6AddressCount")
	}
	if s.prefixes, s.prefixCount, err = prefixParams(r, "Ipv6Prefix", ipv6PrefixLen, true); err != nil {
		return nil, err
	}
	if len(s.addrs)+s.count+len(s.prefixes)+s.prefixCount == 0 {
		return nil, errParamMissing("Ipv6AddressCount")
	}
	return s, nil
}

type assignIPv6Response struct {
	NetworkInterfaceId string `json:"NetworkInterfaceId"`
	Ipv6Sets           struct {
		Ipv6Address []string `json:"Ipv6Address"`
	} `json:"Ipv6Sets"`
	Ipv6PrefixSets struct {
		Ipv6Prefix []string `json:"Ipv6Prefix"`
	} `json:"Ipv6PrefixSets"`
}

func (w *World) assignIpv6Addresses(_ context.Context, r *Request) (any, error) {
	s, err := parseAssignIPv6(r)
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
	if err := checkIPv6Room(e, len(s.addrs)+s.count); err != nil {
		return nil, err
	}
	p := e.vswitch.pool
	for _, a := range s.addrs {
		if !p.in6(a) {
			return nil, newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpInvalid",
				"The specified IPv6 address %q is not in the IPv6 CIDR block of the vSwitch.", a)
		}
		if !p.isFree6(a) {
			return nil, errIPAssigned(a.String())
		}
	}
	for _, pfx := range s.prefixes {
		if !p.in6(pfx.Addr()) {
			return nil, newAPIErr(http.StatusForbidden, "InvalidIp.IpPrefixIllegal", "The ip prefixes %s is/are illegal.", pfx)
		}
		if !p.prefix6Free(pfx) {
			return nil, errPrefixNotAvailable()
		}
	}
	addrs, prefixes, err := w.takeIPv6(e, s)
	if err != nil {
		return nil, err
	}
	e.ipv6 = append(e.ipv6, addrs...)
	e.ipv6Prefixes = append(e.ipv6Prefixes, prefixes...)
	body := &assignIPv6Response{NetworkInterfaceId: e.id}
	body.Ipv6Sets.Ipv6Address = addrStrings(addrs)
	body.Ipv6PrefixSets.Ipv6Prefix = prefixStrings(prefixes)
	w.keepToken(r, e, s.token, body)
	return body, nil
}

// checkIPv6Room applies the references' IPv6 rules before any address is
// looked at.
func checkIPv6Room(e *eni, adding int) error {
	if e.trafficMode == trafficHighPerformance {
		return newAPIErr(http.StatusNotFound, "InvalidOperation.EniTrafficModeNotSupportIpv6",
			"The High Performance(RDMA) traffic mode does not support IPv6.")
	}
	if !e.vswitch.pool.hasIPv6() {
		return newAPIErr(http.StatusForbidden, "InvalidVSwitch.Ipv6NotTurnOn",
			"The vSwitch %q of the ENI does not have IPv6 enabled.", e.vswitch.id)
	}
	inst := e.instance
	if inst == nil {
		if len(e.ipv6)+adding > maxIPv6Available {
			return errIPv6Max()
		}
		return nil
	}
	if inst.typ.eniIPv6 == 0 {
		return newAPIErr(http.StatusForbidden, "InvalidOperation.Ipv6NotSupport",
			"The instance type %q does not support IPv6.", inst.typ.id)
	}
	if len(e.ipv6)+adding > inst.typ.eniIPv6 {
		return newAPIErr(http.StatusForbidden, "InvalidOperation.Ipv6CountExceeded",
			"The instance type %q supports at most %d IPv6 addresses per ENI.", inst.typ.id, inst.typ.eniIPv6)
	}
	return nil
}

// takeIPv6 takes the checked addresses and prefixes, giving everything
// back if one cannot be had.
func (w *World) takeIPv6(e *eni, s *addrSpec) ([]netip.Addr, []netip.Prefix, error) {
	p := e.vswitch.pool
	var addrs []netip.Addr
	var prefixes []netip.Prefix
	undo := func() {
		for _, a := range addrs {
			p.release6(a)
		}
		for _, pfx := range prefixes {
			p.releasePrefix6(pfx)
		}
	}
	for _, pfx := range s.prefixes {
		p.takePrefix6(pfx, e.id)
		prefixes = append(prefixes, pfx)
	}
	for range s.prefixCount {
		pfx, ok := p.allocPrefix6(e.id, w.rng)
		if !ok {
			undo()
			return nil, nil, newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpPrefixNotEnough",
				"The specified VSwitch does not have enough IP prefixes.")
		}
		prefixes = append(prefixes, pfx)
	}
	for _, a := range s.addrs {
		p.take6(a, e.id)
		addrs = append(addrs, a)
	}
	for range s.count {
		a, ok := p.alloc6(e.id, w.rng)
		if !ok {
			undo()
			return nil, nil, errIPNotEnough(e)
		}
		addrs = append(addrs, a)
	}
	return addrs, prefixes, nil
}

func (w *World) unassignIpv6Addresses(_ context.Context, r *Request) (any, error) {
	s, err := parseUnassign(r, "Ipv6Address", "Ipv6Prefix", true)
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
		if !slices.Contains(e.ipv6, a) {
			return nil, errIPUnassigned(a.String())
		}
	}
	for _, pfx := range s.prefixes {
		if !slices.Contains(e.ipv6Prefixes, pfx) {
			return nil, errIPUnassigned(pfx.String())
		}
	}
	p := e.vswitch.pool
	for _, a := range s.addrs {
		p.release6(a)
	}
	for _, pfx := range s.prefixes {
		p.releasePrefix6(pfx)
	}
	e.ipv6 = slices.DeleteFunc(e.ipv6, func(a netip.Addr) bool { return slices.Contains(s.addrs, a) })
	e.ipv6Prefixes = slices.DeleteFunc(e.ipv6Prefixes, func(p netip.Prefix) bool { return slices.Contains(s.prefixes, p) })
	return emptyBody{}, nil
}
