package aliyun

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

// Changes to an existing ENI follow the write policy of writes.go: only
// Throttling is retried, since after a 5xx the change may have happened.
// The two assignments are the exception: they carry a ClientToken, so a
// repeat returns the first answer instead of assigning more addresses,
// and they are retried like a read.

const (
	actionModify       = "ModifyNetworkInterfaceAttribute"
	actionAssignIPv4   = "AssignPrivateIpAddresses"
	actionUnassignIPv4 = "UnassignPrivateIpAddresses"
	actionAssignIPv6   = "AssignIpv6Addresses"
	actionUnassignIPv6 = "UnassignIpv6Addresses"
	actionTag          = "TagResources"
	actionUntag        = "UntagResources"

	// tagResourceType is how TagResources and UntagResources name an ENI.
	tagResourceType = "eni"
)

var _ eni.Modifier = (*Client)(nil)

// ModifyENI changes the attributes set in r; the others are left as they are.
func (c *Client) ModifyENI(ctx context.Context, r eni.ModifyRequest) (eni.Result, error) {
	if r.Region == "" {
		return eni.Result{}, errNoRegion(actionModify)
	}
	req := &ecs.ModifyNetworkInterfaceAttributeRequest{
		RegionId:             tea.String(r.Region),
		NetworkInterfaceId:   tea.String(r.ID),
		NetworkInterfaceName: r.Name,
		Description:          r.Description,
		DeleteOnRelease:      r.DeleteOnRelease,
		SourceDestCheck:      r.SourceDestCheck,
	}
	if r.SecurityGroupIDs != nil {
		req.SecurityGroupId = tea.StringSlice(r.SecurityGroupIDs)
	}
	if r.QueueNumber != nil {
		req.QueueNumber = tea.Int32(int32(*r.QueueNumber))
	}
	body, err := retry(ctx, c, r.Region, actionModify, onlyThrottled,
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.ModifyNetworkInterfaceAttributeResponseBody, error) {
			resp, err := api.ModifyNetworkInterfaceAttributeWithOptions(req, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.ModifyNetworkInterfaceAttributeResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return eni.Result{ENIID: r.ID}, err
	}
	return eni.Result{ENIID: r.ID, RequestID: tea.StringValue(body.RequestId)}, nil
}

// AssignAddresses assigns secondary addresses by count or by list. The
// request's ClientToken, or one made here, makes the retries safe.
func (c *Client) AssignAddresses(ctx context.Context, r eni.AddressRequest) (eni.AssignResult, error) {
	res := eni.AssignResult{Result: eni.Result{ENIID: r.ID}}
	if r.Region == "" {
		return res, errNoRegion(actionAssignIPv4)
	}
	token := r.ClientToken
	if token == "" {
		token = newToken()
	}
	switch r.Family {
	case eni.FamilyIPv4:
		req := &ecs.AssignPrivateIpAddressesRequest{
			RegionId:                       tea.String(r.Region),
			NetworkInterfaceId:             tea.String(r.ID),
			SecondaryPrivateIpAddressCount: count32(r.Count),
			ClientToken:                    tea.String(token),
		}
		if len(r.Addresses) > 0 {
			req.PrivateIpAddress = tea.StringSlice(r.Addresses)
		}
		body, err := retry(ctx, c, r.Region, actionAssignIPv4, (*eni.CloudError).Retryable,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.AssignPrivateIpAddressesResponseBody, error) {
				resp, err := api.AssignPrivateIpAddressesWithOptions(req, rt)
				if err != nil {
					return nil, err
				}
				return bodyOf(resp.Body)
			},
			func(b *ecs.AssignPrivateIpAddressesResponseBody) string { return tea.StringValue(b.RequestId) })
		if err != nil {
			return res, err
		}
		res.RequestID = tea.StringValue(body.RequestId)
		if set := body.AssignedPrivateIpAddressesSet; set != nil && set.PrivateIpSet != nil {
			res.Addresses = tea.StringSliceValue(set.PrivateIpSet.PrivateIpAddress)
		}
		return res, nil
	case eni.FamilyIPv6:
		req := &ecs.AssignIpv6AddressesRequest{
			RegionId:           tea.String(r.Region),
			NetworkInterfaceId: tea.String(r.ID),
			Ipv6AddressCount:   count32(r.Count),
			ClientToken:        tea.String(token),
		}
		if len(r.Addresses) > 0 {
			req.Ipv6Address = tea.StringSlice(r.Addresses)
		}
		body, err := retry(ctx, c, r.Region, actionAssignIPv6, (*eni.CloudError).Retryable,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.AssignIpv6AddressesResponseBody, error) {
				resp, err := api.AssignIpv6AddressesWithOptions(req, rt)
				if err != nil {
					return nil, err
				}
				return bodyOf(resp.Body)
			},
			func(b *ecs.AssignIpv6AddressesResponseBody) string { return tea.StringValue(b.RequestId) })
		if err != nil {
			return res, err
		}
		res.RequestID = tea.StringValue(body.RequestId)
		if body.Ipv6Sets != nil {
			res.Addresses = tea.StringSliceValue(body.Ipv6Sets.Ipv6Address)
		}
		return res, nil
	}
	return res, notSent(errFamily(r.Family))
}

// UnassignAddresses removes the listed secondary addresses.
func (c *Client) UnassignAddresses(ctx context.Context, r eni.AddressRequest) (eni.Result, error) {
	res := eni.Result{ENIID: r.ID}
	if r.Region == "" {
		return res, errNoRegion(actionUnassignIPv4)
	}
	var rid *string
	var err error
	switch r.Family {
	case eni.FamilyIPv4:
		req := &ecs.UnassignPrivateIpAddressesRequest{
			RegionId:           tea.String(r.Region),
			NetworkInterfaceId: tea.String(r.ID),
			PrivateIpAddress:   tea.StringSlice(r.Addresses),
		}
		var body *ecs.UnassignPrivateIpAddressesResponseBody
		body, err = retry(ctx, c, r.Region, actionUnassignIPv4, onlyThrottled,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.UnassignPrivateIpAddressesResponseBody, error) {
				resp, err := api.UnassignPrivateIpAddressesWithOptions(req, rt)
				if err != nil {
					return nil, err
				}
				return bodyOf(resp.Body)
			},
			func(b *ecs.UnassignPrivateIpAddressesResponseBody) string { return tea.StringValue(b.RequestId) })
		if err == nil {
			rid = body.RequestId
		}
	case eni.FamilyIPv6:
		req := &ecs.UnassignIpv6AddressesRequest{
			RegionId:           tea.String(r.Region),
			NetworkInterfaceId: tea.String(r.ID),
			Ipv6Address:        tea.StringSlice(r.Addresses),
		}
		var body *ecs.UnassignIpv6AddressesResponseBody
		body, err = retry(ctx, c, r.Region, actionUnassignIPv6, onlyThrottled,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.UnassignIpv6AddressesResponseBody, error) {
				resp, err := api.UnassignIpv6AddressesWithOptions(req, rt)
				if err != nil {
					return nil, err
				}
				return bodyOf(resp.Body)
			},
			func(b *ecs.UnassignIpv6AddressesResponseBody) string { return tea.StringValue(b.RequestId) })
		if err == nil {
			rid = body.RequestId
		}
	default:
		return res, notSent(errFamily(r.Family))
	}
	if err != nil {
		return res, err
	}
	res.RequestID = tea.StringValue(rid)
	return res, nil
}

// TagENI adds the tags to the ENI, replacing the values of keys it has.
func (c *Client) TagENI(ctx context.Context, region, id string, tags []eni.Tag) (eni.Result, error) {
	if region == "" {
		return eni.Result{}, errNoRegion(actionTag)
	}
	req := &ecs.TagResourcesRequest{
		RegionId:     tea.String(region),
		ResourceType: tea.String(tagResourceType),
		ResourceId:   tea.StringSlice([]string{id}),
	}
	for _, t := range tags {
		req.Tag = append(req.Tag, &ecs.TagResourcesRequestTag{Key: tea.String(t.Key), Value: tea.String(t.Value)})
	}
	body, err := retry(ctx, c, region, actionTag, onlyThrottled,
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.TagResourcesResponseBody, error) {
			resp, err := api.TagResourcesWithOptions(req, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.TagResourcesResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return eni.Result{ENIID: id}, err
	}
	return eni.Result{ENIID: id, RequestID: tea.StringValue(body.RequestId)}, nil
}

// UntagENI removes the tags with these keys from the ENI. An empty list
// removes nothing: All is never sent.
func (c *Client) UntagENI(ctx context.Context, region, id string, keys []string) (eni.Result, error) {
	if region == "" {
		return eni.Result{}, errNoRegion(actionUntag)
	}
	if len(keys) == 0 {
		// UntagResources without TagKey and without All removes nothing,
		// but say so rather than make a call that does nothing.
		return eni.Result{ENIID: id}, notSent(fmt.Errorf("aliyun: %s: no tag keys given", where(actionUntag, region)))
	}
	req := &ecs.UntagResourcesRequest{
		RegionId:     tea.String(region),
		ResourceType: tea.String(tagResourceType),
		ResourceId:   tea.StringSlice([]string{id}),
		TagKey:       tea.StringSlice(keys),
	}
	body, err := retry(ctx, c, region, actionUntag, onlyThrottled,
		func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.UntagResourcesResponseBody, error) {
			resp, err := api.UntagResourcesWithOptions(req, rt)
			if err != nil {
				return nil, err
			}
			return bodyOf(resp.Body)
		},
		func(b *ecs.UntagResourcesResponseBody) string { return tea.StringValue(b.RequestId) })
	if err != nil {
		return eni.Result{ENIID: id}, err
	}
	return eni.Result{ENIID: id, RequestID: tea.StringValue(body.RequestId)}, nil
}

func count32(n int) *int32 {
	if n == 0 {
		return nil
	}
	return tea.Int32(int32(n))
}

func errFamily(f eni.AddressFamily) error {
	return fmt.Errorf("aliyun: unknown address family %q (want %q or %q)", f, eni.FamilyIPv4, eni.FamilyIPv6)
}

// newToken makes a ClientToken: 32 hex digits, within the 64 ASCII
// characters the references allow.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
