package ecsemu_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
)

// End-to-end tests of the modelled account through the official SDK's typed
// requests and responses, over loopback HTTP, with both signature schemes.

const region = ecsemutest.Region

type eniItem = ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet

// quick is a world whose transitions take 20ms, without jitter.
func quick(extra int) ecsemu.Config {
	d := 20 * time.Millisecond
	return ecsemu.Config{World: ecsemu.WorldConfig{ExtraENIs: extra, AttachDelay: d, DetachDelay: d, DeleteDelay: d, Jitter: -1}}
}

// start serves an emulator and returns an SDK client of the given scheme.
func start(t testing.TB, cfg ecsemu.Config, v2 bool) (*ecsemu.Emulator, *ecs.Client) {
	t.Helper()
	emu, endpoint := ecsemutest.Start(t, cfg)
	id, secret := emu.AccessKey()
	return emu, ecsemutest.Client(t, endpoint, id, secret, v2)
}

func eachScheme(t *testing.T, fn func(t *testing.T, v2 bool)) {
	for _, v2 := range []bool{false, true} {
		name := map[bool]string{false: "ACS3-HMAC-SHA256", true: "HMAC-SHA1"}[v2]
		t.Run(name, func(t *testing.T) { fn(t, v2) })
	}
}

func listENIs(t testing.TB, c *ecs.Client, req *ecs.DescribeNetworkInterfacesRequest) []*eniItem {
	t.Helper()
	req.RegionId = tea.String(region)
	if req.PageSize == nil && req.MaxResults == nil {
		req.PageSize = tea.Int32(1000)
	}
	resp, err := c.DescribeNetworkInterfaces(req)
	if err != nil {
		t.Fatalf("DescribeNetworkInterfaces: %v", err)
	}
	if req.MaxResults == nil && int(tea.Int32Value(resp.Body.TotalCount)) != len(resp.Body.NetworkInterfaceSets.NetworkInterfaceSet) &&
		tea.Int32Value(req.PageSize) == 1000 {
		t.Errorf("TotalCount %d for %d ENIs", tea.Int32Value(resp.Body.TotalCount), len(resp.Body.NetworkInterfaceSets.NetworkInterfaceSet))
	}
	return resp.Body.NetworkInterfaceSets.NetworkInterfaceSet
}

func eniNamed(t testing.TB, c *ecs.Client, name string) *eniItem {
	t.Helper()
	set := listENIs(t, c, &ecs.DescribeNetworkInterfacesRequest{NetworkInterfaceName: tea.String(name)})
	if len(set) != 1 {
		t.Fatalf("%d ENIs named %q", len(set), name)
	}
	return set[0]
}

func instanceNamed(t testing.TB, c *ecs.Client, name string) *ecs.DescribeInstancesResponseBodyInstancesInstance {
	t.Helper()
	resp, err := c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String(region), InstanceName: tea.String(name)})
	if err != nil || len(resp.Body.Instances.Instance) != 1 {
		t.Fatalf("instance %q: %v", name, err)
	}
	return resp.Body.Instances.Instance[0]
}

func vswitchNamed(t testing.TB, c *ecs.Client, name string) *ecs.DescribeVSwitchesResponseBodyVSwitchesVSwitch {
	t.Helper()
	resp, err := c.DescribeVSwitches(&ecs.DescribeVSwitchesRequest{RegionId: tea.String(region), PageSize: tea.Int32(50)})
	if err != nil {
		t.Fatal(err)
	}
	for _, vs := range resp.Body.VSwitches.VSwitch {
		if tea.StringValue(vs.VSwitchName) == name {
			return vs
		}
	}
	t.Fatalf("no vSwitch %q", name)
	return nil
}

func groupNamed(t testing.TB, c *ecs.Client, name string) string {
	t.Helper()
	resp, err := c.DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: tea.String(region),
		SecurityGroupName: tea.String(name)})
	if err != nil || len(resp.Body.SecurityGroups.SecurityGroup) != 1 {
		t.Fatalf("security group %q: %v", name, err)
	}
	return tea.StringValue(resp.Body.SecurityGroups.SecurityGroup[0].SecurityGroupId)
}

// waitStatus polls the ENI until it reaches want ("" once deleted).
func waitStatus(t testing.TB, c *ecs.Client, id, want string) *eniItem {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		set := listENIs(t, c, &ecs.DescribeNetworkInterfacesRequest{NetworkInterfaceId: []*string{tea.String(id)}})
		switch {
		case want == "" && len(set) == 0:
			return nil
		case len(set) == 1 && tea.StringValue(set[0].Status) == want:
			return set[0]
		case time.Now().After(deadline):
			t.Fatalf("ENI %s never reached %q", id, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSDKENILifecycle(t *testing.T) {
	eachScheme(t, func(t *testing.T, v2 bool) {
		_, c := start(t, quick(0), v2)
		vs := vswitchNamed(t, c, "prod-app-h")
		web, mgmt := groupNamed(t, c, "prod-web"), groupNamed(t, c, "prod-mgmt")
		inst := instanceNamed(t, c, "web-prod-01")
		free := tea.Int64Value(vs.AvailableIpAddressCount)

		created, err := c.CreateNetworkInterface(&ecs.CreateNetworkInterfaceRequest{
			RegionId: tea.String(region), VSwitchId: vs.VSwitchId, SecurityGroupIds: []*string{&web, &mgmt},
			NetworkInterfaceName: tea.String("sdk-eni"), Description: tea.String("made by the SDK"),
			SecondaryPrivateIpAddressCount: tea.Int32(2), Ipv6AddressCount: tea.Int32(1), QueueNumber: tea.Int32(2),
			Tag:             []*ecs.CreateNetworkInterfaceRequestTag{{Key: tea.String("env"), Value: tea.String("sdk")}},
			DeleteOnRelease: tea.Bool(false), SourceDestCheck: tea.Bool(true), ClientToken: tea.String("sdk-lifecycle"),
		})
		if err != nil {
			t.Fatal(err)
		}
		b := created.Body
		id := tea.StringValue(b.NetworkInterfaceId)
		if tea.StringValue(b.Status) != "Available" || len(b.PrivateIpSets.PrivateIpSet) != 3 || len(b.Ipv6Sets.Ipv6Set) != 1 ||
			len(b.SecurityGroupIds.SecurityGroupId) != 2 || tea.StringValue(b.Tags.Tag[0].TagValue) != "sdk" ||
			!tea.BoolValue(b.SourceDestCheck) || tea.StringValue(b.RequestId) == "" {
			t.Fatalf("created %s", b)
		}
		if got := tea.Int64Value(vswitchNamed(t, c, "prod-app-h").AvailableIpAddressCount); got != free-3 {
			t.Errorf("vSwitch free %d after create, want %d", got, free-3)
		}

		if _, err := c.AttachNetworkInterface(&ecs.AttachNetworkInterfaceRequest{RegionId: tea.String(region),
			NetworkInterfaceId: &id, InstanceId: inst.InstanceId}); err != nil {
			t.Fatal(err)
		}
		it := waitStatus(t, c, id, "InUse")
		if tea.StringValue(it.InstanceId) != tea.StringValue(inst.InstanceId) || it.Attachment == nil ||
			tea.Int32Value(it.Attachment.DeviceIndex) != 3 || tea.Int32Value(it.QueueNumber) != 2 || tea.BoolValue(it.DeleteOnRelease) {
			t.Errorf("attached ENI %s", it)
		}
		after := instanceNamed(t, c, "web-prod-01").NetworkInterfaces.NetworkInterface
		if !slices.ContainsFunc(after, func(n *ecs.DescribeInstancesResponseBodyInstancesInstanceNetworkInterfacesNetworkInterface) bool {
			return tea.StringValue(n.NetworkInterfaceId) == id
		}) {
			t.Error("DescribeInstances does not list the attached ENI")
		}

		if _, err := c.DetachNetworkInterface(&ecs.DetachNetworkInterfaceRequest{RegionId: tea.String(region),
			NetworkInterfaceId: &id, InstanceId: inst.InstanceId}); err != nil {
			t.Fatal(err)
		}
		if it := waitStatus(t, c, id, "Available"); tea.StringValue(it.InstanceId) != "" || it.Attachment != nil {
			t.Errorf("detached ENI %s", it)
		}

		if _, err := c.DeleteNetworkInterface(&ecs.DeleteNetworkInterfaceRequest{RegionId: tea.String(region),
			NetworkInterfaceId: &id}); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, id, "")
		if got := tea.Int64Value(vswitchNamed(t, c, "prod-app-h").AvailableIpAddressCount); got != free {
			t.Errorf("vSwitch free %d after delete, want %d", got, free)
		}
		_, err = c.DeleteNetworkInterface(&ecs.DeleteNetworkInterfaceRequest{RegionId: tea.String(region), NetworkInterfaceId: &id})
		if code, status := ecsemutest.ErrorCode(err); code != "InvalidEniId.NotFound" || status != 403 {
			t.Errorf("deleting again gave %s/%d", code, status)
		}
	})
}

func TestSDKIdempotentCreate(t *testing.T) {
	emu, endpoint := ecsemutest.Start(t, quick(0))
	keyID, secret := emu.AccessKey()
	c := ecsemutest.Client(t, endpoint, keyID, secret, false)
	vs := vswitchNamed(t, c, "prod-app-i")
	sg := groupNamed(t, c, "prod-web")
	ids := make([]string, 50)
	var wg sync.WaitGroup
	for i := range ids {
		// The SDK is not safe for concurrent calls under the race detector:
		// a client clears its debug headers on every call, and all clients
		// share one http.Client per endpoint and timeouts whose Timeout
		// every call rewrites. So each goroutine gets its own client and
		// timeout; half of them sign with each scheme.
		client := ecsemutest.Client(t, endpoint, keyID, secret, i%2 == 1)
		rt := &util.RuntimeOptions{ReadTimeout: tea.Int(10000 + i)}
		wg.Go(func() {
			resp, err := client.CreateNetworkInterfaceWithOptions(&ecs.CreateNetworkInterfaceRequest{RegionId: tea.String(region),
				VSwitchId: vs.VSwitchId, SecurityGroupId: &sg, NetworkInterfaceName: tea.String("once"),
				ClientToken: tea.String("0c593ea1-3bea-11e9-b96b-88e9fe637760")}, rt)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = tea.StringValue(resp.Body.NetworkInterfaceId)
		})
	}
	wg.Wait()
	if uniq := slices.Compact(slices.Sorted(slices.Values(ids))); len(uniq) != 1 || uniq[0] == "" {
		t.Errorf("50 duplicates answered the IDs %v", uniq)
	}
	if n := len(listENIs(t, c, &ecs.DescribeNetworkInterfacesRequest{NetworkInterfaceName: tea.String("once")})); n != 1 {
		t.Errorf("%d ENIs created", n)
	}
}

func TestSDKStuckTransitions(t *testing.T) {
	emu, c := start(t, quick(0), false)
	id := tea.StringValue(eniNamed(t, c, "spare-h-00").NetworkInterfaceId)
	inst := instanceNamed(t, c, "web-prod-01")
	emu.SetFaults(ecsemu.Faults{StuckTransitions: true})
	if _, err := c.AttachNetworkInterface(&ecs.AttachNetworkInterfaceRequest{RegionId: tea.String(region),
		NetworkInterfaceId: &id, InstanceId: inst.InstanceId}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // five attach delays
	if s := tea.StringValue(eniNamed(t, c, "spare-h-00").Status); s != "Attaching" {
		t.Fatalf("stuck attach reached %s", s)
	}
	emu.SetFaults(ecsemu.Faults{})
	waitStatus(t, c, id, "InUse")
}
