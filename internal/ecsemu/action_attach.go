package ecsemu

import (
	"context"
	"net/http"
	"strings"
)

// AttachNetworkInterface, DetachNetworkInterface and DeleteNetworkInterface
// check their preconditions under the write lock, move the ENI into its
// transitional state and arm the timer that completes it
// (world_lifecycle.go). Their answer is only the RequestId.

type emptyBody struct{}

// idsParam reads the ENI and (when wantInstance) instance IDs and rejects
// malformed ones.
func idsParam(r *Request, wantInstance bool) (eniID, instID string, err error) {
	eniID, instID = r.String("NetworkInterfaceId"), r.String("InstanceId")
	switch {
	case eniID == "":
		return "", "", errParamMissing("NetworkInterfaceId")
	case wantInstance && instID == "":
		return "", "", errParamMissing("InstanceId")
	case !strings.HasPrefix(eniID, "eni-"):
		return "", "", newAPIErr(http.StatusBadRequest, "InvalidParams.EniId", "The specified EniId %q is invalid.", eniID)
	case wantInstance && !strings.HasPrefix(instID, "i-"):
		return "", "", newAPIErr(http.StatusBadRequest, "InvalidInstanceID.Malformed",
			"The specified InstanceId %q is invalid.", instID)
	}
	return eniID, instID, nil
}

func (w *World) lookupENI(reg *region, id string, notFoundStatus int) (*eni, error) {
	e, ok := w.enis[id]
	if !ok || e.region != reg {
		return nil, newAPIErr(notFoundStatus, "InvalidEniId.NotFound", "The specified ENI %q does not exist.", id)
	}
	return e, nil
}

func (w *World) lookupInstance(reg *region, id string) (*instance, error) {
	inst, ok := w.instances[id]
	if !ok || inst.region != reg {
		return nil, newAPIErr(http.StatusNotFound, "InvalidEcsId.NotFound", "The specified instance %q does not exist.", id)
	}
	return inst, nil
}

func errENIState(e *eni) error {
	return newAPIErr(http.StatusBadRequest, "InvalidOperation.InvalidEniState",
		"The operation is not allowed in the current ENI state %q.", e.status)
}

func errServiceManaged(e *eni) error {
	return newAPIErr(http.StatusForbidden, "InvalidOperation.EniServiceManaged",
		"The ENI %q is managed by a cloud service.", e.id)
}

func checkInstanceState(inst *instance) error {
	if inst.status != "Running" && inst.status != "Stopped" {
		return newAPIErr(http.StatusBadRequest, "InvalidOperation.InvalidEcsState",
			"The operation is not allowed in the current instance state %q.", inst.status)
	}
	if inst.status == "Running" && !inst.typ.hotPlug {
		return newAPIErr(http.StatusForbidden, "InvalidOperation.HotPlugNotSupport",
			"The instance type %q does not support attaching or detaching ENIs while the instance is running.", inst.typ.id)
	}
	return nil
}

func (w *World) attachNetworkInterface(_ context.Context, r *Request) (any, error) {
	eniID, instID, err := idsParam(r, true)
	if err != nil {
		return nil, err
	}
	card := -1
	if r.String("NetworkCardIndex") != "" {
		if card, err = r.Int("NetworkCardIndex", -1); err != nil || card < 0 {
			return nil, errCardIndex()
		}
	}
	if r.String("TrunkNetworkInstanceId") != "" {
		return nil, newAPIErr(http.StatusForbidden, "InvalidParameter.EniNotBelongTrunk",
			"The specified ENI %q is not in trunk mode.", r.String("TrunkNetworkInstanceId"))
	}
	if _, err := r.Bool("WaitForNetworkConfigurationReady", false); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	e, err := w.lookupENI(reg, eniID, http.StatusNotFound)
	if err != nil {
		return nil, err
	}
	inst, err := w.lookupInstance(reg, instID)
	if err != nil {
		return nil, err
	}
	if e.serviceManaged {
		return nil, errServiceManaged(e)
	}
	if e.status != eniAvailable {
		return nil, errENIState(e)
	}
	if err := checkInstanceState(inst); err != nil {
		return nil, err
	}
	if err := checkAttachable(e, inst, card); err != nil {
		return nil, err
	}
	w.bind(e, inst, card)
	w.setStatus(e, eniAttaching)
	w.schedule(e)
	return emptyBody{}, nil
}

func errCardIndex() error {
	return newAPIErr(http.StatusBadRequest, "InvalidParameter.NetworkCardIndexInvalid",
		"The network card index is invalid or the current ECS/ENI type does not support the value.")
}

// checkAttachable enforces placement and the instance type's limits.
func checkAttachable(e *eni, inst *instance, card int) error {
	t := inst.typ
	switch {
	case e.vpc != inst.vpc:
		return newAPIErr(http.StatusForbidden, "InvalidOperation.VpcMismatch",
			"The ENI %q and the instance %q are not in the same VPC.", e.id, inst.id)
	case e.zone != inst.zone:
		return newAPIErr(http.StatusForbidden, "InvalidOperation.AvailabilityZoneMismatch",
			"The ENI %q and the instance %q are not in the same zone.", e.id, inst.id)
	case card >= t.networkCards:
		return errCardIndex()
	case len(inst.enis) >= t.eniQuantity:
		return newAPIErr(http.StatusForbidden, "EniPerInstanceLimitExceeded",
			"The instance type %q supports at most %d ENIs.", t.id, t.eniQuantity)
	case 1+len(e.secondaryIPs) > t.eniPrivateIPs:
		return newAPIErr(http.StatusForbidden, "InvalidOperation.Ipv4CountExceeded",
			"The instance type %q supports at most %d private IPv4 addresses per ENI.", t.id, t.eniPrivateIPs)
	case len(e.ipv6) > t.eniIPv6:
		return newAPIErr(http.StatusForbidden, "InvalidOperation.Ipv6CountExceeded",
			"The instance type %q supports at most %d IPv6 addresses per ENI.", t.id, t.eniIPv6)
	case inst.primary != nil && len(e.groups) > 0 && len(inst.primary.groups) > 0 &&
		e.groups[0].kind != inst.primary.groups[0].kind:
		return newAPIErr(http.StatusForbidden, "InvalidOperation.MultiGroupType",
			"The specified instance can't join different types of security group.")
	}
	queues, rdma, pairs := queuesOf(e, t), 0, queuePairsOf(e, t)
	for _, o := range inst.enis {
		queues += queuesOf(o, t)
		if o.trafficMode == trafficHighPerformance {
			rdma++
			pairs += queuePairsOf(o, t)
		}
	}
	if queues > t.totalQueues {
		return newAPIErr(http.StatusForbidden, "InvalidOperation.ExceedInstanceTypeQueueNumber",
			"The ENIs of the instance would use %d queues; the instance type %q supports %d.", queues, t.id, t.totalQueues)
	}
	// CreateNetworkInterface's reference: QueueNumber may not exceed the
	// type's MaximumQueueNumberPerEni once attached.
	if e.queueNumber > t.maxQueuesPerENI {
		return newAPIErr(http.StatusForbidden, "InvalidOperation.MaxEniQueueNumberExceeded",
			"The ENI %q has %d queues; the instance type %q supports at most %d per ENI.", e.id, e.queueNumber, t.id, t.maxQueuesPerENI)
	}
	if e.trafficMode == trafficHighPerformance {
		if t.eriQuantity == 0 {
			return newAPIErr(http.StatusForbidden, "InvalidOperation.InstanceTypeNotSupportHighPerformanceTrafficMode",
				"The instance type %q does not support ENIs in the HighPerformance traffic mode.", t.id)
		}
		if rdma >= t.eriQuantity {
			return newAPIErr(http.StatusForbidden, "EniPerInstanceLimitExceeded",
				"The instance type %q supports at most %d HighPerformance ENIs.", t.id, t.eriQuantity)
		}
		if pairs > t.queuePairs {
			return newAPIErr(http.StatusForbidden, "InvalidOperation.ExceedInstanceTypeQueueNumber",
				"The HighPerformance ENIs of the instance would use %d queue pairs; the instance type %q supports %d.",
				pairs, t.id, t.queuePairs)
		}
	}
	return nil
}

// queuePairsOf is an RDMA ENI's QueuePairNumber; without one it takes
// every queue pair of the instance type, as the reference warns.
func queuePairsOf(e *eni, t *instanceType) int {
	if e.queuePairNumber > 0 {
		return e.queuePairNumber
	}
	return t.queuePairs
}

func queuesOf(e *eni, t *instanceType) int {
	switch {
	case e.queueNumber > 0:
		return e.queueNumber
	case e.typ == eniPrimary:
		return t.primaryQueues
	}
	return t.secondaryQueues
}

func (w *World) detachNetworkInterface(_ context.Context, r *Request) (any, error) {
	eniID, instID, err := idsParam(r, true)
	if err != nil {
		return nil, err
	}
	if r.String("TrunkNetworkInstanceId") != "" {
		return nil, newAPIErr(http.StatusForbidden, "InvalidParameter.EniNotBelongTrunk",
			"The specified ENI %q is not in trunk mode.", r.String("TrunkNetworkInstanceId"))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	e, err := w.lookupENI(reg, eniID, http.StatusNotFound)
	if err != nil {
		return nil, err
	}
	inst, err := w.lookupInstance(reg, instID)
	if err != nil {
		return nil, err
	}
	switch {
	case e.typ == eniPrimary:
		return nil, newAPIErr(http.StatusBadRequest, "InvalidOperation.DetachPrimaryEniNotAllowed",
			"The primary ENI %q cannot be detached.", e.id)
	case e.serviceManaged:
		return nil, errServiceManaged(e)
	case e.status != eniInUse && e.status != eniDetaching:
		return nil, errENIState(e)
	case e.instance != inst:
		return nil, newAPIErr(http.StatusBadRequest, "InvalidParameter.EniNotBelongEcs",
			"The ENI %q is not attached to the instance %q.", e.id, inst.id)
	}
	if err := checkInstanceState(inst); err != nil {
		return nil, err
	}
	if e.status == eniDetaching {
		if e.timer == nil {
			w.schedule(e) // repeating the call re-arms a stalled detach
		}
		return emptyBody{}, nil
	}
	w.setStatus(e, eniDetaching)
	w.schedule(e)
	return emptyBody{}, nil
}

func (w *World) deleteNetworkInterface(_ context.Context, r *Request) (any, error) {
	eniID, _, err := idsParam(r, false)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	// DeleteNetworkInterface's reference lists InvalidEniId.NotFound as 403.
	e, err := w.lookupENI(reg, eniID, http.StatusForbidden)
	if err != nil {
		return nil, err
	}
	switch {
	case e.serviceManaged:
		return nil, errServiceManaged(e)
	case e.typ == eniPrimary:
		return nil, newAPIErr(http.StatusForbidden, "InvalidOperation.InvalidEniType",
			"The primary ENI %q cannot be deleted.", e.id)
	case e.status == eniDeleting:
		if e.timer == nil {
			w.schedule(e) // repeating the call re-arms a stalled delete
		}
		return emptyBody{}, nil
	case e.status != eniAvailable:
		return nil, errENIState(e)
	}
	w.setStatus(e, eniDeleting)
	w.schedule(e)
	return emptyBody{}, nil
}
