package aliyun

import (
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

// The SDK's shapes for one ENI, named for readability.
type (
	sdkENI       = ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet
	sdkPrivateIP = ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSetPrivateIpSetsPrivateIpSet
)

// toENI maps one ENI of DescribeNetworkInterfaces. The response does not
// repeat the region, so the caller gives it.
func toENI(region string, s *sdkENI) eni.ENI {
	e := eni.ENI{
		ID:              tea.StringValue(s.NetworkInterfaceId),
		Name:            tea.StringValue(s.NetworkInterfaceName),
		Description:     tea.StringValue(s.Description),
		Status:          eni.Status(tea.StringValue(s.Status)),
		Type:            eni.Type(tea.StringValue(s.Type)),
		RegionID:        region,
		ZoneID:          tea.StringValue(s.ZoneId),
		VpcID:           tea.StringValue(s.VpcId),
		VSwitchID:       tea.StringValue(s.VSwitchId),
		InstanceID:      tea.StringValue(s.InstanceId),
		MAC:             tea.StringValue(s.MacAddress),
		PrimaryIP:       tea.StringValue(s.PrivateIpAddress),
		ResourceGroupID: tea.StringValue(s.ResourceGroupId),
		OwnerID:         tea.StringValue(s.OwnerId),
		ServiceManaged:  tea.BoolValue(s.ServiceManaged),
		ServiceID:       tea.Int64Value(s.ServiceID),
		QueueNumber:     int(tea.Int32Value(s.QueueNumber)),
		QueuePairNumber: int(tea.Int32Value(s.QueuePairNumber)),
		TrafficMode:     tea.StringValue(s.NetworkInterfaceTrafficMode),
		DeleteOnRelease: tea.BoolValue(s.DeleteOnRelease),
		SourceDestCheck: tea.BoolValue(s.SourceDestCheck),
		CreatedAt:       parseTime(tea.StringValue(s.CreationTime)),
	}
	if p := s.AssociatedPublicIp; p != nil {
		e.PublicIP = publicIP(p.PublicIpAddress, p.AllocationId)
	}
	if s.PrivateIpSets != nil {
		for _, ip := range s.PrivateIpSets.PrivateIpSet {
			if ip != nil {
				e.PrivateIPs = append(e.PrivateIPs, privateIP(ip))
			}
		}
	}
	if len(e.PrivateIPs) == 0 && e.PrimaryIP != "" {
		e.PrivateIPs = []eni.PrivateIP{{Address: e.PrimaryIP, Primary: true, PublicIP: e.PublicIP}}
	}
	if s.Ipv6Sets != nil {
		for _, v := range s.Ipv6Sets.Ipv6Set {
			if v != nil && tea.StringValue(v.Ipv6Address) != "" {
				e.IPv6 = append(e.IPv6, tea.StringValue(v.Ipv6Address))
			}
		}
	}
	if s.Ipv4PrefixSets != nil {
		for _, p := range s.Ipv4PrefixSets.Ipv4PrefixSet {
			if p != nil && tea.StringValue(p.Ipv4Prefix) != "" {
				e.IPv4Prefixes = append(e.IPv4Prefixes, tea.StringValue(p.Ipv4Prefix))
			}
		}
	}
	if s.Ipv6PrefixSets != nil {
		for _, p := range s.Ipv6PrefixSets.Ipv6PrefixSet {
			if p != nil && tea.StringValue(p.Ipv6Prefix) != "" {
				e.IPv6Prefixes = append(e.IPv6Prefixes, tea.StringValue(p.Ipv6Prefix))
			}
		}
	}
	if s.SecurityGroupIds != nil {
		for _, id := range s.SecurityGroupIds.SecurityGroupId {
			if tea.StringValue(id) != "" {
				e.SecurityGroups = append(e.SecurityGroups, tea.StringValue(id))
			}
		}
	}
	if s.Tags != nil {
		for _, t := range s.Tags.Tag {
			if t != nil {
				e.Tags = append(e.Tags, eni.Tag{Key: tea.StringValue(t.TagKey), Value: tea.StringValue(t.TagValue)})
			}
		}
	}
	e.Attachment = attachment(s)
	return e
}

func privateIP(ip *sdkPrivateIP) eni.PrivateIP {
	p := eni.PrivateIP{Address: tea.StringValue(ip.PrivateIpAddress), Primary: tea.BoolValue(ip.Primary)}
	if a := ip.AssociatedPublicIp; a != nil {
		p.PublicIP = publicIP(a.PublicIpAddress, a.AllocationId)
	}
	return p
}

// publicIP is nil when no address is associated: the cloud sends an empty
// object then.
func publicIP(addr, allocation *string) *eni.PublicIP {
	if tea.StringValue(addr) == "" {
		return nil
	}
	return &eni.PublicIP{Address: tea.StringValue(addr), AllocationID: tea.StringValue(allocation)}
}

// attachment is nil for an ENI plugged into nothing. The cloud fills
// Attachment for secondary ENIs and only InstanceId for primary ones.
func attachment(s *sdkENI) *eni.Attachment {
	a := &eni.Attachment{InstanceID: tea.StringValue(s.InstanceId)}
	if at := s.Attachment; at != nil {
		if id := tea.StringValue(at.InstanceId); id != "" {
			a.InstanceID = id
		}
		a.DeviceIndex = int(tea.Int32Value(at.DeviceIndex))
		a.NetworkCardIndex = int(tea.Int32Value(at.NetworkCardIndex))
		a.TrunkNetworkInterfaceID = tea.StringValue(at.TrunkNetworkInterfaceId)
	}
	if a.InstanceID == "" && a.TrunkNetworkInterfaceID == "" {
		return nil
	}
	return a
}

// timeLayouts are the forms the cloud writes times in: ISO 8601 in UTC,
// with or without seconds and fractions.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
}

// parseTime reads a time of the cloud; unknown forms give the zero time,
// which views show as unknown.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// sgKind maps DescribeSecurityGroups' SecurityGroupType ("normal" or
// "enterprise") to the domain's kind; anything else is unknown.
func sgKind(t string) eni.SecurityGroupKind {
	switch t {
	case "normal":
		return eni.SGBasic
	case "enterprise":
		return eni.SGEnterprise
	}
	return ""
}
