package ecsemu

import (
	"sync"
	"testing"
	"time"
)

func TestDetachNetworkInterfacePreconditions(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	web1, web2 := w.instanceNamed(t, "web-prod-01"), w.instanceNamed(t, "web-prod-02")
	batch := w.instanceNamed(t, "batch-prod-01")
	front, batchData := w.eniNamed(t, "web1-frontend").id, w.eniNamed(t, "batch-data").id
	w.mu.Lock()
	batch.status = "Starting" // a state the seed keeps nobody in
	w.mu.Unlock()
	cases := []errCase{
		{"no ENI", []string{"InstanceId", web1.id}, "MissingParameter", 400},
		{"no instance", []string{"NetworkInterfaceId", front}, "MissingParameter", 400},
		{"malformed ENI ID", []string{"NetworkInterfaceId", "x", "InstanceId", web1.id}, "InvalidParams.EniId", 400},
		{"malformed instance ID", []string{"NetworkInterfaceId", front, "InstanceId", "x"}, "InvalidInstanceID.Malformed", 400},
		{"unknown ENI", []string{"NetworkInterfaceId", "eni-bp1nope", "InstanceId", web1.id}, "InvalidEniId.NotFound", 404},
		{"unknown instance", []string{"NetworkInterfaceId", front, "InstanceId", "i-bp1nope"}, "InvalidEcsId.NotFound", 404},
		{"primary ENI", []string{"NetworkInterfaceId", web1.primary.id, "InstanceId", web1.id},
			"InvalidOperation.DetachPrimaryEniNotAllowed", 400},
		{"ENI of a cloud service", []string{"NetworkInterfaceId", w.groupless(t), "InstanceId", web1.id},
			"InvalidOperation.EniServiceManaged", 403},
		{"Available ENI", []string{"NetworkInterfaceId", w.eniNamed(t, "spare-h-00").id, "InstanceId", web1.id},
			"InvalidOperation.InvalidEniState", 400},
		{"Attaching ENI", []string{"NetworkInterfaceId", w.eniNamed(t, "db-replication").id, "InstanceId", w.instanceNamed(t, "db-prod-01").id},
			"InvalidOperation.InvalidEniState", 400},
		{"ENI of another instance", []string{"NetworkInterfaceId", front, "InstanceId", web2.id}, "InvalidParameter.EniNotBelongEcs", 400},
		{"instance starting", []string{"NetworkInterfaceId", batchData, "InstanceId", batch.id}, "InvalidOperation.InvalidEcsState", 400},
		{"trunk", []string{"NetworkInterfaceId", front, "InstanceId", web1.id, "TrunkNetworkInstanceId", "eni-bp1t"},
			"InvalidParameter.EniNotBelongTrunk", 403},
	}
	for i := range cases {
		cases[i].kv = append([]string{"RegionId", hz}, cases[i].kv...)
	}
	cases = append(cases,
		errCase{"unknown region", []string{"RegionId", "cn-nowhere", "NetworkInterfaceId", front, "InstanceId", web1.id},
			"InvalidRegionId.MalFormed", 400},
		errCase{"ENI of another region", []string{"RegionId", "cn-shanghai", "NetworkInterfaceId", front, "InstanceId", web1.id},
			"InvalidEniId.NotFound", 404})
	h.expectErrors(t, "DetachNetworkInterface", cases)
}

// An instance type without hot-plug takes and gives ENIs only while Stopped.
func TestDetachNeedsStoppedWithoutHotPlug(t *testing.T) {
	w := quickWorld(t, 0)
	burst := w.instanceNamed(t, "staging-burst-01")
	id := w.eniNamed(t, "spare-h-04").id
	setStatus := func(s string) {
		w.mu.Lock()
		burst.status = s
		w.mu.Unlock()
	}
	setStatus("Stopped")
	mustCall[emptyBody](t, w, "AttachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", id, "InstanceId", burst.id)
	w.waitStatus(t, id, eniInUse)
	setStatus("Running")
	_, err := w.call("DetachNetworkInterface", params("RegionId", hz, "NetworkInterfaceId", id, "InstanceId", burst.id))
	wantAPIError(t, err, "InvalidOperation.HotPlugNotSupport", 403)
	setStatus("Stopped")
	mustCall[emptyBody](t, w, "DetachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", id, "InstanceId", burst.id)
	w.waitStatus(t, id, eniAvailable)
}

func TestDeleteNetworkInterface(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	web1 := w.instanceNamed(t, "web-prod-01")
	cases := []struct {
		name   string
		id     string
		code   string
		status int
	}{
		{"no ENI", "", "MissingParameter", 400},
		{"malformed ID", "bp1x", "InvalidParams.EniId", 400},
		{"unknown ENI (403, as documented)", "eni-bp1nope", "InvalidEniId.NotFound", 403},
		{"primary ENI", web1.primary.id, "InvalidOperation.InvalidEniType", 403},
		{"ENI in use", w.eniNamed(t, "web1-frontend").id, "InvalidOperation.InvalidEniState", 400},
		{"ENI detaching", w.eniNamed(t, "legacy-sidecar").id, "InvalidOperation.InvalidEniState", 400},
		{"ENI of a cloud service", w.groupless(t), "InvalidOperation.EniServiceManaged", 403},
	}
	var viaSDK []errCase
	for _, c := range cases {
		kv := []string{"RegionId", hz}
		if c.id != "" {
			kv = append(kv, "NetworkInterfaceId", c.id)
		}
		viaSDK = append(viaSDK, errCase{c.name, kv, c.code, c.status})
	}
	viaSDK = append(viaSDK,
		errCase{"unknown region", []string{"RegionId", "cn-nowhere", "NetworkInterfaceId", w.eniNamed(t, "spare-h-00").id},
			"InvalidRegionId.MalFormed", 400},
		errCase{"ENI of another region", []string{"RegionId", "cn-shanghai", "NetworkInterfaceId", w.eniNamed(t, "spare-h-00").id},
			"InvalidEniId.NotFound", 403})
	h.expectErrors(t, "DeleteNetworkInterface", viaSDK)

	// Deleting gives back every address and prefix.
	e := w.eniNamed(t, "spare-h-08")
	vs := e.vswitch
	if len(e.ipv4Prefixes) == 0 || len(e.ipv6Prefixes) == 0 {
		t.Fatal("seed changed: spare-h-08 should hold prefixes")
	}
	held := 1 + len(e.secondaryIPs) + 16*len(e.ipv4Prefixes)
	free, v6 := vs.pool.free(), len(vs.pool.pfx6)
	mustCall[emptyBody](t, w, "DeleteNetworkInterface", "RegionId", hz, "NetworkInterfaceId", e.id)
	if s := w.statusOf(e.id); s != eniDeleting {
		t.Fatalf("right after delete: %s", s)
	}
	w.waitStatus(t, e.id, "")
	if got := vs.pool.free(); got != free+held {
		t.Errorf("free %d after delete, want %d", got, free+held)
	}
	if len(vs.pool.pfx6) != v6-len(e.ipv6Prefixes) {
		t.Error("IPv6 prefixes not released")
	}
	if n := len(describeAll(t, w, "RegionId", hz, "NetworkInterfaceId.1", e.id)); n != 0 {
		t.Errorf("deleted ENI still listed")
	}
	_, err := w.call("DeleteNetworkInterface", params("RegionId", hz, "NetworkInterfaceId", e.id))
	wantAPIError(t, err, "InvalidEniId.NotFound", 403)
	// Its address can be taken again.
	mustCall[*createNetworkInterfaceResponse](t, w, "CreateNetworkInterface", "RegionId", hz, "VSwitchId", vs.id,
		"SecurityGroupId", vs.vpc.groups[0].id, "PrimaryIpAddress", e.primaryIP.String())
	checkInvariants(t, w)
}

// Repeating Detach or Delete on a stalled ENI re-arms it, as the reference
// advises for ENIs stuck in Detaching or Deleting.
func TestRepeatedCallsFinishStalledTransitions(t *testing.T) {
	w := quickWorld(t, 0)
	sidecar, old := w.eniNamed(t, "legacy-sidecar"), w.eniNamed(t, "old-batch-eni")
	time.Sleep(50 * time.Millisecond)
	if w.statusOf(sidecar.id) != eniDetaching || w.statusOf(old.id) != eniDeleting {
		t.Fatal("seeded stalled ENIs moved on their own")
	}
	mustCall[emptyBody](t, w, "DetachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", sidecar.id,
		"InstanceId", w.instanceNamed(t, "legacy-app-01").id)
	mustCall[emptyBody](t, w, "DeleteNetworkInterface", "RegionId", hz, "NetworkInterfaceId", old.id)
	w.waitStatus(t, sidecar.id, eniAvailable)
	w.waitStatus(t, old.id, "")
}

func TestStuckTransitions(t *testing.T) {
	w := quickWorld(t, 0)
	id := w.eniNamed(t, "spare-h-00").id
	inst := w.instanceNamed(t, "web-prod-01")
	w.SetStuckTransitions(true)
	mustCall[emptyBody](t, w, "AttachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", id, "InstanceId", inst.id)
	time.Sleep(100 * time.Millisecond) // five attach delays
	if s := w.statusOf(id); s != eniAttaching {
		t.Fatalf("stuck attach reached %s", s)
	}
	w.SetStuckTransitions(true) // repeating "on" changes nothing
	w.SetStuckTransitions(false)
	w.waitStatus(t, id, eniInUse)
	// Switching off also lets the seeded stalled ENIs finish.
	w.waitStatus(t, w.eniNamed(t, "db-replication").id, eniInUse)
	w.waitStatus(t, w.eniNamed(t, "legacy-sidecar").id, eniAvailable)
}

func TestCloseStopsTransitions(t *testing.T) {
	w := quickWorld(t, 0)
	id := w.eniNamed(t, "spare-h-00").id
	mustCall[emptyBody](t, w, "AttachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", id,
		"InstanceId", w.instanceNamed(t, "web-prod-01").id)
	w.Close()
	w.Close()
	time.Sleep(60 * time.Millisecond)
	if s := w.statusOf(id); s != eniAttaching {
		t.Errorf("after Close the ENI went on to %s", s)
	}
}

// Concurrent readers and writers, for the race detector.
func TestConcurrentActions(t *testing.T) {
	w := quickWorld(t, 200)
	inst := w.instanceNamed(t, "db-prod-01")
	vs := inst.vswitch
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for range 5 {
				id := newENI(t, w, vs)
				if g == 0 {
					if _, err := w.call("AttachNetworkInterface", params("RegionId", hz, "NetworkInterfaceId", id,
						"InstanceId", inst.id)); err == nil {
						w.waitStatus(t, id, eniInUse)
						mustCall[emptyBody](t, w, "DetachNetworkInterface", "RegionId", hz, "NetworkInterfaceId", id, "InstanceId", inst.id)
						w.waitStatus(t, id, eniAvailable)
					}
				}
				mustCall[emptyBody](t, w, "DeleteNetworkInterface", "RegionId", hz, "NetworkInterfaceId", id)
			}
		})
		wg.Go(func() {
			for range 20 {
				describeAll(t, w, "RegionId", hz, "VpcId", vs.vpc.id)
				mustCall[*describeInstancesResponse](t, w, "DescribeInstances", "RegionId", hz)
			}
		})
	}
	wg.Wait()
	w.SetStuckTransitions(false)
	checkInvariants(t, w)
}
