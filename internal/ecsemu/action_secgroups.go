package ecsemu

import (
	"context"
	"slices"
	"strings"
)

// DescribeSecurityGroups: the reference's filters for a picker, both paging
// modes (PageSize 1-50; MaxResults clamped to 10-100), and, as documented,
// groups in descending order of their IDs.

var sgPaging = pagingRules{kind: "sg", pageSizeMax: 50, maxMin: 10, maxMax: 100, maxDefault: 10}

type sgItem struct {
	SecurityGroupId         string `json:"SecurityGroupId"`
	SecurityGroupName       string `json:"SecurityGroupName"`
	Description             string `json:"Description"`
	SecurityGroupType       string `json:"SecurityGroupType"`
	VpcId                   string `json:"VpcId"`
	CreationTime            string `json:"CreationTime"`
	ResourceGroupId         string `json:"ResourceGroupId"`
	ServiceManaged          bool   `json:"ServiceManaged"`
	EcsCount                int    `json:"EcsCount"`
	AvailableInstanceAmount int    `json:"AvailableInstanceAmount"`
	RuleCount               int    `json:"RuleCount"`
	GroupToGroupRuleCount   int    `json:"GroupToGroupRuleCount"`
	Tags                    tagSet `json:"Tags"`
}

type describeSecurityGroupsResponse struct {
	RegionId string `json:"RegionId"`
	pageMeta
	SecurityGroups struct {
		SecurityGroup []sgItem `json:"SecurityGroup"`
	} `json:"SecurityGroups"`
}

type sgFilter struct {
	vpcID, id, name, kind, rg, network string
	ids                                []string // nil: not given
	tags                               []TagParam
	fuzzy                              bool
	serviceManaged                     *bool
}

func parseSGFilter(r *Request) (*sgFilter, error) {
	f := &sgFilter{vpcID: r.String("VpcId"), id: r.String("SecurityGroupId"), name: r.String("SecurityGroupName"),
		kind: r.String("SecurityGroupType"), rg: r.String("ResourceGroupId"), network: r.String("NetworkType")}
	var err error
	if f.ids, err = r.JSONList("SecurityGroupIds"); err != nil {
		return nil, err
	}
	if len(f.ids) > 100 {
		return nil, errParamInvalid("SecurityGroupIds")
	}
	switch f.kind {
	case "", "normal", "enterprise":
	default:
		return nil, errParamInvalid("SecurityGroupType")
	}
	switch f.network {
	case "", "vpc", "classic":
	default:
		return nil, errParamInvalid("NetworkType")
	}
	tags, tooMany := tagsParam(r, 20)
	if tooMany {
		return nil, errParamInvalid("Tag")
	}
	f.tags = tags
	if f.fuzzy, err = r.Bool("FuzzyQuery", false); err != nil {
		return nil, err
	}
	if _, err = r.Bool("IsQueryEcsCount", false); err != nil {
		return nil, err
	}
	f.serviceManaged, err = optionalBool(r, "ServiceManaged")
	return f, err
}

func (f *sgFilter) match(g *secGroup) bool {
	nameOK := f.name == "" || g.name == f.name || (f.fuzzy && strings.Contains(g.name, f.name))
	return nameOK && (f.vpcID == "" || g.vpc.id == f.vpcID) && (f.id == "" || g.id == f.id) &&
		(f.ids == nil || slices.Contains(f.ids, g.id)) && (f.kind == "" || g.kind == f.kind) &&
		(f.rg == "" || g.resourceGroup == f.rg) && f.network != "classic" &&
		(f.serviceManaged == nil || !*f.serviceManaged) && hasTags(g.tags, f.tags)
}

func (w *World) describeSecurityGroups(_ context.Context, r *Request) (any, error) {
	f, err := parseSGFilter(r)
	if err != nil {
		return nil, err
	}
	pg, err := parsePaging(r, sgPaging)
	if err != nil {
		return nil, err
	}
	dry, err := r.Bool("DryRun", false)
	if err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	if dry {
		return nil, errDryRun()
	}
	groups := slices.Clone(reg.groups)
	slices.SortFunc(groups, func(a, b *secGroup) int { return strings.Compare(b.id, a.id) })
	page, total, next := pageOf(groups, indexKey, f.match, pg, 0, sgPaging.kind)
	out := &describeSecurityGroupsResponse{RegionId: reg.id, pageMeta: metaOf(pg, total, next)}
	out.SecurityGroups.SecurityGroup = make([]sgItem, 0, len(page))
	for _, g := range page {
		n := w.instancesInGroup(reg, g)
		out.SecurityGroups.SecurityGroup = append(out.SecurityGroups.SecurityGroup, sgItem{
			SecurityGroupId: g.id, SecurityGroupName: g.name, Description: g.description, SecurityGroupType: g.kind,
			VpcId: g.vpc.id, CreationTime: apiTime(g.created), ResourceGroupId: g.resourceGroup,
			EcsCount: n, AvailableInstanceAmount: max(0, 2000-n), RuleCount: g.rules, Tags: tagsOf(g.tags)})
	}
	return out, nil
}

// instancesInGroup counts the instances with an ENI in g.
func (w *World) instancesInGroup(reg *region, g *secGroup) int {
	n := 0
	for _, inst := range reg.instances {
		if slices.ContainsFunc(inst.enis, func(e *eni) bool { return slices.Contains(e.groups, g) }) {
			n++
		}
	}
	return n
}
