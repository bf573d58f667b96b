package ecsemu

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// ModifyNetworkInterfaceAttribute changes an ENI's name, description,
// security groups (the whole new set), DeleteOnRelease, SourceDestCheck and
// queue number. It is synchronous: DescribeNetworkInterfaces shows the
// change at once. Only the parameters sent are changed; a name or
// description sent empty clears it (both are empty by default).

// modifySpec is a syntactically valid ModifyNetworkInterfaceAttribute.
type modifySpec struct {
	eniID           string
	name, desc      *string
	sgIDs           []string // nil: not sent
	deleteOnRelease *bool
	sourceDestCheck *bool
	queue           int // 0: not sent
}

func parseModifySpec(r *Request) (*modifySpec, error) {
	id, _, err := idsParam(r, false)
	if err != nil {
		return nil, err
	}
	s := &modifySpec{eniID: id}
	if v := r.String("NetworkInterfaceName"); r.Has("NetworkInterfaceName") {
		if v != "" && !validENIName(v) {
			return nil, newAPIErr(http.StatusForbidden, "InvalidParams.NetworkInterfaceName",
				"The name must be 2 to 128 characters long and contain only letters, digits, colons (:), underscores (_), periods (.) and hyphens (-).")
		}
		s.name = &v
	}
	if v := r.String("Description"); r.Has("Description") {
		if n := utf8.RuneCountInString(v); v != "" && (n < 2 || n > 256 || hasURLPrefix(v)) {
			return nil, errParamInvalid("Description")
		}
		s.desc = &v
	}
	if s.sgIDs, err = modifyGroupsParam(r); err != nil {
		return nil, err
	}
	if s.deleteOnRelease, err = optionalBool(r, "DeleteOnRelease"); err != nil {
		return nil, err
	}
	if s.sourceDestCheck, err = optionalBool(r, "SourceDestCheck"); err != nil {
		return nil, err
	}
	if v := r.String("QueueNumber"); v != "" {
		q, err := r.Int("QueueNumber", 0)
		if err != nil {
			return nil, err
		}
		if q < 1 || q > 2048 {
			return nil, newAPIErr(http.StatusForbidden, "InvalidParameter.InvalidEniQueueNumber",
				"The QueueNumber must be between 1 and 2048.")
		}
		s.queue = q
	}
	// The preview parameters are checked as CreateNetworkInterface checks them.
	if err := (&createSpec{}).parseHidden(r); err != nil {
		return nil, err
	}
	return s, nil
}

// modifyGroupsParam reads SecurityGroupId.N, or SecurityGroupId as a JSON
// array as the reference's example sends it.
func modifyGroupsParam(r *Request) ([]string, error) {
	ids, err := listParam(r, "SecurityGroupId", 100)
	if err != nil {
		return nil, err
	}
	if v := strings.TrimSpace(r.String("SecurityGroupId")); v != "" {
		if len(ids) > 0 || !strings.HasPrefix(v, "[") {
			return nil, errParamInvalid("SecurityGroupId")
		}
		if err := json.Unmarshal([]byte(v), &ids); err != nil || len(ids) == 0 {
			return nil, errParamInvalid("SecurityGroupId")
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	for i, id := range ids {
		if id == "" {
			return nil, errParamInvalid("SecurityGroupId")
		}
		if slices.Contains(ids[:i], id) {
			return nil, newAPIErr(http.StatusBadRequest, "InvalidParameter.SecurityGroupIdRepeated",
				"The security group %q is specified more than once.", id)
		}
	}
	if len(ids) > maxGroupsPerENI {
		return nil, newAPIErr(http.StatusBadRequest, "JoinedGroupLimitExceed",
			"An ENI can join at most %d security groups.", maxGroupsPerENI)
	}
	return ids, nil
}

func (w *World) modifyNetworkInterfaceAttribute(_ context.Context, r *Request) (any, error) {
	s, err := parseModifySpec(r)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	e, err := w.lookupENI(reg, s.eniID, http.StatusNotFound)
	if err != nil {
		return nil, err
	}
	if e.serviceManaged {
		return nil, errServiceManaged(e)
	}
	if e.status != eniAvailable && e.status != eniInUse {
		return nil, errENIState(e)
	}
	var groups []*secGroup
	if s.sgIDs != nil {
		if groups, err = w.modifyGroups(reg, e, s.sgIDs); err != nil {
			return nil, err
		}
	}
	if s.queue > 0 {
		if err := checkQueueChange(e, s.queue); err != nil {
			return nil, err
		}
	}
	// Every check passed: apply the change as a whole.
	if s.name != nil {
		e.name = *s.name
	}
	if s.desc != nil {
		e.description = *s.desc
	}
	if groups != nil {
		e.groups = groups
	}
	if s.deleteOnRelease != nil {
		e.deleteOnRelease = *s.deleteOnRelease
	}
	if s.sourceDestCheck != nil {
		e.sourceDestCheck = *s.sourceDestCheck
	}
	if s.queue > 0 {
		e.queueNumber = s.queue
	}
	return emptyBody{}, nil
}

// modifyGroups resolves the new set of groups: in the region, in the ENI's
// VPC, of one kind, and of the kind of the instance's groups when attached.
// The reference lets only secondary ENIs change their groups.
func (w *World) modifyGroups(reg *region, e *eni, ids []string) ([]*secGroup, error) {
	if e.typ == eniPrimary {
		return nil, errENIType(e)
	}
	groups := make([]*secGroup, 0, len(ids))
	for _, id := range ids {
		g, ok := w.groups[id]
		if !ok || g.region != reg {
			return nil, newAPIErr(http.StatusNotFound, "InvalidSecurityGroupId.NotFound",
				"The specified security group %q does not exist.", id)
		}
		if g.vpc != e.vpc {
			return nil, newAPIErr(http.StatusForbidden, "InvalidOperation.VpcMismatch",
				"The security group %q and the ENI %q are not in the same VPC.", id, e.id)
		}
		if len(groups) > 0 && groups[0].kind != g.kind {
			return nil, errMultiGroupType()
		}
		groups = append(groups, g)
	}
	if inst := e.instance; inst != nil && inst.primary != nil && len(inst.primary.groups) > 0 &&
		inst.primary.groups[0].kind != groups[0].kind {
		return nil, errMultiGroupType()
	}
	return groups, nil
}

func errMultiGroupType() error {
	return newAPIErr(http.StatusForbidden, "InvalidOperation.MultiGroupType",
		"The specified instance can't join different types of security group.")
}

func errENIType(e *eni) error {
	return newAPIErr(http.StatusForbidden, "InvalidOperation.InvalidEniType",
		"The operation is not supported for the %s ENI %q.", strings.ToLower(e.typ), e.id)
}

// checkQueueChange applies the reference's queue rules: secondary ENIs
// only, Available or attached to a Stopped instance, within the instance
// type's per-ENI maximum and its total.
func checkQueueChange(e *eni, q int) error {
	if e.typ == eniPrimary {
		return errENIType(e)
	}
	inst := e.instance
	if inst == nil {
		return nil
	}
	if inst.status != "Stopped" {
		return newAPIErr(http.StatusBadRequest, "InvalidOperation.InvalidEcsState",
			"The queue number of an attached ENI can be changed only while its instance is Stopped; it is %q.", inst.status)
	}
	t := inst.typ
	if q > t.maxQueuesPerENI {
		return newAPIErr(http.StatusForbidden, "InvalidOperation.MaxEniQueueNumberExceeded",
			"The instance type %q supports at most %d queues per ENI.", t.id, t.maxQueuesPerENI)
	}
	total := q
	for _, o := range inst.enis {
		if o != e {
			total += queuesOf(o, t)
		}
	}
	if total > t.totalQueues {
		return newAPIErr(http.StatusForbidden, "InvalidOperation.ExceedInstanceTypeQueueNumber",
			"The ENIs of the instance would use %d queues; the instance type %q supports %d.", total, t.id, t.totalQueues)
	}
	return nil
}
