package ecsemu

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestSeedIsDeterministic(t *testing.T) {
	a, b := quickWorld(t, 500), quickWorld(t, 500)
	for _, reg := range []string{"cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1"} {
		for _, action := range []string{"DescribeNetworkInterfaces", "DescribeInstances", "DescribeVSwitches", "DescribeSecurityGroups"} {
			size := "100"
			if action == "DescribeVSwitches" || action == "DescribeSecurityGroups" {
				size = "50"
			}
			ja, _ := json.Marshal(mustCall[any](t, a, action, "RegionId", reg, "PageSize", size))
			jb, _ := json.Marshal(mustCall[any](t, b, action, "RegionId", reg, "PageSize", size))
			if string(ja) != string(jb) {
				t.Errorf("%s in %s differs between two starts", action, reg)
			}
		}
	}
}

func TestSeedContents(t *testing.T) {
	w := quickWorld(t, 0)
	if len(w.regions) < 3 {
		t.Fatalf("%d regions", len(w.regions))
	}
	prefixes := map[string]string{"cn-hangzhou": "bp1", "cn-shanghai": "uf6", "cn-beijing": "2ze"}
	for reg, p := range prefixes {
		for _, e := range w.regionByID[reg].enis {
			if !strings.HasPrefix(e.id, "eni-"+p) || len(e.id) != len("eni-")+20 {
				t.Errorf("ENI ID %q in %s", e.id, reg)
			}
		}
	}
	hzENIs := w.regionByID[hz].enis
	if len(hzENIs) < 60 {
		t.Errorf("%d ENIs in %s, want enough for several pages", len(hzENIs), hz)
	}
	seen := map[string]int{}
	for _, e := range hzENIs {
		seen[e.status]++
		seen[e.typ]++
		if e.serviceManaged {
			seen["managed"]++
		}
		if len(e.tags) > 0 {
			seen["tagged"]++
		}
		if len(e.secondaryIPs) > 0 {
			seen["secondary"]++
		}
		if len(e.ipv6) > 0 {
			seen["ipv6"]++
		}
		if len(e.ipv4Prefixes) > 0 {
			seen["prefix4"]++
		}
		if len(e.ipv6Prefixes) > 0 {
			seen["prefix6"]++
		}
	}
	for _, k := range []string{eniAvailable, eniAttaching, eniInUse, eniDetaching, eniDeleting, eniPrimary, eniSecondary,
		"managed", "tagged", "secondary", "ipv6", "prefix4", "prefix6"} {
		if seen[k] == 0 {
			t.Errorf("no %s ENI in %s", k, hz)
		}
	}
	if free := w.vswitchNamed(t, "prod-edge-j").pool.free(); free != 2 {
		t.Errorf("nearly full vSwitch has %d free addresses, want 2", free)
	}
	if !w.vswitchNamed(t, "prod-app-h").ipv6.IsValid() || w.vswitchNamed(t, "prod-app-i").ipv6.IsValid() {
		t.Error("prod-app-h should have IPv6 and prod-app-i not")
	}
	statuses := map[string]bool{}
	for _, inst := range w.regionByID[hz].instances {
		statuses[inst.status] = true
	}
	if !statuses["Running"] || !statuses["Stopped"] {
		t.Errorf("instance states %v, want Running and Stopped", statuses)
	}
	checkInvariants(t, w)
}

func TestExtraENIs(t *testing.T) {
	base := len(quickWorld(t, 0).enis)
	w := quickWorld(t, 20000)
	if got := len(w.enis); got != base+20000 {
		t.Fatalf("%d ENIs, want %d", got, base+20000)
	}
	perVPC := map[string]int{}
	for _, e := range w.enis {
		perVPC[e.vpc.id]++
	}
	if len(perVPC) < 6 {
		t.Errorf("extra ENIs spread over %d VPCs only", len(perVPC))
	}
	checkInvariants(t, w)
}

// checkInvariants verifies the indexes and address books agree with the
// ENIs: every address inside its vSwitch and held once, free counts exact,
// indexes sorted, instances within their ENI limits.
func checkInvariants(t *testing.T, w *World) {
	t.Helper()
	w.mu.RLock()
	defer w.mu.RUnlock()
	held := map[*vswitch]int{}
	for _, e := range w.enis {
		p := e.vswitch.pool
		addrs := append([]netip.Addr{e.primaryIP}, e.secondaryIPs...)
		for _, a := range addrs {
			if owner, ok := p.owner(a); !ok || owner != e.id {
				t.Fatalf("%s: %s held by %q", e.id, a, owner)
			}
		}
		for _, a := range e.ipv6 {
			if owner, ok := p.owner6(a); !ok || owner != e.id || !e.vswitch.ipv6.Contains(a) {
				t.Fatalf("%s: IPv6 %s held by %q", e.id, a, owner)
			}
		}
		held[e.vswitch] += len(addrs) + 16*len(e.ipv4Prefixes)
		if e.instance != nil && !slices.Contains(e.instance.enis, e) {
			t.Fatalf("%s not listed on its instance", e.id)
		}
	}
	for _, vs := range w.vswitches {
		if len(vs.pool.used) != held[vs] || vs.pool.free() != vs.pool.usable()-held[vs] {
			t.Fatalf("%s: %d addresses used, ENIs hold %d", vs.id, len(vs.pool.used), held[vs])
		}
		if !slices.IsSortedFunc(vs.enis, func(a, b *eni) int { return cmpOrd(a.ord, b.ord) }) {
			t.Fatalf("%s: ENI index not sorted", vs.id)
		}
	}
	for _, inst := range w.instances {
		if len(inst.enis) > inst.typ.eniQuantity {
			t.Fatalf("%s holds %d ENIs, limit %d", inst.name, len(inst.enis), inst.typ.eniQuantity)
		}
	}
}

func TestIPPool(t *testing.T) {
	p := newIPPool(netip.MustParsePrefix("10.1.0.0/26"), netip.MustParsePrefix("2408:1::/64"))
	if p.usable() != 60 || p.free() != 60 {
		t.Fatalf("usable %d free %d", p.usable(), p.free())
	}
	for _, a := range []string{"10.1.0.0", "10.1.0.61", "10.1.0.62", "10.1.0.63", "10.1.1.1"} {
		if p.isFree(netip.MustParseAddr(a)) {
			t.Errorf("%s should not be assignable", a)
		}
	}
	a, _ := p.alloc("eni-a")
	if a.String() != "10.1.0.1" {
		t.Errorf("first address %s", a)
	}
	var got []string
	for {
		pfx, ok := p.allocPrefix4("eni-a")
		if !ok {
			break
		}
		got = append(got, pfx.String())
	}
	// Blocks holding a used or reserved address are skipped.
	if want := []string{"10.1.0.16/28", "10.1.0.32/28"}; !slices.Equal(got, want) || p.free() != 60-33 {
		t.Fatalf("prefixes %v, free %d; want %v", got, p.free(), want)
	}
	for _, s := range got {
		p.releasePrefix4(netip.MustParsePrefix(s))
	}
	p.release(a)
	if p.free() != 60 {
		t.Errorf("free %d after release", p.free())
	}
	v6 := map[netip.Addr]bool{}
	rng := NewWorld(WorldConfig{}).rng
	for range 100 {
		a, ok := p.alloc6("eni-c", rng)
		if !ok || v6[a] || !p.v6.Contains(a) {
			t.Fatalf("alloc6 gave %v %v", a, ok)
		}
		v6[a] = true
	}
	p6, ok := p.allocPrefix6("eni-c", rng)
	if !ok || p6.Bits() != 80 || p.prefix6Free(p6) {
		t.Fatalf("prefix6 %v %v", p6, ok)
	}
	for a := range v6 {
		if p6.Contains(a) {
			t.Fatalf("prefix %s overlaps the used address %s", p6, a)
		}
	}
	inside := p6.Addr().Next()
	if p.isFree6(inside) {
		t.Errorf("%s inside a used prefix is free", inside)
	}
}
