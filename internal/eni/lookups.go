package eni

// The records below feed the region switcher and the pickers; they carry
// only what a person needs to choose.

// Region is a cloud region.
type Region struct {
	ID   string
	Name string // the cloud's local name, e.g. "China (Hangzhou)"
}

// Zone is an availability zone of a region.
type Zone struct {
	ID   string
	Name string
}

// VPC is a virtual private cloud.
type VPC struct {
	ID   string
	Name string
	CIDR string
}

// VSwitch is a subnet of a VPC in one zone.
type VSwitch struct {
	ID          string
	Name        string
	VpcID       string
	ZoneID      string
	CIDR        string
	IPv6CIDR    string // empty when IPv6 is not enabled
	AvailableIP int
}

// SecurityGroup is a security group of a VPC.
type SecurityGroup struct {
	ID    string
	Name  string
	VpcID string
	// Kind is basic or enterprise; an ENI's groups, and an ENI and the
	// instance it is attached to, must be of one kind. Empty when unknown.
	Kind SecurityGroupKind
}

// SecurityGroupKind is the kind of a security group. The cloud spells
// basic "normal" (SecurityGroupType).
type SecurityGroupKind string

const (
	SGBasic      SecurityGroupKind = "basic"
	SGEnterprise SecurityGroupKind = "enterprise"
)

// Instance is an ECS instance an ENI may be attached to.
type Instance struct {
	ID       string
	Name     string
	Status   string // Running, Stopped, …
	Type     string // instance type, e.g. ecs.g7.large
	ZoneID   string
	VpcID    string
	ENICount int // ENIs attached now, primary included
	// ENILimit is how many ENIs the instance type takes, primary
	// included; 0 when unknown.
	ENILimit int
	// IPv4PerENI and IPv6PerENI are how many addresses one ENI of the
	// instance type may hold (EniPrivateIpAddressQuantity, the primary
	// address included, and EniIpv6AddressQuantity); both 0 when the type
	// is unknown. A known type without IPv6 has IPv6PerENI 0.
	IPv4PerENI, IPv6PerENI int
	// MaxQueuesPerENI and TotalQueues are the queues one ENI of the type
	// may have (MaximumQueueNumberPerEni) and all its ENIs together
	// (TotalEniQueueQuantity); 0 when unknown.
	MaxQueuesPerENI, TotalQueues int
	// SecurityGroupIDs are the groups of the instance's primary ENI.
	SecurityGroupIDs []string
}

// AddressLimitsKnown reports whether the instance type's per-ENI address
// limits are known: every type takes at least its ENIs' primary address.
func (in Instance) AddressLimitsKnown() bool { return in.IPv4PerENI > 0 }
