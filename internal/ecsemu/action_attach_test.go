package ecsemu

import (
	"testing"
)

// newENI creates an Available ENI in vs with its VPC's first security group
// (unless kv starts with SecurityGroupId) and the extra parameters kv.
func newENI(t *testing.T, w *World, vs *vswitch, kv ...string) string {
	t.Helper()
	args := []string{"RegionId", vs.vpc.region.id, "VSwitchId", vs.id}
	if len(kv) == 0 || kv[0] != "SecurityGroupId" {
		args = append(args, "SecurityGroupId", vs.vpc.groups[0].id)
	}
	return mustCall[*createNetworkInterfaceResponse](t, w, "CreateNetworkInterface", append(args, kv...)...).NetworkInterfaceId
}

func TestAttachNetworkInterfacePreconditions(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	spareH, spareI := w.eniNamed(t, "spare-h-00").id, w.eniNamed(t, "spare-i-01").id
	web1, web2 := w.instanceNamed(t, "web-prod-01").id, w.instanceNamed(t, "web-prod-02").id
	maint, jump := w.instanceNamed(t, "maint-01").id, w.instanceNamed(t, "default-jump-01").id
	burst, stgApp := w.instanceNamed(t, "staging-burst-01").id, w.instanceNamed(t, "staging-app-01").id
	managed := w.groupless(t)
	jumpVS, stgK := w.instanceNamed(t, "default-jump-01").vswitch, w.vswitchNamed(t, "staging-k")
	manyIPv4 := newENI(t, w, jumpVS, "SecondaryPrivateIpAddressCount", "6")
	manyIPv6 := newENI(t, w, stgK, "Ipv6AddressCount", "7")
	rdma := newENI(t, w, stgK, "NetworkInterfaceTrafficMode", "HighPerformance")
	bigQueue := newENI(t, w, jumpVS, "QueueNumber", "8")
	enterprise := newENI(t, w, w.vswitchNamed(t, "prod-app-h"), "SecurityGroupId", w.groupNamed(t, hz, "prod-enterprise").id)
	shENI := w.eniNamed(t, "sh-spare-00").id
	// rdma-train-01 (8 queue pairs) already holds an RDMA ENI that takes
	// them all, as one without QueuePairNumber does.
	train := w.instanceNamed(t, "rdma-train-01").id
	mustCall[emptyBody](t, w, "AttachNetworkInterface", "RegionId", hz, "InstanceId", train,
		"NetworkInterfaceId", newENI(t, w, stgK, "NetworkInterfaceTrafficMode", "HighPerformance"))
	rdmaSmall := newENI(t, w, stgK, "NetworkInterfaceTrafficMode", "HighPerformance", "QueuePairNumber", "1")
	overQueue := newENI(t, w, jumpVS, "QueueNumber", "3")
	cases := []errCase{
		{"no ENI", []string{"InstanceId", web1}, "MissingParameter", 400},
		{"no instance", []string{"NetworkInterfaceId", spareH}, "MissingParameter", 400},
		{"malformed ENI ID", []string{"NetworkInterfaceId", "bp1abc", "InstanceId", web1}, "InvalidParams.EniId", 400},
		{"malformed instance ID", []string{"NetworkInterfaceId", spareH, "InstanceId", "ins-1"}, "InvalidInstanceID.Malformed", 400},
		{"unknown ENI", []string{"NetworkInterfaceId", "eni-bp1nope", "InstanceId", web1}, "InvalidEniId.NotFound", 404},
		{"ENI of another region", []string{"NetworkInterfaceId", shENI, "InstanceId", web1}, "InvalidEniId.NotFound", 404},
		{"unknown instance", []string{"NetworkInterfaceId", spareH, "InstanceId", "i-bp1nope"}, "InvalidEcsId.NotFound", 404},
		{"ENI in use", []string{"NetworkInterfaceId", w.eniNamed(t, "web1-frontend").id, "InstanceId", web1},
			"InvalidOperation.InvalidEniState", 400},
		{"ENI of a cloud service", []string{"NetworkInterfaceId", managed, "InstanceId", web1}, "InvalidOperation.EniServiceManaged", 403},
		{"instance stopping", []string{"NetworkInterfaceId", spareH, "InstanceId", maint}, "InvalidOperation.InvalidEcsState", 400},
		{"other VPC", []string{"NetworkInterfaceId", spareH, "InstanceId", jump}, "InvalidOperation.VpcMismatch", 403},
		{"other zone", []string{"NetworkInterfaceId", spareI, "InstanceId", web1}, "InvalidOperation.AvailabilityZoneMismatch", 403},
		{"instance full", []string{"NetworkInterfaceId", spareH, "InstanceId", web2}, "EniPerInstanceLimitExceeded", 403},
		{"no hot-plug while running", []string{"NetworkInterfaceId", w.eniNamed(t, "spare-h-04").id, "InstanceId", burst},
			"InvalidOperation.HotPlugNotSupport", 403},
		{"network card the type lacks", []string{"NetworkInterfaceId", spareH, "InstanceId", web1, "NetworkCardIndex", "1"},
			"InvalidParameter.NetworkCardIndexInvalid", 400},
		{"negative network card", []string{"NetworkInterfaceId", spareH, "InstanceId", web1, "NetworkCardIndex", "-1"},
			"InvalidParameter.NetworkCardIndexInvalid", 400},
		{"trunk", []string{"NetworkInterfaceId", spareH, "InstanceId", web1, "TrunkNetworkInstanceId", "eni-bp1trunk"},
			"InvalidParameter.EniNotBelongTrunk", 403},
		{"too many IPv4 for the type", []string{"NetworkInterfaceId", manyIPv4, "InstanceId", jump}, "InvalidOperation.Ipv4CountExceeded", 403},
		{"too many IPv6 for the type", []string{"NetworkInterfaceId", manyIPv6, "InstanceId", stgApp}, "InvalidOperation.Ipv6CountExceeded", 403},
		{"RDMA on a type without ERI", []string{"NetworkInterfaceId", rdma, "InstanceId", stgApp},
			"InvalidOperation.InstanceTypeNotSupportHighPerformanceTrafficMode", 403},
		{"queues beyond the type", []string{"NetworkInterfaceId", bigQueue, "InstanceId", jump}, "InvalidOperation.ExceedInstanceTypeQueueNumber", 403},
		{"queues beyond the type's per-ENI maximum", []string{"NetworkInterfaceId", overQueue, "InstanceId", jump},
			"InvalidOperation.MaxEniQueueNumberExceeded", 403},
		{"queue pairs beyond the type", []string{"NetworkInterfaceId", rdmaSmall, "InstanceId", train},
			"InvalidOperation.ExceedInstanceTypeQueueNumber", 403},
		{"enterprise group on a normal instance", []string{"NetworkInterfaceId", enterprise, "InstanceId", web1},
			"InvalidOperation.MultiGroupType", 403},
	}
	for i := range cases {
		cases[i].kv = append([]string{"RegionId", hz}, cases[i].kv...)
	}
	cases = append(cases, errCase{"unknown region", []string{"RegionId", "cn-nowhere", "NetworkInterfaceId", spareH,
		"InstanceId", web1}, "InvalidRegionId.MalFormed", 400})
	h.expectErrors(t, "AttachNetworkInterface", cases)
	checkInvariants(t, w)
}

// groupless returns a service-managed ENI of cn-hangzhou.
func (w *World) groupless(t *testing.T) string {
	t.Helper()
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, e := range w.regionByID[hz].enis {
		if e.serviceManaged {
			return e.id
		}
	}
	t.Fatal("no service-managed ENI")
	return ""
}

func TestAttachDetachLifecycle(t *testing.T) {
	w := quickWorld(t, 0)
	id := w.eniNamed(t, "spare-h-00").id
	inst := w.instanceNamed(t, "web-prod-01")
	mustCall[emptyBody](t, w, "AttachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", id, "InstanceId", inst.id)
	it := describeOne(t, w, id)
	if it.Status != eniAttaching || it.InstanceId != inst.id || it.Attachment == nil || it.Attachment.DeviceIndex != 3 {
		t.Fatalf("right after attach: %+v", it)
	}
	// The Attaching ENI already counts towards the instance's limit of 4.
	_, err := w.call("AttachNetworkInterface", params("RegionId", hz, "NetworkInterfaceId", w.eniNamed(t, "spare-h-07").id,
		"InstanceId", inst.id))
	wantAPIError(t, err, "EniPerInstanceLimitExceeded", 403)
	w.waitStatus(t, id, eniInUse)
	if q := describeOne(t, w, id).QueueNumber; q == nil || *q != 4 {
		t.Errorf("QueueNumber %v, want the ENI's own 4", q)
	}
	listed := mustCall[*describeInstancesResponse](t, w, "DescribeInstances", "RegionId", hz, "InstanceIds", `["`+inst.id+`"]`)
	if n := len(listed.Instances.Instance[0].NetworkInterfaces.NetworkInterface); n != 4 {
		t.Errorf("instance lists %d ENIs, want 4", n)
	}

	mustCall[emptyBody](t, w, "DetachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", id, "InstanceId", inst.id)
	if s := w.statusOf(id); s != eniDetaching {
		t.Fatalf("right after detach: %s", s)
	}
	w.waitStatus(t, id, eniAvailable)
	it = describeOne(t, w, id)
	if it.InstanceId != "" || it.Attachment != nil || len(it.PrivateIpSets.PrivateIpSet) != 1 {
		t.Errorf("after detach: %+v", it)
	}

	// A Stopped instance accepts ENIs too.
	stopped := w.instanceNamed(t, "batch-prod-01")
	spareI := w.eniNamed(t, "spare-i-01").id
	mustCall[emptyBody](t, w, "AttachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", spareI, "InstanceId", stopped.id)
	w.waitStatus(t, spareI, eniInUse)

	// The guest of legacy-app-01 never acknowledges the hot-plug: the ENI
	// falls back to Available.
	legacy := w.instanceNamed(t, "legacy-app-01")
	spare := w.eniNamed(t, "spare-i-09").id
	mustCall[emptyBody](t, w, "AttachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", spare, "InstanceId", legacy.id)
	w.waitStatus(t, spare, eniAvailable)
	if describeOne(t, w, spare).InstanceId != "" {
		t.Error("failed attachment still names the instance")
	}
	checkInvariants(t, w)
}

func describeOne(t *testing.T, w *World, id string) eniItem {
	t.Helper()
	set := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", "RegionId", hz,
		"NetworkInterfaceId.1", id).NetworkInterfaceSets.NetworkInterfaceSet
	if len(set) != 1 {
		t.Fatalf("%s listed %d times", id, len(set))
	}
	return set[0]
}
