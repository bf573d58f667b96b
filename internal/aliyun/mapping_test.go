package aliyun

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

func TestToENI(t *testing.T) {
	tests := []struct {
		name string
		json string
		want eni.ENI
	}{
		{
			name: "secondary in use, every attribute",
			json: `{
				"CreationTime": "2019-12-25T12:31:31Z", "VpcId": "vpc-a1", "Type": "Secondary", "Status": "InUse",
				"NetworkInterfaceTrafficMode": "HighPerformance", "NetworkInterfaceName": "web", "MacAddress": "00:16:3e:12:34:56",
				"QueuePairNumber": 4, "NetworkInterfaceId": "eni-a1", "ServiceID": 12345678910, "InstanceId": "i-a1",
				"OwnerId": "1234567890", "ServiceManaged": true, "VSwitchId": "vsw-a1", "Description": "front",
				"ResourceGroupId": "rg-a1", "ZoneId": "cn-hangzhou-h", "PrivateIpAddress": "10.0.0.5", "QueueNumber": 8,
				"PrivateIpSets": {"PrivateIpSet": [
					{"PrivateIpAddress": "10.0.0.5", "Primary": true, "AssociatedPublicIp": {"PublicIpAddress": "47.1.2.3", "AllocationId": "eip-a1"}},
					{"PrivateIpAddress": "10.0.0.6", "Primary": false, "AssociatedPublicIp": {}}
				]},
				"Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": "2408:4321:180:1701::5"}]},
				"Ipv4PrefixSets": {"Ipv4PrefixSet": [{"Ipv4Prefix": "10.0.1.0/28"}]},
				"Ipv6PrefixSets": {"Ipv6PrefixSet": [{"Ipv6Prefix": "2408:4321:180:1702::/80"}]},
				"Tags": {"Tag": [{"TagKey": "env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": ""}]},
				"SecurityGroupIds": {"SecurityGroupId": ["sg-a1", "sg-a2"]},
				"AssociatedPublicIp": {"PublicIpAddress": "47.1.2.3", "AllocationId": "eip-a1"},
				"Attachment": {"DeviceIndex": 2, "InstanceId": "i-a1", "NetworkCardIndex": 1, "TrunkNetworkInterfaceId": "eni-trunk"},
				"DeleteOnRelease": true
			}`,
			want: eni.ENI{
				ID: "eni-a1", Name: "web", Description: "front", Status: eni.StatusInUse, Type: eni.TypeSecondary,
				RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", VpcID: "vpc-a1", VSwitchID: "vsw-a1", InstanceID: "i-a1",
				MAC: "00:16:3e:12:34:56", PrimaryIP: "10.0.0.5",
				PrivateIPs: []eni.PrivateIP{
					{Address: "10.0.0.5", Primary: true, PublicIP: &eni.PublicIP{Address: "47.1.2.3", AllocationID: "eip-a1"}},
					{Address: "10.0.0.6"},
				},
				IPv6:         []string{"2408:4321:180:1701::5"},
				IPv4Prefixes: []string{"10.0.1.0/28"}, IPv6Prefixes: []string{"2408:4321:180:1702::/80"},
				SecurityGroups:  []string{"sg-a1", "sg-a2"},
				Tags:            []eni.Tag{{Key: "env", Value: "prod"}, {Key: "team"}},
				ResourceGroupID: "rg-a1", OwnerID: "1234567890", ServiceManaged: true, ServiceID: 12345678910,
				QueueNumber: 8, QueuePairNumber: 4, TrafficMode: "HighPerformance", DeleteOnRelease: true,
				PublicIP:   &eni.PublicIP{Address: "47.1.2.3", AllocationID: "eip-a1"},
				Attachment: &eni.Attachment{InstanceID: "i-a1", DeviceIndex: 2, NetworkCardIndex: 1, TrunkNetworkInterfaceID: "eni-trunk"},
				CreatedAt:  time.Date(2019, 12, 25, 12, 31, 31, 0, time.UTC),
			},
		},
		{
			name: "primary: instance without Attachment, no IP sets",
			json: `{"NetworkInterfaceId": "eni-p1", "Type": "Primary", "Status": "InUse", "InstanceId": "i-p1",
				"PrivateIpAddress": "10.0.0.9", "AssociatedPublicIp": {}, "CreationTime": "2024-02-01T08:00Z"}`,
			want: eni.ENI{
				ID: "eni-p1", Type: eni.TypePrimary, Status: eni.StatusInUse, RegionID: "cn-hangzhou", InstanceID: "i-p1",
				PrimaryIP:  "10.0.0.9",
				PrivateIPs: []eni.PrivateIP{{Address: "10.0.0.9", Primary: true}},
				Attachment: &eni.Attachment{InstanceID: "i-p1"},
				CreatedAt:  time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC),
			},
		},
		{
			name: "available: empty Attachment object",
			json: `{"NetworkInterfaceId": "eni-f1", "Type": "Secondary", "Status": "Available", "Attachment": {}, "CreationTime": "bogus"}`,
			want: eni.ENI{ID: "eni-f1", Type: eni.TypeSecondary, Status: eni.StatusAvailable, RegionID: "cn-hangzhou"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s sdkENI
			if err := json.Unmarshal([]byte(tt.json), &s); err != nil {
				t.Fatal(err)
			}
			got := toENI("cn-hangzhou", &s)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("toENI =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2019-12-25T12:31:31Z", time.Date(2019, 12, 25, 12, 31, 31, 0, time.UTC)},
		{"2019-12-25T12:31Z", time.Date(2019, 12, 25, 12, 31, 0, 0, time.UTC)},
		{"2019-12-25T12:31:31.250Z", time.Date(2019, 12, 25, 12, 31, 31, 250e6, time.UTC)},
		{"2019-12-25T20:31:31+08:00", time.Date(2019, 12, 25, 12, 31, 31, 0, time.UTC)},
		{"", time.Time{}},
		{"yesterday", time.Time{}},
	}
	for _, tt := range tests {
		if got := parseTime(tt.in); !got.Equal(tt.want) {
			t.Errorf("parseTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestListRequest(t *testing.T) {
	managed := false
	f := eni.Filter{
		Region: "cn-shanghai", VpcID: "vpc-1", VSwitchID: "vsw-1", SecurityGroupID: "sg-1", InstanceID: "i-1",
		Type: eni.TypeSecondary, Status: eni.StatusAvailable, Name: "db", IDs: []string{"eni-1", "eni-2"},
		IPs: []string{"10.0.0.1"}, PrimaryIP: "10.0.0.2", IPv6: []string{"2408::1"},
		Tags:            []eni.Tag{{Key: "env", Value: "prod"}, {Key: "owner"}},
		ResourceGroupID: "rg-1", Managed: &managed,
	}
	want := &ecs.DescribeNetworkInterfacesRequest{
		RegionId: tea.String("cn-shanghai"), VpcId: tea.String("vpc-1"), VSwitchId: tea.String("vsw-1"),
		SecurityGroupId: tea.String("sg-1"), InstanceId: tea.String("i-1"), Type: tea.String("Secondary"),
		Status: tea.String("Available"), NetworkInterfaceName: tea.String("db"),
		NetworkInterfaceId: tea.StringSlice([]string{"eni-1", "eni-2"}), PrivateIpAddress: tea.StringSlice([]string{"10.0.0.1"}),
		PrimaryIpAddress: tea.String("10.0.0.2"), Ipv6Address: tea.StringSlice([]string{"2408::1"}),
		Tag: []*ecs.DescribeNetworkInterfacesRequestTag{
			{Key: tea.String("env"), Value: tea.String("prod")},
			{Key: tea.String("owner")},
		},
		ResourceGroupId: tea.String("rg-1"), ServiceManaged: tea.Bool(false),
	}
	if got := listRequest(f); !reflect.DeepEqual(got, want) {
		t.Errorf("listRequest =\n%s\nwant\n%s", got, want)
	}
	if got, want := listRequest(eni.Filter{Region: "cn-shanghai"}), (&ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String("cn-shanghai")}); !reflect.DeepEqual(got, want) {
		t.Errorf("empty filter sends %s, want only the region", got)
	}
}

func TestToInstance(t *testing.T) {
	var in ecs.DescribeInstancesResponseBodyInstancesInstance
	raw := `{"InstanceId": "i-1", "InstanceName": "web-1", "Status": "Running", "InstanceType": "ecs.g7.large",
		"ZoneId": "cn-hangzhou-h", "VpcAttributes": {"VpcId": "vpc-1"}, "SecurityGroupIds": {"SecurityGroupId": ["sg-1", "sg-2"]},
		"NetworkInterfaces": {"NetworkInterface": [{"NetworkInterfaceId": "eni-1", "Type": "Primary"}, {"NetworkInterfaceId": "eni-2", "Type": "Secondary"}]}}`
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		t.Fatal(err)
	}
	want := eni.Instance{ID: "i-1", Name: "web-1", Status: "Running", Type: "ecs.g7.large", ZoneID: "cn-hangzhou-h", VpcID: "vpc-1", ENICount: 2,
		SecurityGroupIDs: []string{"sg-1", "sg-2"}}
	if got := toInstance(&in); !reflect.DeepEqual(got, want) {
		t.Errorf("toInstance = %+v, want %+v", got, want)
	}
}

func TestUniqueIDs(t *testing.T) {
	got := uniqueIDs([]string{"eni-b", "", "eni-a", "eni-b", "eni-c", "eni-a"})
	if want := []string{"eni-b", "eni-a", "eni-c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("uniqueIDs = %v, want %v", got, want)
	}
}
