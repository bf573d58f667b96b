package handlers_test

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"enidash/handlers"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// TestCreateENICloudErrors covers every create error the emulator answers
// that the form's own checks cannot catch first: the cloud's code is
// explained at the field it concerns, with its code and RequestId in the
// banner, and the form keeps what was typed.
func TestCreateENICloudErrors(t *testing.T) {
	env := startCreate(t, nil)
	ctx := context.Background()
	prodH := env.vsw["prod-app-h"]
	onProdH := env.enisOn(t, prodH.ID)
	// An address in use, in a /28 clear of the vSwitch's reserved ones.
	used := onProdH[slices.IndexFunc(onProdH, func(e eni.ENI) bool { return netip.MustParseAddr(e.PrimaryIP).As4()[3] >= 16 })]
	usedPrefix := netip.PrefixFrom(netip.MustParseAddr(used.PrimaryIP), 28).Masked().String()
	withSecondary := onProdH[slices.IndexFunc(onProdH, func(e eni.ENI) bool { return len(e.SecondaryIPs()) > 0 })]
	var withIPv6 eni.ENI
	for _, e := range allCreateENIs(t, env) {
		if len(e.IPv6) > 0 && len(e.SecurityGroups) > 0 {
			withIPv6 = e
			break
		}
	}
	if withIPv6.ID == "" {
		t.Fatal("the demo account has no ENI with IPv6")
	}
	type set = map[string][]string
	tests := []struct {
		name, code, field, want string
		set                     set
	}{
		{"unknown vSwitch", "InvalidVSwitchId.NotFound", eni.FormVSwitch, "The vSwitch does not exist",
			set{eni.FormZone: nil, eni.FormVSwitch: {"vsw-bp1doesnotexist"}}},
		{"unknown security group", "InvalidSecurityGroupId.NotFound", eni.FormSG, "A security group does not exist",
			set{eni.FormSG: {"sg-bp1doesnotexist"}}},
		{"normal and enterprise groups", "EnterpriseGroupLimited.MutliGroupType", eni.FormSG, "cannot be mixed",
			set{eni.FormSG: {env.sg["prod-web"].ID, env.sg["prod-enterprise"].ID}}},
		{"primary address in use", "InvalidPrivateIpAddress.Duplicated", eni.FormPrimaryIP, "already in use",
			set{eni.FormPrimaryIP: {used.PrimaryIP}}},
		{"secondary address in use", "InvalidPrivateIpAddress.Duplicated", eni.FormSecondaryIPs, "already in use",
			set{eni.FormSecondaryIPs: {withSecondary.SecondaryIPs()[0]}}},
		{"IPv6 address in use", "InvalidOperation.AddressAlreadyAllocated", eni.FormIPv6, "IPv6 address is already in use",
			set{eni.FormZone: {withIPv6.ZoneID}, eni.FormVSwitch: {withIPv6.VSwitchID}, eni.FormSG: withIPv6.SecurityGroups[:1],
				eni.FormIPv6: {withIPv6.IPv6[0]}}},
		{"prefix in use", "InvalidIp.IpPrefixNotAvailable", eni.FormPrefixes, "prefix is already in use",
			set{eni.FormPrefixes: {usedPrefix}}},
		{"resource group", "InvalidResourceGroup.NotFound", eni.FormRG, "resource group does not exist",
			set{eni.FormRG: {"rg-doesnotexist1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent := env.form(tt.set)
			p := post(t, env.url+"/enis", sent)
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", p.status, p.doc.Find("[data-banner], [data-failure]").Text())
			}
			if got := fieldError(p.doc, tt.field); !strings.Contains(got, tt.want) {
				t.Errorf("message at %s = %q, want …%s…", tt.field, got, tt.want)
			}
			banner := p.doc.Find("[data-failure]")
			if code := banner.Find(`[data-field="code"]`).Text(); code != tt.code {
				t.Errorf("banner code %q, want %s", code, tt.code)
			}
			if banner.Find(`[data-field="request-id"]`).Text() == "" {
				t.Error("banner has no RequestId")
			}
			if lost := keptValues(sent, p.doc); len(lost) > 0 {
				t.Errorf("values not kept: %v", lost)
			}
		})
	}

	// A vSwitch that ran out of addresses since the form's look-up: the
	// cached count lets the form through, the cloud refuses.
	t.Run("vSwitch out of addresses", func(t *testing.T) {
		edge := env.vsw["prod-edge-j"]
		sent := env.form(set{eni.FormZone: {"cn-hangzhou-j"}, eni.FormVSwitch: {edge.ID}})
		get(t, env.url+"/enis/new?"+sent.Encode()) // the look-up is cached now
		fresh, err := env.cloud.VSwitches(ctx, "cn-hangzhou", edge.VpcID)
		if err != nil {
			t.Fatal(err)
		}
		free := fresh[slices.IndexFunc(fresh, func(v eni.VSwitch) bool { return v.ID == edge.ID })].AvailableIP
		if _, err := env.cloud.CreateENI(ctx, eni.CreateRequest{Region: "cn-hangzhou", VSwitchID: edge.ID,
			SecurityGroupIDs: []string{env.sg["prod-web"].ID}, SecondaryIPCount: free - 1}); err != nil {
			t.Fatalf("filling %s (%d free): %v", edge.ID, free, err)
		}
		p := post(t, env.url+"/enis", sent)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(p.doc, eni.FormVSwitch), "not enough free IP addresses") {
			t.Errorf("status %d, at vswitch %q", p.status, fieldError(p.doc, eni.FormVSwitch))
		}
	})

	// Failures of the cloud itself are a banner with an honest status.
	for _, tt := range []struct {
		name   string
		faults ecsemu.Faults
		status int
		codes  []string
	}{
		{"throttled", ecsemu.Faults{ThrottleRate: 1}, http.StatusServiceUnavailable, []string{"Throttling"}},
		{"cloud failing", ecsemu.Faults{ErrorRate: 1}, http.StatusBadGateway, []string{"InternalError", "ServiceUnavailable"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env.emu.SetFaults(tt.faults)
			defer env.emu.SetFaults(ecsemu.Faults{})
			p := post(t, env.url+"/enis", env.form(set{eni.FormName: {"during-" + strings.ReplaceAll(tt.name, " ", "-")}}))
			banner := p.doc.Find("[data-failure]")
			code := banner.Find(`[data-field="code"]`).Text()
			x, _ := eni.Explain(code)
			if p.status != tt.status || !slices.Contains(tt.codes, code) || !strings.Contains(banner.Text(), x.Summary) ||
				!strings.Contains(banner.Text(), x.Next) || banner.Find(`[data-field="request-id"]`).Text() == "" {
				t.Errorf("status %d, banner %q", p.status, banner.Text())
			}
			if p.doc.Find("[data-field-error]").Length() != 0 {
				t.Error("a failure of the cloud is put at a field")
			}
		})
	}
}

// A cloud that does not answer in time is a 504; the form says the change
// may have happened.
func TestCreateENITimeout(t *testing.T) {
	env := startCreate(t, func(d *handlers.Deps) { d.CallTimeout = 300 * time.Millisecond })
	// The look-ups are cached first (a refused form reads them all), so
	// only the create and the zones meet the slow cloud.
	post(t, env.url+"/enis", env.form(map[string][]string{eni.FormName: {"x"}}))
	env.emu.SetFaults(ecsemu.Faults{Latency: time.Second})
	p := post(t, env.url+"/enis", env.form(nil))
	banner := p.doc.Find("[data-failure]")
	if p.status != http.StatusGatewayTimeout || banner.Find(`[data-field="code"]`).Text() != "Timeout" ||
		!strings.Contains(banner.Text(), "the change may have happened") {
		t.Errorf("status %d, banner %q", p.status, banner.Text())
	}
}

// refusingCloud answers every create with one error.
type refusingCloud struct {
	eni.Cloud
	err error
}

func (c refusingCloud) CreateENI(context.Context, eni.CreateRequest) (eni.Result, error) {
	return eni.Result{}, c.err
}

// A code enidash does not know is shown in the cloud's own words.
func TestCreateENIUnknownCode(t *testing.T) {
	ce := &eni.CloudError{Action: "CreateNetworkInterface", Code: "Mystery.Refusal", Message: "No ENIs on Tuesdays.",
		RequestID: "4F3C-REQ", HTTPStatus: http.StatusForbidden}
	env := startCreate(t, func(d *handlers.Deps) { d.Cloud = refusingCloud{Cloud: d.Cloud, err: ce} })
	p := post(t, env.url+"/enis", env.form(nil))
	banner := p.doc.Find("[data-failure]").Text()
	for _, want := range []string{"Mystery.Refusal", "No ENIs on Tuesdays.", "4F3C-REQ", "The cloud refused the change."} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner %q lacks %q", banner, want)
		}
	}
	if p.status != http.StatusUnprocessableEntity || p.doc.Find("[data-field-error]").Length() != 0 {
		t.Errorf("status %d; field messages %d", p.status, p.doc.Find("[data-field-error]").Length())
	}
}

// allCreateENIs lists every ENI of cn-hangzhou.
func allCreateENIs(t *testing.T, env *createEnv) []eni.ENI {
	t.Helper()
	p, err := env.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Size: 500}})
	if err != nil {
		t.Fatal(err)
	}
	return p.ENIs
}
