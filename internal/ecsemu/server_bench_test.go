package ecsemu

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// BenchmarkProtocolRoundTrip measures the protocol layer alone: an SDK call
// over loopback, signature verification and JSON rendering of a page of
// 100 ENIs from a fake action.
func BenchmarkProtocolRoundTrip(b *testing.B) {
	page := make([]map[string]any, 100)
	for i := range page {
		page[i] = map[string]any{
			"NetworkInterfaceId": fmt.Sprintf("eni-%08d", i), "Status": "Available", "Type": "Secondary",
			"PrivateIpSets": map[string]any{"PrivateIpSet": []map[string]any{{"PrivateIpAddress": "10.0.0.1", "Primary": true}}},
			"Tags":          map[string]any{"Tag": []map[string]string{{"TagKey": "env", "TagValue": "prod"}}},
		}
	}
	actions := map[string]ActionFunc{
		"DescribeNetworkInterfaces": func(context.Context, *Request) (any, error) {
			return map[string]any{"NetworkInterfaceSets": map[string]any{"NetworkInterfaceSet": page}, "TotalCount": 20000}, nil
		},
	}
	ts := httptest.NewServer(newServer(testKeyID, testSecret, actions, serverOptions{}))
	defer ts.Close()
	ep := ts.Listener.Addr().String()
	for _, sc := range schemes {
		b.Run(sc.name, func(b *testing.B) {
			c := sdkClient(b, ep, testKeyID, testSecret, sc.v2)
			req := &ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(100)}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.DescribeNetworkInterfaces(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkJSONToXML(b *testing.B) {
	var sets []map[string]any
	for i := range 100 {
		sets = append(sets, map[string]any{"NetworkInterfaceId": fmt.Sprintf("eni-%d", i), "Tags": map[string]any{"Tag": []map[string]string{{"TagKey": "k", "TagValue": "v"}}}})
	}
	doc, err := jsonBody("R", map[string]any{"NetworkInterfaceSets": map[string]any{"NetworkInterfaceSet": sets}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonToXML("DescribeNetworkInterfacesResponse", doc); err != nil {
			b.Fatal(err)
		}
	}
}
