package inventory

import (
	"log/slog"
	"time"

	"github.com/jonboulle/clockwork"
)

// Config paces a region's cloud calls.
type Config struct {
	// Budget is how many DescribeNetworkInterfaces calls a minute the
	// region may make, refreshes and fast polls together; default 120.
	Budget int
	// Reserved is the part of Budget kept for polls by ID; default half.
	Reserved int
	// Slow is the shortest time between two full listings; default 15s.
	Slow time.Duration
	// Fast is the pace of polls by ID of ENIs in transition; default 2s.
	Fast time.Duration
	// StuckAfter is how long an ENI is polled fast while it stays in one
	// transition; after that the listings follow it; default 5 min.
	StuckAfter time.Duration
	// CallTimeout bounds one cloud call; default 30s.
	CallTimeout time.Duration
	// PageSize is MaxResults of a full listing; default 500.
	PageSize int
	// DefaultResourceGroup is the account's default resource group, which
	// the cloud's rg filter always includes; "" asks the cloud after the
	// first listing.
	DefaultResourceGroup string
	// Buffer is how many change sets a subscriber may fall behind before
	// it is dropped; default 64.
	Buffer int
	// Coordinator shares the regions with other replicas (one lists a
	// region, the others follow it); nil: this replica alone.
	Coordinator Coordinator
	Clock       clockwork.Clock // default the real clock
	Logger      *slog.Logger    // nil discards
}

func (c Config) withDefaults() Config {
	if c.Budget <= 0 {
		c.Budget = 120
	}
	if c.Reserved <= 0 || c.Reserved >= c.Budget {
		c.Reserved = c.Budget / 2
	}
	if c.Slow <= 0 {
		c.Slow = 15 * time.Second
	}
	if c.Fast <= 0 {
		c.Fast = 2 * time.Second
	}
	if c.StuckAfter <= 0 {
		c.StuckAfter = 5 * time.Minute
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 30 * time.Second
	}
	if c.PageSize <= 0 {
		c.PageSize = 500
	}
	if c.Buffer <= 0 {
		c.Buffer = 64
	}
	if c.Clock == nil {
		c.Clock = clockwork.NewRealClock()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// RefreshInterval is how often a region of n ENIs is listed whole:
// never more often than Slow, and no faster than the budget left over
// from fast polls allows: max(Slow, calls / (Budget - Reserved) minutes).
// With the defaults, 500 ENIs every 15 s, 20,000 ENIs (40 calls) every 40 s.
func (c Config) RefreshInterval(n int) time.Duration {
	c = c.withDefaults()
	return max(c.Slow, paced(callsFor(n, c.PageSize), c.Budget-c.Reserved))
}

// fastInterval is the pace of polls by ID of n ENIs (100 a call) within
// the reserved budget.
func (c Config) fastInterval(n int) time.Duration {
	return max(c.Fast, paced(callsFor(n, maxByID), c.Reserved))
}

func callsFor(n, per int) int { return max(1, (n+per-1)/per) }

func paced(calls, perMinute int) time.Duration {
	return time.Duration(calls) * time.Minute / time.Duration(max(perMinute, 1))
}
