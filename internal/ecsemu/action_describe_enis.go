package ecsemu

import (
	"context"
	"net/netip"
	"slices"
)

// DescribeNetworkInterfaces: every filter of the reference, ANDed; list
// filters match any of their values. Results come in creation order.
// Documented quirks kept: SecurityGroupId matches secondary ENIs only; with
// ResourceGroupId, ENIs of the default resource group are listed too; with
// Tag.N or ResourceGroupId at most 1,000 ENIs are returned. PrivateIpAddress.N
// matches primary as well as secondary addresses.

var eniPaging = pagingRules{kind: "eni", pageSizeMax: 1000, maxMin: 10, maxMax: 500, maxDefault: 10}

const taggedQueryCap = 1000

type eniFilter struct {
	vpcID, vswID, sgID, typ, instID, status, name, rg string
	primaryIP                                         string
	privateIPs, ipv6                                  []string
	ids                                               []string
	tags                                              []TagParam
	serviceManaged                                    *bool
}

func parseENIFilter(r *Request) (*eniFilter, error) {
	f := &eniFilter{vpcID: r.String("VpcId"), vswID: r.String("VSwitchId"), sgID: r.String("SecurityGroupId"),
		typ: r.String("Type"), instID: r.String("InstanceId"), status: r.String("Status"),
		name: r.String("NetworkInterfaceName"), rg: r.String("ResourceGroupId"), primaryIP: r.String("PrimaryIpAddress")}
	switch f.typ {
	case "", eniPrimary, eniSecondary:
	default:
		return nil, errParamInvalid("Type")
	}
	switch f.status {
	case "", eniAvailable, eniAttaching, eniInUse, eniDetaching, eniDeleting:
	default:
		return nil, errParamInvalid("Status")
	}
	var err error
	if f.ids, err = listParam(r, "NetworkInterfaceId", 100); err != nil {
		return nil, err
	}
	if f.privateIPs, err = listParam(r, "PrivateIpAddress", 100); err != nil {
		return nil, err
	}
	if f.ipv6, err = listParam(r, "Ipv6Address", 100); err != nil {
		return nil, err
	}
	tags, tooMany := tagsParam(r, 20)
	if tooMany {
		return nil, errParamInvalid("Tag")
	}
	for _, t := range tags {
		if t.Key == "" {
			return nil, errParamInvalid("Tag.N.Key")
		}
	}
	f.tags = tags
	if r.String("ServiceManaged") != "" {
		b, err := r.Bool("ServiceManaged", false)
		if err != nil {
			return nil, err
		}
		f.serviceManaged = &b
	}
	return f, nil
}

func (w *World) describeNetworkInterfaces(_ context.Context, r *Request) (any, error) {
	f, err := parseENIFilter(r)
	if err != nil {
		return nil, err
	}
	pg, err := parsePaging(r, eniPaging)
	if err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	cands := w.eniCandidates(reg, f)
	limit := 0
	if len(f.tags) > 0 || f.rg != "" {
		limit = taggedQueryCap
	}
	page, total, next := pageOf(cands, func(i int) uint64 { return cands[i].ord }, f.match(w), pg, limit, eniPaging.kind)
	out := &describeENIsResponse{pageMeta: metaOf(pg, total, next)}
	out.NetworkInterfaceSets.NetworkInterfaceSet = make([]eniItem, 0, len(page))
	for _, e := range page {
		out.NetworkInterfaceSets.NetworkInterfaceSet = append(out.NetworkInterfaceSets.NetworkInterfaceSet, eniItemOf(e))
	}
	return out, nil
}

type describeENIsResponse struct {
	pageMeta
	NetworkInterfaceSets struct {
		NetworkInterfaceSet []eniItem `json:"NetworkInterfaceSet"`
	} `json:"NetworkInterfaceSets"`
}

// eniCandidates narrows the search with the most selective index the
// filter allows; match then checks every condition. The result is sorted
// by ord.
func (w *World) eniCandidates(reg *region, f *eniFilter) []*eni {
	switch {
	case len(f.ids) > 0:
		var out []*eni
		for _, id := range f.ids {
			if e, ok := w.enis[id]; ok && e.region == reg {
				out = append(out, e)
			}
		}
		return sortUnique(out)
	case f.instID != "":
		inst, ok := w.instances[f.instID]
		if !ok || inst.region != reg {
			return nil
		}
		return sortUnique(slices.Clone(inst.enis))
	case f.primaryIP != "" || len(f.privateIPs) > 0 || len(f.ipv6) > 0:
		return sortUnique(w.enisByAddress(reg, f))
	case f.vswID != "":
		if vs, ok := w.vswitches[f.vswID]; ok && vs.vpc.region == reg {
			return vs.enis
		}
		return nil
	case f.vpcID != "":
		if v, ok := w.vpcs[f.vpcID]; ok && v.region == reg {
			return v.enis
		}
		return nil
	}
	return reg.enis
}

// enisByAddress finds ENIs holding any filtered address through the
// vSwitches' address maps.
func (w *World) enisByAddress(reg *region, f *eniFilter) []*eni {
	var scope []*vswitch
	for _, v := range reg.vpcs {
		scope = append(scope, v.vswitches...)
	}
	var out []*eni
	add := func(id string, ok bool) {
		if e, found := w.enis[id]; ok && found {
			out = append(out, e)
		}
	}
	v4 := f.privateIPs
	if f.primaryIP != "" {
		v4 = []string{f.primaryIP} // the ENI must hold it anyway; match checks the rest
	}
	for _, s := range v4 {
		if a, err := netip.ParseAddr(s); err == nil {
			for _, vs := range scope {
				add(vs.pool.owner(a))
			}
		}
	}
	if len(v4) == 0 {
		for _, s := range f.ipv6 {
			if a, err := netip.ParseAddr(s); err == nil {
				for _, vs := range scope {
					add(vs.pool.owner6(a))
				}
			}
		}
	}
	return out
}

func sortUnique(s []*eni) []*eni {
	slices.SortFunc(s, func(a, b *eni) int { return cmpOrd(a.ord, b.ord) })
	return slices.Compact(s)
}

func (f *eniFilter) match(w *World) func(*eni) bool {
	return func(e *eni) bool {
		switch {
		case f.vpcID != "" && e.vpc.id != f.vpcID,
			f.vswID != "" && e.vswitch.id != f.vswID,
			f.typ != "" && e.typ != f.typ,
			f.status != "" && e.status != f.status,
			f.name != "" && e.name != f.name,
			f.instID != "" && (e.instance == nil || e.instance.id != f.instID),
			f.rg != "" && e.resourceGroup != f.rg && e.resourceGroup != w.defaultRG,
			f.serviceManaged != nil && e.serviceManaged != *f.serviceManaged,
			f.primaryIP != "" && e.primaryIP.String() != f.primaryIP:
			return false
		}
		if f.sgID != "" && (e.typ != eniSecondary || !slices.ContainsFunc(e.groups, func(g *secGroup) bool { return g.id == f.sgID })) {
			return false
		}
		if len(f.ids) > 0 && !slices.Contains(f.ids, e.id) {
			return false
		}
		if len(f.privateIPs) > 0 && !hasAnyAddr(f.privateIPs, append([]netip.Addr{e.primaryIP}, e.secondaryIPs...)) {
			return false
		}
		if len(f.ipv6) > 0 && !hasAnyAddr(f.ipv6, e.ipv6) {
			return false
		}
		return hasTags(e.tags, f.tags)
	}
}

func hasAnyAddr(want []string, have []netip.Addr) bool {
	for _, s := range want {
		a, err := netip.ParseAddr(s)
		if err == nil && slices.Contains(have, a) {
			return true
		}
	}
	return false
}

// hasTags reports whether have holds every wanted tag; a wanted tag with an
// empty value matches any value of its key.
func hasTags(have, want []TagParam) bool {
	for _, t := range want {
		if !slices.ContainsFunc(have, func(h TagParam) bool { return h.Key == t.Key && (t.Value == "" || h.Value == t.Value) }) {
			return false
		}
	}
	return true
}
