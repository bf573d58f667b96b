package aliyun

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
	"enidash/internal/eni"
)

// These tests run the Client through the real SDK against the embedded
// emulator over loopback HTTP.

const emuRegion = ecsemutest.Region

// startEmulator serves an emulator with extraENIs more ENIs than its seed
// and returns it with a Client for it.
func startEmulator(t *testing.T, extraENIs int, cfg Config) (*ecsemu.Emulator, *Client) {
	t.Helper()
	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{World: ecsemu.WorldConfig{ExtraENIs: extraENIs}})
	cfg.Endpoint, cfg.Protocol = endpoint, "http"
	cfg.AccessKeyID, cfg.AccessKeySecret = emu.AccessKey()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.retryInitial = time.Millisecond // keep retrying tests quick
	return emu, c
}

// walk follows NextToken through every page of f's view.
func walk(t *testing.T, c *Client, f eni.Filter) []eni.ENI {
	t.Helper()
	var out []eni.ENI
	token := ""
	for range 10000 {
		p, err := c.ListENIs(context.Background(), eni.ListQuery{Filter: f, NextToken: token})
		if err != nil {
			t.Fatalf("ListENIs(%s, token %q): %v", f.Query(), token, err)
		}
		if len(p.ENIs) > f.PageSize() {
			t.Fatalf("page of %d ENIs for page size %d", len(p.ENIs), f.PageSize())
		}
		if p.RequestID == "" {
			t.Error("page without RequestId")
		}
		out = append(out, p.ENIs...)
		if p.NextToken == "" {
			return out
		}
		if p.NextToken == token {
			t.Fatalf("NextToken %q repeats", token)
		}
		token = p.NextToken
	}
	t.Fatal("paging does not end")
	return nil
}

func ids(enis []eni.ENI) []string {
	out := make([]string, len(enis))
	for i, e := range enis {
		out[i] = e.ID
	}
	slices.Sort(out)
	return out
}

func where2(all []eni.ENI, keep func(eni.ENI) bool) []eni.ENI {
	var out []eni.ENI
	for _, e := range all {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// common returns the value of key that most ENIs share while some do not,
// so a filter on it narrows without emptying the view.
func common(t *testing.T, all []eni.ENI, key func(eni.ENI) string) string {
	t.Helper()
	n := map[string]int{}
	for _, e := range all {
		if k := key(e); k != "" {
			n[k]++
		}
	}
	best := ""
	for k, c := range n {
		if c < len(all) && (best == "" || c > n[best] || c == n[best] && k < best) {
			best = k
		}
	}
	if best == "" {
		t.Fatal("the seed has no value that narrows this filter")
	}
	return best
}

func first(t *testing.T, all []eni.ENI, ok func(eni.ENI) bool) eni.ENI {
	t.Helper()
	i := slices.IndexFunc(all, ok)
	if i < 0 {
		t.Fatal("the seed has no ENI for this case")
	}
	return all[i]
}

func TestEmulatorFilters(t *testing.T) {
	_, c := startEmulator(t, 60, Config{})
	all := walk(t, c, eni.Filter{Region: emuRegion, Size: 500})
	if len(all) < 20 {
		t.Fatalf("only %d ENIs seeded in %s", len(all), emuRegion)
	}
	yes, no := true, false
	vpc := common(t, all, func(e eni.ENI) string { return e.VpcID })
	vsw := common(t, all, func(e eni.ENI) string { return e.VSwitchID })
	inst := common(t, all, func(e eni.ENI) string { return e.InstanceID })
	name := common(t, all, func(e eni.ENI) string { return e.Name })
	withSecondary := first(t, all, func(e eni.ENI) bool { return len(e.SecondaryIPs()) > 0 })
	withIPv6 := first(t, all, func(e eni.ENI) bool { return len(e.IPv6) > 0 })
	tagged := first(t, all, func(e eni.ENI) bool { return len(e.Tags) > 0 })
	tag := tagged.Tags[0]
	sgOwner := first(t, all, func(e eni.ENI) bool { return e.Type == eni.TypeSecondary && len(e.SecurityGroups) > 0 })
	sg := sgOwner.SecurityGroups[0]
	someIDs := []string{all[0].ID, all[len(all)/2].ID, all[len(all)-1].ID}
	ip1, ip2 := withSecondary.SecondaryIPs()[0], all[len(all)-1].PrimaryIP

	tests := []struct {
		name string
		f    eni.Filter
		keep func(eni.ENI) bool
	}{
		{"vpc", eni.Filter{VpcID: vpc}, func(e eni.ENI) bool { return e.VpcID == vpc }},
		{"vswitch", eni.Filter{VSwitchID: vsw}, func(e eni.ENI) bool { return e.VSwitchID == vsw }},
		{"security group (secondary ENIs only)", eni.Filter{SecurityGroupID: sg},
			func(e eni.ENI) bool { return e.Type == eni.TypeSecondary && slices.Contains(e.SecurityGroups, sg) }},
		{"instance", eni.Filter{InstanceID: inst}, func(e eni.ENI) bool { return e.InstanceID == inst }},
		{"type primary", eni.Filter{Type: eni.TypePrimary}, func(e eni.ENI) bool { return e.Type == eni.TypePrimary }},
		{"type secondary", eni.Filter{Type: eni.TypeSecondary}, func(e eni.ENI) bool { return e.Type == eni.TypeSecondary }},
		{"status in use", eni.Filter{Status: eni.StatusInUse}, func(e eni.ENI) bool { return e.Status == eni.StatusInUse }},
		{"status available", eni.Filter{Status: eni.StatusAvailable}, func(e eni.ENI) bool { return e.Status == eni.StatusAvailable }},
		{"name", eni.Filter{Name: name}, func(e eni.ENI) bool { return e.Name == name }},
		{"ids", eni.Filter{IDs: someIDs}, func(e eni.ENI) bool { return slices.Contains(someIDs, e.ID) }},
		{"private ips (secondary and primary)", eni.Filter{IPs: []string{ip1, ip2}}, func(e eni.ENI) bool {
			return slices.ContainsFunc(e.PrivateIPs, func(p eni.PrivateIP) bool { return p.Address == ip1 || p.Address == ip2 })
		}},
		{"primary ip", eni.Filter{PrimaryIP: withSecondary.PrimaryIP}, func(e eni.ENI) bool { return e.PrimaryIP == withSecondary.PrimaryIP }},
		{"ipv6", eni.Filter{IPv6: withIPv6.IPv6[:1]}, func(e eni.ENI) bool { return slices.Contains(e.IPv6, withIPv6.IPv6[0]) }},
		{"tag key and value", eni.Filter{Tags: []eni.Tag{tag}}, func(e eni.ENI) bool { return slices.Contains(e.Tags, tag) }},
		{"tag key only", eni.Filter{Tags: []eni.Tag{{Key: tag.Key}}}, func(e eni.ENI) bool {
			return slices.ContainsFunc(e.Tags, func(x eni.Tag) bool { return x.Key == tag.Key })
		}},
		{"managed", eni.Filter{Managed: &yes}, func(e eni.ENI) bool { return e.ServiceManaged }},
		{"not managed", eni.Filter{Managed: &no}, func(e eni.ENI) bool { return !e.ServiceManaged }},
		{"vpc, status and type together", eni.Filter{VpcID: vpc, Status: eni.StatusInUse, Type: eni.TypeSecondary}, func(e eni.ENI) bool {
			return e.VpcID == vpc && e.Status == eni.StatusInUse && e.Type == eni.TypeSecondary
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := where2(all, tt.keep)
			if len(want) == 0 || len(want) == len(all) {
				t.Fatalf("case does not narrow the seed: %d of %d ENIs match", len(want), len(all))
			}
			f := tt.f
			f.Region, f.Size = emuRegion, 10
			got := walk(t, c, f)
			if g, w := ids(got), ids(want); !slices.Equal(g, w) {
				t.Errorf("filter %s gave %d ENIs, want %d:\n got %v\nwant %v", f.Query(), len(g), len(w), g, w)
			}
		})
	}

	t.Run("resource group (the default group's ENIs come too)", func(t *testing.T) {
		rg := common(t, all, func(e eni.ENI) string { return e.ResourceGroupID })
		got := walk(t, c, eni.Filter{Region: emuRegion, ResourceGroupID: rg, Size: 50})
		others := map[string]bool{}
		for _, e := range got {
			if e.ResourceGroupID != rg {
				others[e.ResourceGroupID] = true
			}
		}
		inGroup := ids(where2(all, func(e eni.ENI) bool { return e.ResourceGroupID == rg }))
		if !isSubset(inGroup, ids(got)) || len(others) > 1 || len(got) >= len(all) {
			t.Errorf("rg %s: %d of %d ENIs, %d of its own, other groups %v", rg, len(got), len(all), len(inGroup), others)
		}
	})
}

func isSubset(small, big []string) bool {
	for _, s := range small {
		if _, ok := slices.BinarySearch(big, s); !ok {
			return false
		}
	}
	return true
}

func TestEmulatorPaging(t *testing.T) {
	_, c := startEmulator(t, 150, Config{})
	whole := walk(t, c, eni.Filter{Region: emuRegion, Size: 500})
	if len(whole) < 60 {
		t.Fatalf("only %d ENIs in %s; want enough for several pages", len(whole), emuRegion)
	}
	for _, size := range eni.PageSizes {
		t.Run(fmt.Sprint("size ", size), func(t *testing.T) {
			got := walk(t, c, eni.Filter{Region: emuRegion, Size: size})
			seen := map[string]bool{}
			for _, e := range got {
				if seen[e.ID] {
					t.Errorf("%s listed twice", e.ID)
				}
				seen[e.ID] = true
			}
			if !slices.Equal(ids(got), ids(whole)) {
				t.Errorf("pages of %d hold %d ENIs; the view has %d", size, len(got), len(whole))
			}
		})
	}
}

func TestEmulatorGetENI(t *testing.T) {
	_, c := startEmulator(t, 0, Config{})
	all := walk(t, c, eni.Filter{Region: emuRegion, Size: 500})
	want := all[len(all)/2]
	got, err := c.GetENI(context.Background(), emuRegion, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.PrimaryIP != want.PrimaryIP || got.MAC != want.MAC || got.CreatedAt != want.CreatedAt {
		t.Errorf("GetENI = %+v\nlisted  %+v", got, want)
	}
	if got.CreatedAt.IsZero() || got.MAC == "" || len(got.PrivateIPs) == 0 {
		t.Errorf("GetENI lost attributes: %+v", got)
	}
	for _, id := range []string{"eni-bp1doesnotexist00", want.ID} {
		region := "cn-beijing" // want lives in emuRegion, not here
		_, err := c.GetENI(context.Background(), region, id)
		if !errors.Is(err, eni.ErrNotFound) {
			t.Errorf("GetENI(%s, %s) = %v, want ErrNotFound", region, id, err)
		}
	}
}

func TestEmulatorENIsByID(t *testing.T) {
	logger, logs := newTestLogger()
	_, c := startEmulator(t, 400, Config{Logger: logger})
	all := walk(t, c, eni.Filter{Region: emuRegion, Size: 500})
	if len(all) <= 2*eni.MaxListItems {
		t.Fatalf("only %d ENIs in %s; want more than %d", len(all), emuRegion, 2*eni.MaxListItems)
	}
	var ask []string
	for i, e := range all {
		if i%4 != 0 { // leave some out so the answer is not the whole region
			ask = append(ask, e.ID)
		}
	}
	wantIDs := slices.Clone(ask)
	slices.Sort(wantIDs)
	ask = append(ask, "eni-bp1doesnotexist00", ask[0], ask[1]) // unknown and repeated IDs
	before := countCalls(t, logs, "DescribeNetworkInterfaces")
	got, err := c.ENIsByID(context.Background(), emuRegion, ask)
	if err != nil {
		t.Fatal(err)
	}
	if g := ids(got); !slices.Equal(g, wantIDs) {
		t.Errorf("ENIsByID gave %d ENIs, want %d", len(g), len(wantIDs))
	}
	wantCalls := (len(wantIDs) + 1 + eni.MaxListItems - 1) / eni.MaxListItems // + the unknown ID
	if n := countCalls(t, logs, "DescribeNetworkInterfaces") - before; n != wantCalls {
		t.Errorf("ENIsByID made %d calls for %d IDs, want %d", n, len(wantIDs)+1, wantCalls)
	}
	if got, err := c.ENIsByID(context.Background(), emuRegion, nil); err != nil || len(got) != 0 {
		t.Errorf("ENIsByID(nil) = %v, %v", got, err)
	}
}

// countCalls counts the successful cloud calls of an action in the log.
func countCalls(t *testing.T, logs *logBuffer, action string) int {
	n := 0
	for _, r := range logs.records(t) {
		if r["action"] == action && r["outcome"] == "ok" {
			n++
		}
	}
	return n
}

func TestEmulatorStaleToken(t *testing.T) {
	_, c := startEmulator(t, 0, Config{})
	_, err := c.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: emuRegion}, NextToken: "AAAAAdDWBF2"})
	ce, ok := eni.AsCloudError(err)
	if !ok || !ce.InvalidToken() || ce.RequestID == "" {
		t.Errorf("a token the cloud does not know gave %#v; want a CloudError that InvalidToken() recognises", err)
	}
}
