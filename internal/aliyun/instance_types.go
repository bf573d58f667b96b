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

// fillENILimits sets each instance's ENILimit to the EniQuantity of its
// instance type, asking DescribeInstanceTypes about the distinct types only,
// typesPerCall at a time. The limit only sharpens the attach picker, so a
// failed call is logged and its types keep ENILimit 0 (unknown) rather than
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
	limits := make(map[string]int, len(types))
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
		insts[i].ENILimit = limits[insts[i].Type]
	}
}

// eniLimits records the EniQuantity of each of types (at most typesPerCall)
// in limits. Types the cloud does not describe are left out.
func (c *Client) eniLimits(ctx context.Context, region string, types []string, limits map[string]int) error {
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
					limits[tea.StringValue(t.InstanceTypeId)] = int(tea.Int32Value(t.EniQuantity))
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
