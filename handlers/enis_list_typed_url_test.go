package handlers_test

import (
	"net/http"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// TestListHTMXRejectedViewShowsWhatWasTyped: a filter form htmx sends has
// every field, most empty. When the view is refused (400), the address bar
// shows what was typed in the canonical order, without the empty fields,
// instead of the raw request.
func TestListHTMXRejectedViewShowsWhatWasTyped(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	sent := "/enis?region=cn-hangzhou&q=&vpc=vpc-nope%21&vswitch=&sg=&instance=&type=&status=Sleeping&managed=&size=20&name=" +
		"&id=&ip=&pip=&ipv6=&rg=&tag=&tag=env%3Aprod"
	typed := "/enis?region=cn-hangzhou&vpc=vpc-nope%21&status=Sleeping&tag=env:prod"
	tests := []struct {
		name, current, header string
	}{
		{"from another view", "/enis?region=cn-hangzhou", "HX-Push-Url"},
		{"from the same address", typed, "HX-Replace-Url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := get(t, env.URL+sent, "HX-Request", "true", "HX-Current-URL", env.URL+tt.current)
			if p.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", p.status)
			}
			if got := p.header.Get(tt.header); got != typed {
				t.Errorf("%s %q, want %q", tt.header, got, typed)
			}
		})
	}
	t.Run("a search as typed", func(t *testing.T) {
		p := get(t, env.URL+"/enis?region=cn-hangzhou&q=web+prod&vpc=&status=Sleeping&name=",
			"HX-Request", "true", "HX-Current-URL", env.URL+"/enis?region=cn-hangzhou")
		if want := "/enis?region=cn-hangzhou&q=web+prod&status=Sleeping"; p.status != http.StatusBadRequest || p.header.Get("HX-Push-Url") != want {
			t.Errorf("status %d HX-Push-Url %q, want 400 and %q", p.status, p.header.Get("HX-Push-Url"), want)
		}
	})
}
