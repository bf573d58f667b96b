package aliyun

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"enidash/internal/eni"
)

// The emulator's seed has only a few VPCs and vSwitches per region; these
// tests page through larger listings that a fake cloud makes up.

func TestNumberedPaging(t *testing.T) {
	const total = 123
	fake := newFakeECS(t, func(_ int, _ *http.Request, p url.Values) (int, any) {
		page, _ := strconv.Atoi(p.Get("PageNumber"))
		size, _ := strconv.Atoi(p.Get("PageSize"))
		var vpcs, vsws []any
		for i := (page - 1) * size; i < min(page*size, total); i++ {
			vpcs = append(vpcs, map[string]any{"VpcId": fmt.Sprintf("vpc-%04d", i), "CidrBlock": "10.0.0.0/8"})
			vsws = append(vsws, map[string]any{"VSwitchId": fmt.Sprintf("vsw-%04d", i), "VpcId": p.Get("VpcId"), "AvailableIpAddressCount": 250})
		}
		return 200, map[string]any{"RequestId": "R", "TotalCount": total, "PageNumber": page, "PageSize": size,
			"Vpcs": map[string]any{"Vpc": vpcs}, "VSwitches": map[string]any{"VSwitch": vsws}}
	})
	c := fake.client(t, Config{})
	vpcs, err := c.VPCs(context.Background(), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	vsws, err := c.VSwitches(context.Background(), "cn-hangzhou", "vpc-0001")
	if err != nil {
		t.Fatal(err)
	}
	if len(vpcs) != total || vpcs[0].ID != "vpc-0000" || vpcs[total-1].ID != fmt.Sprintf("vpc-%04d", total-1) {
		t.Errorf("VPCs gave %d, want all %d in order", len(vpcs), total)
	}
	if len(vsws) != total || vsws[total-1].VpcID != "vpc-0001" || vsws[0].AvailableIP != 250 {
		t.Errorf("VSwitches gave %d (%+v), want all %d of the VPC", len(vsws), vsws[0], total)
	}
	wantCalls := (total+vpcPageSize-1)/vpcPageSize + (total+vswitchPageSize-1)/vswitchPageSize
	if n := fake.callCount(); n != wantCalls {
		t.Errorf("%d calls, want %d", n, wantCalls)
	}
}

func TestTokenPagingParameters(t *testing.T) {
	fake := newFakeECS(t, func(n int, _ *http.Request, p url.Values) (int, any) {
		body := emptyENIPage("R-" + strconv.Itoa(n))
		body["NextToken"] = "tok-" + strconv.Itoa(n)
		return 200, body
	})
	c := fake.client(t, Config{})
	ctx := context.Background()
	f := eni.Filter{Region: "cn-hangzhou", Size: 50}
	page, err := c.ListENIs(ctx, eni.ListQuery{Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListENIs(ctx, eni.ListQuery{Filter: f.Next(page.NextToken), NextToken: page.NextToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ maxResults, token string }{{"50", ""}, {"50", "tok-1"}, {strconv.Itoa(eni.DefaultSize), ""}}
	for i, tt := range tests {
		p := fake.call(i).params
		if p.Get("MaxResults") != tt.maxResults || p.Get("NextToken") != tt.token || p.Get("PageNumber") != "" || p.Get("PageSize") != "" {
			t.Errorf("call %d sent MaxResults=%q NextToken=%q PageNumber=%q; want %q, %q and token paging only",
				i, p.Get("MaxResults"), p.Get("NextToken"), p.Get("PageNumber"), tt.maxResults, tt.token)
		}
	}
}

func TestENIsByIDBatches(t *testing.T) {
	fake := newFakeECS(t, func(_ int, _ *http.Request, p url.Values) (int, any) {
		var set []any
		for k, v := range p {
			if strings.HasPrefix(k, "NetworkInterfaceId.") {
				set = append(set, map[string]any{"NetworkInterfaceId": v[0], "Status": "InUse"})
			}
		}
		return 200, map[string]any{"RequestId": "R", "NetworkInterfaceSets": map[string]any{"NetworkInterfaceSet": set}}
	})
	c := fake.client(t, Config{})
	var ask []string
	for i := range 250 {
		ask = append(ask, fmt.Sprintf("eni-%04d", i))
	}
	ask = append(ask, "eni-0007", "", "eni-0100") // repeats and an empty ID are not sent
	got, err := c.ENIsByID(context.Background(), "cn-hangzhou", ask)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 {
		t.Errorf("got %d ENIs, want 250", len(got))
	}
	if n := fake.callCount(); n != 3 {
		t.Fatalf("%d calls for 250 IDs, want 3", n)
	}
	for i, want := range []int{100, 100, 50} {
		p := fake.call(i).params
		n := 0
		for k := range p {
			if strings.HasPrefix(k, "NetworkInterfaceId.") {
				n++
			}
		}
		if n != want || p.Get("MaxResults") != strconv.Itoa(max(want, minMaxResults)) {
			t.Errorf("call %d sent %d IDs with MaxResults %s, want %d", i, n, p.Get("MaxResults"), want)
		}
	}
}
