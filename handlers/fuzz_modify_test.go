package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// FuzzModifyForms posts arbitrary bodies to the edit, addresses and tags
// forms of a real ENI, with and without htmx: the answer may be a page, a
// redirect or a 4xx, never a 5xx or a panic.
func FuzzModifyForms(f *testing.F) {
	for _, seed := range []string{
		"region=cn-hangzhou&name=ok-name&sg=sg-bp1aaaa&delete_on_release=true",
		"region=cn-hangzhou&name=%00&description=http://x&sg=,,&delete_on_release=maybe",
		"region=cn-hangzhou&name=ok-name&queue_number=99999999999999999999&source_dest_check=maybe",
		"region=cn-hangzhou&queue_number=-1&queue_number=4&source_dest_check=true&source_dest_check=%00",
		"region=cn-hangzhou&family=ipv4&op=assign&count=2",
		"region=cn-hangzhou&family=ipv6&op=assign&addresses=::1%0A::1",
		"region=cn-hangzhou&family=ipv4&op=unassign&addresses=10.0.0.1&count=-1",
		"region=cn-hangzhou&tags=a%3Db%0Aaliyun%3Dx%0A%3D",
		"region=cn-beijing&tags=" + url.QueryEscape(strings.Repeat("k=v\n", 30)),
		"%zz&&==",
	} {
		f.Add(seed)
	}
	env := webtest.Start(f, ecsemu.Config{})
	id := env.CreateBeside(f, env.Instance(f, "web-prod-01"), "fuzzed")
	f.Fuzz(func(t *testing.T, body string) {
		for _, form := range []string{"edit", "ips", "tags"} {
			for _, hx := range []string{"", "true"} {
				r, err := http.NewRequest(http.MethodPost, env.URL+"/enis/"+id+"/"+form, strings.NewReader(body))
				if err != nil {
					return
				}
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.Header.Set("Sec-Fetch-Site", "same-origin")
				r.Header.Set("HX-Request", hx)
				res, err := noRedirect.Do(r)
				if err != nil {
					t.Fatalf("POST %s: %v", form, err)
				}
				res.Body.Close()
				if res.StatusCode >= 500 {
					t.Fatalf("POST %s %q (htmx %q): status %d", form, body, hx, res.StatusCode)
				}
			}
		}
	})
}
