package eni

import "fmt"

// How many secondary addresses of each family an ENI may hold. Not
// attached, the references of AssignPrivateIpAddresses and
// AssignIpv6Addresses give one figure per family; attached, the instance
// type's per-ENI limits from DescribeInstanceTypes apply.
const (
	MaxIPv4Available = 49
	MaxIPv6Available = 10
)

// AddressLimit is how many secondary addresses of one family an ENI may
// hold, and whose rule that is.
type AddressLimit struct {
	Family AddressFamily
	// Max is the most secondary addresses of the family the ENI may hold;
	// -1 when unknown (the cloud then judges).
	Max int
	// Has is how many the ENI holds now.
	Has int
	// Type is the instance type whose limit Max is ("" for an ENI not
	// attached) and PerENI its figure as DescribeInstanceTypes gives it:
	// for IPv4 the primary address is included.
	Type   string
	PerENI int
}

// AddressLimitOf is e's limit for fam. inst is the instance e is attached
// to, as listed; its limits are unknown when it is another instance or
// its type could not be read.
func AddressLimitOf(e ENI, inst Instance, fam AddressFamily) AddressLimit {
	l := AddressLimit{Family: fam, Max: -1, Has: len(e.SecondaryIPs())}
	if fam == FamilyIPv6 {
		l.Has = len(e.IPv6)
	}
	switch {
	case e.InstanceID == "" && fam == FamilyIPv6:
		l.Max = MaxIPv6Available
	case e.InstanceID == "":
		l.Max = MaxIPv4Available
	case inst.ID == e.InstanceID && inst.AddressLimitsKnown() && fam == FamilyIPv6:
		l.Type, l.PerENI, l.Max = inst.Type, inst.IPv6PerENI, inst.IPv6PerENI
	case inst.ID == e.InstanceID && inst.AddressLimitsKnown():
		// The primary address takes one of the type's IPv4 addresses.
		l.Type, l.PerENI, l.Max = inst.Type, inst.IPv4PerENI, inst.IPv4PerENI-1
	}
	return l
}

// Known reports whether the limit is known.
func (l AddressLimit) Known() bool { return l.Max >= 0 }

// Room is how many more addresses the ENI may take; only meaningful when
// the limit is known.
func (l AddressLimit) Room() int { return max(0, l.Max-l.Has) }

// Allowed says, for the addresses page, how many more the ENI may take
// and why, e.g. "14 more IPv4 addresses allowed (type ecs.g7.xlarge: 15
// per ENI, the primary included)".
func (l AddressLimit) Allowed() string {
	name := familyName(l.Family)
	switch {
	case !l.Known():
		return fmt.Sprintf("%s: its instance type's limit could not be read; the cloud will judge.", name)
	case l.Type == "":
		return fmt.Sprintf("%d more %s addresses allowed (not attached: %d secondary per ENI).", l.Room(), name, l.Max)
	case l.PerENI == 0:
		return fmt.Sprintf("No %s addresses allowed (type %s takes none).", name, l.Type)
	case l.Family == FamilyIPv4:
		return fmt.Sprintf("%d more %s addresses allowed (type %s: %d per ENI, the primary included).", l.Room(), name, l.Type, l.PerENI)
	}
	return fmt.Sprintf("%d more %s addresses allowed (type %s: %d per ENI).", l.Room(), name, l.Type, l.PerENI)
}

// exceeded explains why adding n addresses breaks the limit, or "".
func (l AddressLimit) exceeded(n int) string {
	name := familyName(l.Family)
	switch {
	case !l.Known() || l.Has+n <= l.Max:
		return ""
	case l.Type == "":
		return fmt.Sprintf("would give the ENI %d secondary %s addresses; an ENI not attached to an instance takes at most %d",
			l.Has+n, name, l.Max)
	case l.Family == FamilyIPv4:
		return fmt.Sprintf("would give the ENI %d secondary %s addresses; its instance type %s takes %d per ENI, the primary included, so at most %d more",
			l.Has+n, name, l.Type, l.PerENI, l.Room())
	}
	return fmt.Sprintf("would give the ENI %d %s addresses; its instance type %s takes %d per ENI, so at most %d more",
		l.Has+n, name, l.Type, l.PerENI, l.Room())
}

func familyName(f AddressFamily) string {
	if f == FamilyIPv6 {
		return "IPv6"
	}
	return "IPv4"
}
