package ecsemu_test

import (
	"fmt"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/ecsemu"
)

// The pickers' look-ups, parsed by the SDK's typed responses.
func TestSDKLookups(t *testing.T) {
	eachScheme(t, func(t *testing.T, v2 bool) {
		_, c := start(t, quick(100), v2)
		rg := tea.String(region)

		regions, err := c.DescribeRegions(&ecs.DescribeRegionsRequest{AcceptLanguage: tea.String("en-US")})
		if err != nil || len(regions.Body.Regions.Region) < 3 || tea.StringValue(regions.Body.Regions.Region[0].LocalName) != "China (Hangzhou)" {
			t.Fatalf("regions %v %v", regions, err)
		}
		zones, err := c.DescribeZones(&ecs.DescribeZonesRequest{RegionId: rg})
		if err != nil || len(zones.Body.Zones.Zone) < 3 || tea.StringValue(zones.Body.Zones.Zone[0].ZoneId) != "cn-hangzhou-h" {
			t.Fatalf("zones %v %v", zones, err)
		}

		vpcs, err := c.DescribeVpcs(&ecs.DescribeVpcsRequest{RegionId: rg, IsDefault: tea.Bool(true)})
		if err != nil || tea.Int32Value(vpcs.Body.TotalCount) != 1 || !tea.BoolValue(vpcs.Body.Vpcs.Vpc[0].IsDefault) ||
			len(vpcs.Body.Vpcs.Vpc[0].VSwitchIds.VSwitchId) == 0 {
			t.Fatalf("default VPC %v %v", vpcs, err)
		}
		vpcID := vpcs.Body.Vpcs.Vpc[0].VpcId
		vsws, err := c.DescribeVSwitches(&ecs.DescribeVSwitchesRequest{RegionId: rg, VpcId: vpcID, ZoneId: tea.String("cn-hangzhou-i")})
		if err != nil || tea.Int32Value(vsws.Body.TotalCount) != 1 || tea.Int64Value(vsws.Body.VSwitches.VSwitch[0].AvailableIpAddressCount) < 4000 {
			t.Fatalf("vSwitches %v %v", vsws, err)
		}

		web := groupNamed(t, c, "prod-web")
		sgs, err := c.DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: rg,
			SecurityGroupIds: tea.String(fmt.Sprintf(`[%q]`, web))})
		if err != nil || len(sgs.Body.SecurityGroups.SecurityGroup) != 1 || tea.Int32Value(sgs.Body.SecurityGroups.SecurityGroup[0].EcsCount) == 0 {
			t.Fatalf("groups %v %v", sgs, err)
		}
		page, err := c.DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: rg, MaxResults: tea.Int32(10)})
		if err != nil || tea.StringValue(page.Body.NextToken) != "" || len(page.Body.SecurityGroups.SecurityGroup) != 6 {
			t.Fatalf("group page %v %v", page, err)
		}

		web1 := instanceNamed(t, c, "web-prod-01")
		insts, err := c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: rg,
			InstanceIds: tea.String(fmt.Sprintf(`[%q]`, tea.StringValue(web1.InstanceId)))})
		if err != nil || len(insts.Body.Instances.Instance) != 1 {
			t.Fatalf("instance by ID %v %v", insts, err)
		}
		i := insts.Body.Instances.Instance[0]
		if tea.StringValue(i.Status) != "Running" || tea.Int32Value(i.Memory) != 16384 || len(i.VpcAttributes.PrivateIpAddress.IpAddress) != 1 ||
			len(i.NetworkInterfaces.NetworkInterface) != 3 || len(i.SecurityGroupIds.SecurityGroupId) != 1 {
			t.Errorf("instance %s", i)
		}
		count, next := 0, ""
		for {
			req := &ecs.DescribeInstancesRequest{RegionId: rg, Status: tea.String("Running"), MaxResults: tea.Int32(10)}
			if next != "" {
				req.NextToken = &next
			}
			resp, err := c.DescribeInstances(req)
			if err != nil {
				t.Fatal(err)
			}
			count += len(resp.Body.Instances.Instance)
			if next = tea.StringValue(resp.Body.NextToken); next == "" {
				if count != int(tea.Int32Value(resp.Body.TotalCount)) || count <= 10 {
					t.Errorf("walked %d running instances of %d", count, tea.Int32Value(resp.Body.TotalCount))
				}
				break
			}
		}

		types, err := c.DescribeInstanceTypes(&ecs.DescribeInstanceTypesRequest{InstanceTypes: []*string{tea.String("ecs.g7.xlarge")}})
		if err != nil || len(types.Body.InstanceTypes.InstanceType) != 1 {
			t.Fatalf("types %v %v", types, err)
		}
		ty := types.Body.InstanceTypes.InstanceType[0]
		if tea.Int32Value(ty.EniQuantity) != 4 || tea.Int32Value(ty.EniPrivateIpAddressQuantity) != 15 || tea.Int32Value(ty.EniIpv6AddressQuantity) != 15 {
			t.Errorf("type %s", ty)
		}
	})
}

// BenchmarkDescribeNetworkInterfacesSDK lists a page of 100 ENIs filtered by
// VPC and status out of 20,000 extra ones, end to end through the SDK over
// loopback.
func BenchmarkDescribeNetworkInterfacesSDK(b *testing.B) {
	for _, v2 := range []bool{false, true} {
		b.Run(map[bool]string{false: "ACS3-HMAC-SHA256", true: "HMAC-SHA1"}[v2], func(b *testing.B) {
			_, c := start(b, ecsemu.Config{World: ecsemu.WorldConfig{ExtraENIs: 20000}}, v2)
			vpc := instanceNamed(b, c, "web-prod-01").VpcAttributes.VpcId
			req := &ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String(region), VpcId: vpc,
				Status: tea.String("Available"), MaxResults: tea.Int32(100)}
			for b.Loop() {
				resp, err := c.DescribeNetworkInterfaces(req)
				if err != nil {
					b.Fatal(err)
				}
				if n := len(resp.Body.NetworkInterfaceSets.NetworkInterfaceSet); n != 100 {
					b.Fatalf("%d ENIs in the page", n)
				}
			}
		})
	}
}
