package aliyun

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/eni"
)

func TestWritesNeedRegion(t *testing.T) {
	f := newFakeECS(t, func(int, *http.Request, url.Values) (int, any) { return 200, map[string]any{"RequestId": "R"} })
	c := f.client(t, Config{})
	ctx := context.Background()
	calls := map[string]func() (eni.Result, error){
		actionCreate: func() (eni.Result, error) {
			return c.CreateENI(ctx, eni.CreateRequest{VSwitchID: "vsw-1", SecurityGroupIDs: []string{"sg-1"}, ClientToken: "t"})
		},
		actionAttach: func() (eni.Result, error) {
			return c.AttachENI(ctx, eni.AttachRequest{ENIID: "eni-1", InstanceID: "i-1"})
		},
		actionDetach: func() (eni.Result, error) {
			return c.DetachENI(ctx, eni.DetachRequest{ENIID: "eni-1", InstanceID: "i-1"})
		},
		actionDelete: func() (eni.Result, error) { return c.DeleteENI(ctx, "", "eni-1") },
	}
	for action, call := range calls {
		if _, err := call(); err == nil || !strings.Contains(err.Error(), action) || !strings.Contains(err.Error(), "no region") {
			t.Errorf("%s without a region: %v", action, err)
		}
	}
	if n := f.callCount(); n != 0 {
		t.Errorf("%d calls reached the cloud", n)
	}
}

// TestCreateENIWithoutID: the cloud answered without the new ENI's ID. The
// reference says to create again; the error says so and carries the
// RequestId, and the call is not repeated behind the operator's back.
func TestCreateENIWithoutID(t *testing.T) {
	f := newFakeECS(t, func(int, *http.Request, url.Values) (int, any) {
		return 200, map[string]any{"RequestId": "R-NO-ID"}
	})
	c := f.client(t, Config{})
	res, err := c.CreateENI(context.Background(), eni.CreateRequest{Region: "cn-hangzhou", VSwitchID: "vsw-1",
		SecurityGroupIDs: []string{"sg-1"}, ClientToken: "token-1"})
	if err == nil || !strings.Contains(err.Error(), "R-NO-ID") || !strings.Contains(err.Error(), "submit again") {
		t.Errorf("err = %v", err)
	}
	if res.RequestID != "R-NO-ID" || res.ENIID != "" {
		t.Errorf("result %+v", res)
	}
	if n := f.callCount(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

// TestWriteParameters checks what each write sends: optional fields only
// when set, one security group as SecurityGroupId and several as
// SecurityGroupIds.N.
func TestWriteParameters(t *testing.T) {
	f := newFakeECS(t, func(int, *http.Request, url.Values) (int, any) {
		return 200, map[string]any{"RequestId": "R", "NetworkInterfaceId": "eni-new"}
	})
	c := f.client(t, Config{})
	ctx := context.Background()
	no, card := false, 1
	calls := []struct {
		name   string
		call   func() error
		want   map[string]string
		absent []string
	}{
		{"create, defaults", func() error {
			_, err := c.CreateENI(ctx, eni.CreateRequest{Region: "cn-hangzhou", VSwitchID: "vsw-1", SecurityGroupIDs: []string{"sg-1"}})
			return err
		}, map[string]string{"RegionId": "cn-hangzhou", "VSwitchId": "vsw-1", "SecurityGroupId": "sg-1"},
			[]string{"SecurityGroupIds.1", "ClientToken", "NetworkInterfaceName", "Description", "PrimaryIpAddress",
				"SecondaryPrivateIpAddressCount", "Ipv6AddressCount", "Ipv4PrefixCount", "ResourceGroupId", "DeleteOnRelease",
				"QueueNumber", "NetworkInterfaceTrafficMode", "SourceDestCheck", "Tag.1.Key", "PrivateIpAddress.1"}},
		{"create, everything", func() error {
			_, err := c.CreateENI(ctx, eni.CreateRequest{Region: "cn-hangzhou", ZoneID: "cn-hangzhou-h", VSwitchID: "vsw-1",
				SecurityGroupIDs: []string{"sg-1", "sg-2"}, Name: "n", Description: "d", PrimaryIP: "10.0.0.5",
				SecondaryIPs: []string{"10.0.0.6"}, IPv6: []string{"2408::1"}, IPv4Prefixes: []string{"10.0.1.0/28"},
				Tags: []eni.Tag{{Key: "k", Value: "v"}}, ResourceGroupID: "rg-1", DeleteOnRelease: &no, QueueNumber: 4,
				TrafficMode: "HighPerformance", SourceDestCheck: &no, ClientToken: "tok"})
			return err
		}, map[string]string{"SecurityGroupIds.1": "sg-1", "SecurityGroupIds.2": "sg-2", "NetworkInterfaceName": "n",
			"Description": "d", "PrimaryIpAddress": "10.0.0.5", "PrivateIpAddress.1": "10.0.0.6", "Ipv6Address.1": "2408::1",
			"Ipv4Prefix.1": "10.0.1.0/28", "Tag.1.Key": "k", "Tag.1.Value": "v", "ResourceGroupId": "rg-1",
			"DeleteOnRelease": "false", "QueueNumber": "4", "NetworkInterfaceTrafficMode": "HighPerformance",
			"SourceDestCheck": "false", "ClientToken": "tok"},
			[]string{"SecurityGroupId", "ZoneId"}},
		{"create, counts", func() error {
			_, err := c.CreateENI(ctx, eni.CreateRequest{Region: "cn-hangzhou", VSwitchID: "vsw-1", SecurityGroupIDs: []string{"sg-1"},
				SecondaryIPCount: 2, IPv6Count: 3, IPv4PrefixCount: 1})
			return err
		}, map[string]string{"SecondaryPrivateIpAddressCount": "2", "Ipv6AddressCount": "3", "Ipv4PrefixCount": "1"}, nil},
		{"attach", func() error {
			_, err := c.AttachENI(ctx, eni.AttachRequest{Region: "cn-hangzhou", ENIID: "eni-1", InstanceID: "i-1"})
			return err
		}, map[string]string{"RegionId": "cn-hangzhou", "NetworkInterfaceId": "eni-1", "InstanceId": "i-1"}, []string{"NetworkCardIndex"}},
		{"attach to a network card", func() error {
			_, err := c.AttachENI(ctx, eni.AttachRequest{Region: "cn-hangzhou", ENIID: "eni-1", InstanceID: "i-1", NetworkCardIndex: &card})
			return err
		}, map[string]string{"NetworkCardIndex": "1"}, nil},
		{"detach", func() error {
			_, err := c.DetachENI(ctx, eni.DetachRequest{Region: "cn-hangzhou", ENIID: "eni-1", InstanceID: "i-1"})
			return err
		}, map[string]string{"RegionId": "cn-hangzhou", "NetworkInterfaceId": "eni-1", "InstanceId": "i-1"}, nil},
		{"delete", func() error {
			_, err := c.DeleteENI(ctx, "cn-hangzhou", "eni-1")
			return err
		}, map[string]string{"RegionId": "cn-hangzhou", "NetworkInterfaceId": "eni-1"}, []string{"InstanceId"}},
	}
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			before := f.callCount()
			if err := tt.call(); err != nil {
				t.Fatal(err)
			}
			if f.callCount() != before+1 {
				t.Fatalf("%d calls, want 1", f.callCount()-before)
			}
			p := f.call(before).params
			for k, v := range tt.want {
				if got := p.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			for _, k := range tt.absent {
				if p.Has(k) {
					t.Errorf("%s sent (%q); want it left to the cloud", k, p.Get(k))
				}
			}
		})
	}
}
