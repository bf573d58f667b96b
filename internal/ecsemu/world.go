package ecsemu

import (
	"math/rand/v2"
	"net/netip"
	"sync"
	"time"
)

// WorldConfig shapes the modelled account.
type WorldConfig struct {
	// ExtraENIs seeds this many more ENIs (Available, and InUse on extra
	// instances) spread over the seeded VPCs, for scale tests.
	ExtraENIs int
	// Delays of the asynchronous transitions; 0 means the default
	// (3s attach, 3s detach, 2s delete).
	AttachDelay, DetachDelay, DeleteDelay time.Duration
	// Jitter is the fraction by which each delay varies at random (0.3 is
	// ±30%); 0 means the default 0.3 and a negative value means none.
	Jitter float64
}

const (
	defaultAttachDelay = 3 * time.Second
	defaultDetachDelay = 3 * time.Second
	defaultDeleteDelay = 2 * time.Second
	defaultJitter      = 0.3
)

// ENI states and types as the API spells them.
const (
	eniAvailable = "Available"
	eniAttaching = "Attaching"
	eniInUse     = "InUse"
	eniDetaching = "Detaching"
	eniDeleting  = "Deleting"

	eniPrimary   = "Primary"
	eniSecondary = "Secondary"

	trafficStandard        = "Standard"
	trafficHighPerformance = "HighPerformance"
)

// ownerID is the account every resource of the world belongs to.
const ownerID = "1609425318726541"

// World is the modelled account: regions and everything in them. All of it
// is guarded by mu; actions take it for reading or writing as a whole, which
// keeps every action atomic.
type World struct {
	mu  sync.RWMutex
	cfg WorldConfig

	regions        []*region // DescribeRegions order
	regionByID     map[string]*region
	zones          map[string]*zone
	vpcs           map[string]*vpc
	vswitches      map[string]*vswitch
	groups         map[string]*secGroup
	resourceGroups map[string]bool
	defaultRG      string
	types          []*instanceType
	typeByID       map[string]*instanceType
	instances      map[string]*instance
	enis           map[string]*eni

	ids     map[string]struct{} // every ID ever minted, so none repeats
	macs    map[string]struct{}
	tokens  map[string]tokenUse // region + ClientToken
	transit map[*eni]struct{}   // ENIs in Attaching/Detaching/Deleting
	rng     *rand.Rand
	ord     uint64 // creation sequence, the stable order of listings
	stuck   bool
	closed  bool
	now     func() time.Time

	// assignTokens: region + action + ClientToken of address assignments.
	assignTokens map[string]assignUse
}

type region struct {
	id, idPrefix       string // idPrefix: "bp1" in eni-bp1…
	nameZh, nameEn     string
	endpoint           string
	zones              []*zone
	vpcs               []*vpc
	groups             []*secGroup
	instances          []*instance
	enis               []*eni // sorted by ord
	instanceTypesAvail []string
}

type zone struct {
	id             string
	region         *region
	nameZh, nameEn string
}

type vpc struct {
	id, name, description string
	region                *region
	cidr                  netip.Prefix
	isDefault             bool
	vrouterID             string
	created               time.Time
	vswitches             []*vswitch
	groups                []*secGroup
	enis                  []*eni // sorted by ord
}

type vswitch struct {
	id, name, description string
	vpc                   *vpc
	zone                  *zone
	cidr                  netip.Prefix
	ipv6                  netip.Prefix // invalid when IPv6 is not enabled
	isDefault             bool
	resourceGroup         string
	created               time.Time
	enis                  []*eni // sorted by ord
	pool                  *ipPool
}

type secGroup struct {
	id, name, description string
	kind                  string // "normal" or "enterprise"
	region                *region
	vpc                   *vpc
	resourceGroup         string
	rules                 int
	created               time.Time
	tags                  []TagParam
}

// instanceType carries the ENI limits the actions enforce.
type instanceType struct {
	id, family          string
	cpu                 int
	memoryGiB           float64
	eniQuantity         int // ENIs per instance, primary included
	eniPrivateIPs       int // IPv4 addresses per ENI
	eniIPv6             int // IPv6 addresses per ENI
	primaryQueues       int
	secondaryQueues     int
	maxQueuesPerENI     int
	totalQueues         int
	eriQuantity         int // ENIs that may use the HighPerformance (RDMA) mode
	queuePairs          int
	networkCards        int
	hotPlug             bool // ENIs may be attached and detached while Running
	bandwidthRx, ppsRx  int
	physicalProcessor   string
	instanceCategory    string
	instanceFamilyLevel string
}

type instance struct {
	id, name, hostname string
	description        string
	region             *region
	zone               *zone
	vpc                *vpc
	vswitch            *vswitch
	typ                *instanceType
	status             string
	resourceGroup      string
	imageID, osName    string
	created, started   time.Time
	primary            *eni
	enis               []*eni // primary first, then attach order; Attaching..Detaching
	tags               []TagParam
	failAttach         bool // the guest never acknowledges hot-plugged ENIs
	ord                uint64
}

type eni struct {
	id                string
	ord               uint64
	created           time.Time
	region            *region
	zone              *zone
	vpc               *vpc
	vswitch           *vswitch
	name, description string
	typ, status       string
	instance          *instance // set from Attaching until detached
	deviceIndex       int
	networkCardIndex  int // -1 when not specified
	mac               string
	primaryIP         netip.Addr
	secondaryIPs      []netip.Addr
	ipv6              []netip.Addr
	ipv4Prefixes      []netip.Prefix
	ipv6Prefixes      []netip.Prefix
	tags              []TagParam
	groups            []*secGroup
	resourceGroup     string
	queueNumber       int // 0: never set
	queuePairNumber   int // 0: none
	trafficMode       string
	deleteOnRelease   bool
	sourceDestCheck   bool
	serviceManaged    bool
	serviceID         int64
	timer             *time.Timer // pending completion of a transition
	gen               uint64      // bumped on every transition, to ignore stale timers
}

// NewWorld builds the deterministic demo account (the same on every start)
// plus cfg.ExtraENIs.
func NewWorld(cfg WorldConfig) *World {
	if cfg.AttachDelay <= 0 {
		cfg.AttachDelay = defaultAttachDelay
	}
	if cfg.DetachDelay <= 0 {
		cfg.DetachDelay = defaultDetachDelay
	}
	if cfg.DeleteDelay <= 0 {
		cfg.DeleteDelay = defaultDeleteDelay
	}
	switch {
	case cfg.Jitter == 0:
		cfg.Jitter = defaultJitter
	case cfg.Jitter < 0:
		cfg.Jitter = 0
	case cfg.Jitter > 1:
		cfg.Jitter = 1
	}
	w := &World{
		cfg:            cfg,
		regionByID:     map[string]*region{},
		zones:          map[string]*zone{},
		vpcs:           map[string]*vpc{},
		vswitches:      map[string]*vswitch{},
		groups:         map[string]*secGroup{},
		resourceGroups: map[string]bool{},
		typeByID:       map[string]*instanceType{},
		instances:      map[string]*instance{},
		enis:           map[string]*eni{},
		ids:            map[string]struct{}{},
		macs:           map[string]struct{}{},
		tokens:         map[string]tokenUse{},
		assignTokens:   map[string]assignUse{},
		transit:        map[*eni]struct{}{},
		rng:            rand.New(rand.NewPCG(20140526, 0x5eed)),
		now:            time.Now,
	}
	seedWorld(w)
	seedExtraENIs(w, cfg.ExtraENIs)
	return w
}

// Actions returns the world's actions keyed by Action name.
func (w *World) Actions() map[string]ActionFunc {
	return map[string]ActionFunc{
		"DescribeNetworkInterfaces": w.describeNetworkInterfaces,
		"CreateNetworkInterface":    w.createNetworkInterface,
		"AttachNetworkInterface":    w.attachNetworkInterface,
		"DetachNetworkInterface":    w.detachNetworkInterface,
		"DeleteNetworkInterface":    w.deleteNetworkInterface,
		"DescribeRegions":           w.describeRegions,
		"DescribeZones":             w.describeZones,
		"DescribeVpcs":              w.describeVpcs,
		"DescribeVSwitches":         w.describeVSwitches,
		"DescribeSecurityGroups":    w.describeSecurityGroups,
		"DescribeInstances":         w.describeInstances,
		"DescribeInstanceTypes":     w.describeInstanceTypes,

		"ModifyNetworkInterfaceAttribute": w.modifyNetworkInterfaceAttribute,
		"AssignPrivateIpAddresses":        w.assignPrivateIpAddresses,
		"UnassignPrivateIpAddresses":      w.unassignPrivateIpAddresses,
		"AssignIpv6Addresses":             w.assignIpv6Addresses,
		"UnassignIpv6Addresses":           w.unassignIpv6Addresses,
		"TagResources":                    w.tagResources,
		"UntagResources":                  w.untagResources,
	}
}
