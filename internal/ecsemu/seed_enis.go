package ecsemu

import (
	"fmt"
	"time"
)

// eniOpts describes a seeded ENI; addresses are allocated by count.
type eniOpts struct {
	name, desc      string
	groups          []string // seed keys
	secondary, ipv6 int
	pfx4, pfx6      int
	tags            []TagParam
	rg              string
	queue           int
	traffic         string
	queuePairs      int
	keepOnRelease   bool // DeleteOnRelease=false
	sourceDestCheck bool
	serviceID       int64 // > 0: managed by a cloud service
	status          string
	networkCard     int // -1: not specified
	instance        *instance
	primary         bool
}

// newENIShell returns an ENI with identity and defaults but no addresses.
func (w *World) newENIShell(vs *vswitch, created time.Time) *eni {
	r := vs.vpc.region
	return &eni{
		id: w.mintID("eni", r), ord: w.nextOrd(), created: created,
		region: r, zone: vs.zone, vpc: vs.vpc, vswitch: vs,
		typ: eniSecondary, status: eniAvailable, networkCardIndex: -1, mac: w.mintMAC(),
		trafficMode: trafficStandard, deleteOnRelease: true, resourceGroup: w.defaultRG,
	}
}

// seedENI builds, addresses and indexes one seeded ENI.
func (s *seeder) seedENI(vswKey string, o eniOpts) *eni {
	return s.seedENIOn(s.vswitches[vswKey], o, 17*time.Hour+23*time.Minute)
}

func (s *seeder) seedENIOn(vs *vswitch, o eniOpts, step time.Duration) *eni {
	w := s.w
	e := w.newENIShell(vs, s.tick(step))
	e.name, e.description, e.tags = o.name, o.desc, o.tags
	if o.rg != "" {
		e.resourceGroup = o.rg
	}
	for _, k := range o.groups {
		e.groups = append(e.groups, s.groups[k])
	}
	if len(e.groups) == 0 {
		e.groups = []*secGroup{vs.vpc.groups[0]}
	}
	e.queueNumber, e.queuePairNumber = o.queue, o.queuePairs
	if o.traffic != "" {
		e.trafficMode = o.traffic
	}
	e.deleteOnRelease = !o.keepOnRelease
	e.sourceDestCheck = o.sourceDestCheck
	if o.serviceID > 0 {
		e.serviceManaged, e.serviceID = true, o.serviceID
	}
	p := vs.pool
	e.primaryIP, _ = p.alloc(e.id)
	for range o.secondary {
		a, _ := p.alloc(e.id)
		e.secondaryIPs = append(e.secondaryIPs, a)
	}
	for range o.ipv6 {
		a, _ := p.alloc6(e.id, w.rng)
		e.ipv6 = append(e.ipv6, a)
	}
	for range o.pfx4 {
		pfx, _ := p.allocPrefix4(e.id)
		e.ipv4Prefixes = append(e.ipv4Prefixes, pfx)
	}
	for range o.pfx6 {
		pfx, _ := p.allocPrefix6(e.id, w.rng)
		e.ipv6Prefixes = append(e.ipv6Prefixes, pfx)
	}
	e.status = eniAvailable
	if o.status != "" {
		e.status = o.status
	}
	if o.primary {
		e.typ = eniPrimary
	}
	if o.instance != nil {
		w.bind(e, o.instance, o.networkCard)
	}
	w.addENI(e)
	return e
}

// seedInstance creates an instance with its primary ENI.
func (s *seeder) seedInstance(key, name, typ, vswKey, status string, groups []string, rg string) *instance {
	inst := s.seedInstanceOn(s.vswitches[vswKey], name, typ, status, groups, rg, 9*time.Hour)
	s.instances[key] = inst
	return inst
}

func (s *seeder) seedInstanceOn(vs *vswitch, name, typ, status string, groups []string, rg string, step time.Duration) *instance {
	w := s.w
	r := vs.vpc.region
	created := s.tick(step)
	inst := &instance{id: w.mintID("i", r), name: name, region: r, zone: vs.zone, vpc: vs.vpc, vswitch: vs,
		typ: w.typeByID[typ], status: status, resourceGroup: rg, created: created, started: created.Add(90 * time.Second),
		imageID: "aliyun_3_x64_20G_alibase_20240819.vhd", osName: "Alibaba Cloud Linux 3.2104 LTS 64位",
		ord: w.nextOrd()}
	inst.hostname = "iZ" + inst.id[2:] + "Z"
	inst.primary = s.seedENIOn(vs, eniOpts{groups: groups, rg: rg, status: eniInUse, primary: true,
		instance: inst, networkCard: -1}, time.Second)
	r.instances = append(r.instances, inst)
	w.instances[inst.id] = inst
	return inst
}

func prodTags(team string) []TagParam {
	return []TagParam{{Key: "env", Value: "prod"}, {Key: "team", Value: team}}
}

func (s *seeder) seedInstancesAndENIs() {
	s.seedHangzhou()
	s.seedShanghai()
	s.seedBeijing()
}

func (s *seeder) seedHangzhou() {
	web1 := s.seedInstance("web1", "web-prod-01", "ecs.g7.xlarge", "hz-prod-h", "Running", []string{"hz-web"}, rgProd)
	web2 := s.seedInstance("web2", "web-prod-02", "ecs.g7.large", "hz-prod-h", "Running", []string{"hz-web"}, rgProd)
	batch := s.seedInstance("batch", "batch-prod-01", "ecs.g7.2xlarge", "hz-prod-i", "Stopped", []string{"hz-mgmt"}, rgProd)
	db := s.seedInstance("db", "db-prod-01", "ecs.c7.4xlarge", "hz-prod-j", "Running", []string{"hz-db"}, rgProd)
	legacy := s.seedInstance("legacy", "legacy-app-01", "ecs.g7.xlarge", "hz-prod-i", "Running", []string{"hz-web"}, rgProd)
	legacy.failAttach = true
	legacy.description = "Old guest agent: hot-plugged ENIs never come up"
	s.seedInstance("maint", "maint-01", "ecs.g7.large", "hz-prod-h", "Stopping", []string{"hz-mgmt"}, rgProd)
	stg := s.seedInstance("stg", "staging-app-01", "ecs.g7.large", "hz-stg-k", "Running", []string{"hz-stg"}, rgStaging)
	s.seedInstance("burst", "staging-burst-01", "ecs.t6-c1m1.large", "hz-stg-h", "Running", []string{"hz-stg"}, rgStaging)
	s.seedInstance("rdma", "rdma-train-01", "ecs.g8i.xlarge", "hz-stg-k", "Stopped", []string{"hz-stg"}, rgStaging)
	s.seedInstance("jump", "default-jump-01", "ecs.g7.large", "hz-def-h", "Running", []string{"hz-def"}, rgDefault)

	inUse := func(inst *instance, vsw, name string, o eniOpts) *eni {
		o.name, o.instance, o.networkCard = name, inst, -1
		if o.status == "" {
			o.status = eniInUse
		}
		if o.rg == "" {
			o.rg = inst.resourceGroup
		}
		return s.seedENI(vsw, o)
	}
	inUse(web1, "hz-prod-h", "web1-frontend", eniOpts{groups: []string{"hz-web"}, secondary: 2, ipv6: 2, tags: prodTags("web")})
	inUse(web1, "hz-prod-h", "web1-metrics", eniOpts{groups: []string{"hz-mgmt"}, tags: prodTags("sre")})
	inUse(web2, "hz-prod-h", "web2-frontend", eniOpts{groups: []string{"hz-web"}, secondary: 1, ipv6: 1, tags: prodTags("web")})
	inUse(web2, "hz-prod-h", "web2-backend", eniOpts{groups: []string{"hz-web", "hz-mgmt"}, queue: 2})
	inUse(batch, "hz-prod-i", "batch-data", eniOpts{groups: []string{"hz-mgmt"}, secondary: 3, tags: prodTags("data")})
	inUse(db, "hz-prod-j", "db-primary-data", eniOpts{groups: []string{"hz-db"}, secondary: 2, tags: prodTags("dba")})
	inUse(db, "hz-prod-j", "db-backup", eniOpts{groups: []string{"hz-db"}, keepOnRelease: true})
	inUse(db, "hz-prod-j", "db-monitoring", eniOpts{groups: []string{"hz-db", "hz-mgmt"}, sourceDestCheck: true})
	inUse(stg, "hz-stg-k", "staging-app-v6", eniOpts{groups: []string{"hz-stg"}, ipv6: 2, pfx6: 1,
		tags: []TagParam{{Key: "env", Value: "staging"}}})
	// One ENI stalled in each transitional state.
	inUse(db, "hz-prod-j", "db-replication", eniOpts{groups: []string{"hz-db"}, status: eniAttaching})
	inUse(legacy, "hz-prod-i", "legacy-sidecar", eniOpts{groups: []string{"hz-web"}, status: eniDetaching})
	s.seedENI("hz-prod-i", eniOpts{name: "old-batch-eni", groups: []string{"hz-mgmt"}, rg: rgProd, status: eniDeleting})

	// ENIs used by cloud services: InUse, no instance shown.
	for _, m := range []struct {
		vsw, desc string
		id        int64
	}{
		{"hz-prod-h", "Created by NAT Gateway", 1598432612002},
		{"hz-prod-j", "Created by ApsaraDB RDS", 1598432612047},
		{"hz-stg-k", "Created by Container Service Terway", 1598432612101},
	} {
		s.seedENI(m.vsw, eniOpts{desc: m.desc, status: eniInUse, serviceID: m.id, keepOnRelease: true})
	}

	// The nearly full vSwitch: 10 of its 12 usable addresses taken.
	edge := []struct {
		name      string
		secondary int
	}{{"edge-lb-a", 4}, {"edge-lb-b", 2}, {"edge-nat", 0}, {"edge-vpn", 0}}
	for _, e := range edge {
		s.seedENI("hz-edge-j", eniOpts{name: e.name, groups: []string{"hz-web"}, secondary: e.secondary,
			rg: rgProd, tags: prodTags("edge")})
	}

	// A spread of Available ENIs: enough to page through.
	pool := []string{"hz-prod-h", "hz-prod-i", "hz-prod-j", "hz-stg-k", "hz-stg-h", "hz-def-h", "hz-def-i", "hz-prod-h"}
	for i := range 38 {
		key := pool[i%len(pool)]
		vs := s.vswitches[key]
		o := eniOpts{name: fmt.Sprintf("spare-%s-%02d", vs.zone.id[len(vs.zone.id)-1:], i), secondary: i % 4,
			keepOnRelease: i%2 == 1, sourceDestCheck: i%7 == 0}
		switch vs.vpc.name {
		case "prod-vpc":
			o.rg = rgProd
		case "staging-vpc":
			o.rg = rgStaging
		}
		switch i % 4 {
		case 0:
			o.tags = prodTags("payments")
		case 1:
			o.tags = []TagParam{{Key: "env", Value: "staging"}}
		case 2:
			o.tags = []TagParam{{Key: "env", Value: "prod"}, {Key: "team", Value: "search"}, {Key: "owner", Value: "alice"}}
		}
		if i%5 == 0 {
			o.tags = append(o.tags, TagParam{Key: "cost-center", Value: "cc-1024"})
		}
		if i%6 == 5 {
			o.name = ""
		}
		if i%3 == 1 {
			o.desc = "Spare interface for failover"
		}
		if vs.ipv6.IsValid() && i%3 == 0 {
			o.ipv6 = 1 + i%2
		}
		if i%9 == 0 {
			o.queue = 4
		}
		switch i {
		case 7:
			o.pfx4 = 1
		case 8, 16:
			o.pfx4, o.pfx6 = 2, 1
		}
		if o.pfx6 > 0 && !vs.ipv6.IsValid() {
			o.pfx6 = 0
		}
		s.seedENI(key, o)
	}
}

func (s *seeder) seedShanghai() {
	api1 := s.seedInstance("sh-api1", "sh-api-01", "ecs.g7.xlarge", "sh-prod-e", "Running", []string{"sh-web"}, rgProd)
	s.seedInstance("sh-api2", "sh-api-02", "ecs.g7.large", "sh-prod-f", "Stopped", []string{"sh-web"}, rgProd)
	s.seedInstance("sh-dev1", "sh-dev-01", "ecs.t6-c1m1.large", "sh-dev-g", "Running", []string{"sh-dev"}, rgStaging)
	for i, name := range []string{"sh-api1-public", "sh-api1-internal"} {
		s.seedENI("sh-prod-e", eniOpts{name: name, instance: api1, networkCard: -1, status: eniInUse, rg: rgProd,
			secondary: i, ipv6: 1 - i, tags: prodTags("api")})
	}
	keys := []string{"sh-prod-e", "sh-prod-f", "sh-dev-g"}
	for i := range 8 {
		s.seedENI(keys[i%3], eniOpts{name: fmt.Sprintf("sh-spare-%02d", i), secondary: i % 3,
			tags: []TagParam{{Key: "env", Value: []string{"prod", "prod", "dev"}[i%3]}}})
	}
}

func (s *seeder) seedBeijing() {
	hpc := s.seedInstance("bj-hpc", "bj-hpc-01", "ecs.ebmg7.32xlarge", "bj-h", "Running", []string{"bj-hpc"}, rgProd)
	s.seedInstance("bj-web", "bj-web-01", "ecs.g7.large", "bj-i", "Running", []string{"bj-main"}, rgProd)
	rdma := s.seedInstance("bj-rdma", "bj-rdma-01", "ecs.g8i.xlarge", "bj-k", "Running", []string{"bj-hpc"}, rgProd)
	s.seedENI("bj-h", eniOpts{name: "hpc-fabric-0", instance: hpc, networkCard: 0, status: eniInUse,
		groups: []string{"bj-hpc"}, secondary: 4, ipv6: 2})
	s.seedENI("bj-h", eniOpts{name: "hpc-fabric-1", instance: hpc, networkCard: 1, status: eniInUse,
		groups: []string{"bj-hpc"}, secondary: 4})
	s.seedENI("bj-k", eniOpts{name: "rdma-eri-0", instance: rdma, networkCard: -1, status: eniInUse,
		groups: []string{"bj-hpc"}, traffic: trafficHighPerformance, queuePairs: 8})
	s.seedENI("bj-k", eniOpts{name: "rdma-eri-spare", groups: []string{"bj-hpc"},
		traffic: trafficHighPerformance, queuePairs: 8})
	keys := []string{"bj-h", "bj-i", "bj-k"}
	for i := range 6 {
		s.seedENI(keys[i%3], eniOpts{name: fmt.Sprintf("bj-spare-%02d", i), secondary: i % 2,
			ipv6: map[bool]int{true: 1}[i%3 == 0], tags: []TagParam{{Key: "env", Value: "prod"}}})
	}
}
