package handlers_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/handlers"
	"enidash/internal/eni"
	"enidash/internal/lookup"
)

var reToken = regexp.MustCompile(`^[0-9a-f]{32}$`)

func options(doc *goquery.Document, key string) (values []string, selected string) {
	doc.Find(`select[name="` + key + `"] option`).Each(func(_ int, s *goquery.Selection) {
		if v := s.AttrOr("value", ""); v != "" {
			values = append(values, v)
		}
		if s.Is("[selected]") {
			selected = s.AttrOr("value", "")
		}
	})
	return values, selected
}

func checkboxes(doc *goquery.Document, key string) []string {
	var out []string
	doc.Find(`input[type="checkbox"][name="` + key + `"]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("value", ""))
	})
	return out
}

func TestNewENIForm(t *testing.T) {
	env := startCreate(t, nil)
	prodH, prodI := env.vsw["prod-app-h"], env.vsw["prod-app-i"]

	p := get(t, env.url+"/enis/new?region=cn-hangzhou")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	zones, _ := options(p.doc, eni.FormZone)
	vsws, _ := options(p.doc, eni.FormVSwitch)
	form := submitted(p.doc)
	switch {
	case len(zones) != 4 || len(vsws) != len(env.vsws):
		t.Errorf("zones %v, vSwitches %d of %d", zones, len(vsws), len(env.vsws))
	case !reToken.MatchString(form.Get(eni.FormClientToken)) || form.Get("_csrf") != "test-csrf-token":
		t.Errorf("token %q, csrf %q", form.Get(eni.FormClientToken), form.Get("_csrf"))
	case form.Get(eni.FormDeleteOnRelease) != "false" || !strings.Contains(strings.Join(form[eni.FormDeleteOnRelease], ","), "true"):
		t.Errorf("DeleteOnRelease is not checked by default: %v", form[eni.FormDeleteOnRelease])
	case p.doc.Find(`[data-hint="sg"]`).Length() != 1 || p.doc.Find(`[data-section="ipv6"]`).Length() != 0:
		t.Error("without a vSwitch: want the security group hint and no IPv6 fields")
	case p.doc.Find(`details[data-section="advanced"][open]`).Length() != 0:
		t.Error("advanced settings are unfolded")
	}
	if again := submitted(get(t, env.url+"/enis/new?region=cn-hangzhou").doc); again.Get(eni.FormClientToken) == form.Get(eni.FormClientToken) {
		t.Error("two forms got the same client token")
	}
	label := p.doc.Find(`select[name="vswitch"] option[value="` + prodH.ID + `"]`).Text()
	for _, want := range []string{prodH.CIDR, "free", "IPv6 on"} {
		if !strings.Contains(label, want) {
			t.Errorf("vSwitch option %q lacks %q", label, want)
		}
	}

	tests := []struct {
		name, query       string
		zone, vswitch     string
		vswitches, groups int
		ipv6, ipv6Hint    bool
		keep              map[string]string
	}{
		{"zone and vSwitch preselected", "zone=cn-hangzhou-h&vswitch=" + prodH.ID, "cn-hangzhou-h", prodH.ID, 3, 4, true, false, nil},
		{"the vSwitch sets the zone", "vswitch=" + prodI.ID, "cn-hangzhou-i", prodI.ID, 2, 4, false, true, nil},
		{"a new zone drops the vSwitch", "zone=cn-hangzhou-i&vswitch=" + prodH.ID, "cn-hangzhou-i", "", 2, 0, false, false, nil},
		{"typed values and token kept", "zone=cn-hangzhou-h&vswitch=" + prodH.ID + "&name=web-2&tags=env%3Dprod%0Ateam%3Dnet&client_token=abc123&queue_number=4&delete_on_release=false&sg=" + env.sg["prod-db"].ID,
			"cn-hangzhou-h", prodH.ID, 3, 4, true, false,
			map[string]string{eni.FormName: "web-2", eni.FormTags: "env=prod\nteam=net", eni.FormClientToken: "abc123",
				eni.FormQueueNumber: "4", eni.FormDeleteOnRelease: "false", eni.FormSG: env.sg["prod-db"].ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := get(t, env.url+"/enis/new?region=cn-hangzhou&"+tt.query)
			_, zone := options(p.doc, eni.FormZone)
			vsws, vswitch := options(p.doc, eni.FormVSwitch)
			groups := checkboxes(p.doc, eni.FormSG)
			if p.status != http.StatusOK || zone != tt.zone || vswitch != tt.vswitch || len(vsws) != tt.vswitches || len(groups) != tt.groups {
				t.Errorf("status %d, zone %q, vSwitch %q of %d, %d groups", p.status, zone, vswitch, len(vsws), len(groups))
			}
			if got := p.doc.Find(`[data-section="ipv6"]`).Length() == 1; got != tt.ipv6 {
				t.Errorf("IPv6 fields shown: %v", got)
			}
			if got := p.doc.Find(`[data-hint="ipv6"]`).Length() == 1; got != tt.ipv6Hint {
				t.Errorf("IPv6-off hint shown: %v", got)
			}
			form := submitted(p.doc)
			for k, want := range tt.keep {
				if got := strings.Join(form[k], ","); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if tt.keep[eni.FormQueueNumber] != "" && p.doc.Find(`details[data-section="advanced"][open]`).Length() != 1 {
				t.Error("advanced settings with a value are folded")
			}
		})
	}

	// htmx asks for the form alone when a picker changes.
	p = get(t, env.url+"/enis/new?region=cn-hangzhou&zone=cn-hangzhou-h", htmx()...)
	if p.doc.Find("html header").Length() != 0 || p.doc.Find("form#create-form").Length() != 1 {
		t.Errorf("htmx got more than the form: %.200s", p.body)
	}
	picker := p.doc.Find(`select[name="zone"]`)
	if picker.AttrOr("hx-get", "") != "/enis/new" || picker.AttrOr("hx-params", "") != "not _csrf" {
		t.Error("the zone picker does not fetch the form again without the CSRF token")
	}
	refresh := p.doc.Find(`button[data-action="refresh"]`)
	if refresh.AttrOr("formmethod", "") != "post" || refresh.AttrOr("formaction", "") != "/enis/new" {
		t.Error("no Refresh choices button for browsers without script")
	}
}

func TestNewENIRejectsRegion(t *testing.T) {
	env := startCreate(t, nil)
	for q, want := range map[string]string{"region=Hangzhou": "not a region ID", "region=xx-nowhere-9": "not a region of this account"} {
		if p := get(t, env.url+"/enis/new?"+q); p.status != http.StatusBadRequest || !strings.Contains(p.doc.Text(), want) {
			t.Errorf("%s: status %d, want 400 with %q", q, p.status, want)
		}
	}
	// No region: the default one.
	if _, sel := options(get(t, env.url+"/enis/new").doc, eni.FormZone); sel != "" {
		t.Errorf("zone %q preselected", sel)
	}
	if got := submitted(get(t, env.url+"/enis/new").doc).Get(eni.FormRegion); got != "cn-hangzhou" {
		t.Errorf("region %q", got)
	}
}

// failingLookups is a cloud whose zone, vSwitch and security group
// look-ups fail; creates still work.
type failingLookups struct{ eni.Cloud }

var errLookup = errors.New("connection reset by peer")

func (failingLookups) Zones(context.Context, string) ([]eni.Zone, error) { return nil, errLookup }
func (failingLookups) VSwitches(context.Context, string, string) ([]eni.VSwitch, error) {
	return nil, errLookup
}
func (failingLookups) SecurityGroups(context.Context, string, string) ([]eni.SecurityGroup, error) {
	return nil, errLookup
}

// Without its look-ups the form takes IDs as text, says why, and leaves
// the checks to the cloud.
func TestNewENIWithoutLookups(t *testing.T) {
	env := startCreate(t, func(d *handlers.Deps) {
		d.Cloud = failingLookups{d.Cloud}
		d.Lookups = lookup.New(d.Cloud, 0)
	})
	p := get(t, env.url+"/enis/new?region=cn-hangzhou")
	notes := p.doc.Find("[data-note]").Text()
	if p.status != http.StatusOK || !strings.Contains(notes, "zones") || !strings.Contains(notes, "vSwitches") ||
		p.doc.Find(`input[type="text"][name="vswitch"]`).Length() != 1 || p.doc.Find(`input[type="text"][name="sg"]`).Length() != 1 {
		t.Errorf("status %d, notes %q", p.status, notes)
	}
	sent := env.form(map[string][]string{eni.FormName: {"typed-ids"},
		eni.FormSG: {env.sg["prod-web"].ID + ", " + env.sg["prod-db"].ID}})
	if p := post(t, env.url+"/enis", sent); p.status != http.StatusSeeOther {
		t.Fatalf("status %d: %s", p.status, p.doc.Find("[data-failure], [data-banner]").Text())
	}
	if got := env.enisNamed(t, "typed-ids"); len(got) != 1 || len(got[0].SecurityGroups) != 2 {
		t.Errorf("created %+v", got)
	}
	// A vSwitch the cloud does not know is the cloud's to say.
	p = post(t, env.url+"/enis", env.form(map[string][]string{eni.FormVSwitch: {"vsw-bp1nowhere"}, eni.FormClientToken: {"another-form"}}))
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(p.doc, eni.FormVSwitch), "does not exist") {
		t.Errorf("status %d, at vswitch %q", p.status, fieldError(p.doc, eni.FormVSwitch))
	}
}
