package aliyun

import (
	"context"
	"errors"
	"fmt"
	"slices"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

const (
	actionDescribeENIs = "DescribeNetworkInterfaces"
	// minMaxResults is the smallest MaxResults the cloud honours; below it
	// it answers 10 anyway.
	minMaxResults = 10
	// maxTokenPages bounds how many pages one logical fetch follows, in
	// case the cloud kept handing out tokens.
	maxTokenPages = 1000
)

// ListENIs returns the page of q.Filter's view that q.NextToken points to.
func (c *Client) ListENIs(ctx context.Context, q eni.ListQuery) (eni.Page, error) {
	region := q.Filter.Region
	if region == "" {
		return eni.Page{}, errNoRegion(actionDescribeENIs)
	}
	req := listRequest(q.Filter)
	req.MaxResults = tea.Int32(int32(q.Filter.PageSize()))
	if q.NextToken != "" {
		req.NextToken = tea.String(q.NextToken)
	}
	body, err := c.describeENIs(ctx, region, req)
	if err != nil {
		return eni.Page{}, err
	}
	return eni.Page{
		ENIs:       toENIs(region, body),
		NextToken:  tea.StringValue(body.NextToken),
		TotalCount: int(tea.Int32Value(body.TotalCount)),
		RequestID:  tea.StringValue(body.RequestId),
	}, nil
}

// GetENI returns one ENI; an ID the region does not know gives an error
// wrapping eni.ErrNotFound.
func (c *Client) GetENI(ctx context.Context, region, id string) (eni.ENI, error) {
	if region == "" {
		return eni.ENI{}, errNoRegion(actionDescribeENIs)
	}
	if id == "" {
		return eni.ENI{}, fmt.Errorf("aliyun: %s: no ENI ID given", where(actionDescribeENIs, region))
	}
	req := &ecs.DescribeNetworkInterfacesRequest{
		RegionId:           tea.String(region),
		NetworkInterfaceId: []*string{tea.String(id)},
		MaxResults:         tea.Int32(minMaxResults),
	}
	body, err := c.describeENIs(ctx, region, req)
	if err != nil {
		return eni.ENI{}, err
	}
	for _, e := range toENIs(region, body) {
		if e.ID == id {
			return e, nil
		}
	}
	return eni.ENI{}, fmt.Errorf("aliyun: %s: ENI %s (RequestId %s): %w",
		where(actionDescribeENIs, region), id, tea.StringValue(body.RequestId), eni.ErrNotFound)
}

// ENIsByID fetches the ENIs with the given IDs, eni.MaxListItems per call
// (the cloud's limit for NetworkInterfaceId.N), in the order the cloud
// lists them. IDs that do not exist are absent from the result.
func (c *Client) ENIsByID(ctx context.Context, region string, ids []string) ([]eni.ENI, error) {
	if region == "" {
		return nil, errNoRegion(actionDescribeENIs)
	}
	ids = uniqueIDs(ids)
	var out []eni.ENI
	for batch := range slices.Chunk(ids, eni.MaxListItems) {
		req := &ecs.DescribeNetworkInterfacesRequest{
			RegionId:           tea.String(region),
			NetworkInterfaceId: tea.StringSlice(batch),
			MaxResults:         tea.Int32(int32(max(len(batch), minMaxResults))),
		}
		enis, err := c.allENIs(ctx, region, req)
		if err != nil {
			return out, err
		}
		out = append(out, enis...)
	}
	return out, nil
}

// allENIs follows NextToken from req to the last page.
func (c *Client) allENIs(ctx context.Context, region string, req *ecs.DescribeNetworkInterfacesRequest) ([]eni.ENI, error) {
	var out []eni.ENI
	for range maxTokenPages {
		body, err := c.describeENIs(ctx, region, req)
		if err != nil {
			return out, err
		}
		out = append(out, toENIs(region, body)...)
		next := tea.StringValue(body.NextToken)
		if next == "" {
			return out, nil
		}
		r := *req
		r.NextToken = tea.String(next)
		req = &r
	}
	return out, errTooManyPages(actionDescribeENIs, region)
}

func (c *Client) describeENIs(ctx context.Context, region string, req *ecs.DescribeNetworkInterfacesRequest) (*ecs.DescribeNetworkInterfacesResponseBody, error) {
	return read(ctx, c, region, actionDescribeENIs,
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DescribeNetworkInterfacesResponseBody, error) {
			return describeENIsOnce(api, req, rt)
		},
		func(b *ecs.DescribeNetworkInterfacesResponseBody) string { return tea.StringValue(b.RequestId) })
}

// listRequest sends every filter of f; empty fields are left out, so the
// cloud does not filter on them.
func listRequest(f eni.Filter) *ecs.DescribeNetworkInterfacesRequest {
	req := &ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String(f.Region)}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return tea.String(s)
	}
	req.VpcId = opt(f.VpcID)
	req.VSwitchId = opt(f.VSwitchID)
	req.SecurityGroupId = opt(f.SecurityGroupID)
	req.InstanceId = opt(f.InstanceID)
	req.Type = opt(string(f.Type))
	req.Status = opt(string(f.Status))
	req.NetworkInterfaceName = opt(f.Name)
	req.PrimaryIpAddress = opt(f.PrimaryIP)
	req.ResourceGroupId = opt(f.ResourceGroupID)
	if len(f.IDs) > 0 {
		req.NetworkInterfaceId = tea.StringSlice(f.IDs)
	}
	if len(f.IPs) > 0 {
		req.PrivateIpAddress = tea.StringSlice(f.IPs)
	}
	if len(f.IPv6) > 0 {
		req.Ipv6Address = tea.StringSlice(f.IPv6)
	}
	for _, t := range f.Tags {
		// A tag without a value matches any value: send the key alone.
		req.Tag = append(req.Tag, &ecs.DescribeNetworkInterfacesRequestTag{Key: tea.String(t.Key), Value: opt(t.Value)})
	}
	if f.Managed != nil {
		req.ServiceManaged = tea.Bool(*f.Managed)
	}
	return req
}

func toENIs(region string, body *ecs.DescribeNetworkInterfacesResponseBody) []eni.ENI {
	if body.NetworkInterfaceSets == nil {
		return nil
	}
	out := make([]eni.ENI, 0, len(body.NetworkInterfaceSets.NetworkInterfaceSet))
	for _, s := range body.NetworkInterfaceSets.NetworkInterfaceSet {
		if s != nil {
			out = append(out, toENI(region, s))
		}
	}
	return out
}

// uniqueIDs drops empty and repeated IDs, keeping the first occurrence.
func uniqueIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// bodyOf guards against a 2xx answer without a body, which the SDK passes
// on as nil.
func bodyOf[B any](b *B) (*B, error) {
	if b == nil {
		return nil, errEmptyBody
	}
	return b, nil
}

var errEmptyBody = errors.New("the cloud answered without a body")

func errNoRegion(action string) error {
	return fmt.Errorf("aliyun: %s: no region given", action)
}
