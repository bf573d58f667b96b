package ecsemu

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/openapi-util/service"
	"github.com/alibabacloud-go/tea/tea"
)

// The fuzz targets of the gateway: request parsing and both signature
// schemes. Requests are signed with the SDK's own openapi-util functions
// and served by the protocol server in process (no sockets, so the fuzzer
// runs fast), with one action that counts the calls that reach it.

// fuzzGateway is a protocol server whose only action, DescribeRegions,
// records the parameters of each call that passes the gateway.
type fuzzGateway struct {
	s     *server
	calls atomic.Int64
	last  atomic.Pointer[url.Values]
}

func newFuzzGateway() *fuzzGateway {
	g := &fuzzGateway{}
	g.s = newServer(testKeyID, testSecret, map[string]ActionFunc{
		"DescribeRegions": func(_ context.Context, r *Request) (any, error) {
			g.calls.Add(1)
			p := r.Params
			g.last.Store(&p)
			return map[string]any{"Regions": map[string]any{"Region": []any{}}}, nil
		},
	}, serverOptions{})
	return g
}

// serve runs r through the gateway and checks what every answer must be:
// a status the cloud uses, with a body that is the documented error shape
// (JSON, or XML when asked for) whenever it is not 200.
func (g *fuzzGateway) serve(t *testing.T, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	g.s.ServeHTTP(w, r)
	if w.Code >= 500 {
		t.Fatalf("%s %s: status %d: %s", r.Method, r.URL, w.Code, w.Body)
	}
	if w.Code != http.StatusOK {
		var e struct{ Code, Message, RequestId string }
		decode := json.Unmarshal
		if w.Header().Get("Content-Type") == contentTypeXML {
			decode = xml.Unmarshal
		}
		if err := decode(w.Body.Bytes(), &e); err != nil || e.Code == "" || e.RequestId == "" {
			t.Fatalf("%s %s: status %d with body %q, not an error of the documented shape", r.Method, r.URL, w.Code, w.Body)
		}
	}
	return w
}

var fuzzNonce atomic.Int64

func fuzzCommon() url.Values {
	return url.Values{
		"Action": {"DescribeRegions"}, "Version": {APIVersion}, "Format": {"JSON"},
		"AccessKeyId": {testKeyID}, "SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"},
		"SignatureNonce": {fmt.Sprintf("fuzz-%d", fuzzNonce.Add(1))},
		"Timestamp":      {time.Now().UTC().Format(sdkTimeLayout)},
	}
}

// FuzzGatewayRequest sends arbitrary requests (method, query, headers,
// body) that carry no valid signature: the gateway answers each with a
// documented 4xx error, never a 5xx or a panic, and no action ever runs.
func FuzzGatewayRequest(f *testing.F) {
	f.Add("GET", "Action=DescribeRegions&Version=2014-05-26&AccessKeyId="+testKeyID+"&Signature=x&SignatureNonce=n&Timestamp=2024-01-01T00:00:00Z", "", "", "")
	f.Add("POST", "", "application/x-www-form-urlencoded", "Action=DescribeRegions&Version=2014-05-26&Format=XML&AccessKeyId=k&Signature=%ZZ", "")
	f.Add("POST", "RegionId=cn-hangzhou", "application/x-www-form-urlencoded; charset=utf-8", "a=1;b=2",
		"ACS3-HMAC-SHA256 Credential="+testKeyID+",SignedHeaders=host;x-acs-action,Signature=00")
	f.Add("POST", "", "", "", "ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=")
	f.Add("PUT", "%", "text/plain", "\x00\xff", "ACS3-")
	f.Add("GET", "Action=DescribeRegions&Version=2014-05-26&Signature=&AccessKeyId=&Timestamp=nope&SignatureMethod=HMAC-SHA256", "", "", "")
	g := newFuzzGateway()
	f.Fuzz(func(t *testing.T, method, rawQuery, contentType, body, authorization string) {
		r, err := http.NewRequest(method, "http://ecs.test/?"+rawQuery, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
			sum := sha256.Sum256([]byte(body))
			r.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
			r.Header.Set("x-acs-date", time.Now().UTC().Format(sdkTimeLayout))
			r.Header.Set("x-acs-signature-nonce", fmt.Sprintf("fuzz-%d", fuzzNonce.Add(1)))
			r.Header.Set("x-acs-action", "DescribeRegions")
			r.Header.Set("x-acs-version", APIVersion)
		}
		before := g.calls.Load()
		if w := g.serve(t, r); w.Code == http.StatusOK || g.calls.Load() != before {
			t.Fatalf("a request signed by no one was accepted: %s %s (%s) %q -> %d", method, rawQuery, authorization, body, w.Code)
		}
	})
}

// FuzzSignatureV2 signs arbitrary parameters with RPC signature 1.0 as
// the SDK does, with the right secret or another one. Signed with the
// right secret, the call reaches the action with exactly those
// parameters; signed with any other, it is refused with
// SignatureDoesNotMatch. A request altered after signing (a parameter
// added) is refused too.
func FuzzSignatureV2(f *testing.F) {
	f.Add("RegionId=cn-hangzhou", testSecret, "GET", "")
	f.Add("RegionId=cn-hangzhou&Tag.1.Key=env&Tag.1.Value=a+b%2A~", "not-the-secret", "POST", "")
	f.Add("Name=%E5%90%8D&Empty=&Star=*&Space=+&Tilde=~&Pct=%25", testSecret, "POST", "Extra")
	f.Add("Bad=%FF%FE&Ctl=%00%0A", testSecret+"&", "GET", "")
	f.Add("Signature=forged&x=1", "", "GET", "")
	g := newFuzzGateway()
	f.Fuzz(func(t *testing.T, rawParams, secret, method, added string) {
		params, err := url.ParseQuery(rawParams)
		if err != nil || (method != "GET" && method != "POST") {
			return
		}
		for k, v := range fuzzCommon() {
			params[k] = v
		}
		delete(params, "Signature")
		signed := map[string]*string{}
		for k, v := range params {
			params[k] = v[:1] // the SDK sends each parameter once
			signed[k] = tea.String(v[0])
		}
		sig := openapiutil.GetRPCSignature(signed, tea.String(method), tea.String(secret))
		q := url.Values{}
		for k, v := range params {
			q[k] = v
		}
		q.Set("Signature", tea.StringValue(sig))
		if added != "" {
			q.Add("Added"+added, "after signing")
		}
		r, err := http.NewRequest(method, "http://ecs.test/?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		before := g.calls.Load()
		w := g.serve(t, r)
		ran := g.calls.Load() != before
		if secret != testSecret || added != "" {
			if w.Code == http.StatusOK || ran || !strings.Contains(w.Body.String(), `"Code":"SignatureDoesNotMatch"`) {
				t.Fatalf("signed with %q (added %q), answered %d %s", secret, added, w.Code, w.Body)
			}
			return
		}
		if w.Code != http.StatusOK || !ran {
			t.Fatalf("signed with the right secret, refused: %d %s", w.Code, w.Body)
		}
		if got := *g.last.Load(); got.Encode() != q.Encode() {
			t.Fatalf("the action saw %q, sent %q", got.Encode(), q.Encode())
		}
	})
}

// FuzzSignatureV3 signs arbitrary query parameters and form bodies with
// ACS3-HMAC-SHA256 as the SDK does. With the right secret the call is
// accepted; with any other, or when the body or the query is changed
// after signing, it is refused with IncompleteSignature.
func FuzzSignatureV3(f *testing.F) {
	f.Add("RegionId=cn-hangzhou", "", testSecret, uint8(0), "")
	f.Add("RegionId=cn-hangzhou", "NetworkInterfaceId.1=eni-x&Tag.1.Key=k", testSecret, uint8(1), "x")
	f.Add("A=%E5%90%8D&B=&C=*&D=+", "x=%00", "wrong", uint8(0), "")
	f.Add("RegionId=cn-hangzhou", "", testSecret, uint8(2), "cn-beijing")
	f.Add("", "a=1&a=2", testSecret, uint8(3), "")
	g := newFuzzGateway()
	f.Fuzz(func(t *testing.T, rawQuery, body, secret string, tamper uint8, with string) {
		query, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		if _, err := url.ParseQuery(body); err != nil {
			return // the gateway refuses a malformed form body before checking anything
		}
		sum := sha256.Sum256([]byte(body))
		payload := hex.EncodeToString(sum[:])
		headers := map[string]*string{
			"host": tea.String("ecs.test"), "x-acs-action": tea.String("DescribeRegions"),
			"x-acs-version": tea.String(APIVersion), "x-acs-date": tea.String(time.Now().UTC().Format(sdkTimeLayout)),
			"x-acs-signature-nonce": tea.String(fmt.Sprintf("fuzz3-%d", fuzzNonce.Add(1))),
			"x-acs-content-sha256":  tea.String(payload),
			"content-type":          tea.String("application/x-www-form-urlencoded"),
		}
		q := map[string]*string{}
		for k, v := range query {
			query[k] = v[:1] // the SDK's query is a map: one value a name
			q[k] = tea.String(v[0])
		}
		treq := &tea.Request{Method: tea.String("POST"), Pathname: tea.String("/"), Query: q, Headers: headers}
		auth := openapiutil.GetAuthorization(treq, tea.String(acs3Algorithm), tea.String(payload), tea.String(testKeyID), tea.String(secret))
		// After signing: 1 changes the body, 2 adds a query parameter, 3
		// adds an unsigned x-acs- header; with an empty "with" nothing
		// changes.
		sentQuery, sentBody := query.Encode(), body
		extraHeader := ""
		switch {
		case with == "":
		case tamper%4 == 1:
			sentBody += "&" + url.QueryEscape(with) + "=1"
		case tamper%4 == 2:
			sentQuery += "&Added=" + url.QueryEscape(with)
		case tamper%4 == 3:
			extraHeader = with
		}
		r, err := http.NewRequest("POST", "http://ecs.test/?"+sentQuery, strings.NewReader(sentBody))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range headers {
			if k != "host" {
				r.Header.Set(k, *v)
			}
		}
		if extraHeader != "" {
			r.Header.Set("x-acs-extra", extraHeader)
			if r.Header.Get("x-acs-extra") == "" {
				extraHeader = "" // blank once trimmed: nothing was added
			}
		}
		r.Header.Set("Authorization", tea.StringValue(auth))
		before := g.calls.Load()
		w := g.serve(t, r)
		ran := g.calls.Load() != before
		changed := sentBody != body || sentQuery != query.Encode() || extraHeader != ""
		if secret != testSecret || changed {
			if w.Code == http.StatusOK || ran || !strings.Contains(w.Body.String(), `"Code":"IncompleteSignature"`) {
				t.Fatalf("signed with %q, changed after signing %v: answered %d %s", secret, changed, w.Code, w.Body)
			}
			return
		}
		// openapi-util leaves parameter names unencoded in its canonical
		// query, where the scheme (and the emulator) encode them; the two
		// agree on every name an API has.
		if (w.Code != http.StatusOK || !ran) && apiNames(query) {
			t.Fatalf("signed with the right secret, refused: %d %s", w.Code, w.Body)
		}
	})
}

// apiNames reports whether every name in v looks like an API parameter's
// (letters, digits, dots: "Tag.1.Key").
func apiNames(v url.Values) bool {
	for k := range v {
		if k == "" || strings.IndexFunc(k, func(c rune) bool {
			return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.')
		}) >= 0 {
			return false
		}
	}
	return true
}
