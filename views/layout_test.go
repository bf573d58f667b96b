package views

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"enidash/internal/eni"
)

// pages renders every page and fragment in the states a person can meet.
func pages(t *testing.T) map[string]*goquery.Document {
	hostile := sampleList()
	hostile.ENIs[0].Name = `<script>alert(1)</script>`
	hostile.ENIs[0].Tags = []eni.Tag{{Key: `" onmouseover="alert(1)`, Value: `<style>*{}</style>`}}
	raw := url.Values{eni.KeyRegion: {"cn-hangzhou"}, eni.KeyVPC: {`"><script>x</script>`}}
	f, errs := eni.ParseFilter(raw)
	invalid := sampleList()
	invalid.Filter, invalid.Errors, invalid.Raw = f, errs, raw
	cloud := sampleList()
	cloud.ENIs, cloud.CloudErr = nil, &eni.CloudError{Code: "InternalError", Message: `<img src=x onerror=alert(1)>`, RequestID: "R"}
	detail := detailPage()
	detail.ENI.Description = `<script>alert(1)</script>`
	comps := map[string]templ.Component{
		"list":         ListPageView(sampleList()),
		"list hostile": ListPageView(hostile),
		"list invalid": ListPageView(invalid),
		"list cloud":   ListPageView(cloud),
		"fragment":     ListResults(hostile),
		"detail":       DetailPageView(detail),
		"error":        ErrorPageView(ErrorPage{Chrome: chrome(), Status: 404, Heading: "<b>x</b>"}),
	}
	out := map[string]*goquery.Document{}
	for name, c := range comps {
		out[name] = render(t, c)
	}
	return out
}

// TestNoInlineCode holds every page to the strict CSP (script-src 'self';
// style-src 'self'): no inline script or style, no event handler
// attributes, no hx-on, no javascript: URLs.
func TestNoInlineCode(t *testing.T) {
	for name, doc := range pages(t) {
		t.Run(name, func(t *testing.T) {
			doc.Find("script").Each(func(_ int, s *goquery.Selection) {
				src, ok := s.Attr("src")
				if !ok || !strings.HasPrefix(src, "/static/") || strings.TrimSpace(s.Text()) != "" {
					t.Errorf("inline or foreign script: src=%q body=%q", src, s.Text())
				}
			})
			if n := doc.Find("style").Length(); n != 0 {
				t.Errorf("%d <style> elements", n)
			}
			doc.Find("*").Each(func(_ int, el *goquery.Selection) {
				for _, a := range el.Nodes[0].Attr {
					k := strings.ToLower(a.Key)
					switch {
					case k == "style", strings.HasPrefix(k, "on"), strings.HasPrefix(k, "hx-on"), strings.HasPrefix(k, "data-hx-on"):
						t.Errorf("<%s %s=%q>", el.Nodes[0].Data, a.Key, a.Val)
					case (k == "href" || k == "src" || k == "action" || strings.HasPrefix(k, "hx-get")) &&
						strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:"):
						t.Errorf("<%s %s=%q>", el.Nodes[0].Data, a.Key, a.Val)
					}
				}
			})
		})
	}
}

func TestLayout(t *testing.T) {
	doc := render(t, ListPageView(sampleList()))
	var cfg map[string]any
	if err := json.Unmarshal([]byte(doc.Find(`meta[name="htmx-config"]`).AttrOr("content", "")), &cfg); err != nil {
		t.Fatalf("htmx-config: %v", err)
	}
	for k, want := range map[string]any{"allowEval": false, "includeIndicatorStyles": false, "selfRequestsOnly": true, "historyCacheSize": 0.0} {
		if cfg[k] != want {
			t.Errorf("htmx-config %s = %v, want %v", k, cfg[k], want)
		}
	}
	var scripts []string
	doc.Find("head script").Each(func(_ int, s *goquery.Selection) {
		if _, deferred := s.Attr("defer"); !deferred {
			t.Errorf("script %s blocks parsing", s.AttrOr("src", ""))
		}
		scripts = append(scripts, s.AttrOr("src", ""))
	})
	// htmx first: the SSE extension and the scripts build on it; app.js
	// before live.js and stream.js, which use its helpers.
	if want := []string{"/static/vendor/htmx.min.js", "/static/vendor/sse.min.js", "/static/js/app.js", "/static/js/live.js",
		"/static/js/stream.js", "/static/js/keys.js", "/static/js/columns.js"}; !slices.Equal(scripts, want) {
		t.Errorf("scripts = %q, want %q", scripts, want)
	}
	if got := doc.Find(`link[rel="stylesheet"]`).AttrOr("href", ""); got != "/static/css/app.css" {
		t.Errorf("stylesheet = %q", got)
	}
	if got := text(doc.Find("header a").First()); got != "enidash" {
		t.Errorf("product name = %q", got)
	}
	if nav := doc.Find(`nav[aria-label="Main"] a[aria-current="page"]`); text(nav) != "ENIs" {
		t.Errorf("active nav entry = %q", text(nav))
	}
	sw := doc.Find("form#region-switcher")
	if sw.AttrOr("method", "") != "get" || sw.AttrOr("action", "") != "/enis" {
		t.Errorf("region switcher is not a GET form to /enis")
	}
	sel := sw.Find(`select[name="region"]`)
	if _, ok := sel.Attr("data-autosubmit"); !ok {
		t.Error("region select is not submitted on change")
	}
	var opts []string
	sel.Find("option").Each(func(_ int, o *goquery.Selection) { opts = append(opts, o.AttrOr("value", "")) })
	if want := []string{"cn-hangzhou", "cn-shanghai"}; !slices.Equal(opts, want) {
		t.Errorf("regions = %q", opts)
	}
	if got := sel.Find("option[selected]").AttrOr("value", ""); got != "cn-hangzhou" {
		t.Errorf("selected region = %q", got)
	}
	if got := text(sel.Find("option").First()); got != "cn-hangzhou · China (Hangzhou)" {
		t.Errorf("region option = %q", got)
	}
	if !strings.Contains(renderHTML(t, ListPageView(sampleList())), "<noscript><button") {
		t.Error("no submit button for browsers without script")
	}
	if doc.Find("#progress.htmx-indicator").Length() != 1 {
		t.Error("no loading indicator")
	}
	if got := doc.Find("form#filters").AttrOr("hx-indicator", ""); !strings.Contains(got, "#progress") {
		t.Errorf("filter form indicator = %q", got)
	}
}

func TestLayoutWithoutRegions(t *testing.T) {
	c := chrome()
	c.Regions = nil
	doc := render(t, ErrorPageView(ErrorPage{Chrome: c}))
	opts := doc.Find(`select[name="region"] option`)
	if opts.Length() != 1 || opts.AttrOr("value", "") != "cn-hangzhou" {
		t.Errorf("without the region list the switcher should keep the current region, got %d options", opts.Length())
	}
}

func TestRelTime(t *testing.T) {
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{10 * time.Second, "just now"},
		{time.Minute, "1 minute ago"},
		{59 * time.Minute, "59 minutes ago"},
		{3 * time.Hour, "3 hours ago"},
		{50 * time.Hour, "2 days ago"},
		{90 * 24 * time.Hour, "3 months ago"},
		{3 * 365 * 24 * time.Hour, "3 years ago"},
		{-2 * time.Hour, "in 2 hours"},
	}
	for _, tt := range tests {
		if got := relTime(testNow.Add(-tt.ago), testNow); got != tt.want {
			t.Errorf("relTime(-%v) = %q, want %q", tt.ago, got, tt.want)
		}
	}
}

// Anonymous visitors (the sign-in page, errors before sign-in) see no
// navigation, region switcher or user menu.
func TestLayoutAnonymous(t *testing.T) {
	c := chrome()
	c.User = ""
	doc := render(t, ErrorPageView(ErrorPage{Chrome: c}))
	if n := doc.Find(`nav, #region-switcher, [data-action="logout"]`).Length(); n != 0 {
		t.Fatalf("%d navigation elements shown to an anonymous visitor", n)
	}
	c.User = "otto"
	doc = render(t, ErrorPageView(ErrorPage{Chrome: c}))
	if doc.Find(`[data-user="otto"]`).Length() != 1 || doc.Find(`form[action="/logout"] input[name="_csrf"]`).Length() != 1 {
		t.Fatal("a signed-in user should see their name and a sign-out form with its CSRF token")
	}
}
