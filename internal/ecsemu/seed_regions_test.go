package ecsemu

import "testing"

// TestSeedDemoRegions: switching regions in the demo shows something:
// cn-shanghai and cn-beijing hold a handful of ENIs each, Available and
// InUse, and ap-southeast-1 stays empty on purpose (with a VPC to create
// the first one in), so the empty state can be seen too.
func TestSeedDemoRegions(t *testing.T) {
	w := quickWorld(t, 0)
	for _, id := range []string{"cn-shanghai", "cn-beijing"} {
		r := w.regionByID[id]
		states := map[string]int{}
		for _, e := range r.enis {
			states[e.status]++
		}
		if len(r.enis) < 8 || states[eniAvailable] == 0 || states[eniInUse] == 0 {
			t.Errorf("%s holds %d ENIs (%v), want a handful, Available and InUse", id, len(r.enis), states)
		}
	}
	sg := w.regionByID["ap-southeast-1"]
	if len(sg.enis) != 0 || len(sg.vpcs) == 0 {
		t.Errorf("ap-southeast-1 holds %d ENIs and %d VPCs, want none and a VPC to create one in", len(sg.enis), len(sg.vpcs))
	}
}
