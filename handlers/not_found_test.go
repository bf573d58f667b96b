package handlers_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// A 404 says what is missing: a handler's own sentence reaches the page;
// only an unknown address gets the generic "There is no page at …".
func TestNotFoundKeepsTheHandlersMessage(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	admin := env.SignIn(t, webtest.Admin)
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/admin/users/nosuchuser/disable", strings.NewReader(url.Values{}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "There is no user named nosuchuser.") {
		t.Fatalf("disabling an unknown user: %d, want a 404 saying so:\n%s", res.StatusCode, body)
	}
	if p := get(t, env.URL+"/no/such/page"); p.status != http.StatusNotFound || !strings.Contains(p.body, "There is no page at /no/such/page.") {
		t.Fatalf("unknown address: %d\n%s", p.status, p.body)
	}
}
