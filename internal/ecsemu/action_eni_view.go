package ecsemu

import (
	"net/netip"
	"time"
)

// Response shapes of ENIs, with the field names and order of the API
// reference samples (the SDK's models name the same fields).

const timeLayout = "2006-01-02T15:04:05Z"

func apiTime(t time.Time) string { return t.UTC().Format(timeLayout) }

type privateIPSet struct {
	PrivateIpAddress string `json:"PrivateIpAddress"`
	Primary          bool   `json:"Primary"`
}

type privateIPSets struct {
	PrivateIpSet []privateIPSet `json:"PrivateIpSet"`
}

type ipv6Set struct {
	Ipv6Address string `json:"Ipv6Address"`
}

type ipv6Sets struct {
	Ipv6Set []ipv6Set `json:"Ipv6Set"`
}

type ipv4PrefixSet struct {
	Ipv4Prefix string `json:"Ipv4Prefix"`
}

type ipv4PrefixSets struct {
	Ipv4PrefixSet []ipv4PrefixSet `json:"Ipv4PrefixSet"`
}

type ipv6PrefixSet struct {
	Ipv6Prefix string `json:"Ipv6Prefix"`
}

type ipv6PrefixSets struct {
	Ipv6PrefixSet []ipv6PrefixSet `json:"Ipv6PrefixSet"`
}

type tagItem struct {
	TagValue string `json:"TagValue"`
	TagKey   string `json:"TagKey"`
}

type tagSet struct {
	Tag []tagItem `json:"Tag"`
}

type securityGroupIDs struct {
	SecurityGroupId []string `json:"SecurityGroupId"`
}

type eniAttachment struct {
	DeviceIndex      int    `json:"DeviceIndex"`
	InstanceId       string `json:"InstanceId"`
	NetworkCardIndex *int   `json:"NetworkCardIndex,omitempty"`
}

// eniItem is one NetworkInterfaceSets.NetworkInterfaceSet entry.
type eniItem struct {
	CreationTime                string           `json:"CreationTime"`
	VpcId                       string           `json:"VpcId"`
	Type                        string           `json:"Type"`
	Status                      string           `json:"Status"`
	NetworkInterfaceTrafficMode string           `json:"NetworkInterfaceTrafficMode"`
	NetworkInterfaceName        string           `json:"NetworkInterfaceName"`
	MacAddress                  string           `json:"MacAddress"`
	QueuePairNumber             *int             `json:"QueuePairNumber,omitempty"`
	NetworkInterfaceId          string           `json:"NetworkInterfaceId"`
	ServiceID                   *int64           `json:"ServiceID,omitempty"`
	InstanceId                  string           `json:"InstanceId"`
	OwnerId                     string           `json:"OwnerId"`
	ServiceManaged              bool             `json:"ServiceManaged"`
	VSwitchId                   string           `json:"VSwitchId"`
	Description                 string           `json:"Description"`
	ResourceGroupId             string           `json:"ResourceGroupId"`
	ZoneId                      string           `json:"ZoneId"`
	PrivateIpAddress            string           `json:"PrivateIpAddress"`
	QueueNumber                 *int             `json:"QueueNumber,omitempty"`
	PrivateIpSets               privateIPSets    `json:"PrivateIpSets"`
	Ipv6Sets                    ipv6Sets         `json:"Ipv6Sets"`
	Ipv4PrefixSets              ipv4PrefixSets   `json:"Ipv4PrefixSets"`
	Ipv6PrefixSets              ipv6PrefixSets   `json:"Ipv6PrefixSets"`
	Tags                        tagSet           `json:"Tags"`
	SecurityGroupIds            securityGroupIDs `json:"SecurityGroupIds"`
	Attachment                  *eniAttachment   `json:"Attachment,omitempty"`
	DeleteOnRelease             bool             `json:"DeleteOnRelease"`
	SourceDestCheck             bool             `json:"SourceDestCheck"`
}

func privateIPsOf(e *eni) privateIPSets {
	s := privateIPSets{PrivateIpSet: make([]privateIPSet, 0, 1+len(e.secondaryIPs))}
	s.PrivateIpSet = append(s.PrivateIpSet, privateIPSet{PrivateIpAddress: e.primaryIP.String(), Primary: true})
	for _, a := range e.secondaryIPs {
		s.PrivateIpSet = append(s.PrivateIpSet, privateIPSet{PrivateIpAddress: a.String()})
	}
	return s
}

func ipv6Of(addrs []netip.Addr) ipv6Sets {
	s := ipv6Sets{Ipv6Set: make([]ipv6Set, 0, len(addrs))}
	for _, a := range addrs {
		s.Ipv6Set = append(s.Ipv6Set, ipv6Set{Ipv6Address: a.String()})
	}
	return s
}

func ipv4PrefixesOf(ps []netip.Prefix) ipv4PrefixSets {
	s := ipv4PrefixSets{Ipv4PrefixSet: make([]ipv4PrefixSet, 0, len(ps))}
	for _, p := range ps {
		s.Ipv4PrefixSet = append(s.Ipv4PrefixSet, ipv4PrefixSet{Ipv4Prefix: p.String()})
	}
	return s
}

func ipv6PrefixesOf(ps []netip.Prefix) ipv6PrefixSets {
	s := ipv6PrefixSets{Ipv6PrefixSet: make([]ipv6PrefixSet, 0, len(ps))}
	for _, p := range ps {
		s.Ipv6PrefixSet = append(s.Ipv6PrefixSet, ipv6PrefixSet{Ipv6Prefix: p.String()})
	}
	return s
}

func tagsOf(tags []TagParam) tagSet {
	s := tagSet{Tag: make([]tagItem, 0, len(tags))}
	for _, t := range tags {
		s.Tag = append(s.Tag, tagItem{TagKey: t.Key, TagValue: t.Value})
	}
	return s
}

func groupIDsOf(groups []*secGroup) securityGroupIDs {
	s := securityGroupIDs{SecurityGroupId: make([]string, 0, len(groups))}
	for _, g := range groups {
		s.SecurityGroupId = append(s.SecurityGroupId, g.id)
	}
	return s
}

// queueNumberOf follows the reference: a primary ENI reports its instance
// type's default; a secondary one its own setting, else the type's default
// while attached, else nothing.
func queueNumberOf(e *eni) *int {
	n := e.queueNumber
	if n == 0 && e.instance != nil {
		n = e.instance.typ.secondaryQueues
		if e.typ == eniPrimary {
			n = e.instance.typ.primaryQueues
		}
	}
	if n == 0 {
		return nil
	}
	return &n
}

func eniItemOf(e *eni) eniItem {
	it := eniItem{
		CreationTime:                apiTime(e.created),
		VpcId:                       e.vpc.id,
		Type:                        e.typ,
		Status:                      e.status,
		NetworkInterfaceTrafficMode: e.trafficMode,
		NetworkInterfaceName:        e.name,
		MacAddress:                  e.mac,
		NetworkInterfaceId:          e.id,
		OwnerId:                     ownerID,
		ServiceManaged:              e.serviceManaged,
		VSwitchId:                   e.vswitch.id,
		Description:                 e.description,
		ResourceGroupId:             e.resourceGroup,
		ZoneId:                      e.zone.id,
		PrivateIpAddress:            e.primaryIP.String(),
		QueueNumber:                 queueNumberOf(e),
		PrivateIpSets:               privateIPsOf(e),
		Ipv6Sets:                    ipv6Of(e.ipv6),
		Ipv4PrefixSets:              ipv4PrefixesOf(e.ipv4Prefixes),
		Ipv6PrefixSets:              ipv6PrefixesOf(e.ipv6Prefixes),
		Tags:                        tagsOf(e.tags),
		SecurityGroupIds:            groupIDsOf(e.groups),
		DeleteOnRelease:             e.deleteOnRelease,
		SourceDestCheck:             e.sourceDestCheck,
	}
	if e.queuePairNumber > 0 {
		qp := e.queuePairNumber
		it.QueuePairNumber = &qp
	}
	if e.serviceManaged {
		id := e.serviceID
		it.ServiceID = &id
	}
	if e.instance != nil {
		it.InstanceId = e.instance.id
		a := &eniAttachment{DeviceIndex: e.deviceIndex, InstanceId: e.instance.id}
		if e.networkCardIndex >= 0 {
			c := e.networkCardIndex
			a.NetworkCardIndex = &c
		}
		it.Attachment = a
	}
	return it
}

// createNetworkInterfaceResponse is CreateNetworkInterface's body; it is
// kept per ClientToken so retries get the same answer.
type createNetworkInterfaceResponse struct {
	Status               string           `json:"Status"`
	Type                 string           `json:"Type"`
	VpcId                string           `json:"VpcId"`
	NetworkInterfaceName string           `json:"NetworkInterfaceName"`
	MacAddress           string           `json:"MacAddress"`
	NetworkInterfaceId   string           `json:"NetworkInterfaceId"`
	OwnerId              string           `json:"OwnerId"`
	ServiceManaged       bool             `json:"ServiceManaged"`
	VSwitchId            string           `json:"VSwitchId"`
	Description          string           `json:"Description"`
	ResourceGroupId      string           `json:"ResourceGroupId"`
	ZoneId               string           `json:"ZoneId"`
	PrivateIpAddress     string           `json:"PrivateIpAddress"`
	SecurityGroupIds     securityGroupIDs `json:"SecurityGroupIds"`
	PrivateIpSets        privateIPSets    `json:"PrivateIpSets"`
	Tags                 tagSet           `json:"Tags"`
	Ipv6Sets             ipv6Sets         `json:"Ipv6Sets"`
	Ipv4PrefixSets       ipv4PrefixSets   `json:"Ipv4PrefixSets"`
	Ipv6PrefixSets       ipv6PrefixSets   `json:"Ipv6PrefixSets"`
	SourceDestCheck      bool             `json:"SourceDestCheck"`
}

func createResponseOf(e *eni) *createNetworkInterfaceResponse {
	return &createNetworkInterfaceResponse{
		Status:               e.status,
		Type:                 e.typ,
		VpcId:                e.vpc.id,
		NetworkInterfaceName: e.name,
		MacAddress:           e.mac,
		NetworkInterfaceId:   e.id,
		OwnerId:              ownerID,
		ServiceManaged:       e.serviceManaged,
		VSwitchId:            e.vswitch.id,
		Description:          e.description,
		ResourceGroupId:      e.resourceGroup,
		ZoneId:               e.zone.id,
		PrivateIpAddress:     e.primaryIP.String(),
		SecurityGroupIds:     groupIDsOf(e.groups),
		PrivateIpSets:        privateIPsOf(e),
		Tags:                 tagsOf(e.tags),
		Ipv6Sets:             ipv6Of(e.ipv6),
		Ipv4PrefixSets:       ipv4PrefixesOf(e.ipv4Prefixes),
		Ipv6PrefixSets:       ipv6PrefixesOf(e.ipv6Prefixes),
		SourceDestCheck:      e.sourceDestCheck,
	}
}
