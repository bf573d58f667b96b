package ecsemu

import (
	"fmt"
	"time"
)

// seedExtraENIs adds n ENIs for scale tests, in groups of eight spread
// round-robin over the seeded vSwitches large enough to hold them: an extra
// Running instance (ecs.g7.large) whose primary ENI and two InUse secondary
// ENIs count towards n, then five Available ENIs. It stops early only if
// every such vSwitch runs out of addresses (about 110,000 ENIs).
func seedExtraENIs(w *World, n int) {
	if n <= 0 {
		return
	}
	var pools []*vswitch
	for _, r := range w.regions {
		for _, v := range r.vpcs {
			for _, vs := range v.vswitches {
				if vs.pool.usable() >= 4000 {
					pools = append(pools, vs)
				}
			}
		}
	}
	s := &seeder{w: w, clock: time.Date(2025, 1, 6, 1, 0, 0, 0, time.UTC)}
	tags := []TagParam{{Key: "purpose", Value: "scale-test"}}
	made, group := 0, 0
	for made < n {
		vs := pickPool(pools, group)
		if vs == nil {
			return
		}
		group++
		rg := w.defaultRG
		inst := s.seedInstanceOn(vs, fmt.Sprintf("scale-%05d", group), "ecs.g7.large", "Running", nil, rg, time.Minute)
		made++
		for i := 0; i < 7 && made < n && vs.pool.free() > 0; i++ {
			o := eniOpts{name: fmt.Sprintf("scale-%05d-%d", group, i), tags: tags, networkCard: -1}
			if i < 2 {
				o.instance, o.status = inst, eniInUse
			}
			s.seedENIOn(vs, o, time.Minute)
			made++
		}
	}
}

// pickPool returns the k-th vSwitch round-robin that still has room for a
// group of eight, or nil when none has.
func pickPool(pools []*vswitch, k int) *vswitch {
	for i := range pools {
		vs := pools[(k+i)%len(pools)]
		if vs.pool.free() >= 8 {
			return vs
		}
	}
	return nil
}
