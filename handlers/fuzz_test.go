package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// FuzzListENIs sends arbitrary queries to the list page, its htmx
// fragment and the exports: the answer may be a page, a redirect or a 4xx,
// never a 5xx or a panic.
func FuzzListENIs(f *testing.F) {
	for _, seed := range []string{
		"region=cn-hangzhou&vpc=vpc-bp1abcd&tag=a:b&token=dG9r",
		"id=eni-bp1aaaa,,eni-bp1bbbb&ipv6=::1&size=500",
		"tag==&tag=:&managed=TRUE&name=%00",
		"q=10.0.0.1&region=cn-shanghai",
		"q=%E2%80%AE&name=%3Cscript%3E",
		"region=cn-hangzhou&name=" + url.QueryEscape("web tier ü"),
		"token=AAAAAAAAAAAAAAAA&region=cn-beijing",
		"%zz=1",
	} {
		f.Add(seed)
	}
	env := webtest.Start(f, ecsemu.Config{})
	f.Fuzz(func(t *testing.T, q string) {
		for _, path := range []string{"/enis", "/enis.json"} {
			for _, hx := range []string{"", "true"} {
				u := env.URL + path + "?" + q
				r, err := http.NewRequest(http.MethodGet, u, nil)
				if err != nil {
					return // not a URL a browser could send
				}
				r.Header.Set("HX-Request", hx)
				res, err := noRedirect.Do(r)
				if err != nil {
					t.Fatalf("GET %s: %v", u, err)
				}
				res.Body.Close()
				if res.StatusCode >= 500 {
					t.Fatalf("GET %s (htmx %q): status %d", u, hx, res.StatusCode)
				}
			}
		}
	})
}

// FuzzActionForms posts arbitrary form bodies and path IDs to every action
// and to bulk, with and without htmx: the answer may be a page, a
// redirect or a 4xx, never a 5xx or a panic. The emulator refuses what
// slips through, so nothing is ever left half done.
func FuzzActionForms(f *testing.F) {
	for _, seed := range []struct{ id, body string }{
		{"eni-bp1aaaa1111", "region=cn-hangzhou&instance=i-bp1z8o24466g1w2v9h6j"},
		{"eni-bp1aaaa1111", "region=cn-hangzhou&instance=i-x&card_index=99"},
		{"new", "region=&back=//evil.example/"},
		{"eni-%00", "region=cn-hangzhou&back=/\\evil"},
		{"eni-bp1aaaa1111", "action=delete&id=eni-bp1aaaa1111&id=eni-bp1aaaa1111&confirm=yes"},
		{"x", "action=detach&id=" + url.QueryEscape("<script>") + "&region=cn-beijing"},
		{"eni-bp1aaaa1111", "%zz&&=="},
	} {
		f.Add(seed.id, seed.body)
	}
	env := webtest.Start(f, ecsemu.Config{})
	f.Fuzz(func(t *testing.T, id, body string) {
		for _, path := range []string{"/enis/" + url.PathEscape(id) + "/attach", "/enis/" + url.PathEscape(id) + "/detach",
			"/enis/" + url.PathEscape(id) + "/delete", "/enis/bulk"} {
			for _, hx := range []string{"", "true"} {
				r, err := http.NewRequest(http.MethodPost, env.URL+path, strings.NewReader(body))
				if err != nil {
					return
				}
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.Header.Set("Sec-Fetch-Site", "same-origin")
				r.Header.Set("HX-Request", hx)
				res, err := noRedirect.Do(r)
				if err != nil {
					t.Fatalf("POST %s: %v", path, err)
				}
				res.Body.Close()
				if res.StatusCode >= 500 {
					t.Fatalf("POST %s %q (htmx %q): status %d", path, body, hx, res.StatusCode)
				}
			}
		}
	})
}

// FuzzCreateENI posts arbitrary create forms, with and without htmx: the
// answer is a page, a redirect or a 4xx, never a 5xx or a panic; and a
// form whose name, description or tags hold a line break, a NUL or another
// control character is refused (422) before the cloud is called.
func FuzzCreateENI(f *testing.F) {
	env := webtest.Start(f, ecsemu.Config{})
	listed, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Size: 10}})
	if err != nil || len(listed.ENIs) == 0 {
		f.Fatalf("listing the demo account: %v", err)
	}
	some := listed.ENIs[0]
	valid := url.Values{"region": {"cn-hangzhou"}, "vswitch": {some.VSwitchID}, "sg": some.SecurityGroups,
		"name": {"fuzz-seed"}, "client_token": {"fuzz-seed-token"}}
	for _, seed := range []string{
		valid.Encode(),
		valid.Encode() + "&description=two%0Alines",
		valid.Encode() + "&tags=env%3Dprod%0Ateam%3Dn%00et",
		valid.Encode() + "&name=a%0Db",
		valid.Encode() + "&secondary_count=2&ipv6_count=1&prefix_count=1&traffic_mode=HighPerformance",
		"region=cn-hangzhou&vswitch=vsw-bp1nowhere&sg=sg-bp1nowhere&primary_ip=10.0.0.256",
		"region=&vswitch=&sg=&delete_on_release=maybe&queue_number=-1",
		"%zz&&==",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, hx := range []string{"", "true"} {
			r, err := http.NewRequest(http.MethodPost, env.URL+"/enis", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			r.Header.Set("HX-Request", hx)
			res, err := noRedirect.Do(r)
			if err != nil {
				t.Fatalf("POST /enis: %v", err)
			}
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Fatalf("POST /enis %q (htmx %q): status %d", body, hx, res.StatusCode)
			}
			if v, err := url.ParseQuery(body); err == nil && hasControlText(v) && res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("POST /enis %q (htmx %q): status %d, want 422 for control characters", body, hx, res.StatusCode)
			}
		}
	})
}

// hasControlText reports a control character (tab excepted) inside a
// single-valued name or description, or inside a line of the tags.
func hasControlText(v url.Values) bool {
	ctl := func(s string) bool {
		return strings.IndexFunc(s, func(c rune) bool { return c < 0x20 && c != '\t' }) >= 0
	}
	for _, k := range []string{"name", "description"} {
		if vs := v[k]; len(vs) == 1 && ctl(strings.TrimSpace(vs[0])) {
			return true
		}
	}
	for _, raw := range v["tags"] {
		for line := range strings.SplitSeq(raw, "\n") {
			if ctl(strings.TrimSpace(line)) {
				return true
			}
		}
	}
	return false
}
