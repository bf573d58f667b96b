package views

import (
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/eni"
)

func detailPage() DetailPage {
	return DetailPage{Chrome: chrome(), ENI: sampleENI(), Now: testNow}
}

// attrs reads every labelled attribute of the detail page.
func attrs(doc *goquery.Document) map[string]*goquery.Selection {
	out := map[string]*goquery.Selection{}
	doc.Find("dl > div").Each(func(_ int, d *goquery.Selection) {
		out[text(d.Find("dt"))] = d.Find("dd")
	})
	return out
}

func TestDetailPageAttributes(t *testing.T) {
	doc := render(t, DetailPageView(detailPage()))
	a := attrs(doc)
	tests := []struct {
		label, wantText, wantHref string
	}{
		{"ENI ID", "eni-bp1aaaa1111", ""},
		{"Name", "web-01-eth1", ""},
		{"Type", "Secondary", ""},
		{"Region", "cn-hangzhou", ""},
		{"Zone", "cn-hangzhou-h", ""},
		{"MAC address", "00:16:3e:12:34:56", ""},
		{"Created", "2025-11-18 07:30 UTC (2 days ago)", ""},
		{"Status", "In use", ""},
		{"Instance", "i-bp1inst0001 · all ENIs of this instance", FilteredURL("cn-hangzhou", eni.KeyInstance, "i-bp1inst0001")},
		{"Device index", "1", ""},
		{"Network card index", "0", ""},
		{"Trunk ENI", "—", ""},
		{"Delete on release", "Yes", ""},
		{"VPC", "vpc-bp1vpc0001", FilteredURL("cn-hangzhou", eni.KeyVPC, "vpc-bp1vpc0001")},
		{"vSwitch", "vsw-bp1vsw0001", FilteredURL("cn-hangzhou", eni.KeyVSwitch, "vsw-bp1vsw0001")},
		{"Security groups", "sg-bp1sg0001 sg-bp1sg0002", FilteredURL("cn-hangzhou", eni.KeySG, "sg-bp1sg0001")},
		{"Tags", "env=prod team=payments owner=alice pci", FilteredURL("cn-hangzhou", eni.KeyTag, "env:prod")},
		{"Queues", "2", ""},
		{"Queue pairs", "4", ""},
		{"Traffic mode", "Standard", ""},
		{"Owner", "1234567890123456", ""},
		{"Resource group", "rg-acfm0001", FilteredURL("cn-hangzhou", eni.KeyRG, "rg-acfm0001")},
		{"Service-managed", "No", ""},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			dd, ok := a[tt.label]
			if !ok {
				t.Fatalf("no %q attribute", tt.label)
			}
			if got := text(dd); got != tt.wantText {
				t.Errorf("%s = %q, want %q", tt.label, got, tt.wantText)
			}
			if tt.wantHref != "" {
				if got := dd.Find("a").First().AttrOr("href", ""); got != tt.wantHref {
					t.Errorf("%s links to %q, want %q", tt.label, got, tt.wantHref)
				}
			}
		})
	}
	if got := doc.Find(`a[data-action="back"]`).AttrOr("href", ""); got != "/enis?region=cn-hangzhou" {
		t.Errorf("back link = %q", got)
	}
	if got := text(doc.Find("h1")); got != "eni-bp1aaaa1111" {
		t.Errorf("heading = %q", got)
	}
}

func TestDetailPageAddressing(t *testing.T) {
	doc := render(t, DetailPageView(detailPage()))
	var ips []string
	doc.Find("#private-ips tbody tr").Each(func(_ int, tr *goquery.Selection) {
		ips = append(ips, text(tr))
	})
	want := []string{"10.1.0.10 primary 47.96.10.20 eip-bp1abcd1234", "10.1.0.11 —", "10.1.0.12 —", "10.1.0.13 —", "10.1.0.14 —"}
	if !slices.Equal(ips, want) {
		t.Errorf("private IPs = %q, want %q", ips, want)
	}
	if n := doc.Find("#private-ips [data-primary]").Length(); n != 1 {
		t.Errorf("%d addresses marked primary, want 1", n)
	}
	if got := doc.Find("#private-ips a").First().AttrOr("href", ""); got != FilteredURL("cn-hangzhou", eni.KeyIP, "10.1.0.10") {
		t.Errorf("address links to %q", got)
	}
	section := text(doc.Find(`section[aria-labelledby="h-addressing"]`))
	for _, want := range []string{"IPv6 (1) 2408:4005::10", "IPv4 prefixes (1) 10.1.9.16/28", "IPv6 prefixes (1) 2408:4005:3cc:7190::/80"} {
		if !strings.Contains(section, want) {
			t.Errorf("addressing lacks %q:\n%s", want, section)
		}
	}
}

func TestDetailPageDetachedAndCloudError(t *testing.T) {
	p := detailPage()
	p.ENI.Status, p.ENI.InstanceID, p.ENI.Attachment = eni.StatusAvailable, "", nil
	p.CloudErr = &eni.CloudError{Code: "InternalError", Message: "try later", RequestID: "RID-9"}
	doc := render(t, DetailPageView(p))
	a := attrs(doc)
	if got := text(a["Instance"]); got != "not attached" {
		t.Errorf("Instance = %q", got)
	}
	if _, ok := a["Device index"]; ok {
		t.Error("attachment details shown for a detached ENI")
	}
	b := doc.Find(`[data-banner="cloud-error"]`)
	if !strings.Contains(text(b), "RID-9") {
		t.Errorf("cloud error banner = %q", text(b))
	}
	if got := b.Find("a").AttrOr("href", ""); got != DetailURL("cn-hangzhou", p.ENI.ID) {
		t.Errorf("retry = %q", got)
	}
}

func TestErrorPageView(t *testing.T) {
	tests := []struct {
		name                 string
		page                 ErrorPage
		wantHeading, wantMsg string
		wantBack, wantLabel  string
	}{
		{"given", ErrorPage{Chrome: chrome(), Status: 404, Heading: "No such ENI", Message: "eni-x <b>is gone</b>", Back: "/enis?region=cn-shanghai", BackLabel: "ENIs in cn-shanghai"},
			"No such ENI", "eni-x <b>is gone</b>", "/enis?region=cn-shanghai", "← ENIs in cn-shanghai"},
		{"defaults", ErrorPage{Chrome: chrome(), Status: 500},
			"Something went wrong", "", "/enis?region=cn-hangzhou", "← Back to the ENIs"},
		{"unsafe back link", ErrorPage{Chrome: chrome(), Heading: "x", Back: "javascript:alert(1)"},
			"x", "", "about:invalid#TemplFailedSanitizationURL", "← Back to the ENIs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, ErrorPageView(tt.page))
			box := doc.Find("[data-error-page]")
			if got := text(box.Find("h1")); got != tt.wantHeading {
				t.Errorf("heading = %q", got)
			}
			if got := text(box.Find("[data-message]")); got != tt.wantMsg {
				t.Errorf("message = %q, want %q", got, tt.wantMsg)
			}
			back := box.Find(`a[data-action="back"]`)
			if got := back.AttrOr("href", ""); got != tt.wantBack {
				t.Errorf("back = %q, want %q", got, tt.wantBack)
			}
			if got := text(back); got != tt.wantLabel {
				t.Errorf("back label = %q, want %q", got, tt.wantLabel)
			}
		})
	}
}
