// Package eni is the domain of enidash: the ENI model, its statuses, the
// list filter that a URL encodes, and the Cloud interface the rest of the
// program talks to. It knows nothing of HTTP or of the SDK.
package eni

import "time"

// Status is the lifecycle state of an ENI as the cloud reports it.
type Status string

const (
	StatusAvailable Status = "Available"
	StatusAttaching Status = "Attaching"
	StatusInUse     Status = "InUse"
	StatusDetaching Status = "Detaching"
	StatusDeleting  Status = "Deleting"
)

// Statuses lists every status a filter may ask for, in lifecycle order.
var Statuses = []Status{StatusAvailable, StatusAttaching, StatusInUse, StatusDetaching, StatusDeleting}

// Transitional reports whether the cloud is still working on the ENI.
func (s Status) Transitional() bool {
	return s == StatusAttaching || s == StatusDetaching || s == StatusDeleting
}

// Type tells a primary ENI (created with its instance) from a secondary one.
type Type string

const (
	TypePrimary   Type = "Primary"
	TypeSecondary Type = "Secondary"
)

// Types lists every type a filter may ask for.
var Types = []Type{TypePrimary, TypeSecondary}

// ENI is one elastic network interface with every attribute
// DescribeNetworkInterfaces returns.
type ENI struct {
	ID              string
	Name            string
	Description     string
	Status          Status
	Type            Type
	RegionID        string
	ZoneID          string
	VpcID           string
	VSwitchID       string
	InstanceID      string
	MAC             string
	PrimaryIP       string
	PrivateIPs      []PrivateIP // primary first, as the cloud lists them
	IPv6            []string
	IPv4Prefixes    []string
	IPv6Prefixes    []string
	SecurityGroups  []string
	Tags            []Tag
	ResourceGroupID string
	OwnerID         string
	ServiceManaged  bool
	ServiceID       int64
	QueueNumber     int
	QueuePairNumber int
	TrafficMode     string
	DeleteOnRelease bool
	// SourceDestCheck: the ENI drops packets whose source or destination
	// is not one of its addresses.
	SourceDestCheck bool
	PublicIP        *PublicIP // EIP of the primary private IP, if any
	Attachment      *Attachment
	CreatedAt       time.Time
}

// PrivateIP is one private IPv4 address of an ENI.
type PrivateIP struct {
	Address  string
	Primary  bool
	PublicIP *PublicIP
}

// PublicIP is an elastic IP associated with a private address.
type PublicIP struct {
	Address      string
	AllocationID string
}

// Attachment says where an InUse ENI is plugged in.
type Attachment struct {
	InstanceID              string
	DeviceIndex             int
	NetworkCardIndex        int
	TrunkNetworkInterfaceID string
}

// Tag is a key with an optional value.
type Tag struct {
	Key   string
	Value string
}

// SecondaryIPs returns the private IPv4 addresses other than the primary one.
func (e ENI) SecondaryIPs() []string {
	var out []string
	for _, ip := range e.PrivateIPs {
		if !ip.Primary {
			out = append(out, ip.Address)
		}
	}
	return out
}
