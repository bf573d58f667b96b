package aliyun

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// Every error the emulator answers to the write actions, as the Client
// returns it: an *eni.CloudError with the cloud's code, HTTP status and
// RequestId. Errors of parameters eni.CreateRequest and eni.AttachRequest
// cannot express (SecurityGroupId with SecurityGroupIds, InstanceType,
// QueuePairNumber, Rx/TxQueueSize, connection tracking, EnhancedNetwork,
// Ipv6Prefix, TrunkNetworkInstanceId) are out of the Client's reach. So are
// detach's InvalidOperation.InvalidEcsState and HotPlugNotSupport: no
// seeded instance that is neither Running nor Stopped, nor any Running
// instance of a type without hot-plug, holds a secondary ENI, and the API
// cannot arrange one.

const (
	unknownENI      = "eni-bp1doesnotexist0000"
	unknownInstance = "i-bp1doesnotexist00000"
)

// errCase is one call expected to fail with code and status.
type errCase struct {
	name   string
	call   func(ctx context.Context) error
	code   string
	status int
}

func runErrCases(t *testing.T, action string, cases []errCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			expectCloudError(t, tt.call(context.Background()), action, tt.code, tt.status)
		})
	}
}

func TestEmulatorCreateENIErrors(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s, ctx := env.c, env.seed, context.Background()
	prodH, web := s.vswitch(t, "prod-app-h"), s.group(t, "prod-web")
	taken := s.eniNamed(t, "web1-frontend")

	// Leave prod-db-j no free aligned /28: one address in each block the
	// seed left whole.
	var spread []string
	for k := 2; k <= 14; k++ {
		spread = append(spread, fmt.Sprintf("10.0.128.%d", 16*k+15))
	}
	for _, ips := range [][]string{spread[:11], spread[11:]} {
		if _, err := c.CreateENI(ctx, eni.CreateRequest{Region: emuRegion, VSwitchID: s.vswitch(t, "prod-db-j"),
			SecurityGroupIDs: []string{s.group(t, "prod-db")}, PrimaryIP: ips[0], SecondaryIPs: ips[1:]}); err != nil {
			t.Fatalf("fragmenting prod-db-j: %v", err)
		}
	}

	n := func(k int, f func(i int) string) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	tags := func(k int) []eni.Tag {
		out := make([]eni.Tag, k)
		for i := range out {
			out[i] = eni.Tag{Key: fmt.Sprintf("k%d", i), Value: "v"}
		}
		return out
	}
	create := func(edit func(r *eni.CreateRequest)) func(context.Context) error {
		return func(ctx context.Context) error {
			r := eni.CreateRequest{Region: emuRegion, VSwitchID: prodH, SecurityGroupIDs: []string{web}}
			edit(&r)
			res, err := c.CreateENI(ctx, r)
			if err == nil {
				return fmt.Errorf("created %s", res.ENIID)
			}
			return err
		}
	}
	cases := []struct {
		name   string
		edit   func(r *eni.CreateRequest)
		code   string
		status int
	}{
		{"ClientToken too long", func(r *eni.CreateRequest) { r.ClientToken = strings.Repeat("t", 65) }, "InvalidParameter", 400},
		{"ClientToken not ASCII", func(r *eni.CreateRequest) { r.ClientToken = "jeton-é" }, "InvalidParameter", 400},
		{"no vSwitch", func(r *eni.CreateRequest) { r.VSwitchID = "" }, "MissingParameter", 400},
		{"unknown vSwitch", func(r *eni.CreateRequest) { r.VSwitchID = "vsw-bp1doesnotexist0000" }, "InvalidVSwitchId.NotFound", 404},
		{"no security group", func(r *eni.CreateRequest) { r.SecurityGroupIDs = nil }, "MissingParameter", 400},
		{"security group repeated", func(r *eni.CreateRequest) { r.SecurityGroupIDs = []string{web, web} },
			"InvalidParameter.SecurityGroupIdRepeated", 400},
		{"six security groups", func(r *eni.CreateRequest) {
			r.SecurityGroupIDs = n(6, func(i int) string { return fmt.Sprint("sg-", i) })
		},
			"JoinedGroupLimitExceed", 400},
		{"security group index beyond 100", func(r *eni.CreateRequest) {
			r.SecurityGroupIDs = n(101, func(i int) string { return fmt.Sprint("sg-", i) })
		}, "InvalidParameter", 400},
		{"unknown security group", func(r *eni.CreateRequest) { r.SecurityGroupIDs = []string{"sg-bp1doesnotexist00000"} },
			"InvalidSecurityGroupId.NotFound", 404},
		{"security group of another VPC", func(r *eni.CreateRequest) { r.SecurityGroupIDs = []string{s.group(t, "staging-default")} },
			"InvalidOperation.VpcMismatch", 403},
		{"normal and enterprise groups", func(r *eni.CreateRequest) { r.SecurityGroupIDs = []string{web, s.group(t, "prod-enterprise")} },
			"EnterpriseGroupLimited.MutliGroupType", 403},
		{"bad name", func(r *eni.CreateRequest) { r.Name = "bad name!" }, "InvalidParams.NetworkInterfaceName", 403},
		{"description too short", func(r *eni.CreateRequest) { r.Description = "x" }, "InvalidParameter", 400},
		{"21 tags", func(r *eni.CreateRequest) { r.Tags = tags(21) }, "QuotaExceed.Tags", 403},
		{"reserved tag key", func(r *eni.CreateRequest) { r.Tags = []eni.Tag{{Key: "aliyun-x", Value: "v"}} }, "InvalidTagKey.Malformed", 400},
		{"tag value with URL", func(r *eni.CreateRequest) { r.Tags = []eni.Tag{{Key: "k", Value: "see http://x"}} }, "InvalidTagValue.Malformed", 400},
		{"tag key twice", func(r *eni.CreateRequest) { r.Tags = []eni.Tag{{Key: "k", Value: "a"}, {Key: "k", Value: "b"}} }, "Duplicate.TagKey", 400},
		{"unknown resource group", func(r *eni.CreateRequest) { r.ResourceGroupID = "rg-doesnotexist000" }, "InvalidResourceGroup.NotFound", 404},
		{"unknown traffic mode", func(r *eni.CreateRequest) { r.TrafficMode = "Turbo" }, "InvalidParameter.EniTrafficMode", 403},
		{"2049 queues", func(r *eni.CreateRequest) { r.QueueNumber = 2049 }, "InvalidParameter.InvalidEniQueueNumber", 403},
		{"negative queues", func(r *eni.CreateRequest) { r.QueueNumber = -1 }, "InvalidParameter.InvalidEniQueueNumber", 403},
		{"high performance with IPv6", func(r *eni.CreateRequest) { r.TrafficMode, r.IPv6Count = "HighPerformance", 1 },
			"InvalidOperation.EniTrafficModeNotSupportIpv6", 404},
		{"malformed primary IP", func(r *eni.CreateRequest) { r.PrimaryIP = "10.0.0.999" }, "InvalidIp.Address", 403},
		{"primary IP outside the vSwitch", func(r *eni.CreateRequest) { r.PrimaryIP = "10.9.9.9" }, "InvalidVSwitchId.IpInvalid", 403},
		{"primary IP taken", func(r *eni.CreateRequest) { r.PrimaryIP = taken.PrimaryIP }, "InvalidPrivateIpAddress.Duplicated", 400},
		{"11 secondary IPs", func(r *eni.CreateRequest) {
			r.SecondaryIPs = n(11, func(i int) string { return fmt.Sprint("10.0.50.", i+1) })
		},
			"InvalidParameter", 400},
		{"50 secondary IPs by count", func(r *eni.CreateRequest) { r.SecondaryIPCount = 50 }, "MaxEniPrivateIpsCountExceeded", 403},
		{"negative secondary count", func(r *eni.CreateRequest) { r.SecondaryIPCount = -1 }, "InvalidParameter", 400},
		{"secondary IPs and count", func(r *eni.CreateRequest) { r.SecondaryIPs, r.SecondaryIPCount = []string{"10.0.50.1"}, 1 },
			"InvalidParameter.Conflict", 400},
		{"secondary IP repeated", func(r *eni.CreateRequest) { r.SecondaryIPs = []string{"10.0.50.1", "10.0.50.1"} }, "InvalidIp.IpRepeated", 403},
		{"malformed secondary IP", func(r *eni.CreateRequest) { r.SecondaryIPs = []string{"ten"} }, "InvalidIp.Address", 403},
		{"vSwitch out of addresses", func(r *eni.CreateRequest) { r.VSwitchID, r.SecondaryIPCount = s.vswitch(t, "prod-edge-j"), 5 },
			"InvalidVSwitchId.IpNotEnough", 403},
		{"IPv6 on a vSwitch without it", func(r *eni.CreateRequest) { r.VSwitchID, r.IPv6Count = s.vswitch(t, "prod-app-i"), 1 },
			"InvalidOperation.VSwitchIpv6Disabled", 404},
		{"11 IPv6 addresses", func(r *eni.CreateRequest) {
			r.IPv6 = n(11, func(i int) string { return fmt.Sprintf("2408:4005:3c1:a100::5:%d", i+1) })
		}, "InvalidOperation.MaxEniIpv6IpsCountExceeded", 404},
		{"11 IPv6 addresses by count", func(r *eni.CreateRequest) { r.IPv6Count = 11 }, "InvalidOperation.MaxEniIpv6IpsCountExceeded", 404},
		{"IPv6 list and count", func(r *eni.CreateRequest) { r.IPv6, r.IPv6Count = []string{"2408:4005:3c1:a100::5:1"}, 1 },
			"InvalidParameter.Conflict", 400},
		{"IPv4 given as IPv6", func(r *eni.CreateRequest) { r.IPv6 = []string{"10.0.0.5"} }, "InvalidIp.Address", 403},
		{"IPv6 repeated", func(r *eni.CreateRequest) { r.IPv6 = []string{"2408:4005:3c1:a100::5:1", "2408:4005:3c1:a100::5:1"} },
			"InvalidIp.IpRepeated", 403},
		{"IPv6 outside the vSwitch", func(r *eni.CreateRequest) { r.IPv6 = []string{"2001:db8::1"} },
			"InvalidOperation.AddressNotInVSwitchCidr", 404},
		{"IPv6 taken", func(r *eni.CreateRequest) { r.IPv6 = taken.IPv6[:1] }, "InvalidOperation.AddressAlreadyAllocated", 404},
		{"11 IPv4 prefixes", func(r *eni.CreateRequest) {
			r.IPv4Prefixes = n(11, func(i int) string { return fmt.Sprintf("10.0.40.%d/28", 16*i) })
		}, "InvalidParameter", 400},
		{"11 IPv4 prefixes by count", func(r *eni.CreateRequest) { r.IPv4PrefixCount = 11 }, "InvalidParameter", 400},
		{"IPv4 prefix list and count", func(r *eni.CreateRequest) { r.IPv4Prefixes, r.IPv4PrefixCount = []string{"10.0.40.0/28"}, 1 },
			"InvalidParameter.Conflict", 400},
		{"malformed IPv4 prefix", func(r *eni.CreateRequest) { r.IPv4Prefixes = []string{"junk"} }, "InvalidIp.IpPrefixIllegal", 403},
		{"IPv4 prefix outside the vSwitch", func(r *eni.CreateRequest) { r.IPv4Prefixes = []string{"10.9.0.0/28"} }, "InvalidIp.IpPrefixIllegal", 403},
		{"IPv4 prefix not /28", func(r *eni.CreateRequest) { r.IPv4Prefixes = []string{"10.0.40.0/24"} }, "InvalidIp.IpPrefixMaskInvalid", 403},
		{"IPv4 prefix not strict", func(r *eni.CreateRequest) { r.IPv4Prefixes = []string{"10.0.40.1/28"} }, "InvalidIp.IpPrefixNotStrict", 403},
		{"IPv4 prefix repeated", func(r *eni.CreateRequest) { r.IPv4Prefixes = []string{"10.0.40.0/28", "10.0.40.0/28"} },
			"InvalidIp.IpPrefixNotAvailable", 403},
		{"IPv4 prefix over reserved addresses", func(r *eni.CreateRequest) { r.IPv4Prefixes = []string{"10.0.0.0/28"} },
			"InvalidIp.IpPrefixNotAvailable", 403},
		{"no whole /28 left", func(r *eni.CreateRequest) {
			r.VSwitchID, r.SecurityGroupIDs, r.IPv4PrefixCount = s.vswitch(t, "prod-db-j"), []string{s.group(t, "prod-db")}, 1
		}, "InvalidVSwitchId.IpPrefixNotEnough", 403},
	}
	var ec []errCase
	for _, tt := range cases {
		ec = append(ec, errCase{tt.name, create(tt.edit), tt.code, tt.status})
	}
	runErrCases(t, actionCreate, ec)
}

func TestEmulatorAttachENIErrors(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s, ctx := env.c, env.seed, context.Background()
	web1, web2 := s.instance(t, "web-prod-01"), s.instance(t, "web-prod-02")
	spareH := s.spareIn(t, "prod-app-h").ID
	made := func(r eni.CreateRequest) string {
		t.Helper()
		r.Region = emuRegion
		res, err := c.CreateENI(ctx, r)
		if err != nil {
			t.Fatalf("creating %+v: %v", r, err)
		}
		return res.ENIID
	}
	prodH, stgK := s.vswitch(t, "prod-app-h"), s.vswitch(t, "staging-k")
	web, stg := []string{s.group(t, "prod-web")}, []string{s.group(t, "staging-default")}
	sevenIPv4 := made(eni.CreateRequest{VSwitchID: stgK, SecurityGroupIDs: stg, SecondaryIPCount: 6})
	sevenIPv6 := made(eni.CreateRequest{VSwitchID: stgK, SecurityGroupIDs: stg, IPv6Count: 7})
	enterprise := made(eni.CreateRequest{VSwitchID: prodH, SecurityGroupIDs: []string{s.group(t, "prod-enterprise")}})
	fiveQueues := made(eni.CreateRequest{VSwitchID: prodH, SecurityGroupIDs: web, QueueNumber: 5})
	rdma := made(eni.CreateRequest{VSwitchID: prodH, SecurityGroupIDs: web, TrafficMode: "HighPerformance"})
	manyQueues := made(eni.CreateRequest{VSwitchID: s.vswitch(t, "prod-db-j"), SecurityGroupIDs: []string{s.group(t, "prod-db")}, QueueNumber: 17})
	bj := walk(t, c, eni.Filter{Region: "cn-beijing", Size: 100})
	rdmaSpare := first(t, bj, func(e eni.ENI) bool { return e.Name == "rdma-eri-spare" }).ID
	rdmaInst := first(t, bj, func(e eni.ENI) bool { return e.Name == "rdma-eri-0" }).InstanceID

	attach := func(eniID, inst string, card ...int) func(context.Context) error {
		r := eni.AttachRequest{Region: emuRegion, ENIID: eniID, InstanceID: inst}
		if len(card) > 0 {
			r.NetworkCardIndex = &card[0]
		}
		if eniID == rdmaSpare {
			r.Region = "cn-beijing"
		}
		return func(ctx context.Context) error {
			_, err := c.AttachENI(ctx, r)
			return err
		}
	}
	runErrCases(t, actionAttach, []errCase{
		{"no ENI ID", attach("", web1), "MissingParameter", 400},
		{"no instance ID", attach(spareH, ""), "MissingParameter", 400},
		{"malformed ENI ID", attach("bad-id", web1), "InvalidParams.EniId", 400},
		{"malformed instance ID", attach(spareH, "bad-id"), "InvalidInstanceID.Malformed", 400},
		{"negative network card", attach(spareH, web1, -1), "InvalidParameter.NetworkCardIndexInvalid", 400},
		{"network card the type lacks", attach(spareH, web1, 1), "InvalidParameter.NetworkCardIndexInvalid", 400},
		{"unknown ENI", attach(unknownENI, web1), "InvalidEniId.NotFound", 404},
		{"unknown instance", attach(spareH, unknownInstance), "InvalidEcsId.NotFound", 404},
		{"service-managed ENI", attach(s.eni(t, func(e eni.ENI) bool { return e.ServiceManaged }).ID, web1),
			"InvalidOperation.EniServiceManaged", 403},
		{"ENI in use", attach(s.eniNamed(t, "web2-frontend").ID, web1), "InvalidOperation.InvalidEniState", 400},
		{"instance stopping", attach(spareH, s.instance(t, "maint-01")), "InvalidOperation.InvalidEcsState", 400},
		{"running type without hot-plug", attach(s.spareIn(t, "staging-h").ID, s.instance(t, "staging-burst-01")),
			"InvalidOperation.HotPlugNotSupport", 403},
		{"other VPC", attach(s.spareIn(t, "staging-k").ID, web1), "InvalidOperation.VpcMismatch", 403},
		{"other zone", attach(s.spareIn(t, "prod-app-i").ID, web1), "InvalidOperation.AvailabilityZoneMismatch", 403},
		{"instance full", attach(spareH, web2), "EniPerInstanceLimitExceeded", 403},
		{"too many IPv4 addresses", attach(sevenIPv4, s.instance(t, "staging-app-01")), "InvalidOperation.Ipv4CountExceeded", 403},
		{"too many IPv6 addresses", attach(sevenIPv6, s.instance(t, "staging-app-01")), "InvalidOperation.Ipv6CountExceeded", 403},
		{"enterprise group on a normal-group instance", attach(enterprise, web1), "InvalidOperation.MultiGroupType", 403},
		{"instance queues exceeded", attach(fiveQueues, web1), "InvalidOperation.ExceedInstanceTypeQueueNumber", 403},
		{"queues per ENI exceeded", attach(manyQueues, s.instance(t, "db-prod-01")), "InvalidOperation.MaxEniQueueNumberExceeded", 403},
		{"high performance on a type without ERI", attach(rdma, web1),
			"InvalidOperation.InstanceTypeNotSupportHighPerformanceTrafficMode", 403},
		{"RDMA queue pairs exceeded", attach(rdmaSpare, rdmaInst), "InvalidOperation.ExceedInstanceTypeQueueNumber", 403},
	})
}

func TestEmulatorDetachENIErrors(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s := env.c, env.seed
	web1 := s.instance(t, "web-prod-01")
	front := s.eniNamed(t, "web1-frontend").ID
	detach := func(eniID, inst string) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.DetachENI(ctx, eni.DetachRequest{Region: emuRegion, ENIID: eniID, InstanceID: inst})
			return err
		}
	}
	primary := s.eni(t, func(e eni.ENI) bool { return e.Type == eni.TypePrimary && e.InstanceID == web1 }).ID
	runErrCases(t, actionDetach, []errCase{
		{"no ENI ID", detach("", web1), "MissingParameter", 400},
		{"no instance ID", detach(front, ""), "MissingParameter", 400},
		{"malformed ENI ID", detach("bad-id", web1), "InvalidParams.EniId", 400},
		{"malformed instance ID", detach(front, "bad-id"), "InvalidInstanceID.Malformed", 400},
		{"unknown ENI", detach(unknownENI, web1), "InvalidEniId.NotFound", 404},
		{"unknown instance", detach(front, unknownInstance), "InvalidEcsId.NotFound", 404},
		{"primary ENI", detach(primary, web1), "InvalidOperation.DetachPrimaryEniNotAllowed", 400},
		{"service-managed ENI", detach(s.eni(t, func(e eni.ENI) bool { return e.ServiceManaged }).ID, web1),
			"InvalidOperation.EniServiceManaged", 403},
		{"ENI available", detach(s.spareIn(t, "prod-app-h").ID, web1), "InvalidOperation.InvalidEniState", 400},
		{"ENI of another instance", detach(front, s.instance(t, "web-prod-02")), "InvalidParameter.EniNotBelongEcs", 400},
	})
}

func TestEmulatorDeleteENIErrors(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s := env.c, env.seed
	del := func(id string) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.DeleteENI(ctx, emuRegion, id)
			return err
		}
	}
	runErrCases(t, actionDelete, []errCase{
		{"no ENI ID", del(""), "MissingParameter", 400},
		{"malformed ENI ID", del("bad-id"), "InvalidParams.EniId", 400},
		{"unknown ENI", del(unknownENI), "InvalidEniId.NotFound", 403},
		{"service-managed ENI", del(s.eni(t, func(e eni.ENI) bool { return e.ServiceManaged }).ID), "InvalidOperation.EniServiceManaged", 403},
		{"primary ENI", del(s.eni(t, func(e eni.ENI) bool { return e.Type == eni.TypePrimary }).ID), "InvalidOperation.InvalidEniType", 403},
		{"ENI in use", del(s.eniNamed(t, "web1-frontend").ID), "InvalidOperation.InvalidEniState", 400},
	})
}

// TestEmulatorWriteErrorsCommon covers the answers every write action can
// get before it runs: an unknown region, throttling, server errors and a
// refused AccessKey.
func TestEmulatorWriteErrorsCommon(t *testing.T) {
	env := startWriteEnv(t, Config{ReadAttempts: 2})
	c, s := env.c, env.seed
	id, _ := env.emu.AccessKey()
	unknownKey, err := New(Config{Endpoint: env.proxy.endpoint(), Protocol: "http", AccessKeyID: "LTAI5tUnknownKey", AccessKeySecret: "x"})
	if err != nil {
		t.Fatal(err)
	}
	// A wrong secret is IncompleteSignature under ACS3-HMAC-SHA256 and
	// SignatureDoesNotMatch under HMAC-SHA1.
	wrongSecret, err := New(Config{Endpoint: env.proxy.endpoint(), Protocol: "http", AccessKeyID: id, AccessKeySecret: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	wrongSecretV2, err := New(Config{Endpoint: env.proxy.endpoint(), Protocol: "http", AccessKeyID: id, AccessKeySecret: "wrong", SignatureV2: true})
	if err != nil {
		t.Fatal(err)
	}
	web1 := s.instance(t, "web-prod-01")
	spare, front := s.spareIn(t, "prod-app-h").ID, s.eniNamed(t, "web1-frontend").ID
	// Each call would succeed if nothing stood in its way.
	calls := map[string]func(ctx context.Context, c *Client, region string) error{
		actionCreate: func(ctx context.Context, c *Client, region string) error {
			_, err := c.CreateENI(ctx, eni.CreateRequest{Region: region, VSwitchID: s.vswitch(t, "prod-app-h"),
				SecurityGroupIDs: []string{s.group(t, "prod-web")}, ClientToken: "common-errors"})
			return err
		},
		actionAttach: func(ctx context.Context, c *Client, region string) error {
			_, err := c.AttachENI(ctx, eni.AttachRequest{Region: region, ENIID: spare, InstanceID: web1})
			return err
		},
		actionDetach: func(ctx context.Context, c *Client, region string) error {
			_, err := c.DetachENI(ctx, eni.DetachRequest{Region: region, ENIID: front, InstanceID: web1})
			return err
		},
		actionDelete: func(ctx context.Context, c *Client, region string) error {
			_, err := c.DeleteENI(ctx, region, spare)
			return err
		},
	}
	for _, action := range []string{actionCreate, actionAttach, actionDetach, actionDelete} {
		call := calls[action]
		t.Run(action, func(t *testing.T) {
			ctx := context.Background()
			expectCloudError(t, call(ctx, c, "xx-nowhere-1"), action, "InvalidRegionId.MalFormed", 400)
			expectCloudError(t, call(ctx, unknownKey, emuRegion), action, "InvalidAccessKeyId.NotFound", 404)
			expectCloudError(t, call(ctx, wrongSecret, emuRegion), action, "IncompleteSignature", 400)
			expectCloudError(t, call(ctx, wrongSecretV2, emuRegion), action, "SignatureDoesNotMatch", 400)

			env.emu.SetFaults(ecsemu.Faults{ThrottleRate: 1})
			expectCloudError(t, call(ctx, c, emuRegion), action, "Throttling", 400)
			env.emu.SetFaults(ecsemu.Faults{ErrorRate: 1})
			err := call(ctx, c, emuRegion)
			env.emu.SetFaults(ecsemu.Faults{})
			if ce, ok := eni.AsCloudError(err); ok && ce.Code == "InternalError" {
				expectCloudError(t, err, action, "InternalError", 500)
			} else {
				expectCloudError(t, err, action, "ServiceUnavailable", 503)
			}
		})
	}
}
