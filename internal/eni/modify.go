package eni

import "context"

// Modifier changes an ENI after it exists: its attributes, its secondary
// addresses and its tags. Each method is one cloud call.
type Modifier interface {
	// ModifyENI is ModifyNetworkInterfaceAttribute: only the fields set
	// are sent.
	ModifyENI(ctx context.Context, req ModifyRequest) (Result, error)
	// AssignAddresses is AssignPrivateIpAddresses or AssignIpv6Addresses,
	// by count or by list; the result names the addresses assigned.
	AssignAddresses(ctx context.Context, req AddressRequest) (AssignResult, error)
	// UnassignAddresses is UnassignPrivateIpAddresses or
	// UnassignIpv6Addresses, by list.
	UnassignAddresses(ctx context.Context, req AddressRequest) (Result, error)
	// TagENI is TagResources (ResourceType networkinterface): the tags are
	// added, or their values replaced.
	TagENI(ctx context.Context, region, id string, tags []Tag) (Result, error)
	// UntagENI is UntagResources: the tags with these keys are removed.
	UntagENI(ctx context.Context, region, id string, keys []string) (Result, error)
}

// ModifyRequest changes an ENI's attributes. A nil field is left as it is.
type ModifyRequest struct {
	Region      string
	ID          string
	Name        *string
	Description *string
	// SecurityGroupIDs, when not nil, is the whole new set of groups.
	SecurityGroupIDs []string
	DeleteOnRelease  *bool
	QueueNumber      *int
	SourceDestCheck  *bool
}

// AddressFamily is the kind of address an AddressRequest is about.
type AddressFamily string

const (
	FamilyIPv4 AddressFamily = "ipv4"
	FamilyIPv6 AddressFamily = "ipv6"
)

// AddressRequest assigns or unassigns secondary addresses of one family:
// a count (assign only) or a list, never both.
type AddressRequest struct {
	Region    string
	ID        string
	Family    AddressFamily
	Count     int
	Addresses []string
	// ClientToken (assign only) makes a repeated assignment return the
	// first one's answer; empty: the client makes one per call.
	ClientToken string
}

// AssignResult is the cloud's answer to an assignment, with the addresses
// it assigned.
type AssignResult struct {
	Result
	Addresses []string
}
