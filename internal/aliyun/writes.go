package aliyun

import (
	"context"
	"fmt"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

// Writes are not retried blindly. Create is retried like a read only when
// it carries a ClientToken, which makes a repeat return the same ENI.
// Attach, detach and delete are retried only on Throttling, where the
// cloud did nothing; after a 5xx or a timeout the change may have happened,
// so the error goes to the operator, who can see the ENI's state. An error
// without the cloud's answer is marked eni.ErrNotSent when the request
// surely never left; otherwise eni.OutcomeUnknown reports it as unknown.

const (
	actionCreate = "CreateNetworkInterface"
	actionAttach = "AttachNetworkInterface"
	actionDetach = "DetachNetworkInterface"
	actionDelete = "DeleteNetworkInterface"
)

func onlyThrottled(ce *eni.CloudError) bool { return ce.Throttled() }
func never(*eni.CloudError) bool            { return false }

// CreateENI creates an ENI; it is Available when the call returns.
func (c *Client) CreateENI(ctx context.Context, r eni.CreateRequest) (eni.Result, error) {
	if r.Region == "" {
		return eni.Result{}, errNoRegion(actionCreate)
	}
	req := createRequest(r)
	again := never
	if r.ClientToken != "" {
		again = (*eni.CloudError).Retryable
	}
	body, err := retry(ctx, c, r.Region, actionCreate, again,
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.CreateNetworkInterfaceResponseBody, error) {
			resp, err := api.CreateNetworkInterfaceWithOptions(req, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.CreateNetworkInterfaceResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return eni.Result{}, err
	}
	res := eni.Result{ENIID: tea.StringValue(body.NetworkInterfaceId), RequestID: tea.StringValue(body.RequestId)}
	if res.ENIID == "" {
		// The reference says to create again in this case; the same
		// ClientToken makes that safe.
		return res, fmt.Errorf("aliyun: %s: the cloud returned no NetworkInterfaceId (RequestId %s); submit again",
			where(actionCreate, r.Region), res.RequestID)
	}
	return res, nil
}

func createRequest(r eni.CreateRequest) *ecs.CreateNetworkInterfaceRequest {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return tea.String(s)
	}
	count := func(n int) *int32 {
		if n == 0 {
			return nil
		}
		return tea.Int32(int32(n))
	}
	req := &ecs.CreateNetworkInterfaceRequest{
		RegionId:                       tea.String(r.Region),
		VSwitchId:                      tea.String(r.VSwitchID),
		NetworkInterfaceName:           opt(r.Name),
		Description:                    opt(r.Description),
		PrimaryIpAddress:               opt(r.PrimaryIP),
		SecondaryPrivateIpAddressCount: count(r.SecondaryIPCount),
		Ipv6AddressCount:               count(r.IPv6Count),
		Ipv4PrefixCount:                count(r.IPv4PrefixCount),
		ResourceGroupId:                opt(r.ResourceGroupID),
		DeleteOnRelease:                r.DeleteOnRelease,
		QueueNumber:                    count(r.QueueNumber),
		NetworkInterfaceTrafficMode:    opt(r.TrafficMode),
		SourceDestCheck:                r.SourceDestCheck,
		ClientToken:                    opt(r.ClientToken),
	}
	if len(r.SecurityGroupIDs) == 1 {
		req.SecurityGroupId = tea.String(r.SecurityGroupIDs[0])
	} else if len(r.SecurityGroupIDs) > 1 {
		req.SecurityGroupIds = tea.StringSlice(r.SecurityGroupIDs)
	}
	if len(r.SecondaryIPs) > 0 {
		req.PrivateIpAddress = tea.StringSlice(r.SecondaryIPs)
	}
	if len(r.IPv6) > 0 {
		req.Ipv6Address = tea.StringSlice(r.IPv6)
	}
	if len(r.IPv4Prefixes) > 0 {
		req.Ipv4Prefix = tea.StringSlice(r.IPv4Prefixes)
	}
	for _, t := range r.Tags {
		req.Tag = append(req.Tag, &ecs.CreateNetworkInterfaceRequestTag{Key: tea.String(t.Key), Value: tea.String(t.Value)})
	}
	return req
}

// AttachENI starts attaching an ENI to an instance.
func (c *Client) AttachENI(ctx context.Context, r eni.AttachRequest) (eni.Result, error) {
	if r.Region == "" {
		return eni.Result{}, errNoRegion(actionAttach)
	}
	req := &ecs.AttachNetworkInterfaceRequest{
		RegionId:           tea.String(r.Region),
		NetworkInterfaceId: tea.String(r.ENIID),
		InstanceId:         tea.String(r.InstanceID),
	}
	if r.NetworkCardIndex != nil {
		req.NetworkCardIndex = tea.Int32(int32(*r.NetworkCardIndex))
	}
	body, err := retry(ctx, c, r.Region, actionAttach, onlyThrottled,
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.AttachNetworkInterfaceResponseBody, error) {
			resp, err := api.AttachNetworkInterfaceWithOptions(req, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.AttachNetworkInterfaceResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return eni.Result{ENIID: r.ENIID}, err
	}
	return eni.Result{ENIID: r.ENIID, RequestID: tea.StringValue(body.RequestId)}, nil
}

// DetachENI starts detaching an ENI from its instance.
func (c *Client) DetachENI(ctx context.Context, r eni.DetachRequest) (eni.Result, error) {
	if r.Region == "" {
		return eni.Result{}, errNoRegion(actionDetach)
	}
	req := &ecs.DetachNetworkInterfaceRequest{
		RegionId:           tea.String(r.Region),
		NetworkInterfaceId: tea.String(r.ENIID),
		InstanceId:         tea.String(r.InstanceID),
	}
	body, err := retry(ctx, c, r.Region, actionDetach, onlyThrottled,
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DetachNetworkInterfaceResponseBody, error) {
			resp, err := api.DetachNetworkInterfaceWithOptions(req, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.DetachNetworkInterfaceResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return eni.Result{ENIID: r.ENIID}, err
	}
	return eni.Result{ENIID: r.ENIID, RequestID: tea.StringValue(body.RequestId)}, nil
}

// DeleteENI starts deleting an Available ENI.
func (c *Client) DeleteENI(ctx context.Context, region, id string) (eni.Result, error) {
	if region == "" {
		return eni.Result{}, errNoRegion(actionDelete)
	}
	req := &ecs.DeleteNetworkInterfaceRequest{RegionId: tea.String(region), NetworkInterfaceId: tea.String(id)}
	body, err := retry(ctx, c, region, actionDelete, onlyThrottled,
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DeleteNetworkInterfaceResponseBody, error) {
			resp, err := api.DeleteNetworkInterfaceWithOptions(req, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.DeleteNetworkInterfaceResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return eni.Result{ENIID: id}, err
	}
	return eni.Result{ENIID: id, RequestID: tea.StringValue(body.RequestId)}, nil
}
