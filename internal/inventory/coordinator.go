package inventory

import (
	"context"
	"time"

	"enidash/internal/eni"
)

// Coordinator shares regions between replicas (DESIGN §8): one replica at
// a time leads a region (lists it and writes every change it applies),
// the others follow (read the changed rows and apply them to their own
// snapshot). internal/invsync implements it on PostgreSQL. Config's
// Coordinator nil means this replica alone.
type Coordinator interface {
	// Lead takes region's leadership if no replica holds it, without
	// waiting: nil, nil when another replica leads.
	Lead(ctx context.Context, region string) (Lease, error)
	// Watch returns a channel that receives when region's rows may have
	// changed (another replica wrote, or the connection that tells was
	// made again), and the function that stops watching.
	Watch(region string) (<-chan struct{}, func())
	// Write stores rows, and the region's progress when p is not nil (the
	// leader's), in one transaction, and tells the other replicas. A row
	// never replaces one observed later (AsOf).
	Write(ctx context.Context, region string, rows []SharedENI, p *SharedProgress) error
	// Read returns region's rows with a version above after, in version
	// order, with its progress.
	Read(ctx context.Context, region string, after int64) (Shared, error)
	// Prune forgets the region's removed ENIs observed before before.
	Prune(ctx context.Context, region string, before time.Time) error
}

// Lease is a region's leadership, held until Release or until it is lost
// (its connection failed: another replica may lead by then).
type Lease interface {
	Lost() <-chan struct{}
	Release()
}

// SharedENI is one ENI's row: its state as of AsOf, or its removal.
type SharedENI struct {
	ENI     eni.ENI // the last state known when Deleted
	AsOf    time.Time
	Pos     uint64 // place in the cloud's own order
	Deleted bool
	Version int64 // set by Read
}

// SharedProgress is the leader's Progress as the followers see it.
type SharedProgress struct {
	Ready    bool
	Listed   int
	Total    int
	AsOf     time.Time
	Interval time.Duration
	Err      error
	Retry    time.Time
	// DefaultResourceGroup is the account's, as the leader learnt it.
	DefaultResourceGroup string
	Leader               string // the leading replica's name
	// Age is how long ago the leader last wrote it; 0 if never.
	Age time.Duration
	// Known is false when no replica ever led the region.
	Known bool
}

// Shared is the answer to Read.
type Shared struct {
	Rows     []SharedENI
	Progress SharedProgress
	// Version is the highest version read; the next Read asks for more.
	Version int64
	// Full: Rows are every ENI of the region (a first read, or removals
	// were forgotten since after): ENIs not among them are gone.
	Full bool
}
