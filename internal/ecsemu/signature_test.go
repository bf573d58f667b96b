package ecsemu

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"
)

const sdkTimeLayout = "2006-01-02T15:04:05Z"

// overrides makes the SDK send chosen common values: the v2 scheme carries
// them as query parameters, ACS3 as x-acs-* headers. The SDK signs them.
func overrides(v2 bool, nonce, timestamp string) *util.RuntimeOptions {
	q, h := map[string]*string{}, map[string]*string{}
	if nonce != "" {
		q["SignatureNonce"], h["x-acs-signature-nonce"] = tea.String(nonce), tea.String(nonce)
	}
	if timestamp != "" {
		q["Timestamp"], h["x-acs-date"] = tea.String(timestamp), tea.String(timestamp)
	}
	ext := &util.ExtendsParameters{Headers: h}
	if v2 {
		ext = &util.ExtendsParameters{Queries: q}
	}
	return &util.RuntimeOptions{ExtendsParameters: ext}
}

var nonceSeq atomic.Int64

func TestSDKRejections(t *testing.T) {
	_, _, ep := startFake(t, serverOptions{})
	describeRegions := func(id, secret string, rt func(v2 bool) *util.RuntimeOptions) func(*testing.T, bool) error {
		return func(t *testing.T, v2 bool) error {
			c := sdkClient(t, ep, id, secret, v2)
			opts := &util.RuntimeOptions{}
			if rt != nil {
				opts = rt(v2)
			}
			_, err := c.DescribeRegionsWithOptions(&ecs.DescribeRegionsRequest{}, opts)
			return err
		}
	}
	at := func(d time.Duration) func(bool) *util.RuntimeOptions {
		return func(v2 bool) *util.RuntimeOptions {
			return overrides(v2, "", time.Now().UTC().Add(d).Format(sdkTimeLayout))
		}
	}
	tests := []struct {
		name       string
		call       func(t *testing.T, v2 bool) error
		wantCode   map[bool]string // by v2
		wantStatus int
	}{
		{
			name:     "unknown AccessKeyId",
			call:     describeRegions("LTAInobodyHasThisKey", testSecret, nil),
			wantCode: map[bool]string{false: "InvalidAccessKeyId.NotFound", true: "InvalidAccessKeyId.NotFound"}, wantStatus: 404,
		},
		{
			name:     "wrong secret",
			call:     describeRegions(testKeyID, "not-the-secret", nil),
			wantCode: map[bool]string{false: "IncompleteSignature", true: "SignatureDoesNotMatch"}, wantStatus: 400,
		},
		{
			name: "reused nonce",
			call: func(t *testing.T, v2 bool) error {
				nonce := fmt.Sprintf("nonce-%d", nonceSeq.Add(1))
				rt := func(v2 bool) *util.RuntimeOptions { return overrides(v2, nonce, "") }
				if err := describeRegions(testKeyID, testSecret, rt)(t, v2); err != nil {
					t.Fatalf("first use of the nonce: %v", err)
				}
				return describeRegions(testKeyID, testSecret, rt)(t, v2)
			},
			wantCode: map[bool]string{false: "SignatureNonceUsed", true: "SignatureNonceUsed"}, wantStatus: 400,
		},
		{
			name:     "timestamp 20 minutes old",
			call:     describeRegions(testKeyID, testSecret, at(-20*time.Minute)),
			wantCode: map[bool]string{false: "InvalidTimeStamp.Expired", true: "InvalidTimeStamp.Expired"}, wantStatus: 400,
		},
		{
			name:     "timestamp 20 minutes ahead",
			call:     describeRegions(testKeyID, testSecret, at(20*time.Minute)),
			wantCode: map[bool]string{false: "InvalidTimeStamp.Expired", true: "InvalidTimeStamp.Expired"}, wantStatus: 400,
		},
		{
			name: "malformed timestamp",
			call: describeRegions(testKeyID, testSecret, func(v2 bool) *util.RuntimeOptions {
				return overrides(v2, "", "yesterday at noon")
			}),
			wantCode: map[bool]string{false: "InvalidTimeStamp.Format", true: "InvalidTimeStamp.Format"}, wantStatus: 400,
		},
		{
			name: "unknown action",
			call: func(t *testing.T, v2 bool) error {
				return callAPI(t, ep, v2, "DescribeUnicorns", APIVersion, map[string]*string{"RegionId": tea.String("cn-hangzhou")})
			},
			wantCode: map[bool]string{false: "InvalidAction.NotFound", true: "InvalidAction.NotFound"}, wantStatus: 404,
		},
		{
			name: "wrong version",
			call: func(t *testing.T, v2 bool) error {
				return callAPI(t, ep, v2, "DescribeRegions", "2016-03-14", nil)
			},
			wantCode: map[bool]string{false: "InvalidVersion", true: "InvalidVersion"}, wantStatus: 400,
		},
		{
			name: "missing RegionId",
			call: func(t *testing.T, v2 bool) error {
				_, err := sdkClient(t, ep, testKeyID, testSecret, v2).DescribeNetworkInterfaces(&ecs.DescribeNetworkInterfacesRequest{})
				return err
			},
			wantCode: map[bool]string{false: "MissingRegionId", true: "MissingRegionId"}, wantStatus: 400,
		},
		{
			name: "action's own APIError",
			call: func(t *testing.T, v2 bool) error {
				_, err := sdkClient(t, ep, testKeyID, testSecret, v2).DeleteNetworkInterface(&ecs.DeleteNetworkInterfaceRequest{
					RegionId: tea.String("cn-hangzhou"), NetworkInterfaceId: tea.String("eni-1"),
				})
				return err
			},
			wantCode: map[bool]string{false: "InvalidOperation.InvalidEniState", true: "InvalidOperation.InvalidEniState"}, wantStatus: 403,
		},
		{
			name: "action's plain error",
			call: func(t *testing.T, v2 bool) error {
				_, err := sdkClient(t, ep, testKeyID, testSecret, v2).DetachNetworkInterface(&ecs.DetachNetworkInterfaceRequest{
					RegionId: tea.String("cn-hangzhou"), NetworkInterfaceId: tea.String("eni-1"), InstanceId: tea.String("i-1"),
				})
				return err
			},
			wantCode: map[bool]string{false: "InternalError", true: "InternalError"}, wantStatus: 500,
		},
		{
			name: "action panics",
			call: func(t *testing.T, v2 bool) error {
				_, err := sdkClient(t, ep, testKeyID, testSecret, v2).AttachNetworkInterface(&ecs.AttachNetworkInterfaceRequest{
					RegionId: tea.String("cn-hangzhou"), NetworkInterfaceId: tea.String("eni-1"), InstanceId: tea.String("i-1"),
				})
				return err
			},
			wantCode: map[bool]string{false: "InternalError", true: "InternalError"}, wantStatus: 500,
		},
	}
	for _, tt := range tests {
		for _, sc := range schemes {
			t.Run(tt.name+"/"+sc.name, func(t *testing.T) {
				err := tt.call(t, sc.v2)
				if err == nil {
					t.Fatal("call succeeded, want an error")
				}
				code, status := sdkCode(t, err)
				if code != tt.wantCode[sc.v2] || status != tt.wantStatus {
					t.Errorf("got %s/%d, want %s/%d (%v)", code, status, tt.wantCode[sc.v2], tt.wantStatus, err)
				}
			})
		}
	}
}

func TestTimestampWindowEdges(t *testing.T) {
	now := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		in       string
		wantCode string
	}{
		{"2024-05-01T08:00:00Z", ""},
		{"2024-05-01T07:45:00Z", ""},
		{"2024-05-01T08:15:00Z", ""},
		{"2024-05-01T07:44:59Z", "InvalidTimeStamp.Expired"},
		{"2024-05-01T08:15:01Z", "InvalidTimeStamp.Expired"},
		{"2024-05-01T16:00:00+08:00", ""},
		{"2024-05-01 08:00:00", "InvalidTimeStamp.Format"},
		{"1714550400", "InvalidTimeStamp.Format"},
		{"", "InvalidTimeStamp.Format"},
	}
	for _, tt := range tests {
		_, aerr := parseTimestamp(tt.in, now)
		got := ""
		if aerr != nil {
			got = aerr.Code
			if aerr.Status != http.StatusBadRequest {
				t.Errorf("%q: status %d", tt.in, aerr.Status)
			}
		}
		if got != tt.wantCode {
			t.Errorf("parseTimestamp(%q) = %q, want %q", tt.in, got, tt.wantCode)
		}
	}
}

func TestNonceCache(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	c := newNonceCache(time.Minute, 3)
	steps := []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"a", 0, true},
		{"a", 10 * time.Second, false}, // replay within the window
		{"b", 20 * time.Second, true},
		{"a", 61 * time.Second, true},  // a expired, may be used again
		{"b", 61 * time.Second, false}, // b still remembered
		{"c", 62 * time.Second, true},
		{"d", 63 * time.Second, true}, // cache full: oldest (b) forgotten
		{"b", 63 * time.Second, true},
	}
	for i, s := range steps {
		if got := c.use(s.key, t0.Add(s.at)); got != s.want {
			t.Errorf("step %d use(%q) = %v, want %v", i, s.key, got, s.want)
		}
		if n := c.len(); n > 3 {
			t.Fatalf("step %d: cache holds %d entries, bound is 3", i, n)
		}
	}
}
