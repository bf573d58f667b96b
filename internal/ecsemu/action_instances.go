package ecsemu

import (
	"context"
	"path"
	"slices"
)

// DescribeInstances: the filters a picker needs (VpcId, VSwitchId, ZoneId,
// InstanceIds and PrivateIpAddresses as JSON arrays, Status, InstanceName
// with * wildcards, InstanceType, InstanceTypeFamily, SecurityGroupId,
// ResourceGroupId, Tag.N) and both paging modes (PageSize 1-100;
// MaxResults clamped to 10-100), in creation order.

var instancePaging = pagingRules{kind: "instance", pageSizeMax: 100, maxMin: 10, maxMax: 100, maxDefault: 10}

type instanceFilter struct {
	vpcID, vswID, zoneID, status, name, typ, family, sgID, rg string
	ids, ips                                                  []string // nil: not given; empty: matches nothing
	tags                                                      []TagParam
}

func parseInstanceFilter(r *Request) (*instanceFilter, error) {
	f := &instanceFilter{vpcID: r.String("VpcId"), vswID: r.String("VSwitchId"), zoneID: r.String("ZoneId"),
		status: r.String("Status"), name: r.String("InstanceName"), typ: r.String("InstanceType"),
		family: r.String("InstanceTypeFamily"), sgID: r.String("SecurityGroupId"), rg: r.String("ResourceGroupId")}
	switch f.status {
	case "", "Pending", "Running", "Starting", "Stopping", "Stopped":
	default:
		return nil, errParamInvalid("Status")
	}
	if _, err := path.Match(f.name, ""); err != nil {
		return nil, errParamInvalid("InstanceName")
	}
	var err error
	if f.ids, err = r.JSONList("InstanceIds"); err != nil {
		return nil, err
	}
	if f.ips, err = r.JSONList("PrivateIpAddresses"); err != nil {
		return nil, err
	}
	if len(f.ids) > 100 || len(f.ips) > 100 {
		return nil, errParamInvalid("InstanceIds")
	}
	tags, tooMany := tagsParam(r, 20)
	if tooMany {
		return nil, errParamInvalid("Tag")
	}
	f.tags = tags
	switch r.String("InstanceNetworkType") {
	case "", "vpc":
	case "classic":
		f.ids = []string{} // the account has no classic-network instances
	default:
		return nil, errParamInvalid("InstanceNetworkType")
	}
	return f, nil
}

func (f *instanceFilter) match(inst *instance) bool {
	switch {
	case f.vpcID != "" && inst.vpc.id != f.vpcID,
		f.vswID != "" && inst.vswitch.id != f.vswID,
		f.zoneID != "" && inst.zone.id != f.zoneID,
		f.status != "" && inst.status != f.status,
		f.typ != "" && inst.typ.id != f.typ,
		f.family != "" && inst.typ.family != f.family,
		f.rg != "" && inst.resourceGroup != f.rg,
		f.ids != nil && !slices.Contains(f.ids, inst.id),
		f.ips != nil && !slices.Contains(f.ips, inst.primary.primaryIP.String()),
		f.sgID != "" && !slices.ContainsFunc(inst.primary.groups, func(g *secGroup) bool { return g.id == f.sgID }):
		return false
	}
	if f.name != "" {
		if ok, _ := path.Match(f.name, inst.name); !ok {
			return false
		}
	}
	return hasTags(inst.tags, f.tags)
}

type instanceENI struct {
	Type               string         `json:"Type"`
	MacAddress         string         `json:"MacAddress"`
	NetworkInterfaceId string         `json:"NetworkInterfaceId"`
	PrimaryIpAddress   string         `json:"PrimaryIpAddress"`
	PrivateIpSets      privateIPSets  `json:"PrivateIpSets"`
	Ipv6Sets           ipv6Sets       `json:"Ipv6Sets"`
	Ipv4PrefixSets     ipv4PrefixSets `json:"Ipv4PrefixSets"`
	Ipv6PrefixSets     ipv6PrefixSets `json:"Ipv6PrefixSets"`
}

type ipList struct {
	IpAddress []string `json:"IpAddress"`
}

type instanceItem struct {
	InstanceId          string           `json:"InstanceId"`
	InstanceName        string           `json:"InstanceName"`
	Description         string           `json:"Description"`
	HostName            string           `json:"HostName"`
	ImageId             string           `json:"ImageId"`
	InstanceType        string           `json:"InstanceType"`
	InstanceTypeFamily  string           `json:"InstanceTypeFamily"`
	Cpu                 int              `json:"Cpu"`
	Memory              int              `json:"Memory"`
	Status              string           `json:"Status"`
	RegionId            string           `json:"RegionId"`
	ZoneId              string           `json:"ZoneId"`
	CreationTime        string           `json:"CreationTime"`
	StartTime           string           `json:"StartTime"`
	ExpiredTime         string           `json:"ExpiredTime"`
	InstanceNetworkType string           `json:"InstanceNetworkType"`
	InstanceChargeType  string           `json:"InstanceChargeType"`
	InternetChargeType  string           `json:"InternetChargeType"`
	OSName              string           `json:"OSName"`
	OSType              string           `json:"OSType"`
	ResourceGroupId     string           `json:"ResourceGroupId"`
	StoppedMode         string           `json:"StoppedMode"`
	DeletionProtection  bool             `json:"DeletionProtection"`
	SecurityGroupIds    securityGroupIDs `json:"SecurityGroupIds"`
	VpcAttributes       struct {
		VpcId            string `json:"VpcId"`
		VSwitchId        string `json:"VSwitchId"`
		PrivateIpAddress ipList `json:"PrivateIpAddress"`
		NatIpAddress     string `json:"NatIpAddress"`
	} `json:"VpcAttributes"`
	PublicIpAddress   ipList `json:"PublicIpAddress"`
	InnerIpAddress    ipList `json:"InnerIpAddress"`
	NetworkInterfaces struct {
		NetworkInterface []instanceENI `json:"NetworkInterface"`
	} `json:"NetworkInterfaces"`
	Tags tagSet `json:"Tags"`
}

type describeInstancesResponse struct {
	pageMeta
	Instances struct {
		Instance []instanceItem `json:"Instance"`
	} `json:"Instances"`
}

func (w *World) describeInstances(_ context.Context, r *Request) (any, error) {
	f, err := parseInstanceFilter(r)
	if err != nil {
		return nil, err
	}
	pg, err := parsePaging(r, instancePaging)
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
	page, total, next := pageOf(reg.instances, indexKey, f.match, pg, 0, instancePaging.kind)
	out := &describeInstancesResponse{pageMeta: metaOf(pg, total, next)}
	out.Instances.Instance = make([]instanceItem, 0, len(page))
	for _, inst := range page {
		out.Instances.Instance = append(out.Instances.Instance, instanceItemOf(inst))
	}
	return out, nil
}

func instanceItemOf(inst *instance) instanceItem {
	it := instanceItem{InstanceId: inst.id, InstanceName: inst.name, Description: inst.description,
		HostName: inst.hostname, ImageId: inst.imageID, InstanceType: inst.typ.id, InstanceTypeFamily: inst.typ.family,
		Cpu: inst.typ.cpu, Memory: int(inst.typ.memoryGiB * 1024), Status: inst.status, RegionId: inst.region.id,
		ZoneId: inst.zone.id, CreationTime: apiTime(inst.created)[:16] + "Z", StartTime: apiTime(inst.started)[:16] + "Z",
		ExpiredTime: "2099-12-31T15:59Z", InstanceNetworkType: "vpc", InstanceChargeType: "PostPaid",
		InternetChargeType: "PayByTraffic", OSName: inst.osName, OSType: "linux", ResourceGroupId: inst.resourceGroup,
		SecurityGroupIds: groupIDsOf(inst.primary.groups), Tags: tagsOf(inst.tags)}
	if inst.status == "Stopped" {
		it.StoppedMode = "KeepCharging"
	}
	it.VpcAttributes.VpcId, it.VpcAttributes.VSwitchId = inst.vpc.id, inst.vswitch.id
	it.VpcAttributes.PrivateIpAddress.IpAddress = []string{inst.primary.primaryIP.String()}
	it.PublicIpAddress.IpAddress, it.InnerIpAddress.IpAddress = []string{}, []string{}
	it.NetworkInterfaces.NetworkInterface = make([]instanceENI, 0, len(inst.enis))
	for _, e := range inst.enis {
		if e.status != eniInUse && e.status != eniDetaching {
			continue // not attached yet
		}
		it.NetworkInterfaces.NetworkInterface = append(it.NetworkInterfaces.NetworkInterface, instanceENI{
			Type: e.typ, MacAddress: e.mac, NetworkInterfaceId: e.id, PrimaryIpAddress: e.primaryIP.String(),
			PrivateIpSets: privateIPsOf(e), Ipv6Sets: ipv6Of(e.ipv6), Ipv4PrefixSets: ipv4PrefixesOf(e.ipv4Prefixes),
			Ipv6PrefixSets: ipv6PrefixesOf(e.ipv6Prefixes)})
	}
	return it
}
