package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// Without script, "Refresh choices" posts the form to /enis/new: the form
// comes back for the chosen zone with everything typed kept, nothing is
// created, and the CSRF token never lands in a URL.
func TestCreateFormRefreshWithoutScript(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	before := len(allENIs(t, env, "cn-hangzhou"))
	form := url.Values{"_csrf": {"token-not-for-urls"}, "region": {"cn-hangzhou"}, "zone": {"cn-hangzhou-h"},
		"name": {"typed-name"}, "client_token": {"tok-refresh-1"}}
	p := post(t, env.URL+"/enis/new", form)
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if v, _ := p.doc.Find(`input[name="name"]`).Attr("value"); v != "typed-name" {
		t.Errorf("name came back as %q", v)
	}
	if v, _ := p.doc.Find(`input[name="client_token"]`).Attr("value"); v != "tok-refresh-1" {
		t.Errorf("client token came back as %q", v)
	}
	if v, _ := p.doc.Find(`select[name="zone"] option[selected]`).Attr("value"); v != "cn-hangzhou-h" {
		t.Errorf("zone came back as %q", v)
	}
	if strings.Contains(p.body, "token-not-for-urls") && strings.Contains(p.body, "?_csrf=") {
		t.Error("the CSRF token was put in a URL")
	}
	if after := len(allENIs(t, env, "cn-hangzhou")); after != before {
		t.Fatalf("refreshing the form created %d ENIs", after-before)
	}
}
