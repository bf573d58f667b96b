package web_test

import (
	"net/http"
	"testing"

	"enidash/internal/auth"
	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// The CSRF cookie is Secure whenever the session cookie is: over TLS, or
// behind a trusted proxy that says the browser used HTTPS. Plain HTTP on
// loopback (the demo) keeps it usable. Probes of /healthz and /metrics
// get no cookie at all.
func TestCSRFCookieSecureBehindTLSProxy(t *testing.T) {
	proxies, err := auth.ParseProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Auth: auth.Config{Proxies: proxies}})
	csrfCookie := func(path string, header ...string) *http.Cookie {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, env.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		for _, c := range res.Cookies() {
			if c.Name == "_csrf" {
				return c
			}
		}
		return nil
	}
	if c := csrfCookie("/login", "X-Forwarded-Proto", "https"); c == nil || !c.Secure || !c.HttpOnly {
		t.Fatalf("behind a TLS proxy: _csrf cookie %+v, want Secure and HttpOnly", c)
	}
	if c := csrfCookie("/login"); c == nil || c.Secure {
		t.Fatalf("plain HTTP: _csrf cookie %+v, want one without Secure", c)
	}
	for _, probe := range []string{"/healthz", "/metrics"} {
		if c := csrfCookie(probe); c != nil {
			t.Errorf("%s sets a _csrf cookie: %+v", probe, c)
		}
	}
}
