package ecsemu

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// SeedVaried adds about n ENIs to region, for tests that compare filters
// with the cloud's: names and descriptions drawn from a small vocabulary
// (so exact-name filters match several), tags, resource groups, one or two
// security groups, secondary and IPv6 addresses, some managed by a cloud
// service, and about half of them InUse on new instances (each with its
// primary ENI). Creation times spread over the 90 days before now. The
// same seed gives the same account. It returns how many ENIs were added,
// fewer only when the region's vSwitches run out of addresses.
func (e *Emulator) SeedVaried(region string, n int, seed uint64) int {
	w := e.world
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.regionByID[region]
	if !ok || n <= 0 {
		return 0
	}
	var pools []*vswitch
	for _, v := range r.vpcs {
		for _, vs := range v.vswitches {
			if vs.pool.usable() >= 64 {
				pools = append(pools, vs)
			}
		}
	}
	if len(pools) == 0 {
		return 0
	}
	rng := rand.New(rand.NewPCG(seed, 0x7a71ed))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	step := 90 * 24 * time.Hour / time.Duration(n+1)
	s := &seeder{w: w, clock: w.now().Add(-90 * 24 * time.Hour)}
	made, k := 0, 0
	for made < n {
		vs := pickPool(pools, k)
		if vs == nil {
			break
		}
		k++
		var inst *instance
		if rng.IntN(2) == 0 {
			inst = s.seedInstanceOn(vs, fmt.Sprintf("%s-%03d", pick(variedHosts), k), "ecs.g7.xlarge", "Running",
				nil, pick(variedRGs(w)), step)
			made++
		}
		for i := 0; i < 3 && made < n && vs.pool.free() > 4; i++ {
			o := eniOpts{name: pick(variedNames), desc: pick(variedDescs), rg: pick(variedRGs(w)),
				secondary: rng.IntN(3), networkCard: -1, tags: variedTags(rng)}
			if vs.pool.hasIPv6() && rng.IntN(3) == 0 {
				o.ipv6 = 1 + rng.IntN(2)
			}
			if rng.IntN(20) == 0 {
				o.serviceID = 12345678 + int64(rng.IntN(3))
			}
			if inst != nil {
				o.instance, o.status = inst, eniInUse
			}
			x := s.seedENIOn(vs, o, step)
			if gs := vs.vpc.groups; len(gs) > 1 && rng.IntN(3) == 0 {
				x.groups = []*secGroup{gs[rng.IntN(len(gs))]}
				if g := gs[rng.IntN(len(gs))]; g != x.groups[0] {
					x.groups = append(x.groups, g)
				}
			}
			made++
		}
	}
	return made
}

var (
	variedHosts = []string{"k8s-node", "web-prod", "Batch-Runner", "db-replica"}
	variedNames = []string{"", "", "web", "web-01", "web-02", "db-primary", "Terway-ENI", "cache", "batch-worker", "pod-eni", "Legacy_App"}
	variedDescs = []string{"", "", "created by terway", "Web tier", "database node", "temporary", "leaked? check owner"}
)

func variedRGs(w *World) []string {
	return []string{w.defaultRG, w.defaultRG, w.defaultRG, rgProd, rgProd, rgStaging}
}

func variedTags(rng *rand.Rand) []TagParam {
	var tags []TagParam
	add := func(key string, values ...string) {
		if rng.IntN(2) == 0 {
			tags = append(tags, TagParam{Key: key, Value: values[rng.IntN(len(values))]})
		}
	}
	add("env", "prod", "staging", "dev")
	add("team", "web", "data", "infra")
	add("k8s.aliyun.com", "true")
	add("owner", "alice", "bob", "")
	add("Purpose", "Scale-Test", "cleanup")
	return tags
}
