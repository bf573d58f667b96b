package aliyun

import (
	"context"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	openapiutil "github.com/alibabacloud-go/openapi-util/service"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

// vswitchesBody is DescribeVSwitches' answer. The SDK's own response type
// drops Ipv6CidrBlock, so this call goes through the SDK's generic CallApi
// (same signing, endpoint and runtime options) and decodes into this.
type vswitchesBody struct {
	RequestID  *string `json:"RequestId"`
	TotalCount *int32  `json:"TotalCount"`
	VSwitches  *struct {
		VSwitch []*struct {
			VSwitchID     *string `json:"VSwitchId"`
			VSwitchName   *string `json:"VSwitchName"`
			VpcID         *string `json:"VpcId"`
			ZoneID        *string `json:"ZoneId"`
			CidrBlock     *string `json:"CidrBlock"`
			Ipv6CidrBlock *string `json:"Ipv6CidrBlock"`
			AvailableIPs  *int64  `json:"AvailableIpAddressCount"`
		} `json:"VSwitch"`
	} `json:"VSwitches"`
}

var describeVSwitches = &openapi.Params{
	Action:      tea.String("DescribeVSwitches"),
	Version:     tea.String("2014-05-26"),
	Protocol:    tea.String("HTTPS"),
	Pathname:    tea.String("/"),
	Method:      tea.String("POST"),
	AuthType:    tea.String("AK"),
	Style:       tea.String("RPC"),
	ReqBodyType: tea.String("formData"),
	BodyType:    tea.String("json"),
}

// VSwitches lists the vSwitches of a region, of one VPC when vpcID is set,
// with their free IPv4 addresses and IPv6 CIDR.
func (c *Client) VSwitches(ctx context.Context, region, vpcID string) ([]eni.VSwitch, error) {
	const action = "DescribeVSwitches"
	if region == "" {
		return nil, errNoRegion(action)
	}
	var out []eni.VSwitch
	for page := 1; page <= maxNumberedPages; page++ {
		query := map[string]any{"RegionId": region, "PageNumber": page, "PageSize": vswitchPageSize}
		if vpcID != "" {
			query["VpcId"] = vpcID
		}
		req := &openapi.OpenApiRequest{Query: openapiutil.Query(query)}
		body, err := read(ctx, c, region, action,
			func(api *ecs.Client, rt *util.RuntimeOptions) (*vswitchesBody, error) {
				// Params is copied: CallApi must not share one between calls.
				params := *describeVSwitches
				resp, err := api.CallApi(&params, req, rt)
				if err != nil {
					return nil, err
				}
				b := &vswitchesBody{}
				if err := tea.Convert(resp["body"], b); err != nil {
					return nil, err
				}
				return b, nil
			},
			func(b *vswitchesBody) string { return tea.StringValue(b.RequestID) })
		if err != nil {
			return nil, err
		}
		n := 0
		if body.VSwitches != nil {
			for _, v := range body.VSwitches.VSwitch {
				if v == nil {
					continue
				}
				n++
				out = append(out, eni.VSwitch{
					ID:          tea.StringValue(v.VSwitchID),
					Name:        tea.StringValue(v.VSwitchName),
					VpcID:       tea.StringValue(v.VpcID),
					ZoneID:      tea.StringValue(v.ZoneID),
					CIDR:        tea.StringValue(v.CidrBlock),
					IPv6CIDR:    tea.StringValue(v.Ipv6CidrBlock),
					AvailableIP: int(tea.Int64Value(v.AvailableIPs)),
				})
			}
		}
		if lastNumberedPage(n, vswitchPageSize, len(out), body.TotalCount) {
			return out, nil
		}
	}
	return out, errTooManyPages(action, region)
}
