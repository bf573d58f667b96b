package views

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/eni"
)

func TestListPageTable(t *testing.T) {
	p := sampleList()
	doc := render(t, ListPageView(p))
	rows := doc.Find("#results #eni-table tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("table has %d rows, want 2", rows.Length())
	}
	if got := rows.Eq(1).AttrOr("id", ""); got != "row-eni-bp1bbbb2222" {
		t.Errorf("second row id = %q", got)
	}
	if got := text(doc.Find("#counts")); got != "42 ENIs · showing 1–2" {
		t.Errorf("counts = %q", got)
	}
	if got := doc.Find("title").Text(); got != "ENIs · enidash" {
		t.Errorf("title = %q", got)
	}
	exports := hrefs(doc.Find("#export"))
	want := []string{ExportURL(p.Filter, "csv"), ExportURL(p.Filter, "json")}
	if !slices.Equal(exports, want) {
		t.Errorf("export links = %q, want %q", exports, want)
	}
	if doc.Find("[data-banner]").Length() != 0 {
		t.Error("a banner is shown on a page without problems")
	}
}

func TestPager(t *testing.T) {
	base := sampleList().Filter
	page3 := base.Next("t1").Next("t2")
	tests := []struct {
		name      string
		filter    eni.Filter
		nextToken string
		wantPage  string
		wantLinks map[string]string // link text -> href; absent links must not show
	}{
		{"first page with more", base, "t1", "Page 1", map[string]string{"Next": ListURL(base.Next("t1"))}},
		{"first and only page", base, "", "Page 1", map[string]string{}},
		{"middle page", page3, "t3", "Page 3", map[string]string{
			"First": ListURL(base), "Previous": ListURL(base.Next("t1")), "Next": ListURL(page3.Next("t3")),
		}},
		{"last page", page3, "", "Page 3", map[string]string{"First": ListURL(base), "Previous": ListURL(base.Next("t1"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sampleList()
			p.Filter, p.NextToken = tt.filter, tt.nextToken
			doc := render(t, ListResults(p))
			nav := doc.Find("#pager")
			if got := text(nav.Find("[data-page]")); got != tt.wantPage {
				t.Errorf("page label = %q, want %q", got, tt.wantPage)
			}
			got := map[string]string{}
			nav.Find("a").Each(func(_ int, a *goquery.Selection) {
				label := strings.Trim(text(a), "«‹› ")
				got[label] = a.AttrOr("href", "")
				if a.AttrOr("hx-get", "") != a.AttrOr("href", "") || a.AttrOr("hx-target", "") != "#results" || a.AttrOr("hx-push-url", "") != "true" {
					t.Errorf("%s link is not an htmx navigation with a plain href fallback", label)
				}
			})
			if len(got) != len(tt.wantLinks) {
				t.Errorf("pager links = %v, want %v", got, tt.wantLinks)
			}
			for label, href := range tt.wantLinks {
				if got[label] != href {
					t.Errorf("%s = %q, want %q", label, got[label], href)
				}
			}
			if next, ok := got["Next"]; ok && !strings.Contains(next, "token=") {
				t.Errorf("Next link %q carries no page token", next)
			}
			if first, ok := got["First"]; ok && strings.Contains(first, "token=") {
				t.Errorf("First link %q carries a page token", first)
			}
		})
	}
}

func TestListFieldErrorsKeepRawValues(t *testing.T) {
	raw := url.Values{
		eni.KeyRegion: {"cn-hangzhou"},
		eni.KeyVPC:    {"VPC_bad"},
		eni.KeyStatus: {"Running"},
		eni.KeyIP:     {"10.0.0.1, 10.0.0.300"},
		eni.KeyTag:    {"env:prod", "env:dev", ""},
		"bogus":       {"1"},
	}
	f, errs := eni.ParseFilter(raw)
	if len(errs) != 5 {
		t.Fatalf("test setup: %d errors, want 5: %v", len(errs), errs)
	}
	p := sampleList()
	p.Filter, p.Errors, p.Raw = f, errs, raw
	doc := render(t, ListPageView(p))

	if doc.Find("#eni-table").Length() != 0 || doc.Find("#pager").Length() != 0 {
		t.Error("the table is shown with a rejected view")
	}
	if got := doc.Find(`[data-banner="field-errors"] li`).Length(); got != 5 {
		t.Errorf("summary lists %d problems, want 5", got)
	}
	form := doc.Find("form#filters")
	tests := []struct {
		field, wantValue string
		wantError        bool
	}{
		{eni.KeyVPC, "VPC_bad", true},
		{eni.KeyIP, "10.0.0.1, 10.0.0.300", true},
		{eni.KeyName, "", false},
		{eni.KeySG, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			in := form.Find(`input[name="` + tt.field + `"]`)
			if got := in.AttrOr("value", ""); got != tt.wantValue {
				t.Errorf("input value = %q, want the raw %q", got, tt.wantValue)
			}
			msg := in.Parent().Find(`[data-field-error="` + tt.field + `"]`)
			if (msg.Length() > 0) != tt.wantError {
				t.Fatalf("message under %s: %q, want one: %v", tt.field, text(msg), tt.wantError)
			}
			if in.HasClass("input-invalid") != tt.wantError {
				t.Errorf("input marked invalid = %v, want %v", in.HasClass("input-invalid"), tt.wantError)
			}
			if tt.wantError && text(msg) == "" {
				t.Error("empty message")
			}
		})
	}
	if got := form.Find(`select[name="status"] option[selected]`).AttrOr("value", ""); got != "Running" {
		t.Errorf("status select keeps %q, want the raw Running", got)
	}
	if got := text(form.Find(`[data-field-error="status"]`)); !strings.Contains(got, "Available") {
		t.Errorf("status message = %q", got)
	}
	// Both sent tags are kept; only the conflicting one is marked.
	var tagValues []string
	form.Find(`input[name="tag"]`).Each(func(_ int, in *goquery.Selection) {
		tagValues = append(tagValues, in.AttrOr("value", "")+map[bool]string{true: "!", false: ""}[in.HasClass("input-invalid")])
	})
	if want := []string{"env:prod", "env:dev!", ""}; !slices.Equal(tagValues, want) {
		t.Errorf("tag inputs = %q, want %q (! = marked)", tagValues, want)
	}
	if got := text(doc.Find(`[data-banner="field-errors"] li[data-field="bogus"]`)); !strings.Contains(got, "bogus") {
		t.Errorf("unknown parameter reported as %q", got)
	}
}

func TestListSearchRejected(t *testing.T) {
	p := sampleList()
	p.Search = strings.Repeat("n", 200)
	p.Errors = eni.FieldErrors{{Field: KeySearch, Value: p.Search, Message: "is 200 characters long; at most 128"}}
	p.Raw = url.Values{eni.KeyRegion: {"cn-hangzhou"}, KeySearch: {p.Search}}
	doc := render(t, ListResults(p))
	in := doc.Find(`input[name="q"]`)
	if in.AttrOr("value", "") != p.Search {
		t.Error("search box lost what was typed")
	}
	if got := text(in.Parent().Find(`[data-field-error="q"]`)); got != "200 characters long; at most 128" {
		t.Errorf("message under the search box = %q", got)
	}
}

func TestListBanners(t *testing.T) {
	ce := &eni.CloudError{Action: "DescribeNetworkInterfaces", Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestID: "7A1B-9C3D"}
	t.Run("cloud error", func(t *testing.T) {
		p := sampleList()
		p.ENIs, p.NextToken, p.CloudErr = nil, "", ce
		doc := render(t, ListResults(p))
		b := doc.Find(`[data-banner="cloud-error"]`)
		if b.Length() != 1 {
			t.Fatal("no cloud error banner")
		}
		for _, want := range []string{"Throttling.User", "Request was denied due to user flow control.", "7A1B-9C3D"} {
			if !strings.Contains(text(b), want) {
				t.Errorf("banner %q lacks %q", text(b), want)
			}
		}
		retry := b.Find(`a[data-action="retry"]`)
		if got := retry.AttrOr("href", ""); got != ListURL(p.Filter) {
			t.Errorf("retry links to %q, want %q", got, ListURL(p.Filter))
		}
		if doc.Find("#eni-table, [data-empty]").Length() != 0 {
			t.Error("a table or an empty state is shown with a cloud error")
		}
	})
	t.Run("token expired", func(t *testing.T) {
		p := sampleList()
		p.Filter = p.Filter.Next("old-token")
		p.ENIs, p.NextToken, p.TokenExpired = nil, "", true
		p.CloudErr = &eni.CloudError{Code: "InvalidParameter.NextToken", RequestID: "RID-2"}
		doc := render(t, ListResults(p))
		b := doc.Find(`[data-banner="token-expired"]`)
		if b.Length() != 1 {
			t.Fatal("no expired-token banner")
		}
		if doc.Find(`[data-banner="cloud-error"]`).Length() != 0 {
			t.Error("the expired token is also reported as a cloud failure")
		}
		if !strings.Contains(text(b), "expired") {
			t.Errorf("banner says %q", text(b))
		}
		first := ListURL(p.Filter.FirstPage())
		if !slices.Contains(hrefs(b), first) || strings.Contains(first, "token") {
			t.Errorf("banner links %q, want the first page %q", hrefs(b), first)
		}
	})
}

func TestEmptyState(t *testing.T) {
	tests := []struct {
		name      string
		filter    eni.Filter
		wantClear bool
	}{
		{"narrowed", eni.Filter{Region: "cn-hangzhou", Name: "nothing"}, true},
		{"whole region", eni.Filter{Region: "cn-hangzhou"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sampleList()
			p.Filter, p.ENIs, p.NextToken, p.TotalCount = tt.filter, nil, "", 0
			doc := render(t, ListResults(p))
			empty := doc.Find("[data-empty]")
			if empty.Length() != 1 {
				t.Fatal("no empty state")
			}
			if !strings.Contains(text(empty), "No ENIs match this view") {
				t.Errorf("empty state says %q", text(empty))
			}
			links := hrefs(empty)
			if got := len(links) == 1 && links[0] == "/enis?region=cn-hangzhou"; got != tt.wantClear {
				t.Errorf("clear link %q, want one: %v", links, tt.wantClear)
			}
			if doc.Find("#eni-table").Length() != 0 || doc.Find("#pager").Length() != 0 {
				t.Error("empty table or pager shown")
			}
		})
	}
}

func TestFilterChips(t *testing.T) {
	f := eni.Filter{Region: "cn-hangzhou", VpcID: "vpc-bp1vpc0001", IDs: []string{"eni-bp1aaaa1111", "eni-bp1bbbb2222"},
		Tags: []eni.Tag{{Key: "env", Value: "prod"}}, Size: 50}
	p := sampleList()
	p.Filter = f.Next("t1") // on page 2: removing a filter returns to page 1
	doc := render(t, ListResults(p))
	got := map[string]string{}
	doc.Find(`ul[aria-label="Active filters"] li[data-filter]`).Each(func(_ int, li *goquery.Selection) {
		got[text(li.Find("span").First())] = li.Find("a").AttrOr("href", "")
	})
	without := func(change func(*eni.Filter)) string {
		g := f
		change(&g)
		return ListURL(g)
	}
	want := map[string]string{
		"VPC: vpc-bp1vpc0001":      without(func(g *eni.Filter) { g.VpcID = "" }),
		"ENI IDs: eni-bp1aaaa1111": without(func(g *eni.Filter) { g.IDs = []string{"eni-bp1bbbb2222"} }),
		"ENI IDs: eni-bp1bbbb2222": without(func(g *eni.Filter) { g.IDs = []string{"eni-bp1aaaa1111"} }),
		"Tag: env:prod":            without(func(g *eni.Filter) { g.Tags = nil }),
	}
	if len(got) != len(want) {
		t.Errorf("chips = %v, want %v", got, want)
	}
	for label, href := range want {
		if got[label] != href {
			t.Errorf("removing %q links to %q, want %q", label, got[label], href)
		}
		if strings.Contains(got[label], "token=") || !strings.Contains(got[label], "size=50") {
			t.Errorf("removal link %q should keep the page size and drop the page position", got[label])
		}
	}
}

func TestFiltersForm(t *testing.T) {
	p := sampleList()
	p.Filter = eni.Filter{Region: "cn-hangzhou", VpcID: "vpc-bp1vpc0001", Type: eni.TypePrimary, IPs: []string{"10.0.0.1", "10.0.0.2"},
		Tags: []eni.Tag{{Key: "env", Value: "prod"}, {Key: "pci"}}, Size: 100}.Next("t1")
	doc := render(t, ListPageView(p))
	form := doc.Find("form#filters")
	attrs := map[string]string{"method": "get", "action": "/enis", "hx-get": "/enis", "hx-target": "#results", "hx-push-url": "true", "hx-trigger": "change, submit"}
	for k, v := range attrs {
		if got := form.AttrOr(k, ""); got != v {
			t.Errorf("form %s = %q, want %q", k, got, v)
		}
	}
	if form.Find(`[name="token"]`).Length() != 0 {
		t.Error("the filter form sends a page token; a changed filter must start at page 1")
	}
	values := map[string]string{
		`input[type="hidden"][name="region"]`:    "cn-hangzhou",
		`input[name="vpc"]`:                      "vpc-bp1vpc0001",
		`input[name="ip"]`:                       "10.0.0.1,10.0.0.2",
		`input[name="q"]`:                        "",
		`select[name="type"] option[selected]`:   "Primary",
		`select[name="size"] option[selected]`:   "100",
		`select[name="status"] option[selected]`: "",
	}
	for sel, want := range values {
		if got := form.Find(sel).AttrOr("value", "<missing>"); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	var tags []string
	form.Find(`input[name="tag"]`).Each(func(_ int, in *goquery.Selection) { tags = append(tags, in.AttrOr("value", "")) })
	if want := []string{"env:prod", "pci", ""}; !slices.Equal(tags, want) {
		t.Errorf("tag inputs = %q, want one per tag and an empty one: %q", tags, want)
	}
	vpc := form.Find(`input[name="vpc"]`)
	opts := form.Find("datalist#" + vpc.AttrOr("list", "") + " option")
	if opts.Length() != 1 || opts.AttrOr("value", "") != "vpc-bp1vpc0001" || opts.AttrOr("label", "") != "prod · 10.0.0.0/8" {
		t.Errorf("VPC picker offers value=%q label=%q", opts.AttrOr("value", ""), opts.AttrOr("label", ""))
	}
	if got := form.Find(`datalist#dl-vswitch option`).AttrOr("label", ""); got != "web · cn-hangzhou-h · 10.1.0.0/24 · 200 free" {
		t.Errorf("vSwitch picker label = %q", got)
	}
	if got := form.Find(`input[name="q"]`).AttrOr("placeholder", ""); !strings.Contains(got, "IPv6") || !strings.Contains(got, "key=value") {
		t.Errorf("search placeholder %q does not say what it understands", got)
	}
	// The default page size is sent as nothing, as the canonical URL has it.
	if got := form.Find(`select[name="size"] option`).FilterFunction(func(_ int, o *goquery.Selection) bool { return text(o) == "20 per page" }).AttrOr("value", "x"); got != "" {
		t.Errorf("default page size option value = %q, want empty", got)
	}
	if clear := form.Find("a").FilterFunction(func(_ int, a *goquery.Selection) bool { return text(a) == "Clear" }); clear.AttrOr("href", "") != "/enis?region=cn-hangzhou" {
		t.Errorf("Clear links to %q", clear.AttrOr("href", ""))
	}
}

func TestListResultsIsAFragment(t *testing.T) {
	html := renderHTML(t, ListResults(sampleList()))
	if strings.Contains(html, "<html") || strings.Contains(html, "<head") || strings.Contains(html, "<header") {
		t.Error("the htmx fragment carries the page frame")
	}
	doc := parse(t, html)
	if doc.Find("body > *").Length() != 1 || doc.Find("body > div#results").Length() != 1 {
		t.Error("the fragment is not a single #results element")
	}
	if doc.Find("#results form#filters").Length() != 1 {
		t.Error("the fragment lacks the filter form, which must follow the view")
	}
}
