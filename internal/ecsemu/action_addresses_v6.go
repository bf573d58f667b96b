package ecsemu

import (
	"context"
	"net/http"
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
	s, err := parseAssign(r, params6)
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
	addrs, prefixes, err := ops6(e.vswitch.pool, w.rng).takeAll(e, s)
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

func (w *World) unassignIpv6Addresses(_ context.Context, r *Request) (any, error) {
	s, err := parseUnassign(r, params6)
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
	ops6(e.vswitch.pool, w.rng).giveBack(s, &e.ipv6, &e.ipv6Prefixes)
	return emptyBody{}, nil
}
