package ecsemu

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"
)

func TestCreateNetworkInterfaceEveryParameter(t *testing.T) {
	w := quickWorld(t, 0)
	vs := w.vswitchNamed(t, "prod-app-h")
	web, mgmt := w.groupNamed(t, hz, "prod-web"), w.groupNamed(t, hz, "prod-mgmt")
	free := vs.pool.free()
	out := mustCall[*createNetworkInterfaceResponse](t, w, "CreateNetworkInterface", "RegionId", hz,
		"VSwitchId", vs.id, "SecurityGroupIds.1", web.id, "SecurityGroupIds.2", mgmt.id,
		"NetworkInterfaceName", "app:eni_1.a-b", "Description", "payments sidecar",
		"PrimaryIpAddress", "10.0.50.10", "PrivateIpAddress.1", "10.0.50.11", "PrivateIpAddress.2", "10.0.50.12",
		"Ipv6AddressCount", "2", "Ipv4PrefixCount", "1", "Ipv6PrefixCount", "1",
		"Tag.1.Key", "env", "Tag.1.Value", "test", "Tag.2.Key", "empty", "ResourceGroupId", rgStaging,
		"QueueNumber", "4", "DeleteOnRelease", "false", "SourceDestCheck", "true", "InstanceType", "Secondary",
		"Visible", "true", "BusinessType", "ignored", "ConnectionTrackingConfiguration.UdpTimeout", "60")
	if out.Status != eniAvailable || out.Type != eniSecondary || out.VSwitchId != vs.id || out.VpcId != vs.vpc.id ||
		out.ZoneId != vs.zone.id || out.NetworkInterfaceName != "app:eni_1.a-b" || out.Description != "payments sidecar" ||
		out.PrivateIpAddress != "10.0.50.10" || out.ResourceGroupId != rgStaging || !out.SourceDestCheck ||
		!strings.HasPrefix(out.NetworkInterfaceId, "eni-bp1") || !strings.HasPrefix(out.MacAddress, "00:16:3e:") {
		t.Fatalf("response %+v", out)
	}
	ips := out.PrivateIpSets.PrivateIpSet
	if len(ips) != 3 || !ips[0].Primary || ips[1].PrivateIpAddress != "10.0.50.11" || ips[2].Primary {
		t.Errorf("private IPs %+v", ips)
	}
	if len(out.Ipv6Sets.Ipv6Set) != 2 || len(out.Ipv4PrefixSets.Ipv4PrefixSet) != 1 || len(out.Ipv6PrefixSets.Ipv6PrefixSet) != 1 {
		t.Errorf("IPv6 %v, prefixes %v %v", out.Ipv6Sets, out.Ipv4PrefixSets, out.Ipv6PrefixSets)
	}
	if !reflect.DeepEqual(out.SecurityGroupIds.SecurityGroupId, []string{web.id, mgmt.id}) ||
		!reflect.DeepEqual(out.Tags.Tag, []tagItem{{TagKey: "env", TagValue: "test"}, {TagKey: "empty"}}) {
		t.Errorf("groups %v tags %v", out.SecurityGroupIds, out.Tags)
	}
	if got := vs.pool.free(); got != free-3-16 {
		t.Errorf("vSwitch free %d, want %d", got, free-19)
	}
	listed := mustCall[*describeENIsResponse](t, w, "DescribeNetworkInterfaces", "RegionId", hz,
		"NetworkInterfaceId.1", out.NetworkInterfaceId).NetworkInterfaceSets.NetworkInterfaceSet
	if len(listed) != 1 {
		t.Fatalf("created ENI listed %d times", len(listed))
	}
	it := listed[0]
	if it.QueueNumber == nil || *it.QueueNumber != 4 || it.DeleteOnRelease || it.InstanceId != "" || it.Attachment != nil ||
		!reflect.DeepEqual(it.PrivateIpSets, out.PrivateIpSets) || !reflect.DeepEqual(it.Ipv6Sets, out.Ipv6Sets) {
		t.Errorf("described as %+v", it)
	}
	checkInvariants(t, w)
}

func TestCreateNetworkInterfaceAddressChoices(t *testing.T) {
	w := quickWorld(t, 0)
	vs := w.vswitchNamed(t, "staging-k")
	sg := w.groupNamed(t, hz, "staging-default")
	base := []string{"RegionId", hz, "VSwitchId", vs.id, "SecurityGroupId", sg.id}
	v6 := netip.MustParseAddr(vs.ipv6.Addr().String()).Next().Next()
	cases := []struct {
		name  string
		kv    []string
		check func(*createNetworkInterfaceResponse) bool
	}{
		{"defaults", nil, func(o *createNetworkInterfaceResponse) bool {
			return len(o.PrivateIpSets.PrivateIpSet) == 1 && len(o.Ipv6Sets.Ipv6Set) == 0 && o.ResourceGroupId == rgDefault
		}},
		{"secondary count", []string{"SecondaryPrivateIpAddressCount", "5"}, func(o *createNetworkInterfaceResponse) bool {
			return len(o.PrivateIpSets.PrivateIpSet) == 6
		}},
		{"explicit IPv6", []string{"Ipv6Address.1", v6.String()}, func(o *createNetworkInterfaceResponse) bool {
			return len(o.Ipv6Sets.Ipv6Set) == 1 && o.Ipv6Sets.Ipv6Set[0].Ipv6Address == v6.String()
		}},
		{"explicit IPv4 prefix", []string{"Ipv4Prefix.1", "192.168.8.0/28"}, func(o *createNetworkInterfaceResponse) bool {
			return len(o.Ipv4PrefixSets.Ipv4PrefixSet) == 1 && o.Ipv4PrefixSets.Ipv4PrefixSet[0].Ipv4Prefix == "192.168.8.0/28"
		}},
		{"explicit IPv6 prefix", []string{"Ipv6Prefix.1", "2408:4005:3c1:b200:abcd::/80"}, func(o *createNetworkInterfaceResponse) bool {
			return len(o.Ipv6PrefixSets.Ipv6PrefixSet) == 1
		}},
		{"RDMA", []string{"NetworkInterfaceTrafficMode", "HighPerformance", "QueuePairNumber", "8"},
			func(o *createNetworkInterfaceResponse) bool { return o.Status == eniAvailable }},
		{"traffic config object", []string{"NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode", "Standard",
			"NetworkInterfaceTrafficConfig.QueueNumber", "2"}, func(o *createNetworkInterfaceResponse) bool { return true }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := mustCall[*createNetworkInterfaceResponse](t, w, "CreateNetworkInterface", append(base, c.kv...)...)
			if !c.check(out) {
				b, _ := json.Marshal(out)
				t.Errorf("response %s", b)
			}
		})
	}
	checkInvariants(t, w)
}

func TestCreateNetworkInterfaceErrors(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	vs, v4only, full := w.vswitchNamed(t, "prod-app-h"), w.vswitchNamed(t, "prod-app-i"), w.vswitchNamed(t, "prod-edge-j")
	sg, ent, stg := w.groupNamed(t, hz, "prod-web"), w.groupNamed(t, hz, "prod-enterprise"), w.groupNamed(t, hz, "staging-default")
	shVS := w.vswitchNamed(t, "sh-app-e")
	web1 := w.eniNamed(t, "web1-frontend")
	base := []string{"RegionId", hz, "VSwitchId", vs.id, "SecurityGroupId", sg.id}
	with := func(kv ...string) []string { return append(append([]string{}, base...), kv...) }
	long := func(n int) string { return strings.Repeat("a", n) }
	sixGroups := []string{"RegionId", hz, "VSwitchId", vs.id}
	for i := 1; i <= 6; i++ {
		sixGroups = append(sixGroups, fmt.Sprintf("SecurityGroupIds.%d", i), fmt.Sprintf("sg-bp1%017d", i))
	}
	tags21 := with()
	for i := 1; i <= 21; i++ {
		tags21 = append(tags21, fmt.Sprintf("Tag.%d.Key", i), fmt.Sprintf("k%d", i))
	}
	cases := []errCase{
		{"no region", []string{"VSwitchId", vs.id, "SecurityGroupId", sg.id}, "MissingRegionId", 400},
		{"no vSwitch", []string{"RegionId", hz, "SecurityGroupId", sg.id}, "MissingParameter", 400},
		{"no security group", []string{"RegionId", hz, "VSwitchId", vs.id}, "MissingParameter", 400},
		{"both group forms", with("SecurityGroupIds.1", sg.id), "InvalidSecurityGroupId.SingleIdAndMultiIdConflict", 400},
		{"repeated group", []string{"RegionId", hz, "VSwitchId", vs.id, "SecurityGroupIds.1", sg.id, "SecurityGroupIds.2", sg.id},
			"InvalidParameter.SecurityGroupIdRepeated", 400},
		{"six groups", sixGroups, "JoinedGroupLimitExceed", 400},
		{"unknown vSwitch", []string{"RegionId", hz, "VSwitchId", "vsw-bp1nope", "SecurityGroupId", sg.id}, "InvalidVSwitchId.NotFound", 404},
		{"vSwitch of another region", []string{"RegionId", hz, "VSwitchId", shVS.id, "SecurityGroupId", sg.id}, "InvalidVSwitchId.NotFound", 404},
		{"unknown group", []string{"RegionId", hz, "VSwitchId", vs.id, "SecurityGroupId", "sg-bp1nope"}, "InvalidSecurityGroupId.NotFound", 404},
		{"group of another VPC", []string{"RegionId", hz, "VSwitchId", vs.id, "SecurityGroupId", stg.id}, "InvalidOperation.VpcMismatch", 403},
		{"mixed group types", []string{"RegionId", hz, "VSwitchId", vs.id, "SecurityGroupIds.1", sg.id, "SecurityGroupIds.2", ent.id},
			"EnterpriseGroupLimited.MutliGroupType", 403},
		{"name too short", with("NetworkInterfaceName", "a"), "InvalidParams.NetworkInterfaceName", 403},
		{"name too long", with("NetworkInterfaceName", long(129)), "InvalidParams.NetworkInterfaceName", 403},
		{"name with slash", with("NetworkInterfaceName", "a/b"), "InvalidParams.NetworkInterfaceName", 403},
		{"name is a URL", with("NetworkInterfaceName", "http://eni"), "InvalidParams.NetworkInterfaceName", 403},
		{"description too short", with("Description", "a"), "InvalidParameter", 400},
		{"description too long", with("Description", long(257)), "InvalidParameter", 400},
		{"description is a URL", with("Description", "https://example.com"), "InvalidParameter", 400},
		{"trunk", with("InstanceType", "Trunk"), "InvalidOperation.TrunkingIsNotAllowed", 403},
		{"bad InstanceType", with("InstanceType", "Tertiary"), "InvalidParameter", 400},
		{"tag key aliyun", with("Tag.1.Key", "aliyun-x"), "InvalidTagKey.Malformed", 400},
		{"tag key acs:", with("Tag.1.Key", "acs:x"), "InvalidTagKey.Malformed", 400},
		{"tag key missing", with("Tag.1.Value", "v"), "InvalidTagKey.Malformed", 400},
		{"tag key too long", with("Tag.1.Key", long(129)), "InvalidTagKey.Malformed", 400},
		{"tag key of 129 characters", with("Tag.1.Key", strings.Repeat("标", 129)), "InvalidTagKey.Malformed", 400},
		{"tag value of 129 characters", with("Tag.1.Key", "k", "Tag.1.Value", strings.Repeat("值", 129)),
			"InvalidTagValue.Malformed", 400},
		{"name with non-ASCII digits", with("NetworkInterfaceName", "eni-١٢"), "InvalidParams.NetworkInterfaceName", 403},
		{"tag key URL", with("Tag.1.Key", "see http://x"), "InvalidTagKey.Malformed", 400},
		{"tag value too long", with("Tag.1.Key", "k", "Tag.1.Value", long(129)), "InvalidTagValue.Malformed", 400},
		{"tag value URL", with("Tag.1.Key", "k", "Tag.1.Value", "https://x"), "InvalidTagValue.Malformed", 400},
		{"duplicate tag key", with("Tag.1.Key", "k", "Tag.2.Key", "k"), "Duplicate.TagKey", 400},
		{"21 tags", tags21, "QuotaExceed.Tags", 403},
		{"unknown resource group", with("ResourceGroupId", "rg-nope"), "InvalidResourceGroup.NotFound", 404},
		{"bad traffic mode", with("NetworkInterfaceTrafficMode", "Fast"), "InvalidParameter.EniTrafficMode", 403},
		{"queue 0", with("QueueNumber", "0"), "InvalidParameter.InvalidEniQueueNumber", 403},
		{"queue 2049", with("QueueNumber", "2049"), "InvalidParameter.InvalidEniQueueNumber", 403},
		{"queue pairs on Standard", with("QueuePairNumber", "4"), "InvalidParameter.QueuePairNumberMustEmpty", 403},
		{"queue pairs 0", with("NetworkInterfaceTrafficMode", "HighPerformance", "QueuePairNumber", "0"),
			"InvalidParameter.InvalidQueuePairNumber", 403},
		{"RDMA with IPv6", with("NetworkInterfaceTrafficMode", "HighPerformance", "Ipv6AddressCount", "1"),
			"InvalidOperation.EniTrafficModeNotSupportIpv6", 404},
		{"queue sizes differ", with("RxQueueSize", "8192", "TxQueueSize", "16384"), "InvalidParameter.EniQueueSize", 400},
		{"queue sizes not offered", with("RxQueueSize", "8192", "TxQueueSize", "8192"), "InvalidEniQueueSize.RegionOrUserNotSupported", 400},
		{"UDP timeout", with("ConnectionTrackingConfiguration.UdpTimeout", "15"), "InvalidParameter.EniConnectionTrackingConfiguration", 400},
		{"SR-IOV half set", with("EnhancedNetwork.EnableSriov", "true"), "InvalidParameter.EniEnhancedNetwork", 400},
		{"bad DeleteOnRelease", with("DeleteOnRelease", "yes"), "InvalidParameter", 400},
		{"long ClientToken", with("ClientToken", long(65)), "InvalidParameter", 400},
		{"list and count", with("PrivateIpAddress.1", "10.0.50.1", "SecondaryPrivateIpAddressCount", "1"), "InvalidParameter.Conflict", 400},
		{"50 secondary", with("SecondaryPrivateIpAddressCount", "50"), "MaxEniPrivateIpsCountExceeded", 403},
		{"0 secondary", with("SecondaryPrivateIpAddressCount", "0"), "InvalidParameter", 400},
		{"PrivateIpAddress.11", with("PrivateIpAddress.11", "10.0.50.1"), "InvalidParameter", 400},
		{"malformed IP", with("PrimaryIpAddress", "10.0.0.300"), "InvalidIp.Address", 403},
		{"IP outside the vSwitch", with("PrimaryIpAddress", "10.0.200.1"), "InvalidVSwitchId.IpInvalid", 403},
		{"reserved IP", with("PrimaryIpAddress", "10.0.0.0"), "InvalidVSwitchId.IpInvalid", 403},
		{"IP in use", with("PrimaryIpAddress", web1.primaryIP.String()), "InvalidPrivateIpAddress.Duplicated", 400},
		{"secondary in use after a free primary", with("PrimaryIpAddress", "10.0.50.1", "PrivateIpAddress.1", web1.primaryIP.String()),
			"InvalidPrivateIpAddress.Duplicated", 400},
		{"IP repeated", with("PrimaryIpAddress", "10.0.50.1", "PrivateIpAddress.1", "10.0.50.1"), "InvalidIp.IpRepeated", 403},
		{"IPv6 list and count", with("Ipv6Address.1", "2408:4005:3c1:a100::99", "Ipv6AddressCount", "1"), "InvalidParameter.Conflict", 400},
		{"11 IPv6", with("Ipv6AddressCount", "11"), "InvalidOperation.MaxEniIpv6IpsCountExceeded", 404},
		{"IPv6 without IPv6 vSwitch", []string{"RegionId", hz, "VSwitchId", v4only.id, "SecurityGroupId", sg.id, "Ipv6AddressCount", "1"},
			"InvalidOperation.VSwitchIpv6Disabled", 404},
		{"IPv6 outside", with("Ipv6Address.1", "2408:4005:3c1:ffff::1"), "InvalidOperation.AddressNotInVSwitchCidr", 404},
		{"IPv6 in use", with("Ipv6Address.1", web1.ipv6[0].String()), "InvalidOperation.AddressAlreadyAllocated", 404},
		{"IPv4 as IPv6", with("Ipv6Address.1", "10.0.0.9"), "InvalidIp.Address", 403},
		{"prefix list and count", with("Ipv4Prefix.1", "10.0.50.0/28", "Ipv4PrefixCount", "1"), "InvalidParameter.Conflict", 400},
		{"prefix mask", with("Ipv4Prefix.1", "10.0.50.0/24"), "InvalidIp.IpPrefixMaskInvalid", 403},
		{"prefix not strict", with("Ipv4Prefix.1", "10.0.50.1/28"), "InvalidIp.IpPrefixNotStrict", 403},
		{"prefix garbage", with("Ipv4Prefix.1", "ten/28"), "InvalidIp.IpPrefixIllegal", 403},
		{"prefix outside", with("Ipv4Prefix.1", "10.9.0.0/28"), "InvalidIp.IpPrefixIllegal", 403},
		{"prefix over used addresses", with("Ipv4Prefix.1", "10.0.0.0/28"), "InvalidIp.IpPrefixNotAvailable", 403},
		{"11 prefixes", with("Ipv4PrefixCount", "11"), "InvalidParameter", 400},
		{"IPv6 prefix mask", with("Ipv6Prefix.1", "2408:4005:3c1:a100::/64"), "InvalidIp.IpPrefixMaskInvalid", 403},
		{"full vSwitch, addresses", []string{"RegionId", hz, "VSwitchId", full.id, "SecurityGroupId", sg.id,
			"SecondaryPrivateIpAddressCount", "2"}, "InvalidVSwitchId.IpNotEnough", 403},
		{"full vSwitch, prefix", []string{"RegionId", hz, "VSwitchId", full.id, "SecurityGroupId", sg.id,
			"Ipv4PrefixCount", "1"}, "InvalidVSwitchId.IpNotEnough", 403},
	}
	before := len(w.enis)
	freeBefore := map[string]int{}
	for id, s := range w.vswitches {
		freeBefore[id] = s.pool.free()
	}
	h.expectErrors(t, "CreateNetworkInterface", cases)
	if len(w.enis) != before {
		t.Errorf("failed creates left %d ENIs", len(w.enis)-before)
	}
	for id, s := range w.vswitches {
		if s.pool.free() != freeBefore[id] {
			t.Errorf("failed creates leaked addresses of %s: free %d, was %d", s.name, s.pool.free(), freeBefore[id])
		}
	}
	checkInvariants(t, w)
}

func TestCreateNetworkInterfaceIdempotent(t *testing.T) {
	w := quickWorld(t, 0)
	vs, sg := w.vswitchNamed(t, "prod-app-i"), w.groupNamed(t, hz, "prod-web")
	before := len(w.enis)
	bodies := make([]any, 50)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Go(func() {
			body, err := w.call("CreateNetworkInterface", params("RegionId", hz, "VSwitchId", vs.id,
				"SecurityGroupId", sg.id, "ClientToken", "123e4567-e89b-12d3-a456-426655440000", "SecondaryPrivateIpAddressCount", "2"))
			if err != nil {
				t.Error(err)
			}
			bodies[i] = body
		})
	}
	wg.Wait()
	first, _ := json.Marshal(bodies[0])
	for _, b := range bodies[1:] {
		if j, _ := json.Marshal(b); string(j) != string(first) {
			t.Fatalf("answers differ:\n%s\n%s", first, j)
		}
	}
	if n := len(w.enis) - before; n != 1 {
		t.Errorf("50 duplicates created %d ENIs", n)
	}
	other := mustCall[*createNetworkInterfaceResponse](t, w, "CreateNetworkInterface", "RegionId", hz,
		"VSwitchId", vs.id, "SecurityGroupId", sg.id, "ClientToken", "another-token")
	if j, _ := json.Marshal(other); string(j) == string(first) {
		t.Error("a new token answered the old ENI")
	}
}

func TestCreateNetworkInterfaceTakesFromNearlyFullVSwitch(t *testing.T) {
	w := quickWorld(t, 0)
	full, sg := w.vswitchNamed(t, "prod-edge-j"), w.groupNamed(t, hz, "prod-web")
	for i := range 2 {
		mustCall[*createNetworkInterfaceResponse](t, w, "CreateNetworkInterface", "RegionId", hz,
			"VSwitchId", full.id, "SecurityGroupId", sg.id, "NetworkInterfaceName", fmt.Sprintf("last-%d", i))
	}
	_, err := w.call("CreateNetworkInterface", params("RegionId", hz, "VSwitchId", full.id, "SecurityGroupId", sg.id))
	wantAPIError(t, err, "InvalidVSwitchId.IpNotEnough", 403)
	vsw := mustCall[*describeVSwitchesResponse](t, w, "DescribeVSwitches", "RegionId", hz, "VSwitchId", full.id)
	if got := vsw.VSwitches.VSwitch[0].AvailableIpAddressCount; got != 0 {
		t.Errorf("AvailableIpAddressCount %d, want 0", got)
	}
}

// Lengths are counted in characters, as the reference states them: a tag
// of 128 Chinese characters (384 bytes) and a Chinese name are fine.
func TestCreateNetworkInterfaceCountsCharacters(t *testing.T) {
	h := newHarness(t, 0)
	vs, sg := h.w.vswitchNamed(t, "prod-app-h"), h.w.groupNamed(t, hz, "prod-web")
	for _, scheme := range []string{"v3", "v2"} {
		t.Run(scheme, func(t *testing.T) {
			err := raw(h.clients[scheme], "CreateNetworkInterface", []string{"RegionId", hz, "VSwitchId", vs.id,
				"SecurityGroupId", sg.id, "NetworkInterfaceName", "支付网卡-" + scheme,
				"Tag.1.Key", strings.Repeat("标", 128), "Tag.1.Value", strings.Repeat("值", 128)})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	if n := len(describeAll(t, h.w, "RegionId", hz, "Tag.1.Key", strings.Repeat("标", 128))); n != 2 {
		t.Errorf("%d ENIs carry the long tag, want 2", n)
	}
}

// A ClientToken already used with other parameters is refused with
// IdempotentParameterMismatch (HTTP 400), as the cloud does: "If you
// specify a request with a ClientToken value that is in use but with
// different request parameters, ECS returns the IdempotentParameterMismatch
// error code" (https://www.alibabacloud.com/help/en/doc-detail/25693.html;
// the message is the one of the ECS error center,
// https://error-center.alibabacloud.com/status/product/Ecs). The signing
// and common parameters, which differ on every retry and between the two
// signature schemes, are not compared: an SDK retry of the same request,
// signed either way, still answers the first ENI.
func TestCreateNetworkInterfaceTokenMismatch(t *testing.T) {
	h := newHarness(t, 0)
	vs, sg := h.w.vswitchNamed(t, "prod-app-h"), h.w.groupNamed(t, hz, "prod-web")
	const token = "5c1e0c1a-2f0b-4d8e-9a57-idempotent-1"
	create := func(t *testing.T, scheme string, kv ...string) (string, error) {
		t.Helper()
		kv = append([]string{"RegionId", hz, "VSwitchId", vs.id, "SecurityGroupId", sg.id, "ClientToken", token}, kv...)
		return createVia(h.clients[scheme], kv)
	}
	first, err := create(t, "v3", "NetworkInterfaceName", "once", "Tag.1.Key", "env", "Tag.1.Value", "prod")
	if err != nil {
		t.Fatal(err)
	}
	for _, scheme := range []string{"v3", "v2"} {
		t.Run("same request/"+scheme, func(t *testing.T) {
			id, err := create(t, scheme, "NetworkInterfaceName", "once", "Tag.1.Key", "env", "Tag.1.Value", "prod")
			if err != nil || id != first {
				t.Errorf("retry answered %q, %v; want the first ENI %s", id, err, first)
			}
		})
	}
	mismatches := []struct {
		name string
		kv   []string
	}{
		{"other name", []string{"NetworkInterfaceName", "twice", "Tag.1.Key", "env", "Tag.1.Value", "prod"}},
		{"other tag value", []string{"NetworkInterfaceName", "once", "Tag.1.Key", "env", "Tag.1.Value", "dev"}},
		{"a parameter more", []string{"NetworkInterfaceName", "once", "Tag.1.Key", "env", "Tag.1.Value", "prod", "Description", "extra"}},
		{"a parameter less", []string{"NetworkInterfaceName", "once"}},
	}
	for _, m := range mismatches {
		for _, scheme := range []string{"v3", "v2"} {
			t.Run(m.name+"/"+scheme, func(t *testing.T) {
				id, err := create(t, scheme, m.kv...)
				se, ok := err.(*tea.SDKError)
				if !ok || tea.StringValue(se.Code) != "IdempotentParameterMismatch" || tea.IntValue(se.StatusCode) != 400 ||
					!strings.Contains(tea.StringValue(se.Message), "Request uses a client token in a previous request but is not identical to that request.") {
					t.Fatalf("got %q, %v; want IdempotentParameterMismatch (400)", id, err)
				}
			})
		}
	}
	if n := len(describeAll(t, h.w, "RegionId", hz, "NetworkInterfaceName", "once")) +
		len(describeAll(t, h.w, "RegionId", hz, "NetworkInterfaceName", "twice")); n != 1 {
		t.Errorf("%d ENIs created with one token, want 1", n)
	}
}

// createVia calls CreateNetworkInterface with the flattened parameters kv
// through the SDK's generic CallApi and returns the new ENI's ID.
func createVia(c *ecs.Client, kv []string) (string, error) {
	query := map[string]*string{}
	for i := 0; i+1 < len(kv); i += 2 {
		query[kv[i]] = tea.String(kv[i+1])
	}
	p := &openapi.Params{
		Action: tea.String("CreateNetworkInterface"), Version: tea.String(APIVersion), Protocol: tea.String("HTTPS"),
		Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String("AK"),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	res, err := c.CallApi(p, &openapi.OpenApiRequest{Query: query}, &util.RuntimeOptions{})
	if err != nil {
		return "", err
	}
	body, _ := res["body"].(map[string]any)
	id, _ := body["NetworkInterfaceId"].(string)
	return id, nil
}
