package ecsemu

import (
	"net/netip"
	"time"
)

// The seeded account is built from these tables in a fixed order with a
// fixed random source, so every start yields the same IDs, addresses and
// MACs. seed_enis.go adds instances and ENIs; seed_extra.go the optional
// scale ENIs.

// Resource groups of the account. ENIs created without ResourceGroupId land
// in the default group.
const (
	rgDefault = "rg-acfmzw2jz2z3ahq"
	rgProd    = "rg-aek2mbbv6sgwtmq"
	rgStaging = "rg-aekzcbmqbnrb5ta"
)

var seedTypes = []*instanceType{
	{id: "ecs.g7.large", family: "ecs.g7", cpu: 2, memoryGiB: 8, eniQuantity: 3, eniPrivateIPs: 6, eniIPv6: 6,
		primaryQueues: 2, secondaryQueues: 2, maxQueuesPerENI: 2, totalQueues: 6, networkCards: 1, hotPlug: true,
		bandwidthRx: 2000000, ppsRx: 900000, physicalProcessor: "Intel Xeon(Ice Lake) Platinum 8369B"},
	{id: "ecs.g7.xlarge", family: "ecs.g7", cpu: 4, memoryGiB: 16, eniQuantity: 4, eniPrivateIPs: 15, eniIPv6: 15,
		primaryQueues: 4, secondaryQueues: 4, maxQueuesPerENI: 4, totalQueues: 16, networkCards: 1, hotPlug: true,
		bandwidthRx: 3000000, ppsRx: 1000000, physicalProcessor: "Intel Xeon(Ice Lake) Platinum 8369B"},
	{id: "ecs.g7.2xlarge", family: "ecs.g7", cpu: 8, memoryGiB: 32, eniQuantity: 4, eniPrivateIPs: 15, eniIPv6: 15,
		primaryQueues: 8, secondaryQueues: 8, maxQueuesPerENI: 8, totalQueues: 32, networkCards: 1, hotPlug: true,
		bandwidthRx: 5000000, ppsRx: 1600000, physicalProcessor: "Intel Xeon(Ice Lake) Platinum 8369B"},
	{id: "ecs.c7.4xlarge", family: "ecs.c7", cpu: 16, memoryGiB: 32, eniQuantity: 8, eniPrivateIPs: 30, eniIPv6: 30,
		primaryQueues: 16, secondaryQueues: 16, maxQueuesPerENI: 16, totalQueues: 128, networkCards: 1, hotPlug: true,
		bandwidthRx: 10000000, ppsRx: 3000000, physicalProcessor: "Intel Xeon(Ice Lake) Platinum 8369B"},
	{id: "ecs.t6-c1m1.large", family: "ecs.t6", cpu: 2, memoryGiB: 2, eniQuantity: 2, eniPrivateIPs: 2, eniIPv6: 0,
		primaryQueues: 1, secondaryQueues: 1, maxQueuesPerENI: 1, totalQueues: 2, networkCards: 1, hotPlug: false,
		bandwidthRx: 100000, ppsRx: 60000, physicalProcessor: "Intel Xeon(Skylake) Platinum 8163"},
	{id: "ecs.g8i.xlarge", family: "ecs.g8i", cpu: 4, memoryGiB: 16, eniQuantity: 4, eniPrivateIPs: 15, eniIPv6: 15,
		primaryQueues: 4, secondaryQueues: 4, maxQueuesPerENI: 4, totalQueues: 16, eriQuantity: 2, queuePairs: 8,
		networkCards: 1, hotPlug: true, bandwidthRx: 4000000, ppsRx: 1200000,
		physicalProcessor: "Intel Xeon(Sapphire Rapids) Platinum 8475B"},
	{id: "ecs.ebmg7.32xlarge", family: "ecs.ebmg7", cpu: 128, memoryGiB: 512, eniQuantity: 32, eniPrivateIPs: 15, eniIPv6: 15,
		primaryQueues: 32, secondaryQueues: 16, maxQueuesPerENI: 32, totalQueues: 528, networkCards: 2, hotPlug: true,
		bandwidthRx: 64000000, ppsRx: 24000000, physicalProcessor: "Intel Xeon(Ice Lake) Platinum 8369B"},
}

type seedRegion struct {
	id, prefix, zh, en string
	zones              []struct{ suffix, zh, en string }
}

func zonesOf(zhCity, enCity string, suffixes ...string) []struct{ suffix, zh, en string } {
	out := make([]struct{ suffix, zh, en string }, 0, len(suffixes))
	for _, s := range suffixes {
		up := string(rune(s[len(s)-1]) - 'a' + 'A')
		out = append(out, struct{ suffix, zh, en string }{s, zhCity + " 可用区" + up, enCity + " Zone " + up})
	}
	return out
}

var seedRegions = []seedRegion{
	{"cn-hangzhou", "bp1", "华东1（杭州）", "China (Hangzhou)", zonesOf("华东1", "Hangzhou", "h", "i", "j", "k")},
	{"cn-shanghai", "uf6", "华东2（上海）", "China (Shanghai)", zonesOf("华东2", "Shanghai", "e", "f", "g", "l")},
	{"cn-beijing", "2ze", "华北2（北京）", "China (Beijing)", zonesOf("华北2", "Beijing", "g", "h", "i", "k")},
	{"ap-southeast-1", "t4n", "新加坡", "Singapore", zonesOf("新加坡", "Singapore", "a", "b", "c")},
}

type seedVSwitch struct {
	key, name, zone, cidr, ipv6 string
	isDefault                   bool
}

type seedVPC struct {
	region, key, name, desc, cidr string
	isDefault                     bool
	vswitches                     []seedVSwitch
	groups                        [][3]string // key, name, kind
}

var seedVPCs = []seedVPC{
	{region: "cn-hangzhou", key: "hz-prod", name: "prod-vpc", desc: "Production network", cidr: "10.0.0.0/16",
		vswitches: []seedVSwitch{
			{key: "hz-prod-h", name: "prod-app-h", zone: "cn-hangzhou-h", cidr: "10.0.0.0/18", ipv6: "2408:4005:3c1:a100::/64"},
			{key: "hz-prod-i", name: "prod-app-i", zone: "cn-hangzhou-i", cidr: "10.0.64.0/18"},
			{key: "hz-prod-j", name: "prod-db-j", zone: "cn-hangzhou-j", cidr: "10.0.128.0/24"},
			{key: "hz-edge-j", name: "prod-edge-j", zone: "cn-hangzhou-j", cidr: "10.0.129.0/28"},
		},
		groups: [][3]string{{"hz-web", "prod-web", "normal"}, {"hz-db", "prod-db", "normal"},
			{"hz-mgmt", "prod-mgmt", "normal"}, {"hz-ent", "prod-enterprise", "enterprise"}}},
	{region: "cn-hangzhou", key: "hz-staging", name: "staging-vpc", desc: "Staging network", cidr: "192.168.0.0/16",
		vswitches: []seedVSwitch{
			{key: "hz-stg-k", name: "staging-k", zone: "cn-hangzhou-k", cidr: "192.168.0.0/20", ipv6: "2408:4005:3c1:b200::/64"},
			{key: "hz-stg-h", name: "staging-h", zone: "cn-hangzhou-h", cidr: "192.168.16.0/20"},
		},
		groups: [][3]string{{"hz-stg", "staging-default", "normal"}}},
	{region: "cn-hangzhou", key: "hz-default", name: "", desc: "", cidr: "172.16.0.0/12", isDefault: true,
		vswitches: []seedVSwitch{
			{key: "hz-def-h", name: "", zone: "cn-hangzhou-h", cidr: "172.16.0.0/20", isDefault: true},
			{key: "hz-def-i", name: "", zone: "cn-hangzhou-i", cidr: "172.16.16.0/20", isDefault: true},
		},
		groups: [][3]string{{"hz-def", "sg-default", "normal"}}},
	{region: "cn-shanghai", key: "sh-prod", name: "sh-prod-vpc", desc: "Shanghai production", cidr: "10.10.0.0/16",
		vswitches: []seedVSwitch{
			{key: "sh-prod-e", name: "sh-app-e", zone: "cn-shanghai-e", cidr: "10.10.0.0/20", ipv6: "2408:4006:1122:3300::/64"},
			{key: "sh-prod-f", name: "sh-app-f", zone: "cn-shanghai-f", cidr: "10.10.16.0/20"},
		},
		groups: [][3]string{{"sh-web", "sh-web", "normal"}}},
	{region: "cn-shanghai", key: "sh-dev", name: "sh-dev-vpc", desc: "Shanghai development", cidr: "172.20.0.0/16",
		vswitches: []seedVSwitch{{key: "sh-dev-g", name: "sh-dev-g", zone: "cn-shanghai-g", cidr: "172.20.0.0/20"}},
		groups:    [][3]string{{"sh-dev", "sh-dev", "normal"}}},
	{region: "cn-beijing", key: "bj-main", name: "bj-main-vpc", desc: "Beijing compute", cidr: "10.20.0.0/16",
		vswitches: []seedVSwitch{
			{key: "bj-h", name: "bj-compute-h", zone: "cn-beijing-h", cidr: "10.20.0.0/20", ipv6: "2408:4007:40e:1400::/64"},
			{key: "bj-i", name: "bj-compute-i", zone: "cn-beijing-i", cidr: "10.20.16.0/20"},
			{key: "bj-k", name: "bj-rdma-k", zone: "cn-beijing-k", cidr: "10.20.32.0/24"},
		},
		groups: [][3]string{{"bj-main", "bj-main", "normal"}, {"bj-hpc", "bj-hpc", "normal"}}},
	{region: "ap-southeast-1", key: "sg-main", name: "sg-vpc", desc: "Singapore (empty)", cidr: "10.30.0.0/16",
		vswitches: []seedVSwitch{{key: "sg-a", name: "sg-app-a", zone: "ap-southeast-1a", cidr: "10.30.0.0/24"}},
		groups:    [][3]string{{"sg-def", "sg-default", "normal"}}},
}

// seeder carries the lookups of seed keys while the world is built.
type seeder struct {
	w         *World
	vpcs      map[string]*vpc
	vswitches map[string]*vswitch
	groups    map[string]*secGroup
	instances map[string]*instance
	clock     time.Time
}

// tick advances the seed clock, so creation times follow creation order.
func (s *seeder) tick(d time.Duration) time.Time {
	s.clock = s.clock.Add(d)
	return s.clock
}

func seedWorld(w *World) {
	s := &seeder{w: w, vpcs: map[string]*vpc{}, vswitches: map[string]*vswitch{},
		groups: map[string]*secGroup{}, instances: map[string]*instance{},
		clock: time.Date(2023, 3, 14, 2, 0, 0, 0, time.UTC)}
	w.defaultRG = rgDefault
	for _, rg := range []string{rgDefault, rgProd, rgStaging} {
		w.resourceGroups[rg] = true
	}
	for _, t := range seedTypes {
		w.types = append(w.types, t)
		w.typeByID[t.id] = t
	}
	for _, sr := range seedRegions {
		r := &region{id: sr.id, idPrefix: sr.prefix, nameZh: sr.zh, nameEn: sr.en,
			endpoint: "ecs." + sr.id + ".aliyuncs.com"}
		for _, t := range seedTypes {
			r.instanceTypesAvail = append(r.instanceTypesAvail, t.id)
		}
		for _, sz := range sr.zones {
			z := &zone{id: sr.id + "-" + sz.suffix, region: r, nameZh: sz.zh, nameEn: sz.en}
			if last := sr.id[len(sr.id)-1]; last >= '0' && last <= '9' { // ap-southeast-1a style
				z.id = sr.id + sz.suffix
			}
			r.zones = append(r.zones, z)
			w.zones[z.id] = z
		}
		w.regions = append(w.regions, r)
		w.regionByID[r.id] = r
	}
	for _, sv := range seedVPCs {
		s.seedVPC(sv)
	}
	s.seedInstancesAndENIs()
}

func (s *seeder) seedVPC(sv seedVPC) {
	w := s.w
	r := w.regionByID[sv.region]
	v := &vpc{id: w.mintID("vpc", r), name: sv.name, description: sv.desc, region: r,
		cidr: netip.MustParsePrefix(sv.cidr), isDefault: sv.isDefault, created: s.tick(26 * time.Hour)}
	v.vrouterID = w.mintID("vrt", r)
	for _, ss := range sv.vswitches {
		vs := &vswitch{id: w.mintID("vsw", r), name: ss.name, vpc: v, zone: w.zones[ss.zone],
			cidr: netip.MustParsePrefix(ss.cidr), isDefault: ss.isDefault, resourceGroup: rgDefault,
			created: s.tick(3 * time.Hour)}
		if ss.ipv6 != "" {
			vs.ipv6 = netip.MustParsePrefix(ss.ipv6)
		}
		if !ss.isDefault {
			vs.description = "vSwitch " + ss.name
		}
		vs.pool = newIPPool(vs.cidr, vs.ipv6)
		v.vswitches = append(v.vswitches, vs)
		w.vswitches[vs.id] = vs
		s.vswitches[ss.key] = vs
	}
	for i, g := range sv.groups {
		sg := &secGroup{id: w.mintID("sg", r), name: g[1], description: "Security group " + g[1], kind: g[2],
			region: r, vpc: v, resourceGroup: rgDefault, rules: 4 + 3*i, created: s.tick(time.Hour)}
		if sv.key == "hz-prod" {
			sg.resourceGroup = rgProd
			sg.tags = []TagParam{{Key: "env", Value: "prod"}}
		}
		v.groups = append(v.groups, sg)
		r.groups = append(r.groups, sg)
		w.groups[sg.id] = sg
		s.groups[g[0]] = sg
	}
	r.vpcs = append(r.vpcs, v)
	w.vpcs[v.id] = v
	s.vpcs[sv.key] = v
}
