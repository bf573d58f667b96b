package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// The server's own route table, so a route added later is covered too.
type route struct{ method, path string }

func allRoutes(t *testing.T, env *webtest.Env, id string) []route {
	t.Helper()
	// The public routes, and the ones with a body of their own kind.
	skip := map[string]bool{"/static/*": true, "/healthz": true, "/metrics": true, "/login": true}
	var out []route
	for _, r := range webtest.Routes(env) {
		if skip[r.Path] || r.Method != http.MethodGet && r.Method != http.MethodPost {
			continue
		}
		p := strings.NewReplacer(":id", id, ":name", webtest.Viewer).Replace(r.Path)
		out = append(out, route{r.Method, p})
	}
	if len(out) < 20 {
		t.Fatalf("only %d routes found; the table is not being read", len(out))
	}
	return out
}

func do(t *testing.T, c *http.Client, method, u string, form url.Values, header ...string) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c == nil {
		c = webtest.ClientFor("")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// Anonymous requests never reach a page or an action: pages redirect to
// sign-in, htmx requests and the event stream get 401, posts go to
// sign-in (once past the CSRF check).
func TestEveryRouteNeedsSignIn(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	id := firstOf(t, env, eni.StatusAvailable)
	for _, r := range allRoutes(t, env, id) {
		u := env.URL + r.path + "?region=cn-hangzhou"
		if r.path == "/events" {
			// A stream, not a page: refused, never redirected.
			if res := do(t, nil, r.method, u, nil); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous /events: %d, want 401", res.StatusCode)
			}
			continue
		}
		if r.method == http.MethodGet {
			res := do(t, nil, r.method, u, nil)
			if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
				t.Errorf("anonymous GET %s: %d %q, want a redirect to sign-in", r.path, res.StatusCode, res.Header.Get("Location"))
			}
			if res := do(t, nil, r.method, u, nil, "HX-Request", "true"); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous htmx GET %s: %d, want 401", r.path, res.StatusCode)
			}
			continue
		}
		res := do(t, nil, r.method, u, url.Values{"region": {"cn-hangzhou"}}, "Sec-Fetch-Site", "same-origin")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("anonymous POST %s: %d %q, want a redirect to sign-in", r.path, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// A viewer reads but every change is refused on the server, whatever the
// page offered; the cloud is not called.
func TestViewerCannotAct(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	viewer := env.SignIn(t, webtest.Viewer)
	id := firstOf(t, env, eni.StatusAvailable)
	for _, r := range allRoutes(t, env, id) {
		// Refresh now re-lists a view: a read, which viewers may do.
		if r.method != http.MethodPost || r.path == "/logout" || r.path == "/account/password" || r.path == "/enis/refresh" {
			continue
		}
		form := url.Values{"region": {"cn-hangzhou"}, "instance": {"i-bp1z8o24466g1w2v9h6j"}, "action": {"delete"},
			"id": {id}, "confirm": {"yes"}, "vswitch": {"vsw-bp1ppphylstce0a7lobr"}, "role": {"admin"}}
		if res := do(t, viewer, r.method, env.URL+r.path, form, "Sec-Fetch-Site", "same-origin"); res.StatusCode != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d, want 403", r.path, res.StatusCode)
		}
	}
	if got := mustGet(t, env, id); got.Status != eni.StatusAvailable {
		t.Fatalf("a viewer's request changed %s to %s", id, got.Status)
	}
	// And the pages offer them nothing to press.
	page := fetch(t, viewer, env.URL+"/enis?region=cn-hangzhou")
	if n := page.Find(`[data-action]:not([data-action="logout"]), #bulk-form, input.row-select`).Length(); n != 0 {
		t.Errorf("the list offers a viewer %d action controls", n)
	}
	if n := fetch(t, viewer, env.URL+"/enis/"+id+"?region=cn-hangzhou").Find(`[data-action]:not([data-action="back"]):not([data-action="logout"])`).Length(); n != 0 {
		t.Errorf("the detail page offers a viewer %d action controls", n)
	}
}

// A state-changing request from another site, or without the token, is
// refused with 403 before anything else looks at it.
func TestCrossSitePostRefused(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	id := firstOf(t, env, eni.StatusAvailable)
	u := env.URL + "/enis/" + id + "/delete"
	form := url.Values{"region": {"cn-hangzhou"}}
	for name, header := range map[string][]string{
		"cross-site":          {"Sec-Fetch-Site", "cross-site"},
		"no token, no header": nil,
		"wrong token":         {"X-CSRF-Token", "not-the-token"},
	} {
		if res := do(t, env.Client, http.MethodPost, u, form, header...); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, res.StatusCode)
		}
	}
	if got := mustGet(t, env, id); got.Status != eni.StatusAvailable {
		t.Fatalf("a refused request changed %s to %s", id, got.Status)
	}
}

var reInlineHandler = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)

// Every page carries the strict CSP, and no page has inline script: every
// script element has a src, no element has an on* handler.
func TestEveryPageStrictCSPNoInlineScript(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	admin := env.SignIn(t, webtest.Admin)
	id := firstOf(t, env, eni.StatusAvailable)
	pages := []string{"/login"}
	for _, r := range allRoutes(t, env, id) {
		if r.method == http.MethodGet && !strings.HasSuffix(r.path, ".csv") && !strings.HasSuffix(r.path, ".json") && r.path != "/events" {
			pages = append(pages, r.path)
		}
	}
	for _, p := range pages {
		req, _ := http.NewRequest(http.MethodGet, env.URL+p+"?region=cn-hangzhou", nil)
		res, err := admin.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
			strings.Contains(csp, "unsafe-") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: nosniff %q, referrer policy %q", p, res.Header.Get("X-Content-Type-Options"), res.Header.Get("Referrer-Policy"))
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if src, ok := s.Attr("src"); !ok || !strings.HasPrefix(src, "/static/") || strings.TrimSpace(s.Text()) != "" {
				t.Errorf("%s: inline script %q", p, s.Text())
			}
		})
		if reInlineHandler.MatchString(string(body)) {
			t.Errorf("%s: an inline event handler: %s", p, reInlineHandler.FindString(string(body)))
		}
	}
}

// Text from the cloud is rendered inert wherever it appears.
func TestCloudTextRendersInert(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	hostile := `<script>alert(1)</script>" onmouseover="alert(2)`
	web1 := env.Instance(t, "web-prod-01")
	id := env.CreateBeside(t, web1, "inert")
	beside := mustGet(t, env, id)
	res, err := env.Cloud.CreateENI(context.Background(), eni.CreateRequest{Region: "cn-hangzhou",
		VSwitchID: beside.VSwitchID, SecurityGroupIDs: beside.SecurityGroups, Description: hostile})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"/enis/" + res.ENIID + "?region=cn-hangzhou", "/enis?region=cn-hangzhou&id=" + res.ENIID} {
		doc := fetch(t, env.Client, env.URL+u)
		if n := doc.Find("script:not([src])").Length(); n != 0 {
			t.Errorf("%s: %d script elements from cloud text", u, n)
		}
		if n := doc.Find("[onmouseover]").Length(); n != 0 {
			t.Errorf("%s: an onmouseover attribute from cloud text", u)
		}
	}
	if !strings.Contains(fetch(t, env.Client, env.URL+"/enis/"+res.ENIID+"?region=cn-hangzhou").Text(), hostile) {
		t.Error("the description is not shown as the text it is")
	}
}

func fetch(t *testing.T, c *http.Client, u string) *goquery.Document {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func mustGet(t *testing.T, env *webtest.Env, id string) eni.ENI {
	t.Helper()
	e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func firstOf(t *testing.T, env *webtest.Env, s eni.Status) string {
	t.Helper()
	p, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Status: s, Type: eni.TypeSecondary}})
	if err != nil || len(p.ENIs) == 0 {
		t.Fatalf("no %s ENI: %v", s, err)
	}
	return p.ENIs[0].ID
}
