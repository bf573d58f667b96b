package ecsemu

import (
	"math/rand/v2"
	"net/netip"
	"slices"
)

// What the IPv4 and IPv6 address actions share once the family is known:
// reading the request, taking addresses and prefixes from the vSwitch
// (all of them or none), and giving them back.

// addrParams names an address action's parameters of one family and
// their limits.
type addrParams struct {
	addr, count, prefix string
	maxN                int
	// tooMany is the answer to a count above maxN; nil: InvalidParameter.
	tooMany    func() error
	prefixBits int
	v6         bool
}

var (
	params4 = addrParams{addr: "PrivateIpAddress", count: "SecondaryPrivateIpAddressCount", prefix: "Ipv4Prefix",
		maxN: 50, prefixBits: ipv4PrefixLen}
	params6 = addrParams{addr: "Ipv6Address", count: "Ipv6AddressCount", prefix: "Ipv6Prefix",
		maxN: maxIPv6Available, tooMany: errIPv6Max, prefixBits: ipv6PrefixLen, v6: true}
)

// parseAssign reads an assignment: addresses by list or by count, and
// prefixes by list or by count; at least one of them.
func parseAssign(r *Request, f addrParams) (*addrSpec, error) {
	id, _, err := idsParam(r, false)
	if err != nil {
		return nil, err
	}
	s := &addrSpec{eniID: id}
	if err := s.parseToken(r); err != nil {
		return nil, err
	}
	if s.addrs, err = parseAddrList(r, f.addr, f.maxN, f.v6); err != nil {
		return nil, err
	}
	var tooMany error
	if f.tooMany != nil {
		tooMany = f.tooMany()
	}
	if s.count, err = countParam(r, f.count, f.maxN, tooMany); err != nil {
		return nil, err
	}
	if len(s.addrs) > 0 && s.count > 0 {
		return nil, errParamConflict(f.addr+".N", f.count)
	}
	if s.prefixes, s.prefixCount, err = prefixParams(r, f.prefix, f.prefixBits, f.v6); err != nil {
		return nil, err
	}
	if len(s.addrs)+s.count+len(s.prefixes)+s.prefixCount == 0 {
		return nil, errParamMissing(f.count)
	}
	return s, nil
}

// parseUnassign reads an unassignment: addresses, prefixes, or both.
func parseUnassign(r *Request, f addrParams) (*addrSpec, error) {
	id, _, err := idsParam(r, false)
	if err != nil {
		return nil, err
	}
	s := &addrSpec{eniID: id}
	if s.addrs, err = parseAddrList(r, f.addr, f.maxN, f.v6); err != nil {
		return nil, err
	}
	if s.prefixes, _, err = prefixParams(r, f.prefix, f.prefixBits, f.v6); err != nil {
		return nil, err
	}
	if len(s.addrs)+len(s.prefixes) == 0 {
		return nil, errParamMissing(f.addr + ".N")
	}
	return s, nil
}

// poolOps are a vSwitch's address pool operations for one family.
type poolOps struct {
	take          func(netip.Addr, string)
	release       func(netip.Addr)
	alloc         func(owner string) (netip.Addr, bool)
	takePrefix    func(netip.Prefix, string)
	releasePrefix func(netip.Prefix)
	allocPrefix   func(owner string) (netip.Prefix, bool)
}

func ops4(p *ipPool) poolOps {
	return poolOps{take: p.take, release: p.release, alloc: p.alloc,
		takePrefix: p.takePrefix4, releasePrefix: p.releasePrefix4, allocPrefix: p.allocPrefix4}
}

// ops6 draws addresses and prefixes at random, as the cloud does.
func ops6(p *ipPool, rng *rand.Rand) poolOps {
	return poolOps{take: p.take6, release: p.release6,
		alloc:      func(owner string) (netip.Addr, bool) { return p.alloc6(owner, rng) },
		takePrefix: p.takePrefix6, releasePrefix: p.releasePrefix6,
		allocPrefix: func(owner string) (netip.Prefix, bool) { return p.allocPrefix6(owner, rng) }}
}

// takeAll takes the checked addresses and prefixes of s for e, giving
// everything back if one cannot be had.
func (o poolOps) takeAll(e *eni, s *addrSpec) ([]netip.Addr, []netip.Prefix, error) {
	var addrs []netip.Addr
	var prefixes []netip.Prefix
	undo := func() {
		for _, a := range addrs {
			o.release(a)
		}
		for _, pfx := range prefixes {
			o.releasePrefix(pfx)
		}
	}
	for _, pfx := range s.prefixes {
		o.takePrefix(pfx, e.id)
		prefixes = append(prefixes, pfx)
	}
	for range s.prefixCount {
		pfx, ok := o.allocPrefix(e.id)
		if !ok {
			undo()
			return nil, nil, errPrefixNotEnough()
		}
		prefixes = append(prefixes, pfx)
	}
	for _, a := range s.addrs {
		o.take(a, e.id)
		addrs = append(addrs, a)
	}
	for range s.count {
		a, ok := o.alloc(e.id)
		if !ok {
			undo()
			return nil, nil, errIPNotEnough(e)
		}
		addrs = append(addrs, a)
	}
	return addrs, prefixes, nil
}

// giveBack returns the checked addresses and prefixes of s to the vSwitch
// and removes them from the ENI's lists.
func (o poolOps) giveBack(s *addrSpec, addrs *[]netip.Addr, prefixes *[]netip.Prefix) {
	for _, a := range s.addrs {
		o.release(a)
	}
	for _, pfx := range s.prefixes {
		o.releasePrefix(pfx)
	}
	*addrs = slices.DeleteFunc(*addrs, func(a netip.Addr) bool { return slices.Contains(s.addrs, a) })
	*prefixes = slices.DeleteFunc(*prefixes, func(p netip.Prefix) bool { return slices.Contains(s.prefixes, p) })
}
