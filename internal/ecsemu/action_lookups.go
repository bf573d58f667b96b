package ecsemu

import (
	"context"
	"net/http"
)

// DescribeRegions, DescribeZones, DescribeVpcs and DescribeVSwitches: the
// look-ups behind the dashboard's pickers, in creation order.

// acceptEnglish picks LocalName's language from AcceptLanguage (default zh-CN,
// as the cloud's; ja falls back to English).
func acceptEnglish(r *Request) (english bool, err error) {
	switch r.String("AcceptLanguage") {
	case "", "zh-CN":
		return false, nil
	case "en-US", "ja":
		return true, nil
	}
	return false, errParamInvalid("AcceptLanguage")
}

func localName(english bool, zh, en string) string {
	if english {
		return en
	}
	return zh
}

type regionItem struct {
	RegionId       string `json:"RegionId"`
	LocalName      string `json:"LocalName"`
	RegionEndpoint string `json:"RegionEndpoint"`
	Status         string `json:"Status"`
}

type describeRegionsResponse struct {
	Regions struct {
		Region []regionItem `json:"Region"`
	} `json:"Regions"`
}

func (w *World) describeRegions(_ context.Context, r *Request) (any, error) {
	en, err := acceptEnglish(r)
	if err != nil {
		return nil, err
	}
	switch r.String("InstanceChargeType") {
	case "", "PrePaid", "PostPaid", "SpotWithPriceLimit", "SpotAsPriceGo":
	default:
		return nil, errParamInvalid("InstanceChargeType")
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := &describeRegionsResponse{}
	out.Regions.Region = make([]regionItem, 0, len(w.regions))
	for _, reg := range w.regions {
		out.Regions.Region = append(out.Regions.Region, regionItem{RegionId: reg.id,
			LocalName: localName(en, reg.nameZh, reg.nameEn), RegionEndpoint: reg.endpoint, Status: "available"})
	}
	return out, nil
}

type zoneItem struct {
	ZoneId                    string `json:"ZoneId"`
	LocalName                 string `json:"LocalName"`
	ZoneType                  string `json:"ZoneType"`
	AvailableResourceCreation *struct {
		ResourceTypes []string `json:"ResourceTypes"`
	} `json:"AvailableResourceCreation,omitempty"`
	AvailableInstanceTypes *struct {
		InstanceTypes []string `json:"InstanceTypes"`
	} `json:"AvailableInstanceTypes,omitempty"`
	AvailableDiskCategories *struct {
		DiskCategories []string `json:"DiskCategories"`
	} `json:"AvailableDiskCategories,omitempty"`
}

type describeZonesResponse struct {
	Zones struct {
		Zone []zoneItem `json:"Zone"`
	} `json:"Zones"`
}

func (w *World) describeZones(_ context.Context, r *Request) (any, error) {
	en, err := acceptEnglish(r)
	if err != nil {
		return nil, err
	}
	verbose, err := r.Bool("Verbose", true)
	if err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	out := &describeZonesResponse{}
	out.Zones.Zone = make([]zoneItem, 0, len(reg.zones))
	for _, z := range reg.zones {
		it := zoneItem{ZoneId: z.id, LocalName: localName(en, z.nameZh, z.nameEn), ZoneType: "AvailabilityZone"}
		if verbose {
			it.AvailableResourceCreation = &struct {
				ResourceTypes []string `json:"ResourceTypes"`
			}{[]string{"VSwitch", "IoOptimized", "Instance", "Disk"}}
			it.AvailableInstanceTypes = &struct {
				InstanceTypes []string `json:"InstanceTypes"`
			}{reg.instanceTypesAvail}
			it.AvailableDiskCategories = &struct {
				DiskCategories []string `json:"DiskCategories"`
			}{[]string{"cloud_essd", "cloud_auto", "cloud_efficiency"}}
		}
		out.Zones.Zone = append(out.Zones.Zone, it)
	}
	return out, nil
}

var lookupPaging = pagingRules{kind: "lookup", pageSizeMax: 50, maxMin: 1, maxMax: 50, maxDefault: 10}

// pagePlain pages by PageNumber/PageSize only, as DescribeVpcs and
// DescribeVSwitches do.
func pagePlain(r *Request) (paging, error) {
	page, err := intParam(r, "PageNumber", 1, 1, 1<<30)
	if err != nil {
		return paging{}, err
	}
	size, err := intParam(r, "PageSize", 10, 1, lookupPaging.pageSizeMax)
	if err != nil {
		return paging{}, err
	}
	return paging{page: page, limit: size}, nil
}

func optionalBool(r *Request, name string) (*bool, error) {
	if r.String(name) == "" {
		return nil, nil
	}
	b, err := r.Bool(name, false)
	return &b, err
}

type vpcItem struct {
	VpcId        string `json:"VpcId"`
	RegionId     string `json:"RegionId"`
	Status       string `json:"Status"`
	VpcName      string `json:"VpcName"`
	CreationTime string `json:"CreationTime"`
	CidrBlock    string `json:"CidrBlock"`
	VRouterId    string `json:"VRouterId"`
	Description  string `json:"Description"`
	IsDefault    bool   `json:"IsDefault"`
	VSwitchIds   struct {
		VSwitchId []string `json:"VSwitchId"`
	} `json:"VSwitchIds"`
	UserCidrs struct {
		UserCidr []string `json:"UserCidr"`
	} `json:"UserCidrs"`
}

type describeVpcsResponse struct {
	pageMeta
	Vpcs struct {
		Vpc []vpcItem `json:"Vpc"`
	} `json:"Vpcs"`
}

func (w *World) describeVpcs(_ context.Context, r *Request) (any, error) {
	pg, err := pagePlain(r)
	if err != nil {
		return nil, err
	}
	isDefault, err := optionalBool(r, "IsDefault")
	if err != nil {
		return nil, err
	}
	id := r.String("VpcId")
	w.mu.RLock()
	defer w.mu.RUnlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	match := func(v *vpc) bool {
		return (id == "" || v.id == id) && (isDefault == nil || v.isDefault == *isDefault)
	}
	page, total, next := pageOf(reg.vpcs, indexKey, match, pg, 0, "")
	out := &describeVpcsResponse{pageMeta: metaOf(pg, total, next)}
	out.Vpcs.Vpc = make([]vpcItem, 0, len(page))
	for _, v := range page {
		it := vpcItem{VpcId: v.id, RegionId: reg.id, Status: "Available", VpcName: v.name, CreationTime: apiTime(v.created),
			CidrBlock: v.cidr.String(), VRouterId: v.vrouterID, Description: v.description, IsDefault: v.isDefault}
		it.VSwitchIds.VSwitchId = make([]string, 0, len(v.vswitches))
		for _, vs := range v.vswitches {
			it.VSwitchIds.VSwitchId = append(it.VSwitchIds.VSwitchId, vs.id)
		}
		it.UserCidrs.UserCidr = []string{}
		out.Vpcs.Vpc = append(out.Vpcs.Vpc, it)
	}
	return out, nil
}

func indexKey(i int) uint64 { return uint64(i) + 1 }

type vswitchItem struct {
	VSwitchId               string `json:"VSwitchId"`
	VpcId                   string `json:"VpcId"`
	Status                  string `json:"Status"`
	CidrBlock               string `json:"CidrBlock"`
	Ipv6CidrBlock           string `json:"Ipv6CidrBlock,omitempty"`
	ZoneId                  string `json:"ZoneId"`
	AvailableIpAddressCount int    `json:"AvailableIpAddressCount"`
	Description             string `json:"Description"`
	VSwitchName             string `json:"VSwitchName"`
	CreationTime            string `json:"CreationTime"`
	IsDefault               bool   `json:"IsDefault"`
	ResourceGroupId         string `json:"ResourceGroupId"`
}

type describeVSwitchesResponse struct {
	pageMeta
	VSwitches struct {
		VSwitch []vswitchItem `json:"VSwitch"`
	} `json:"VSwitches"`
}

func (w *World) describeVSwitches(_ context.Context, r *Request) (any, error) {
	pg, err := pagePlain(r)
	if err != nil {
		return nil, err
	}
	isDefault, err := optionalBool(r, "IsDefault")
	if err != nil {
		return nil, err
	}
	vpcID, zoneID, id := r.String("VpcId"), r.String("ZoneId"), r.String("VSwitchId")
	w.mu.RLock()
	defer w.mu.RUnlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	var all []*vswitch
	for _, v := range reg.vpcs {
		all = append(all, v.vswitches...)
	}
	match := func(vs *vswitch) bool {
		return (vpcID == "" || vs.vpc.id == vpcID) && (zoneID == "" || vs.zone.id == zoneID) &&
			(id == "" || vs.id == id) && (isDefault == nil || vs.isDefault == *isDefault)
	}
	page, total, next := pageOf(all, indexKey, match, pg, 0, "")
	out := &describeVSwitchesResponse{pageMeta: metaOf(pg, total, next)}
	out.VSwitches.VSwitch = make([]vswitchItem, 0, len(page))
	for _, vs := range page {
		it := vswitchItem{VSwitchId: vs.id, VpcId: vs.vpc.id, Status: "Available", CidrBlock: vs.cidr.String(),
			ZoneId: vs.zone.id, AvailableIpAddressCount: vs.pool.free(), Description: vs.description,
			VSwitchName: vs.name, CreationTime: apiTime(vs.created), IsDefault: vs.isDefault, ResourceGroupId: vs.resourceGroup}
		if vs.ipv6.IsValid() {
			it.Ipv6CidrBlock = vs.ipv6.String()
		}
		out.VSwitches.VSwitch = append(out.VSwitches.VSwitch, it)
	}
	return out, nil
}

// errDryRun is the cloud's answer to a DryRun that would have succeeded.
func errDryRun() error {
	return newAPIErr(http.StatusBadRequest, "DryRunOperation", "Request validation has been passed with DryRun flag set.")
}
