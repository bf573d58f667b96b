package views

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/eni"
)

func createTestPage() CreatePage {
	vsH := eni.VSwitch{ID: "vsw-bp1h", Name: "prod-app-h", VpcID: "vpc-bp1prod", ZoneID: "cn-hangzhou-h", CIDR: "10.0.0.0/18",
		IPv6CIDR: "2408:4005:3c1:a100::/64", AvailableIP: 16370}
	vsH2 := eni.VSwitch{ID: "vsw-bp1h2", VpcID: "vpc-bp1stg", ZoneID: "cn-hangzhou-h", CIDR: "192.168.16.0/20", AvailableIP: 4000}
	return CreatePage{
		Chrome: Chrome{Title: "Create an ENI", Region: "cn-hangzhou", Nav: "enis", CSRF: "csrf-123", User: "olga", CanAct: true,
			Regions: []eni.Region{{ID: "cn-hangzhou", Name: "China (Hangzhou)"}, {ID: "cn-beijing", Name: "China (Beijing)"}}},
		Form: url.Values{eni.FormRegion: {"cn-hangzhou"}, eni.FormZone: {"cn-hangzhou-h"}, eni.FormVSwitch: {vsH.ID},
			eni.FormSG: {"sg-bp1web"}, eni.FormClientToken: {"0123456789abcdef0123456789abcdef"}},
		Zones:          []eni.Zone{{ID: "cn-hangzhou-h", Name: "Hangzhou Zone H"}, {ID: "cn-hangzhou-i", Name: "Hangzhou Zone I"}},
		VSwitches:      []eni.VSwitch{vsH, vsH2},
		VSwitch:        &vsH,
		SecurityGroups: []eni.SecurityGroup{{ID: "sg-bp1web", Name: "prod-web", VpcID: "vpc-bp1prod"}, {ID: "sg-bp1db", Name: "prod-db", VpcID: "vpc-bp1prod"}},
	}
}

func TestCreateFormShowsChoices(t *testing.T) {
	doc := render(t, CreatePageView(createTestPage()))
	form := doc.Find("form#create-form")
	if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != "/enis" || form.AttrOr("hx-post", "") != "/enis" {
		t.Fatal("the form does not post to /enis")
	}
	hidden := func(name string) string {
		return form.Find(`input[type="hidden"][name="`+name+`"]`).AttrOr("value", "")
	}
	if hidden("_csrf") != "csrf-123" || hidden(eni.FormClientToken) != "0123456789abcdef0123456789abcdef" || hidden(eni.FormRegion) != "cn-hangzhou" {
		t.Errorf("hidden fields: csrf %q token %q region %q", hidden("_csrf"), hidden(eni.FormClientToken), hidden(eni.FormRegion))
	}
	if doc.Find(`nav a[aria-current="page"]`).Text() != "ENIs" {
		t.Error("the ENIs entry of the navigation is not current")
	}
	if got := text(doc.Find("h1")); got != "Create an ENI in cn-hangzhou" {
		t.Errorf("heading %q", got)
	}
	if doc.Find(`a[data-region="cn-beijing"]`).AttrOr("href", "") != "/enis/new?region=cn-beijing" {
		t.Error("no link to the form of another region")
	}
	vsw := doc.Find(`select[name="vswitch"] option[selected]`)
	for _, want := range []string{"vsw-bp1h", "prod-app-h", "10.0.0.0/18", "16370 free", "IPv6 on", "cn-hangzhou-h"} {
		if !strings.Contains(vsw.Text(), want) {
			t.Errorf("chosen vSwitch %q lacks %q", vsw.Text(), want)
		}
	}
	if !strings.Contains(doc.Find(`select[name="vswitch"] option[value="vsw-bp1h2"]`).Text(), "IPv6 off") {
		t.Error("a vSwitch without IPv6 does not say so")
	}
	if doc.Find(`select[name="zone"] option[selected]`).AttrOr("value", "") != "cn-hangzhou-h" {
		t.Error("zone not selected")
	}
	var groups []string
	doc.Find(`input[type="checkbox"][name="sg"]`).Each(func(_ int, s *goquery.Selection) {
		groups = append(groups, s.AttrOr("value", "")+map[bool]string{true: "+", false: ""}[s.Is("[checked]")])
	})
	if strings.Join(groups, " ") != "sg-bp1web+ sg-bp1db" {
		t.Errorf("security groups %v", groups)
	}
	if doc.Find(`[data-section="ipv6"] input[name="ipv6_count"]`).Length() != 1 || doc.Find(`[data-section="ipv6"] textarea[name="ipv6"]`).Length() != 1 {
		t.Error("a vSwitch with IPv6 offers no IPv6 fields")
	}
	dor := doc.Find(`input[name="delete_on_release"]`)
	if dor.Length() != 2 || dor.First().AttrOr("value", "") != "false" || !dor.Last().Is("[checked]") {
		t.Error("DeleteOnRelease: want a hidden false, then a checked box")
	}
	if doc.Find(`details[data-section="advanced"]`).Is("[open]") || doc.Find(`details[data-section="advanced"] select[name="traffic_mode"]`).Length() != 1 {
		t.Error("advanced settings: want folded, with the traffic mode inside")
	}
	refresh := doc.Find(`button[data-action="refresh"]`)
	if refresh.AttrOr("formmethod", "") != "post" || refresh.AttrOr("formaction", "") != "/enis/new" {
		t.Error("no Refresh choices for browsers without script")
	}
	for _, key := range []string{eni.FormZone, eni.FormVSwitch} {
		s := doc.Find(`select[name="` + key + `"]`)
		if s.AttrOr("hx-get", "") != "/enis/new" || s.AttrOr("hx-include", "") != "closest form" || s.AttrOr("hx-params", "") != "not _csrf" ||
			s.AttrOr("hx-select", "") != "#create-form" {
			t.Errorf("%s picker does not fetch the form again", key)
		}
	}
}

func TestCreateFormVariants(t *testing.T) {
	noV6 := createTestPage()
	v := *noV6.VSwitch
	v.IPv6CIDR = ""
	noV6.VSwitch = &v
	noVSwitch := createTestPage()
	noVSwitch.VSwitch, noVSwitch.SecurityGroups = nil, nil
	unknown := createTestPage()
	unknown.VSwitchesUnknown, unknown.GroupsUnknown = true, true
	unknown.VSwitches, unknown.VSwitch, unknown.SecurityGroups = nil, nil, nil
	unknown.Form[eni.FormSG] = []string{"sg-bp1a", "sg-bp1b"}
	unknown.Notes = []string{"The vSwitches of cn-hangzhou could not be read."}
	unchecked := createTestPage()
	unchecked.Form[eni.FormDeleteOnRelease] = []string{"false"}
	unchecked.Form[eni.FormSourceDestCheck] = []string{"true"}
	fragment := createTestPage()
	fragment.Fragment = true
	tests := []struct {
		name string
		p    CreatePage
		want map[string]int // selector → how many
	}{
		{"vSwitch without IPv6", noV6, map[string]int{`[data-section="ipv6"]`: 0, `[data-hint="ipv6"]`: 1}},
		{"no vSwitch yet", noVSwitch, map[string]int{`[data-hint="sg"]`: 1, `input[name="sg"][checked]`: 1, `[data-section="ipv6"]`: 0}},
		{"look-ups failed", unknown, map[string]int{`input[type="text"][name="vswitch"]`: 1, `input[type="text"][name="sg"][value="sg-bp1a, sg-bp1b"]`: 1,
			`[data-note]`: 1, `[data-section="ipv6"]`: 1}},
		{"boxes as sent", unchecked, map[string]int{`input[name="delete_on_release"][checked]`: 0,
			`input[name="source_dest_check"][checked]`: 1, `details[data-section="advanced"][open]`: 1}},
		{"htmx fragment", fragment, map[string]int{"html header": 0, "h1": 0, "form#create-form": 1, `input[name="_csrf"][value="csrf-123"]`: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, CreatePageView(tt.p))
			for sel, n := range tt.want {
				if got := doc.Find(sel).Length(); got != n {
					t.Errorf("%s: %d, want %d", sel, got, n)
				}
			}
		})
	}
}

func TestCreateFormErrors(t *testing.T) {
	p := createTestPage()
	p.Form.Set(eni.FormName, `<script>alert(1)</script>`)
	p.Form.Set(eni.FormSecondaryIPs, "10.0.0.5\n10.0.0.x")
	p.Form.Set(eni.FormQueueNumber, "9999")
	p.Errors = eni.FieldErrors{
		{Field: eni.FormName, Value: p.Form.Get(eni.FormName), Message: "may contain only letters, digits 0-9, colons, underscores, periods and hyphens, not '<'"},
		{Field: eni.FormSecondaryIPs, Value: "10.0.0.x", Message: "is not an IPv4 address"},
		{Field: eni.FormQueueNumber, Value: "9999", Message: "must be a whole number from 1 to 2048"},
		{Field: eni.FormRegion, Value: "xx", Message: "is not a region of this account"},
	}
	p.Failure = &Failure{Summary: "The vSwitch does not exist in this region.", Next: "Choose a vSwitch from the list.",
		Cloud: &eni.CloudError{Code: "InvalidVSwitchId.NotFound", Message: "The specified vSwitch does not exist.", RequestID: "REQ-1"}}
	html := renderHTML(t, CreatePageView(p))
	doc := parse(t, html)
	want := map[string]string{
		eni.FormName:         "May contain only letters",
		eni.FormSecondaryIPs: "10.0.0.x is not an IPv4 address",
		eni.FormQueueNumber:  "Must be a whole number from 1 to 2048",
		eni.FormRegion:       "Not a region of this account",
	}
	for field, msg := range want {
		if got := text(doc.Find(`[data-field-error="` + field + `"]`)); got != msg && !strings.HasPrefix(got, msg) {
			t.Errorf("at %s: %q, want %q", field, got, msg)
		}
		href := doc.Find(`[data-banner="field-errors"] li[data-field="`+field+`"] a`).AttrOr("href", "")
		if href != "#c-"+field || doc.Find(href).Length() != 1 {
			t.Errorf("summary link of %s: %q", field, href)
		}
	}
	for _, field := range []string{eni.FormName, eni.FormQueueNumber} {
		in := doc.Find("#c-" + field)
		if !in.HasClass("input-invalid") || in.AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%s is not marked invalid", field)
		}
	}
	if !doc.Find(`details[data-section="advanced"]`).Is("[open]") {
		t.Error("advanced settings with a problem are folded")
	}
	banner := doc.Find("[data-failure]")
	if !strings.Contains(banner.Text(), "does not exist in this region") || banner.Find(`[data-field="request-id"]`).Text() != "REQ-1" {
		t.Errorf("failure banner %q", banner.Text())
	}
	if strings.Contains(html, "<script>alert") || doc.Find("#c-name").AttrOr("value", "") != `<script>alert(1)</script>` {
		t.Error("the typed name is not escaped, or not kept")
	}
	if doc.Find("#c-secondary_ips").Text() != "10.0.0.5\n10.0.0.x" {
		t.Errorf("secondary IPs not kept: %q", doc.Find("#c-secondary_ips").Text())
	}
}

func TestCreateURL(t *testing.T) {
	got := CreateURL("cn-hangzhou", url.Values{eni.FormZone: {"cn-hangzhou-h"}, eni.FormVSwitch: {"vsw-bp1h"}, eni.FormRegion: {"ignored"}})
	if got != "/enis/new?region=cn-hangzhou&vswitch=vsw-bp1h&zone=cn-hangzhou-h" {
		t.Errorf("CreateURL = %q", got)
	}
}
