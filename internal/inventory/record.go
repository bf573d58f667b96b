package inventory

import (
	"net/netip"
	"strings"
	"time"

	"enidash/internal/eni"
)

// rec is one ENI of a snapshot with what queries need precomputed.
type rec struct {
	e    eni.ENI
	pos  uint64    // place in the cloud's own order
	ver  uint64    // store version of the last change
	seen time.Time // when the cloud call that gave e started
	ip   uint32    // primary IPv4 address, for sorting
}

func newRec(e eni.ENI, seen time.Time) *rec {
	r := &rec{e: e, seen: seen}
	r.derive()
	return r
}

// derive recomputes what depends on the ENI's attributes.
func (r *rec) derive() {
	r.ip = 0
	if a, err := netip.ParseAddr(r.e.PrimaryIP); err == nil && a.Is4() {
		b := a.As4()
		r.ip = uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
}

// haystack is what free-text search looks in (DESIGN §4): ID, name,
// description, addresses, tag keys and values, the instance ID; one field
// a line, so a word never spans two of them.
func haystack(e *eni.ENI) string {
	var b strings.Builder
	add := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	add(e.ID)
	add(e.Name)
	add(e.Description)
	add(e.PrimaryIP)
	for _, p := range e.PrivateIPs {
		if p.Address != e.PrimaryIP {
			add(p.Address)
		}
	}
	for _, a := range e.IPv6 {
		add(a)
	}
	if e.PublicIP != nil {
		add(e.PublicIP.Address)
	}
	for _, t := range e.Tags {
		add(t.Key + "=" + t.Value)
	}
	add(e.InstanceID)
	return strings.ToLower(b.String())
}

// interner shares the strings that many ENIs repeat (zone, VPC, vSwitch,
// security groups, tag keys …), which keeps a 100,000-ENI snapshot small.
type interner map[string]string

func (in interner) s(p *string) {
	if *p == "" {
		return
	}
	if v, ok := in[*p]; ok {
		*p = v
		return
	}
	in[*p] = *p
}

// own interns e's repeated strings; the store owns e from then on.
func (in interner) own(e *eni.ENI) {
	for _, p := range []*string{&e.RegionID, &e.ZoneID, &e.VpcID, &e.VSwitchID, &e.ResourceGroupID,
		&e.OwnerID, &e.TrafficMode, (*string)(&e.Status), (*string)(&e.Type)} {
		in.s(p)
	}
	for i := range e.SecurityGroups {
		in.s(&e.SecurityGroups[i])
	}
	for i := range e.Tags {
		in.s(&e.Tags[i].Key)
	}
}
