package ecsemu

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/openapi-util/service"
	"github.com/alibabacloud-go/tea/tea"
)

// Hand-built requests for what the SDK never sends (XML, GET, form bodies,
// tampering), signed with the SDK's own openapi-util functions.

type rawResponse struct {
	status int
	header http.Header
	body   string
}

func doRaw(t *testing.T, req *http.Request) rawResponse {
	t.Helper()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// v2Common returns the RPC 1.0 common parameters for action.
func v2Common(action string) url.Values {
	return url.Values{
		"Action": {action}, "Version": {APIVersion}, "Format": {"JSON"},
		"AccessKeyId": {testKeyID}, "SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"},
		"SignatureNonce": {fmt.Sprintf("raw-%d", nonceSeq.Add(1))},
		"Timestamp":      {time.Now().UTC().Format(sdkTimeLayout)},
	}
}

// rawV2 signs query and form together, as the SDK does, and sends query in
// the URL and form (if any) as an x-www-form-urlencoded body.
func rawV2(t *testing.T, ep, method string, query, form url.Values, secret string) rawResponse {
	t.Helper()
	signed := map[string]*string{}
	for _, vs := range []url.Values{query, form} {
		for k, v := range vs {
			signed[k] = tea.String(v[0])
		}
	}
	q := withSignature(query, signed, method, secret)
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, "http://"+ep+"/?"+q.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return doRaw(t, req)
}

// withSignature returns query plus the RPC 1.0 Signature over signed.
func withSignature(query url.Values, signed map[string]*string, method, secret string) url.Values {
	sig := openapiutil.GetRPCSignature(signed, tea.String(method), tea.String(secret))
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("Signature", tea.StringValue(sig))
	return q
}

// rawV3 builds an ACS3-HMAC-SHA256 request like the SDK's DoRequest, then
// lets tamper change it after signing.
func rawV3(t *testing.T, ep, action string, query map[string]string, body, contentType string, tamper func(*http.Request)) rawResponse {
	t.Helper()
	sum := sha256.Sum256([]byte(body))
	payload := hex.EncodeToString(sum[:])
	headers := map[string]*string{
		"host": tea.String(ep), "x-acs-action": tea.String(action), "x-acs-version": tea.String(APIVersion),
		"x-acs-date":            tea.String(time.Now().UTC().Format(sdkTimeLayout)),
		"x-acs-signature-nonce": tea.String(fmt.Sprintf("raw3-%d", nonceSeq.Add(1))),
		"x-acs-content-sha256":  tea.String(payload),
	}
	if contentType != "" {
		headers["content-type"] = tea.String(contentType)
	}
	q := map[string]*string{}
	for k, v := range query {
		q[k] = tea.String(v)
	}
	treq := &tea.Request{Method: tea.String("POST"), Pathname: tea.String("/"), Query: q, Headers: headers}
	auth := openapiutil.GetAuthorization(treq, tea.String(acs3Algorithm), tea.String(payload), tea.String(testKeyID), tea.String(testSecret))
	uq := url.Values{}
	for k, v := range query {
		uq.Set(k, v)
	}
	req, err := http.NewRequest("POST", "http://"+ep+"/?"+uq.Encode(), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k != "host" {
			req.Header.Set(k, *v)
		}
	}
	req.Header.Set("Authorization", tea.StringValue(auth))
	if tamper != nil {
		tamper(req)
	}
	return doRaw(t, req)
}

func mergeValues(vs ...url.Values) url.Values {
	out := url.Values{}
	for _, v := range vs {
		for k, x := range v {
			out[k] = x
		}
	}
	return out
}

func TestRawV2Transports(t *testing.T) {
	_, rc, ep := startFake(t, serverOptions{})
	region := url.Values{"RegionId": {"cn-shanghai"}}
	ids := url.Values{"NetworkInterfaceId.1": {"eni-a"}, "NetworkInterfaceId.2": {"eni-b"}}
	tests := []struct {
		name        string
		method      string
		query, form func() url.Values
	}{
		{"GET query", "GET", func() url.Values { return mergeValues(v2Common("DescribeNetworkInterfaces"), region, ids) }, nil},
		{"POST query", "POST", func() url.Values { return mergeValues(v2Common("DescribeNetworkInterfaces"), region, ids) }, nil},
		{"POST form body", "POST", func() url.Values { return url.Values{} },
			func() url.Values { return mergeValues(v2Common("DescribeNetworkInterfaces"), region, ids) }},
		{"POST query and form merged", "POST", func() url.Values { return v2Common("DescribeNetworkInterfaces") },
			func() url.Values { return mergeValues(region, ids) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var form url.Values
			if tt.form != nil {
				form = tt.form()
			}
			resp := rawV2(t, ep, tt.method, tt.query(), form, testSecret)
			if resp.status != 200 {
				t.Fatalf("status %d: %s", resp.status, resp.body)
			}
			req := rc.get(t, "DescribeNetworkInterfaces")
			if req.RegionID != "cn-shanghai" || strings.Join(req.List("NetworkInterfaceId"), ",") != "eni-a,eni-b" {
				t.Errorf("action saw region %q ids %v", req.RegionID, req.List("NetworkInterfaceId"))
			}
			if !strings.Contains(resp.body, `"NetworkInterfaceId":"eni-b"`) || resp.header.Get("Content-Type") != contentTypeJSON {
				t.Errorf("body %s, type %s", resp.body, resp.header.Get("Content-Type"))
			}
		})
	}
}

func TestRawRejections(t *testing.T) {
	_, _, ep := startFake(t, serverOptions{})
	regions := func(drop ...string) url.Values {
		v := v2Common("DescribeRegions")
		for _, d := range drop {
			v.Del(d)
		}
		return v
	}
	region := map[string]string{"RegionId": "cn-hangzhou"}
	tests := []struct {
		name       string
		do         func(t *testing.T) rawResponse
		wantCode   string
		wantStatus int
	}{
		{"v2 missing Signature", func(t *testing.T) rawResponse {
			req, _ := http.NewRequest("GET", "http://"+ep+"/?"+regions().Encode(), nil)
			return doRaw(t, req)
		}, "MissingSignature", 400},
		{"v2 unsigned anonymous call", func(t *testing.T) rawResponse {
			req, _ := http.NewRequest("GET", "http://"+ep+"/?Action=DescribeRegions&Version="+APIVersion, nil)
			return doRaw(t, req)
		}, "MissingAccessKeyId", 400},
		{"v2 missing SignatureNonce", func(t *testing.T) rawResponse {
			return rawV2(t, ep, "GET", regions("SignatureNonce"), nil, testSecret)
		}, "MissingSignatureNonce", 400},
		{"v2 missing Timestamp", func(t *testing.T) rawResponse {
			return rawV2(t, ep, "GET", regions("Timestamp"), nil, testSecret)
		}, "MissingTimestamp", 400},
		{"v2 HMAC-SHA256 method", func(t *testing.T) rawResponse {
			v := regions()
			v.Set("SignatureMethod", "HMAC-SHA256")
			return rawV2(t, ep, "GET", v, nil, testSecret)
		}, "InvalidSignatureMethod", 400},
		{"v2 signed for GET, sent by POST", func(t *testing.T) rawResponse {
			v := regions()
			sig := openapiutil.GetRPCSignature(toPtrMap(v), tea.String("GET"), tea.String(testSecret))
			v.Set("Signature", tea.StringValue(sig))
			req, _ := http.NewRequest("POST", "http://"+ep+"/?"+v.Encode(), nil)
			return doRaw(t, req)
		}, "SignatureDoesNotMatch", 400},
		{"v2 missing Action", func(t *testing.T) rawResponse {
			return rawV2(t, ep, "GET", regions("Action"), nil, testSecret)
		}, "MissingAction", 400},
		{"v2 unknown Format", func(t *testing.T) rawResponse {
			v := regions()
			v.Set("Format", "YAML")
			return rawV2(t, ep, "GET", v, nil, testSecret)
		}, "InvalidParameter.Format", 400},
		{"PUT method", func(t *testing.T) rawResponse {
			req, _ := http.NewRequest("PUT", "http://"+ep+"/?"+regions().Encode(), nil)
			return doRaw(t, req)
		}, "UnsupportedHTTPMethod", 400},
		{"other path", func(t *testing.T) rawResponse {
			req, _ := http.NewRequest("GET", "http://"+ep+"/v1/regions", nil)
			return doRaw(t, req)
		}, "InvalidAction.NotFound", 404},
		{"v3 query changed after signing", func(t *testing.T) rawResponse {
			return rawV3(t, ep, "DescribeRegions", region, "", "", func(r *http.Request) {
				r.URL.RawQuery = "RegionId=cn-beijing"
			})
		}, "IncompleteSignature", 400},
		{"v3 body changed after signing", func(t *testing.T) rawResponse {
			return rawV3(t, ep, "DescribeRegions", region, "", "", func(r *http.Request) {
				r.Body = io.NopCloser(strings.NewReader("RegionId=cn-beijing"))
				r.ContentLength = int64(len("RegionId=cn-beijing"))
			})
		}, "IncompleteSignature", 400},
		{"v3 unsigned x-acs header", func(t *testing.T) rawResponse {
			return rawV3(t, ep, "DescribeRegions", region, "", "", func(r *http.Request) {
				r.Header.Set("x-acs-extra", "1")
			})
		}, "IncompleteSignature", 400},
		{"v3 SM3 algorithm", func(t *testing.T) rawResponse {
			return rawV3(t, ep, "DescribeRegions", region, "", "", func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SHA256", "SM3", 1))
			})
		}, "InvalidSignatureMethod", 400},
		{"v3 malformed Authorization", func(t *testing.T) rawResponse {
			return rawV3(t, ep, "DescribeRegions", region, "", "", func(r *http.Request) {
				r.Header.Set("Authorization", "ACS3-HMAC-SHA256 nonsense")
			})
		}, "IncompleteSignature", 400},
		{"v3 missing nonce", func(t *testing.T) rawResponse {
			return rawV3(t, ep, "DescribeRegions", region, "", "", func(r *http.Request) {
				r.Header.Del("x-acs-signature-nonce")
			})
		}, "MissingSignatureNonce", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.do(t)
			if resp.status != tt.wantStatus || !strings.Contains(resp.body, `"Code":"`+tt.wantCode+`"`) {
				t.Errorf("got %d %s, want %d %s", resp.status, resp.body, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestRawV3FormBody(t *testing.T) {
	_, rc, ep := startFake(t, serverOptions{})
	resp := rawV3(t, ep, "DescribeNetworkInterfaces", map[string]string{"RegionId": "cn-shenzhen"},
		"NetworkInterfaceId.1=eni-x&Tag.1.Key=k", "application/x-www-form-urlencoded", nil)
	if resp.status != 200 {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	req := rc.get(t, "DescribeNetworkInterfaces")
	if req.RegionID != "cn-shenzhen" || req.String("NetworkInterfaceId.1") != "eni-x" || req.Tags()[0].Key != "k" {
		t.Errorf("params %v", req.Params)
	}
}

func toPtrMap(v url.Values) map[string]*string {
	m := map[string]*string{}
	for k, x := range v {
		m[k] = tea.String(x[0])
	}
	return m
}
