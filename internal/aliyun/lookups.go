package aliyun

import (
	"context"
	"fmt"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

// Page sizes of the look-ups: the largest each operation accepts.
const (
	vpcPageSize      = 50
	vswitchPageSize  = 50
	sgPageSize       = 100
	instancePageSize = 100
	// maxNumberedPages bounds PageNumber walks in case the cloud's
	// TotalCount kept growing.
	maxNumberedPages = 200
	// maxInstances caps Instances: the picker needs a choice, not the
	// whole fleet of a very large account.
	maxInstances = 5000
	// names come back in English rather than the default Chinese.
	acceptLanguage = "en-US"
)

// Regions lists the regions ECS offers, from the central endpoint (or the
// configured one).
func (c *Client) Regions(ctx context.Context) ([]eni.Region, error) {
	body, err := read(ctx, c, "", "DescribeRegions",
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DescribeRegionsResponseBody, error) {
			resp, err := api.DescribeRegionsWithOptions(&ecs.DescribeRegionsRequest{AcceptLanguage: tea.String(acceptLanguage)}, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.DescribeRegionsResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return nil, err
	}
	var out []eni.Region
	if body.Regions != nil {
		for _, r := range body.Regions.Region {
			if r != nil {
				out = append(out, eni.Region{ID: tea.StringValue(r.RegionId), Name: tea.StringValue(r.LocalName)})
			}
		}
	}
	return out, nil
}

// Zones lists the zones of a region.
func (c *Client) Zones(ctx context.Context, region string) ([]eni.Zone, error) {
	if region == "" {
		return nil, errNoRegion("DescribeZones")
	}
	req := &ecs.DescribeZonesRequest{
		RegionId:       tea.String(region),
		AcceptLanguage: tea.String(acceptLanguage),
		Verbose:        tea.Bool(false),
	}
	body, err := read(ctx, c, region, "DescribeZones",
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DescribeZonesResponseBody, error) {
			resp, err := api.DescribeZonesWithOptions(req, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.DescribeZonesResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return nil, err
	}
	var out []eni.Zone
	if body.Zones != nil {
		for _, z := range body.Zones.Zone {
			if z != nil {
				out = append(out, eni.Zone{ID: tea.StringValue(z.ZoneId), Name: tea.StringValue(z.LocalName)})
			}
		}
	}
	return out, nil
}

// VPCs lists every VPC of a region.
func (c *Client) VPCs(ctx context.Context, region string) ([]eni.VPC, error) {
	const action = "DescribeVpcs"
	if region == "" {
		return nil, errNoRegion(action)
	}
	var out []eni.VPC
	for page := int32(1); page <= maxNumberedPages; page++ {
		req := &ecs.DescribeVpcsRequest{RegionId: tea.String(region), PageNumber: tea.Int32(page), PageSize: tea.Int32(vpcPageSize)}
		body, err := read(ctx, c, region, action,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DescribeVpcsResponseBody, error) {
				resp, err := api.DescribeVpcsWithOptions(req, rt)
				if err != nil {
					return nil, err
				}
				return bodyOf(resp.Body)
			},
			func(b *ecs.DescribeVpcsResponseBody) string { return tea.StringValue(b.RequestId) })
		if err != nil {
			return nil, err
		}
		n := 0
		if body.Vpcs != nil {
			for _, v := range body.Vpcs.Vpc {
				if v != nil {
					n++
					out = append(out, eni.VPC{ID: tea.StringValue(v.VpcId), Name: tea.StringValue(v.VpcName), CIDR: tea.StringValue(v.CidrBlock)})
				}
			}
		}
		if lastNumberedPage(n, vpcPageSize, len(out), body.TotalCount) {
			return out, nil
		}
	}
	return out, errTooManyPages(action, region)
}

// SecurityGroups lists the security groups of a region, of one VPC when
// vpcID is set.
func (c *Client) SecurityGroups(ctx context.Context, region, vpcID string) ([]eni.SecurityGroup, error) {
	const action = "DescribeSecurityGroups"
	if region == "" {
		return nil, errNoRegion(action)
	}
	req := &ecs.DescribeSecurityGroupsRequest{RegionId: tea.String(region), MaxResults: tea.Int32(sgPageSize)}
	if vpcID != "" {
		req.VpcId = tea.String(vpcID)
	}
	var out []eni.SecurityGroup
	for range maxTokenPages {
		body, err := read(ctx, c, region, action,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DescribeSecurityGroupsResponseBody, error) {
				resp, err := api.DescribeSecurityGroupsWithOptions(req, rt)
				if err != nil {
					return nil, err
				}
				return bodyOf(resp.Body)
			},
			func(b *ecs.DescribeSecurityGroupsResponseBody) string { return tea.StringValue(b.RequestId) })
		if err != nil {
			return nil, err
		}
		if body.SecurityGroups != nil {
			for _, g := range body.SecurityGroups.SecurityGroup {
				if g != nil {
					out = append(out, eni.SecurityGroup{ID: tea.StringValue(g.SecurityGroupId), Name: tea.StringValue(g.SecurityGroupName),
						VpcID: tea.StringValue(g.VpcId), Kind: sgKind(tea.StringValue(g.SecurityGroupType))})
				}
			}
		}
		next := tea.StringValue(body.NextToken)
		if next == "" {
			return out, nil
		}
		r := *req
		r.NextToken = tea.String(next)
		req = &r
	}
	return out, errTooManyPages(action, region)
}

// Instances lists the instances of a region (of one VPC when vpcID is set),
// at most maxInstances of them, with the number of ENIs each has now and
// the number its type allows (see fillENILimits).
func (c *Client) Instances(ctx context.Context, region, vpcID string) ([]eni.Instance, error) {
	out, err := c.listInstances(ctx, region, vpcID)
	if err != nil {
		return nil, err
	}
	c.fillENILimits(ctx, region, out)
	return out, nil
}

// listInstances walks DescribeInstances.
func (c *Client) listInstances(ctx context.Context, region, vpcID string) ([]eni.Instance, error) {
	const action = "DescribeInstances"
	if region == "" {
		return nil, errNoRegion(action)
	}
	req := &ecs.DescribeInstancesRequest{RegionId: tea.String(region), MaxResults: tea.Int32(instancePageSize)}
	if vpcID != "" {
		req.VpcId = tea.String(vpcID)
	}
	var out []eni.Instance
	for page := 0; page < maxTokenPages && len(out) < maxInstances; page++ {
		body, err := read(ctx, c, region, action,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DescribeInstancesResponseBody, error) {
				resp, err := api.DescribeInstancesWithOptions(req, rt)
				if err != nil {
					return nil, err
				}
				return bodyOf(resp.Body)
			},
			func(b *ecs.DescribeInstancesResponseBody) string { return tea.StringValue(b.RequestId) })
		if err != nil {
			return nil, err
		}
		if body.Instances != nil {
			for _, in := range body.Instances.Instance {
				if in != nil {
					out = append(out, toInstance(in))
				}
			}
		}
		next := tea.StringValue(body.NextToken)
		if next == "" {
			return out, nil
		}
		r := *req
		r.NextToken = tea.String(next)
		req = &r
	}
	if len(out) < maxInstances {
		return out, errTooManyPages(action, region)
	}
	c.log.WarnContext(ctx, "instance list truncated", "region", region, "vpc", vpcID, "kept", maxInstances)
	return out[:maxInstances], nil
}

func toInstance(in *ecs.DescribeInstancesResponseBodyInstancesInstance) eni.Instance {
	i := eni.Instance{
		ID:     tea.StringValue(in.InstanceId),
		Name:   tea.StringValue(in.InstanceName),
		Status: tea.StringValue(in.Status),
		Type:   tea.StringValue(in.InstanceType),
		ZoneID: tea.StringValue(in.ZoneId),
	}
	if in.VpcAttributes != nil {
		i.VpcID = tea.StringValue(in.VpcAttributes.VpcId)
	}
	if in.SecurityGroupIds != nil {
		i.SecurityGroupIDs = tea.StringSliceValue(in.SecurityGroupIds.SecurityGroupId)
	}
	if in.NetworkInterfaces != nil {
		for _, n := range in.NetworkInterfaces.NetworkInterface {
			if n != nil {
				i.ENICount++
			}
		}
	}
	return i
}

// lastNumberedPage decides whether a PageNumber walk is done: the page was
// short, or the total the cloud announced has been read.
func lastNumberedPage(got, size, seen int, total *int32) bool {
	return got < size || (total != nil && seen >= int(*total))
}

func errTooManyPages(action, region string) error {
	return fmt.Errorf("aliyun: %s: the cloud kept announcing more pages; stopped", where(action, region))
}
