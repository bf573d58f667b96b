package eni

import "slices"

// Equal reports whether e and o are the same reading of an ENI: every
// attribute alike, times compared as instants (whatever their location),
// an empty list the same as none. It is what reflect.DeepEqual would say
// of them so normalised, without its cost: live views compare each ENI
// they show with its new reading.
func (e *ENI) Equal(o *ENI) bool {
	if e.ID != o.ID || e.Name != o.Name || e.Description != o.Description || e.Status != o.Status ||
		e.Type != o.Type || e.RegionID != o.RegionID || e.ZoneID != o.ZoneID || e.VpcID != o.VpcID ||
		e.VSwitchID != o.VSwitchID || e.InstanceID != o.InstanceID || e.MAC != o.MAC ||
		e.PrimaryIP != o.PrimaryIP || e.ResourceGroupID != o.ResourceGroupID || e.OwnerID != o.OwnerID ||
		e.ServiceManaged != o.ServiceManaged || e.ServiceID != o.ServiceID || e.QueueNumber != o.QueueNumber ||
		e.QueuePairNumber != o.QueuePairNumber || e.TrafficMode != o.TrafficMode ||
		e.DeleteOnRelease != o.DeleteOnRelease || e.SourceDestCheck != o.SourceDestCheck ||
		!e.CreatedAt.Equal(o.CreatedAt) {
		return false
	}
	if !slices.Equal(e.IPv6, o.IPv6) || !slices.Equal(e.IPv4Prefixes, o.IPv4Prefixes) ||
		!slices.Equal(e.IPv6Prefixes, o.IPv6Prefixes) || !slices.Equal(e.SecurityGroups, o.SecurityGroups) ||
		!slices.Equal(e.Tags, o.Tags) || !equalPtr(e.PublicIP, o.PublicIP) || !equalPtr(e.Attachment, o.Attachment) {
		return false
	}
	return slices.EqualFunc(e.PrivateIPs, o.PrivateIPs, func(a, b PrivateIP) bool {
		return a.Address == b.Address && a.Primary == b.Primary && equalPtr(a.PublicIP, b.PublicIP)
	})
}

// equalPtr compares what two pointers point to; nil only equals nil.
func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
