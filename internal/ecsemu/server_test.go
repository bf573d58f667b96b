package ecsemu

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"
)

// The protocol layer is tested against fake actions, through the official
// SDK over loopback HTTP, with both signature schemes.

const (
	testKeyID  = "LTAItestProtocolKey"
	testSecret = "test-protocol-secret"
)

// schemes are the SDK's two ways of signing: v2=false is ACS3-HMAC-SHA256.
var schemes = []struct {
	name string
	v2   bool
}{{"acs3", false}, {"rpc-v2", true}}

// recorder keeps the last Request each fake action saw.
type recorder struct {
	mu   sync.Mutex
	last map[string]*Request
}

func (rc *recorder) record(r *Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.last == nil {
		rc.last = map[string]*Request{}
	}
	rc.last[r.Action] = r
}

func (rc *recorder) get(t *testing.T, action string) *Request {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	r := rc.last[action]
	if r == nil {
		t.Fatalf("action %s was not called", action)
	}
	return r
}

var errBoom = errors.New("boom")

// fakeActions answer with canned, documented shapes, echoing some of what
// they were sent so the tests can see the parameters arrive.
func fakeActions(rc *recorder) map[string]ActionFunc {
	return map[string]ActionFunc{
		"DescribeRegions": func(_ context.Context, r *Request) (any, error) {
			rc.record(r)
			return map[string]any{"Regions": map[string]any{"Region": []map[string]string{
				{"RegionId": "cn-hangzhou", "LocalName": "China (Hangzhou)", "RegionEndpoint": "ecs.cn-hangzhou.aliyuncs.com", "Status": "available"},
				{"RegionId": "cn-beijing", "LocalName": "China (Beijing)", "RegionEndpoint": "ecs.cn-beijing.aliyuncs.com", "Status": "available"},
			}}}, nil
		},
		"DescribeNetworkInterfaces": func(_ context.Context, r *Request) (any, error) {
			rc.record(r)
			page, err := r.Int("PageNumber", 1)
			if err != nil {
				return nil, err
			}
			var sets []map[string]any
			for _, id := range r.List("NetworkInterfaceId") {
				var tags []map[string]string
				for _, tg := range r.Tags() {
					tags = append(tags, map[string]string{"TagKey": tg.Key, "TagValue": tg.Value})
				}
				sets = append(sets, map[string]any{
					"NetworkInterfaceId": id, "Status": "Available", "Type": "Secondary",
					"ZoneId": r.RegionID + "-a", "DeleteOnRelease": true, "QueueNumber": 2,
					"Tags": map[string]any{"Tag": tags},
				})
			}
			return map[string]any{
				"NetworkInterfaceSets": map[string]any{"NetworkInterfaceSet": sets},
				"TotalCount":           len(sets), "PageNumber": page, "PageSize": 10,
			}, nil
		},
		"CreateNetworkInterface": func(_ context.Context, r *Request) (any, error) {
			rc.record(r)
			return map[string]any{
				"NetworkInterfaceId": "eni-created",
				"SecurityGroupIds":   map[string]any{"SecurityGroupId": r.List("SecurityGroupIds")},
				"Description":        r.String("ConnectionTrackingConfiguration.UdpTimeout"),
			}, nil
		},
		"DeleteNetworkInterface": func(_ context.Context, r *Request) (any, error) {
			return nil, &APIError{Status: http.StatusForbidden, Code: "InvalidOperation.InvalidEniState", Message: "The ENI is in use."}
		},
		"DetachNetworkInterface": func(_ context.Context, r *Request) (any, error) {
			return nil, fmt.Errorf("detaching: %w", errBoom)
		},
		"AttachNetworkInterface": func(_ context.Context, r *Request) (any, error) {
			panic("attach exploded")
		},
	}
}

// startFake serves a protocol server over fake actions on loopback.
func startFake(t testing.TB, opts serverOptions) (*server, *recorder, string) {
	t.Helper()
	rc := &recorder{}
	s := newServer(testKeyID, testSecret, fakeActions(rc), opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, rc, ts.Listener.Addr().String()
}

func sdkConfig(endpoint, id, secret string, v2 bool) *openapi.Config {
	cfg := &openapi.Config{
		AccessKeyId: tea.String(id), AccessKeySecret: tea.String(secret),
		Endpoint: tea.String(endpoint), Protocol: tea.String("http"),
		RegionId: tea.String("cn-hangzhou"), NoProxy: tea.String(endpoint),
	}
	if v2 {
		cfg.SignatureAlgorithm = tea.String("v2")
	}
	return cfg
}

func sdkClient(t testing.TB, endpoint, id, secret string, v2 bool) *ecs.Client {
	t.Helper()
	c, err := ecs.NewClient(sdkConfig(endpoint, id, secret, v2))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sdkCode unpacks the *tea.SDKError the SDK returns for a cloud error.
func sdkCode(t *testing.T, err error) (string, int) {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *tea.SDKError", err, err)
	}
	return tea.StringValue(se.Code), tea.IntValue(se.StatusCode)
}

func TestSDKCallsSucceedWithBothSchemes(t *testing.T) {
	_, rc, ep := startFake(t, serverOptions{})
	for _, sc := range schemes {
		t.Run(sc.name, func(t *testing.T) {
			c := sdkClient(t, ep, testKeyID, testSecret, sc.v2)

			regions, err := c.DescribeRegions(&ecs.DescribeRegionsRequest{})
			if err != nil {
				t.Fatalf("DescribeRegions: %v", err)
			}
			if got := tea.Int32Value(regions.StatusCode); got != 200 {
				t.Errorf("status %d, want 200", got)
			}
			if tea.StringValue(regions.Body.RequestId) == "" {
				t.Error("RequestId missing")
			}
			var ids []string
			for _, r := range regions.Body.Regions.Region {
				ids = append(ids, tea.StringValue(r.RegionId))
			}
			if !slices.Equal(ids, []string{"cn-hangzhou", "cn-beijing"}) {
				t.Errorf("regions %v", ids)
			}
			if got := rc.get(t, "DescribeRegions").RegionID; got != "" {
				t.Errorf("DescribeRegions RegionID %q, want empty", got)
			}

			// Twelve ids check numeric, not lexical, order of NetworkInterfaceId.N.
			var eniIDs []*string
			var want []string
			for i := 1; i <= 12; i++ {
				want = append(want, fmt.Sprintf("eni-%02d", i))
				eniIDs = append(eniIDs, tea.String(want[i-1]))
			}
			enis, err := c.DescribeNetworkInterfaces(&ecs.DescribeNetworkInterfacesRequest{
				RegionId: tea.String("cn-beijing"), NetworkInterfaceId: eniIDs, PageNumber: tea.Int32(2),
				Tag: []*ecs.DescribeNetworkInterfacesRequestTag{
					{Key: tea.String("env"), Value: tea.String("prod")},
					{Key: tea.String("team"), Value: tea.String("net & ops*~+=")},
				},
			})
			if err != nil {
				t.Fatalf("DescribeNetworkInterfaces: %v", err)
			}
			req := rc.get(t, "DescribeNetworkInterfaces")
			if req.RegionID != "cn-beijing" || req.String("NetworkInterfaceId.10") != "eni-10" ||
				req.String("Tag.2.Value") != "net & ops*~+=" {
				t.Errorf("flattened params not as sent: %v", req.Params)
			}
			sets := enis.Body.NetworkInterfaceSets.NetworkInterfaceSet
			var got []string
			for _, s := range sets {
				got = append(got, tea.StringValue(s.NetworkInterfaceId))
			}
			if !slices.Equal(got, want) {
				t.Errorf("ids %v, want %v", got, want)
			}
			first := sets[0]
			if tea.Int32Value(enis.Body.TotalCount) != 12 || tea.Int32Value(enis.Body.PageNumber) != 2 ||
				!tea.BoolValue(first.DeleteOnRelease) || tea.Int32Value(first.QueueNumber) != 2 ||
				tea.StringValue(first.ZoneId) != "cn-beijing-a" {
				t.Errorf("typed fields wrong: %s", enis.Body)
			}
			tags := first.Tags.Tag
			if len(tags) != 2 || tea.StringValue(tags[1].TagKey) != "team" || tea.StringValue(tags[1].TagValue) != "net & ops*~+=" {
				t.Errorf("tags %v", tags)
			}

			created, err := c.CreateNetworkInterface(&ecs.CreateNetworkInterfaceRequest{
				RegionId: tea.String("cn-hangzhou"), VSwitchId: tea.String("vsw-1"),
				SecurityGroupIds: []*string{tea.String("sg-1"), tea.String("sg-2")},
				ConnectionTrackingConfiguration: &ecs.CreateNetworkInterfaceRequestConnectionTrackingConfiguration{
					UdpTimeout: tea.Int32(30),
				},
			})
			if err != nil {
				t.Fatalf("CreateNetworkInterface: %v", err)
			}
			sgs := tea.StringSliceValue(created.Body.SecurityGroupIds.SecurityGroupId)
			if !slices.Equal(sgs, []string{"sg-1", "sg-2"}) || tea.StringValue(created.Body.Description) != "30" {
				t.Errorf("create echoed %s", created.Body)
			}
		})
	}
}

// genericClient calls arbitrary actions and versions, as CallApi allows.
func callAPI(t *testing.T, endpoint string, v2 bool, action, version string, query map[string]*string) error {
	t.Helper()
	c, err := openapi.NewClient(sdkConfig(endpoint, testKeyID, testSecret, v2))
	if err != nil {
		t.Fatal(err)
	}
	params := &openapi.Params{
		Action: tea.String(action), Version: tea.String(version), Protocol: tea.String("HTTPS"),
		Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String("AK"),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	_, err = c.CallApi(params, &openapi.OpenApiRequest{Query: query}, &util.RuntimeOptions{})
	return err
}

func TestRegionFreeActions(t *testing.T) {
	for action, want := range map[string]bool{
		"DescribeRegions": true, "DescribeInstanceTypes": true,
		"DescribeZones": false, "DescribeNetworkInterfaces": false, "CreateNetworkInterface": false,
	} {
		if got := regionFree(action); got != want {
			t.Errorf("regionFree(%s) = %v, want %v", action, got, want)
		}
	}
}
