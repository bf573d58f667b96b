package eni

import (
	"fmt"
	"strings"
)

// The checks below say, before any cloud call, why an action cannot be
// done; "" means it can. They follow the preconditions of the API
// reference, so the operator reads the reason instead of a cloud error.

// ManagedReason is why an ENI a cloud service manages (a NAT gateway, a
// database, a container network) offers no action: the service attaches
// and releases it, and the cloud refuses anyone else
// (InvalidOperation.EniServiceManaged).
const ManagedReason = "it is managed by a cloud service, which attaches, detaches and releases it"

// DetachBlocked explains why e cannot be detached. An ENI flagged stuck in
// Detaching may be detached again: the API reference says to repeat the
// request. stuck is that flag, as the live view shows it (an ENI in its
// transitional state longer than the configured threshold).
func DetachBlocked(e ENI, stuck bool) string {
	switch {
	case e.ServiceManaged:
		return ManagedReason
	case e.Type == TypePrimary:
		return "it is the primary ENI of its instance, which is never detached"
	case e.Status == StatusDetaching && !stuck:
		return "it is Detaching already; the detach can be sent again once it is flagged stuck"
	case e.Status != StatusInUse && e.Status != StatusDetaching:
		return "it is " + string(e.Status) + "; only an InUse ENI can be detached"
	case e.InstanceID == "":
		return "it is not attached to an instance"
	}
	return ""
}

// DeleteBlocked explains why e cannot be deleted. An ENI flagged stuck in
// Deleting may be deleted again, as the API reference advises.
func DeleteBlocked(e ENI, stuck bool) string {
	switch {
	case e.ServiceManaged:
		return ManagedReason
	case e.Type == TypePrimary:
		return "it is the primary ENI of its instance, which goes with the instance"
	case e.Status == StatusDeleting && !stuck:
		return "it is Deleting already; the delete can be sent again once it is flagged stuck"
	case e.Status != StatusAvailable && e.Status != StatusDeleting:
		return "it is " + string(e.Status) + "; only an Available ENI can be deleted (detach it first)"
	}
	return ""
}

// Retry reports whether an action on e would repeat one the cloud has not
// finished: a detach of an ENI in Detaching, a delete of one in Deleting.
func Retry(e ENI) bool {
	return e.Status == StatusDetaching || e.Status == StatusDeleting
}

// AttachBlocked explains why e cannot be attached to any instance.
func AttachBlocked(e ENI) string {
	switch {
	case e.ServiceManaged:
		return ManagedReason
	case e.Type == TypePrimary:
		return "it is a primary ENI"
	case e.Status != StatusAvailable:
		return "it is " + string(e.Status) + "; only an Available ENI can be attached"
	}
	return ""
}

// InstanceBlocked explains why e cannot be attached to inst. attaching is
// how many ENIs are on their way to inst, which its ENICount does not yet
// include. kinds maps the VPC's security groups to their kind; an ENI in
// enterprise groups cannot join an instance in basic ones, nor the other
// way round (the cloud answers InvalidOperation.MultiGroupType). Groups
// of unknown kind are left to the cloud to judge.
func InstanceBlocked(e ENI, inst Instance, attaching int, kinds map[string]SecurityGroupKind) string {
	switch {
	case inst.VpcID != e.VpcID:
		return fmt.Sprintf("it is in %s, the ENI in %s; both must be in the same VPC", inst.VpcID, e.VpcID)
	case inst.ZoneID != e.ZoneID:
		return fmt.Sprintf("it is in zone %s, the ENI in %s; both must be in the same zone", inst.ZoneID, e.ZoneID)
	case inst.Status != "Running" && inst.Status != "Stopped":
		return "it is " + strings.ToLower(inst.Status) + "; an instance must be Running or Stopped"
	}
	if ek, ik := GroupsKind(e.SecurityGroups, kinds), GroupsKind(inst.SecurityGroupIDs, kinds); ek != "" && ik != "" && ek != ik {
		return fmt.Sprintf("its security groups are %s, the ENI's %s; an ENI and its instance must be in security groups of one kind", ik, ek)
	}
	if inst.ENILimit > 0 && inst.ENICount+attaching >= inst.ENILimit {
		return fmt.Sprintf("it has %d of the %d ENIs its type %s allows", inst.ENICount+attaching, inst.ENILimit, inst.Type)
	}
	return ""
}

// GroupsKind is the kind of the groups ids, the first one known; "" when
// none is known.
func GroupsKind(ids []string, kinds map[string]SecurityGroupKind) SecurityGroupKind {
	for _, id := range ids {
		if k := kinds[id]; k != "" {
			return k
		}
	}
	return ""
}

// GroupKinds maps each group to its kind.
func GroupKinds(groups []SecurityGroup) map[string]SecurityGroupKind {
	m := make(map[string]SecurityGroupKind, len(groups))
	for _, g := range groups {
		m[g.ID] = g.Kind
	}
	return m
}
