package aliyun

import (
	"encoding/json"
	"fmt"
	"io"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	openapiutil "github.com/alibabacloud-go/openapi-util/service"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"
)

// describeENIsOnce is the SDK's DescribeNetworkInterfacesWithOptions,
// with the same request, signing, endpoint and errors, except that it
// asks the SDK for the raw answer and decodes it once into the response
// type. The SDK's own method reads the JSON into maps, writes it out and
// reads it back twice (tea.Convert): most of a 500-ENI page's CPU.
func describeENIsOnce(api *ecs.Client, req *ecs.DescribeNetworkInterfacesRequest, rt *util.RuntimeOptions) (*ecs.DescribeNetworkInterfacesResponseBody, error) {
	raw, err := describeENIsRaw(api, req, rt)
	if err != nil {
		return nil, err
	}
	return decodeDescribeENIs(raw)
}

// describeENIsRaw sends the request as the SDK's method does and returns
// the answer's body unread.
func describeENIsRaw(api *ecs.Client, req *ecs.DescribeNetworkInterfacesRequest, rt *util.RuntimeOptions) ([]byte, error) {
	if err := util.ValidateModel(req); err != nil {
		return nil, err
	}
	query := map[string]any{}
	set := func(k string, v any) {
		if !tea.BoolValue(util.IsUnset(v)) {
			query[k] = v
		}
	}
	set("InstanceId", req.InstanceId)
	set("Ipv6Address", req.Ipv6Address)
	set("MaxResults", req.MaxResults)
	set("NetworkInterfaceId", req.NetworkInterfaceId)
	set("NetworkInterfaceName", req.NetworkInterfaceName)
	set("NextToken", req.NextToken)
	set("OwnerAccount", req.OwnerAccount)
	set("OwnerId", req.OwnerId)
	set("PageNumber", req.PageNumber)
	set("PageSize", req.PageSize)
	set("PrimaryIpAddress", req.PrimaryIpAddress)
	set("PrivateIpAddress", req.PrivateIpAddress)
	set("RegionId", req.RegionId)
	set("ResourceGroupId", req.ResourceGroupId)
	set("ResourceOwnerAccount", req.ResourceOwnerAccount)
	set("ResourceOwnerId", req.ResourceOwnerId)
	set("SecurityGroupId", req.SecurityGroupId)
	set("ServiceManaged", req.ServiceManaged)
	set("Status", req.Status)
	set("Tag", req.Tag)
	set("Type", req.Type)
	set("VSwitchId", req.VSwitchId)
	set("VpcId", req.VpcId)
	params := &openapi.Params{
		Action:      tea.String(actionDescribeENIs),
		Version:     tea.String("2014-05-26"),
		Protocol:    tea.String("HTTPS"),
		Pathname:    tea.String("/"),
		Method:      tea.String("POST"),
		AuthType:    tea.String("AK"),
		Style:       tea.String("RPC"),
		ReqBodyType: tea.String("formData"),
		BodyType:    tea.String("binary"), // the answer's body as it came
	}
	res, err := api.CallApi(params, &openapi.OpenApiRequest{Query: openapiutil.Query(query)}, rt)
	if err != nil {
		return nil, err
	}
	rc, ok := res["body"].(io.ReadCloser)
	if !ok {
		return nil, errEmptyBody
	}
	defer rc.Close()
	raw, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	return raw, nil
}

// decodeDescribeENIs decodes an answer of DescribeNetworkInterfaces with
// the SDK's own lenient JSON rules (tea.Convert), in one pass.
func decodeDescribeENIs(raw []byte) (*ecs.DescribeNetworkInterfacesResponseBody, error) {
	var body ecs.DescribeNetworkInterfacesResponseBody
	if err := tea.Convert(json.RawMessage(raw), &body); err != nil {
		return nil, fmt.Errorf("decoding the answer: %w", err)
	}
	return &body, nil
}
