package eni

import "context"

// Writer is what enidash changes in ECS. Create is synchronous; attach,
// detach and delete only start the change, which the cloud finishes later
// (Attaching → InUse, Detaching → Available, Deleting → gone).
//
// A failed call returns a *CloudError carrying the cloud's RequestId when
// the cloud answered, so the audit log can record it.
type Writer interface {
	// CreateENI creates an ENI. The request's ClientToken makes it
	// idempotent: the same token always gives the same ENI.
	CreateENI(ctx context.Context, req CreateRequest) (Result, error)
	AttachENI(ctx context.Context, req AttachRequest) (Result, error)
	DetachENI(ctx context.Context, req DetachRequest) (Result, error)
	DeleteENI(ctx context.Context, region, id string) (Result, error)
	Modifier
}

// Result is the cloud's answer to a change.
type Result struct {
	ENIID     string // the ENI concerned (the new one for create)
	RequestID string
}

// CreateRequest is everything an operator may set when creating an ENI.
// Zero values are left to the cloud's defaults.
type CreateRequest struct {
	Region           string
	ZoneID           string // the form's choice; the vSwitch decides the zone
	VSwitchID        string
	SecurityGroupIDs []string
	Name             string
	Description      string
	PrimaryIP        string
	// Secondary private IPv4 addresses: a count or a list, never both.
	SecondaryIPCount int
	SecondaryIPs     []string
	// IPv6 addresses: a count or a list, never both.
	IPv6Count int
	IPv6      []string
	// IPv4 prefixes (/28): a count or a list, never both.
	IPv4PrefixCount int
	IPv4Prefixes    []string
	Tags            []Tag
	ResourceGroupID string
	DeleteOnRelease *bool // nil: the cloud's default (true)
	// Advanced settings.
	QueueNumber     int    // 0: the cloud's default
	TrafficMode     string // "", "Standard" or "HighPerformance"
	SourceDestCheck *bool  // nil: the cloud's default
	// ClientToken is minted when the form is rendered, so resubmitting the
	// same form never creates a second ENI.
	ClientToken string
}

// AttachRequest attaches an Available ENI to an instance.
type AttachRequest struct {
	Region           string
	ENIID            string
	InstanceID       string
	NetworkCardIndex *int // nil: the cloud chooses
}

// DetachRequest detaches an ENI from the instance it is attached to.
type DetachRequest struct {
	Region     string
	ENIID      string
	InstanceID string
}
