package ecsemu

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
)

// ipPool hands out a vSwitch's addresses. Like the cloud, it reserves the
// first and the last three IPv4 addresses of the CIDR block. IPv4 prefixes
// are /28 blocks and take all 16 addresses; IPv6 prefixes are /80 blocks of
// the vSwitch's /64.
type ipPool struct {
	base   uint32
	size   uint32
	used   map[uint32]string // offset in the block -> owning ENI
	cursor uint32            // next offset to try, so allocation is O(1) amortised

	v6      netip.Prefix // invalid when IPv6 is not enabled
	used6   map[netip.Addr]string
	pfx6    map[uint16]string // /80 prefixes by bits 64..79
	addrsIn map[uint16]int    // IPv6 addresses per /80 slot, to keep prefixes clear
}

const ipv4PrefixLen, ipv6PrefixLen = 28, 80

func newIPPool(cidr, v6 netip.Prefix) *ipPool {
	a := cidr.Masked().Addr().As4()
	return &ipPool{
		base:    binary.BigEndian.Uint32(a[:]),
		size:    1 << (32 - cidr.Bits()),
		used:    map[uint32]string{},
		cursor:  1,
		v6:      v6,
		used6:   map[netip.Addr]string{},
		pfx6:    map[uint16]string{},
		addrsIn: map[uint16]int{},
	}
}

func (p *ipPool) usable() int { return int(p.size) - 4 }

// free is the vSwitch's AvailableIpAddressCount.
func (p *ipPool) free() int { return p.usable() - len(p.used) }

func (p *ipPool) reserved(off uint32) bool { return off == 0 || off >= p.size-3 }

func (p *ipPool) addr(off uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], p.base+off)
	return netip.AddrFrom4(b)
}

// offset returns a's place in the block; ok is false outside it.
func (p *ipPool) offset(a netip.Addr) (uint32, bool) {
	if !a.Is4() {
		return 0, false
	}
	b := a.As4()
	v := binary.BigEndian.Uint32(b[:])
	if v < p.base || v-p.base >= p.size {
		return 0, false
	}
	return v - p.base, true
}

// usableAddr reports whether a lies in the block and is not reserved.
func (p *ipPool) usableAddr(a netip.Addr) bool {
	off, ok := p.offset(a)
	return ok && !p.reserved(off)
}

func (p *ipPool) isFree(a netip.Addr) bool {
	off, ok := p.offset(a)
	if !ok || p.reserved(off) {
		return false
	}
	_, taken := p.used[off]
	return !taken
}

func (p *ipPool) take(a netip.Addr, owner string) {
	if off, ok := p.offset(a); ok {
		p.used[off] = owner
	}
}

func (p *ipPool) release(a netip.Addr) {
	if off, ok := p.offset(a); ok {
		delete(p.used, off)
	}
}

// owner returns the ENI holding a, if any.
func (p *ipPool) owner(a netip.Addr) (string, bool) {
	off, ok := p.offset(a)
	if !ok {
		return "", false
	}
	id, ok := p.used[off]
	return id, ok
}

// alloc takes the next free address.
func (p *ipPool) alloc(owner string) (netip.Addr, bool) {
	if p.free() <= 0 {
		return netip.Addr{}, false
	}
	span := p.size - 4
	for i := uint32(0); i < span; i++ {
		off := 1 + (p.cursor-1+i)%span
		if _, taken := p.used[off]; !taken {
			p.used[off] = owner
			p.cursor = off + 1
			if p.cursor > span {
				p.cursor = 1
			}
			return p.addr(off), true
		}
	}
	return netip.Addr{}, false
}

// prefix4Free reports whether every address of the /28 is in the block,
// unreserved and unused.
func (p *ipPool) prefix4Free(pfx netip.Prefix) bool {
	off, ok := p.offset(pfx.Addr())
	if !ok || off+16 > p.size {
		return false
	}
	for i := uint32(0); i < 16; i++ {
		if p.reserved(off + i) {
			return false
		}
		if _, taken := p.used[off+i]; taken {
			return false
		}
	}
	return true
}

func (p *ipPool) takePrefix4(pfx netip.Prefix, owner string) {
	off, _ := p.offset(pfx.Addr())
	for i := uint32(0); i < 16; i++ {
		p.used[off+i] = owner
	}
}

func (p *ipPool) releasePrefix4(pfx netip.Prefix) {
	off, ok := p.offset(pfx.Addr())
	if !ok {
		return
	}
	for i := uint32(0); i < 16; i++ {
		delete(p.used, off+i)
	}
}

// allocPrefix4 takes the first free aligned /28.
func (p *ipPool) allocPrefix4(owner string) (netip.Prefix, bool) {
	for off := uint32(0); off+16 <= p.size; off += 16 {
		pfx := netip.PrefixFrom(p.addr(off), ipv4PrefixLen)
		if p.prefix4Free(pfx) {
			p.takePrefix4(pfx, owner)
			return pfx, true
		}
	}
	return netip.Prefix{}, false
}

func (p *ipPool) hasIPv6() bool { return p.v6.IsValid() }

// slot6 is the /80 slot (bits 64..79) of an IPv6 address.
func slot6(a netip.Addr) uint16 {
	b := a.As16()
	return binary.BigEndian.Uint16(b[8:10])
}

func (p *ipPool) in6(a netip.Addr) bool {
	return p.hasIPv6() && a.Is6() && !a.Is4In6() && p.v6.Contains(a)
}

func (p *ipPool) isFree6(a netip.Addr) bool {
	if !p.in6(a) {
		return false
	}
	if _, taken := p.used6[a]; taken {
		return false
	}
	_, inPrefix := p.pfx6[slot6(a)]
	return !inPrefix
}

func (p *ipPool) owner6(a netip.Addr) (string, bool) {
	id, ok := p.used6[a]
	return id, ok
}

func (p *ipPool) take6(a netip.Addr, owner string) {
	p.used6[a] = owner
	p.addrsIn[slot6(a)]++
}

func (p *ipPool) release6(a netip.Addr) {
	if _, ok := p.used6[a]; !ok {
		return
	}
	delete(p.used6, a)
	s := slot6(a)
	if p.addrsIn[s]--; p.addrsIn[s] <= 0 {
		delete(p.addrsIn, s)
	}
}

// alloc6 takes a random free address of the /64, as the cloud does.
func (p *ipPool) alloc6(owner string, rng *rand.Rand) (netip.Addr, bool) {
	if !p.hasIPv6() {
		return netip.Addr{}, false
	}
	hi := p.v6.Masked().Addr().As16()
	for range 64 {
		var b [16]byte
		copy(b[:8], hi[:8])
		binary.BigEndian.PutUint64(b[8:], rng.Uint64())
		a := netip.AddrFrom16(b)
		if p.isFree6(a) {
			p.take6(a, owner)
			return a, true
		}
	}
	return netip.Addr{}, false
}

func (p *ipPool) prefix6Free(pfx netip.Prefix) bool {
	if !p.in6(pfx.Addr()) {
		return false
	}
	s := slot6(pfx.Addr())
	_, taken := p.pfx6[s]
	return !taken && p.addrsIn[s] == 0
}

func (p *ipPool) takePrefix6(pfx netip.Prefix, owner string) { p.pfx6[slot6(pfx.Addr())] = owner }

func (p *ipPool) releasePrefix6(pfx netip.Prefix) { delete(p.pfx6, slot6(pfx.Addr())) }

// allocPrefix6 takes a random free /80.
func (p *ipPool) allocPrefix6(owner string, rng *rand.Rand) (netip.Prefix, bool) {
	if !p.hasIPv6() {
		return netip.Prefix{}, false
	}
	hi := p.v6.Masked().Addr().As16()
	for range 256 {
		var b [16]byte
		copy(b[:8], hi[:8])
		binary.BigEndian.PutUint16(b[8:10], uint16(rng.UintN(1<<16)))
		pfx := netip.PrefixFrom(netip.AddrFrom16(b), ipv6PrefixLen)
		if p.prefix6Free(pfx) {
			p.takePrefix6(pfx, owner)
			return pfx, true
		}
	}
	return netip.Prefix{}, false
}

// releaseENI gives every address and prefix of e back to its vSwitch.
func (p *ipPool) releaseENI(e *eni) {
	p.release(e.primaryIP)
	for _, a := range e.secondaryIPs {
		p.release(a)
	}
	for _, pfx := range e.ipv4Prefixes {
		p.releasePrefix4(pfx)
	}
	for _, a := range e.ipv6 {
		p.release6(a)
	}
	for _, pfx := range e.ipv6Prefixes {
		p.releasePrefix6(pfx)
	}
}
