package aliyun

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
)

// describeClient serves an emulator whose cn-hangzhou has about extra
// varied ENIs more than its seed, and returns the SDK client of that
// region.
func describeClient(t testing.TB, extra int) *ecs.Client {
	t.Helper()
	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{})
	if extra > 0 {
		emu.SeedVaried("cn-hangzhou", extra, 3)
	}
	id, secret := emu.AccessKey()
	c, err := New(Config{Endpoint: endpoint, Protocol: "http", AccessKeyID: id, AccessKeySecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	api, err := c.sdkClient("cn-hangzhou", 0)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// Decoded once, an answer is what the SDK's own method makes of it, for
// every kind of filter and on later pages; a refusal is the same error.
func TestDescribeOnceMatchesTheSDK(t *testing.T) {
	api := describeClient(t, 700)
	rt := &util.RuntimeOptions{}
	full, err := api.DescribeNetworkInterfacesWithOptions(&ecs.DescribeNetworkInterfacesRequest{
		RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(500)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	sets := full.Body.NetworkInterfaceSets.NetworkInterfaceSet
	if len(sets) != 500 || tea.StringValue(full.Body.NextToken) == "" {
		t.Fatalf("first page: %d ENIs, token %q", len(sets), tea.StringValue(full.Body.NextToken))
	}
	var tagged *ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet
	for _, s := range sets {
		if s.Tags != nil && len(s.Tags.Tag) > 0 {
			tagged = s
			break
		}
	}
	if tagged == nil {
		t.Fatal("no tagged ENI in the first page")
	}
	tag := tagged.Tags.Tag[0]
	region := tea.String("cn-hangzhou")
	reqs := map[string]*ecs.DescribeNetworkInterfacesRequest{
		"first page":  {RegionId: region, MaxResults: tea.Int32(500)},
		"second page": {RegionId: region, MaxResults: tea.Int32(500), NextToken: full.Body.NextToken},
		"vpc and status": {RegionId: region, VpcId: sets[0].VpcId, Status: tea.String("InUse"),
			MaxResults: tea.Int32(100)},
		"ids": {RegionId: region, NetworkInterfaceId: []*string{sets[1].NetworkInterfaceId, sets[2].NetworkInterfaceId}},
		"tag": {RegionId: region, Tag: []*ecs.DescribeNetworkInterfacesRequestTag{{Key: tag.TagKey, Value: tag.TagValue}}},
		"addresses": {RegionId: region, PrivateIpAddress: []*string{sets[3].PrivateIpAddress},
			ServiceManaged: tea.Bool(false), Type: sets[3].Type},
		"nothing": {RegionId: region, NetworkInterfaceName: tea.String("no-such-name")},
	}
	for name, req := range reqs {
		want, err := api.DescribeNetworkInterfacesWithOptions(req, rt)
		if err != nil {
			t.Fatalf("%s: SDK: %v", name, err)
		}
		got, err := describeENIsOnce(api, req, rt)
		if err != nil {
			t.Fatalf("%s: once: %v", name, err)
		}
		if n := len(want.Body.NetworkInterfaceSets.NetworkInterfaceSet); n == 0 && name != "nothing" {
			t.Errorf("%s: the view is empty, so it proves little", name)
		}
		want.Body.RequestId, got.RequestId = nil, nil
		if !reflect.DeepEqual(want.Body, got) {
			t.Errorf("%s: decoded once differs from the SDK's answer:\n%s\nvs\n%s", name, got, want.Body)
		}
	}

	bad := &ecs.DescribeNetworkInterfacesRequest{RegionId: region, Status: tea.String("Sleeping")}
	_, wantErr := api.DescribeNetworkInterfacesWithOptions(bad, rt)
	_, gotErr := describeENIsOnce(api, bad, rt)
	var we, ge *tea.SDKError
	if !errors.As(wantErr, &we) || !errors.As(gotErr, &ge) {
		t.Fatalf("errors: SDK %v, once %v", wantErr, gotErr)
	}
	if tea.StringValue(we.Code) != tea.StringValue(ge.Code) || tea.IntValue(we.StatusCode) != tea.IntValue(ge.StatusCode) {
		t.Errorf("refusal: once %s %d, SDK %s %d", tea.StringValue(ge.Code), tea.IntValue(ge.StatusCode),
			tea.StringValue(we.Code), tea.IntValue(we.StatusCode))
	}
}

// BenchmarkDecodeDescribeENIs decodes one 500-ENI answer of
// DescribeNetworkInterfaces: "sdk" as the SDK's method does (JSON to maps,
// then tea.Convert to a map and again to the response), "once" as
// describeENIsOnce does.
func BenchmarkDecodeDescribeENIs(b *testing.B) {
	api := describeClient(b, 700)
	raw, err := describeENIsRaw(api, &ecs.DescribeNetworkInterfacesRequest{
		RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(500)}, &util.RuntimeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("sdk", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			obj, err := util.ReadAsJSON(bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			res, err := util.AssertAsMap(obj)
			if err != nil {
				b.Fatal(err)
			}
			wrapped := map[string]any{}
			if err := tea.Convert(map[string]any{"body": res, "headers": map[string]*string{}, "statusCode": 200}, &wrapped); err != nil {
				b.Fatal(err)
			}
			resp := &ecs.DescribeNetworkInterfacesResponse{}
			if err := tea.Convert(wrapped, &resp); err != nil || len(resp.Body.NetworkInterfaceSets.NetworkInterfaceSet) != 500 {
				b.Fatal(err)
			}
		}
	})
	b.Run("once", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			body, err := decodeDescribeENIs(raw)
			if err != nil || len(body.NetworkInterfaceSets.NetworkInterfaceSet) != 500 {
				b.Fatal(err)
			}
		}
	})
}
