package views

import (
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/eni"
)

func TestENIRowShowsEveryColumn(t *testing.T) {
	e := sampleENI()
	row := renderRow(t, e)
	if got := row.AttrOr("id", ""); got != "row-eni-bp1aaaa1111" {
		t.Errorf("row id = %q, want row-eni-bp1aaaa1111", got)
	}
	cell := func(col string) string { return text(row.Find(`td[data-col="` + col + `"]`)) }
	link := func(col string) string { return row.Find(`td[data-col="`+col+`"] a`).First().AttrOr("href", "") }

	tests := []struct {
		col, wantText, wantHref string
	}{
		{"id", "eni-bp1aaaa1111 web-01-eth1", DetailURL("cn-hangzhou", e.ID)},
		{"status", "In use", ""},
		{"type", "Secondary", ""},
		{"instance", "i-bp1inst0001 device 1", FilteredURL("cn-hangzhou", eni.KeyInstance, "i-bp1inst0001")},
		// primary, its EIP, the first secondary, then the other three folded
		{"ips", "10.1.0.10 EIP 47.96.10.20 10.1.0.11 +3 more 10.1.0.12 10.1.0.13 10.1.0.14", ""},
		{"ipv6", "2408:4005::10", ""},
		{"vpc", "vpc-bp1vpc0001", FilteredURL("cn-hangzhou", eni.KeyVPC, "vpc-bp1vpc0001")},
		{"vswitch", "vsw-bp1vsw0001", FilteredURL("cn-hangzhou", eni.KeyVSwitch, "vsw-bp1vsw0001")},
		{"zone", "cn-hangzhou-h", ""},
		{"sg", "sg-bp1sg0001 sg-bp1sg0002", FilteredURL("cn-hangzhou", eni.KeySG, "sg-bp1sg0001")},
		{"mac", "00:16:3e:12:34:56", ""},
		{"tags", "env=prod team=payments +2 more owner=alice pci", FilteredURL("cn-hangzhou", eni.KeyTag, "env:prod")},
		{"created", "2025-11-18 07:30 UTC", ""},
	}
	for _, tt := range tests {
		t.Run(tt.col, func(t *testing.T) {
			if got := cell(tt.col); got != tt.wantText {
				t.Errorf("cell %s = %q, want %q", tt.col, got, tt.wantText)
			}
			if tt.wantHref != "" {
				if got := link(tt.col); got != tt.wantHref {
					t.Errorf("cell %s links to %q, want %q", tt.col, got, tt.wantHref)
				}
			}
		})
	}
	if got := row.Find("time").AttrOr("title", ""); got != "2 days ago" {
		t.Errorf("created title = %q, want the relative time", got)
	}
	if got := row.Find("time").AttrOr("datetime", ""); got != "2025-11-18T07:30:00Z" {
		t.Errorf("created datetime = %q", got)
	}
}

func TestENIRowLinksLoadInPlace(t *testing.T) {
	row := renderRow(t, sampleENI())
	// Every link to a list view also swaps #results through htmx and pushes
	// its URL; the detail link is a plain page load.
	row.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href := a.AttrOr("href", "")
		if strings.HasPrefix(href, "/enis/") {
			if _, ok := a.Attr("hx-get"); ok {
				t.Errorf("detail link %s should be a plain link", href)
			}
			return
		}
		if a.AttrOr("hx-get", "") != href || a.AttrOr("hx-target", "") != "#results" || a.AttrOr("hx-push-url", "") != "true" {
			t.Errorf("list link %s: hx-get=%q hx-target=%q hx-push-url=%q", href, a.AttrOr("hx-get", ""), a.AttrOr("hx-target", ""), a.AttrOr("hx-push-url", ""))
		}
	})
}

func TestENIRowEmptyCells(t *testing.T) {
	e := eni.ENI{ID: "eni-bp1cccc3333", Status: eni.StatusAvailable, Type: eni.TypeSecondary, PrimaryIP: "10.1.0.9",
		PrivateIPs: []eni.PrivateIP{{Address: "10.1.0.9", Primary: true}}}
	row := renderRow(t, e)
	for _, col := range []string{"instance", "ipv6", "sg", "tags", "created"} {
		if got := text(row.Find(`td[data-col="` + col + `"]`)); got != "—" {
			t.Errorf("empty %s cell shows %q, want —", col, got)
		}
	}
	if row.Find("details").Length() != 0 {
		t.Error("nothing to fold, but a +N disclosure is shown")
	}
}

func TestStatusBadge(t *testing.T) {
	tests := []struct {
		status       eni.Status
		label        string
		transitional bool
	}{
		{eni.StatusAvailable, "Available", false},
		{eni.StatusInUse, "In use", false},
		{eni.StatusAttaching, "Attaching", true},
		{eni.StatusDetaching, "Detaching", true},
		{eni.StatusDeleting, "Deleting", true},
	}
	classes := map[eni.Status]string{}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			doc := render(t, statusBadge(tt.status))
			badge := doc.Find(".badge")
			if got := text(badge); got != tt.label {
				t.Errorf("badge text = %q, want %q", got, tt.label)
			}
			if got := badge.AttrOr("data-status", ""); got != string(tt.status) {
				t.Errorf("data-status = %q", got)
			}
			cls := badge.AttrOr("class", "")
			classes[tt.status] = cls
			if got := badge.HasClass("status-transitional"); got != tt.transitional {
				t.Errorf("status-transitional = %v, want %v (class %q)", got, tt.transitional, cls)
			}
			if got := badge.Find(".animate-pulse").Length() == 1; got != tt.transitional {
				t.Errorf("pulsing dot = %v, want %v", got, tt.transitional)
			}
		})
	}
	// The steady states and the transitional one look different from each other.
	distinct := []string{classes[eni.StatusAvailable], classes[eni.StatusInUse], classes[eni.StatusAttaching]}
	slices.Sort(distinct)
	if len(slices.Compact(distinct)) != 3 {
		t.Errorf("Available, InUse and Attaching share a look: %q", distinct)
	}
}

func TestENIRowEscapesCloudText(t *testing.T) {
	e := sampleENI()
	e.Name = `<script>alert(1)</script>`
	e.Tags = []eni.Tag{{Key: `x"><img src=x onerror=alert(2)>`, Value: "v"}}
	html := renderHTML(t, ENIRow(e, RowContext{Region: "cn-hangzhou", Now: testNow}))
	if strings.Contains(html, "<script>") || strings.Contains(html, "<img") {
		t.Fatalf("cloud text reached the page unescaped:\n%s", html)
	}
	row := renderRow(t, e)
	if got := text(row.Find(`td[data-col="id"] [data-field="name"]`)); got != e.Name {
		t.Errorf("name shows %q, want the literal text %q", got, e.Name)
	}
	if row.Find("script, img").Length() != 0 {
		t.Error("hostile text became elements")
	}
}
