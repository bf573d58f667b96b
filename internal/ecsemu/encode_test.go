package ecsemu

import (
	"encoding/json"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
)

func TestJSONBodyAddsRequestIDFirst(t *testing.T) {
	type typed struct {
		TotalCount int    `json:"TotalCount"`
		NextToken  string `json:"NextToken"`
	}
	tests := []struct {
		name    string
		in      any
		want    string
		wantErr bool
	}{
		{"nil", nil, `{"RequestId":"R"}`, false},
		{"empty map", map[string]any{}, `{"RequestId":"R"}`, false},
		{"struct keeps field order", typed{3, "t<&>"}, `{"RequestId":"R","TotalCount":3,"NextToken":"t<&>"}`, false},
		{"array is refused", []int{1}, "", true},
		{"string is refused", "x", "", true},
		{"unencodable", map[string]any{"f": func() {}}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonBody("R", tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestJSONToXML(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"scalars", `{"RequestId":"R","TotalCount":12,"Ratio":0.5,"Ok":true,"No":false,"Nil":null}`,
			`<XResponse><RequestId>R</RequestId><TotalCount>12</TotalCount><Ratio>0.5</Ratio><Ok>true</Ok><No>false</No><Nil></Nil></XResponse>`},
		{"documented list shape",
			`{"NetworkInterfaceSets":{"NetworkInterfaceSet":[{"NetworkInterfaceId":"eni-1","Tags":{"Tag":[{"TagKey":"a","TagValue":"1"}]}},{"NetworkInterfaceId":"eni-2","Tags":{"Tag":[]}}]}}`,
			`<XResponse><NetworkInterfaceSets><NetworkInterfaceSet><NetworkInterfaceId>eni-1</NetworkInterfaceId><Tags><Tag><TagKey>a</TagKey><TagValue>1</TagValue></Tag></Tags></NetworkInterfaceSet><NetworkInterfaceSet><NetworkInterfaceId>eni-2</NetworkInterfaceId><Tags></Tags></NetworkInterfaceSet></NetworkInterfaceSets></XResponse>`},
		{"scalar list", `{"SecurityGroupIds":{"SecurityGroupId":["sg-1","sg-2"]}}`,
			`<XResponse><SecurityGroupIds><SecurityGroupId>sg-1</SecurityGroupId><SecurityGroupId>sg-2</SecurityGroupId></SecurityGroupIds></XResponse>`},
		{"escaping", `{"Description":"a<b & \"c\""}`,
			`<XResponse><Description>a&lt;b &amp; &#34;c&#34;</Description></XResponse>`},
		{"odd key", `{"1 bad key":"v"}`, `<XResponse><__bad_key>v</__bad_key></XResponse>`},
		{"large integer kept exact", `{"OwnerId":1234567890123456789}`,
			`<XResponse><OwnerId>1234567890123456789</OwnerId></XResponse>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonToXML("XResponse", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if want := xmlHeader + tt.want; string(got) != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			var v any
			if err := xml.Unmarshal(got, &v); err != nil {
				t.Errorf("not well-formed XML: %v", err)
			}
		})
	}
	if _, err := jsonToXML("X", []byte(`{"a":1}{"b":2}`)); err == nil {
		t.Error("trailing data accepted")
	}
}

// xmlRegions mirrors the documented XML of DescribeRegions.
type xmlRegions struct {
	XMLName   xml.Name `xml:"DescribeRegionsResponse"`
	RequestID string   `xml:"RequestId"`
	Regions   []struct {
		RegionID  string `xml:"RegionId"`
		LocalName string `xml:"LocalName"`
	} `xml:"Regions>Region"`
}

func TestXMLFormatOverHTTP(t *testing.T) {
	_, _, ep := startFake(t, serverOptions{})
	q := v2Common("DescribeRegions")
	q.Set("Format", "XML")
	resp := rawV2(t, ep, "GET", q, nil, testSecret)
	if resp.status != 200 || resp.header.Get("Content-Type") != contentTypeXML {
		t.Fatalf("status %d type %q: %s", resp.status, resp.header.Get("Content-Type"), resp.body)
	}
	var got xmlRegions
	if err := xml.Unmarshal([]byte(resp.body), &got); err != nil {
		t.Fatalf("%v: %s", err, resp.body)
	}
	if got.RequestID != resp.header.Get("x-acs-request-id") || len(got.Regions) != 2 ||
		got.Regions[1].RegionID != "cn-beijing" || got.Regions[0].LocalName != "China (Hangzhou)" {
		t.Errorf("parsed %+v from %s", got, resp.body)
	}

	// Errors follow the requested format too.
	q = v2Common("DescribeNetworkInterfaces")
	q.Set("Format", "xml")
	resp = rawV2(t, ep, "GET", q, nil, testSecret)
	var e struct {
		XMLName xml.Name `xml:"Error"`
		errorBody
	}
	if err := xml.Unmarshal([]byte(resp.body), &e); err != nil {
		t.Fatalf("%v: %s", err, resp.body)
	}
	if resp.status != 400 || e.Code != "MissingRegionId" || e.RequestID == "" || resp.header.Get("Content-Type") != contentTypeXML {
		t.Errorf("status %d, error %+v", resp.status, e)
	}
}

func TestErrorBodyShape(t *testing.T) {
	_, _, ep := startFake(t, serverOptions{})
	resp := rawV2(t, ep, "POST", v2Common("DescribeRegions"), nil, "wrong")
	if resp.status != 400 || resp.header.Get("Content-Type") != contentTypeJSON {
		t.Fatalf("status %d type %q", resp.status, resp.header.Get("Content-Type"))
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.body), &body); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range body {
		keys = append(keys, k)
	}
	wantKeys := map[string]bool{"RequestId": true, "HostId": true, "Code": true, "Message": true, "Recommend": true}
	got := map[string]bool{}
	for _, k := range keys {
		got[k] = true
	}
	if !reflect.DeepEqual(got, wantKeys) {
		t.Errorf("keys %v, want %v", keys, wantKeys)
	}
	id := resp.header.Get("x-acs-request-id")
	if body["RequestId"] != id || body["HostId"] != ep || body["Code"] != "SignatureDoesNotMatch" ||
		!strings.Contains(body["Recommend"].(string), id) || !strings.HasPrefix(body["Message"].(string), "Specified signature") {
		t.Errorf("body %v (request id header %s)", body, id)
	}
}
