package aliyun

import (
	"context"
	"slices"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

const (
	actionDescribeTypes = "DescribeInstanceTypes"
	// typesPerCall is the most InstanceTypes.N one DescribeInstanceTypes
	// call accepts.
	typesPerCall = 10
)

// typeLimits are what an instance type allows: ENIs, addresses per ENI,
// and queues per ENI and in all.
type typeLimits struct{ enis, ipv4, ipv6, queues, totalQueues int }

// fillENILimits sets each instance's ENILimit to the EniQuantity of its
// instance type, and its per-ENI address limits, asking
// DescribeInstanceTypes about the distinct types only, typesPerCall at a
// time. The limits only sharpen the attach picker and the address form, so
// a failed call is logged and its types keep 0 (unknown) rather than
// failing the instance list.
func (c *Client) fillENILimits(ctx context.Context, region string, insts []eni.Instance) {
	var types []string
	for _, in := range insts {
		if in.Type != "" {
			types = append(types, in.Type)
		}
	}
	slices.Sort(types)
	types = slices.Compact(types)
	limits := make(map[string]typeLimits, len(types))
	for batch := range slices.Chunk(types, typesPerCall) {
		if ctx.Err() != nil {
			// Every further call would fail at once; the first failure
			// was logged.
			break
		}
		if err := c.eniLimits(ctx, region, batch, limits); err != nil {
			c.log.WarnContext(ctx, "instance ENI limits unknown", "region", region, "types", batch, "error", err)
		}
	}
	for i := range insts {
		l := limits[insts[i].Type]
		insts[i].ENILimit, insts[i].IPv4PerENI, insts[i].IPv6PerENI = l.enis, l.ipv4, l.ipv6
		insts[i].MaxQueuesPerENI, insts[i].TotalQueues = l.queues, l.totalQueues
	}
}

// eniLimits records the limits of each of types (at most typesPerCall) in
// limits. Types the cloud does not describe are left out.
func (c *Client) eniLimits(ctx context.Context, region string, types []string, limits map[string]typeLimits) error {
	req := &ecs.DescribeInstanceTypesRequest{InstanceTypes: tea.StringSlice(types)}
	for range maxTokenPages {
		body, err := read(ctx, c, region, actionDescribeTypes,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*ecs.DescribeInstanceTypesResponseBody, error) {
				resp, err := api.DescribeInstanceTypesWithOptions(req, rt)
				if err != nil {
					return nil, err
				}
				return bodyOf(resp.Body)
			},
			func(b *ecs.DescribeInstanceTypesResponseBody) string { return tea.StringValue(b.RequestId) })
		if err != nil {
			return err
		}
		if body.InstanceTypes != nil {
			for _, t := range body.InstanceTypes.InstanceType {
				if t != nil && tea.Int32Value(t.EniQuantity) > 0 {
					limits[tea.StringValue(t.InstanceTypeId)] = typeLimits{enis: int(tea.Int32Value(t.EniQuantity)),
						ipv4: int(tea.Int32Value(t.EniPrivateIpAddressQuantity)), ipv6: int(tea.Int32Value(t.EniIpv6AddressQuantity)),
						queues: int(tea.Int32Value(t.MaximumQueueNumberPerEni)), totalQueues: int(tea.Int32Value(t.TotalEniQueueQuantity))}
				}
			}
		}
		next := tea.StringValue(body.NextToken)
		if next == "" {
			return nil
		}
		r := *req
		r.NextToken = tea.String(next)
		req = &r
	}
	return errTooManyPages(actionDescribeTypes, region)
}
