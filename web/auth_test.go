package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/handlers"
	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
	"enidash/internal/eni"
	"enidash/internal/lookup"
)

// oneRegion is a lookup source with one region and nothing in it.
type oneRegion struct{}

func (oneRegion) Regions(context.Context) ([]eni.Region, error) {
	return []eni.Region{{ID: "cn-hangzhou", Name: "China (Hangzhou)"}}, nil
}
func (oneRegion) VPCs(context.Context, string) ([]eni.VPC, error) { return nil, nil }
func (oneRegion) VSwitches(context.Context, string, string) ([]eni.VSwitch, error) {
	return nil, nil
}
func (oneRegion) SecurityGroups(context.Context, string, string) ([]eni.SecurityGroup, error) {
	return nil, nil
}
func (oneRegion) Instances(context.Context, string, string) ([]eni.Instance, error) { return nil, nil }

// authServer serves sign-in in front of a few stand-in routes, with the
// real error pages. Users: admin, olga (operator), vera (viewer).
func authServer(t *testing.T, cfg auth.Config) (*httptest.Server, *authtest.Env) {
	t.Helper()
	env := authtest.New(t, cfg)
	env.AddUser(t, "admin", auth.RoleAdmin)
	env.AddUser(t, "olga", auth.RoleOperator)
	env.AddUser(t, "vera", auth.RoleViewer)
	logger := slog.New(slog.DiscardHandler)
	h, err := handlers.New(handlers.Deps{Cloud: emulatorCloud(t), Lookups: lookup.New(oneRegion{}, time.Minute), DefaultRegion: "cn-hangzhou",
		Logger: logger, Audit: env.Audit, Sessions: env.Service.Sessions(), Auth: env.Service})
	if err != nil {
		t.Fatal(err)
	}
	acc := h.Accounts(env.Service)
	e := echo.New()
	e.HTTPErrorHandler = errorHandler(h, logger)
	e.Use(Authenticate(env.Service))
	whoami := func(c echo.Context) error {
		id, _ := auth.FromContext(c.Request().Context())
		return c.String(http.StatusOK, id.Username+" "+id.Role.String()+" "+id.Method)
	}
	e.GET("/login", acc.LoginForm)
	e.POST("/login", acc.Login)
	e.POST("/logout", acc.Logout)
	e.GET("/enis", whoami)
	e.GET("/events", whoami)
	e.GET("/healthz", h.Healthz)
	e.GET("/metrics", whoami)
	e.GET("/static/*", whoami)
	e.POST("/enis/:id/detach", whoami, RequireRole(auth.RoleOperator))
	e.GET("/admin/users", acc.Users, RequireRole(auth.RoleAdmin))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv, env
}

// browser is a client with its own cookies that shows redirects.
type browser struct {
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{base: base, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(t *testing.T, method, path string, form url.Values, header ...string) answer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, header: res.Header, body: string(out)}
}

func (b *browser) signIn(t *testing.T, user string) {
	t.Helper()
	a := b.do(t, http.MethodPost, "/login", url.Values{"username": {user}, "password": {authtest.Password}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: %d\n%s", user, a.status, a.body)
	}
}

func TestAuthenticateAnonymous(t *testing.T) {
	srv, _ := authServer(t, auth.Config{})
	tests := []struct {
		name     string
		method   string
		path     string
		header   []string
		status   int
		location string // Location or HX-Redirect
	}{
		{"page redirects to sign-in, coming back after", "GET", "/enis?region=cn-hangzhou&status=InUse", nil,
			http.StatusFound, "/login?next=%2Fenis%3Fregion%3Dcn-hangzhou%26status%3DInUse"},
		{"htmx gets 401 and where to sign in", "GET", "/enis?region=cn-hangzhou",
			[]string{"HX-Request", "true", "HX-Current-URL", "http://x/enis?region=cn-shanghai"},
			http.StatusUnauthorized, "/login?next=%2Fenis%3Fregion%3Dcn-shanghai"},
		{"event stream gets 401", "GET", "/events?region=cn-hangzhou", nil, http.StatusUnauthorized, ""},
		{"form post goes to sign-in", "POST", "/enis/eni-1/detach", nil, http.StatusSeeOther, "/login"},
		{"sign-in page is public", "GET", "/login", nil, http.StatusOK, ""},
		{"health is public", "GET", "/healthz", nil, http.StatusOK, ""},
		{"metrics are public", "GET", "/metrics", nil, http.StatusOK, ""},
		{"assets are public", "GET", "/static/css/app.css", nil, http.StatusOK, ""},
		{"admin page", "GET", "/admin/users", nil, http.StatusFound, "/login?next=%2Fadmin%2Fusers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newBrowser(t, srv.URL).do(t, tt.method, tt.path, nil, tt.header...)
			loc := a.header.Get("Location") + a.header.Get("HX-Redirect")
			if a.status != tt.status || loc != tt.location {
				t.Fatalf("%s %s: %d to %q, want %d to %q", tt.method, tt.path, a.status, loc, tt.status, tt.location)
			}
		})
	}
}

func TestRequireRole(t *testing.T) {
	srv, _ := authServer(t, auth.Config{})
	tests := []struct {
		user, method, path string
		status             int
	}{
		{"vera", "POST", "/enis/eni-1/detach", http.StatusForbidden},
		{"olga", "POST", "/enis/eni-1/detach", http.StatusOK},
		{"admin", "POST", "/enis/eni-1/detach", http.StatusOK},
		{"vera", "GET", "/enis", http.StatusOK},
		{"olga", "GET", "/admin/users", http.StatusForbidden},
		{"admin", "GET", "/admin/users", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.user+" "+tt.method+" "+tt.path, func(t *testing.T) {
			b := newBrowser(t, srv.URL)
			b.signIn(t, tt.user)
			a := b.do(t, tt.method, tt.path, url.Values{})
			if a.status != tt.status {
				t.Fatalf("%d, want %d\n%s", a.status, tt.status, a.body)
			}
			if tt.status == http.StatusForbidden && !strings.Contains(a.body, "this needs the") {
				t.Fatalf("403 page does not say what is missing:\n%s", a.body)
			}
		})
	}
}

// Sign-out ends the session everywhere: a copy of the cookie taken
// before no longer works.
func TestSignOutEndsCopiedCookie(t *testing.T) {
	srv, _ := authServer(t, auth.Config{})
	b := newBrowser(t, srv.URL)
	b.signIn(t, "olga")
	u, _ := url.Parse(srv.URL)
	thief := newBrowser(t, srv.URL)
	thief.c.Jar.SetCookies(u, b.c.Jar.Cookies(u))
	if a := thief.do(t, "GET", "/enis", nil); a.status != http.StatusOK || a.body != "olga operator password" {
		t.Fatalf("copied cookie before sign-out: %d %q", a.status, a.body)
	}
	if a := b.do(t, "POST", "/logout", url.Values{}); a.status != http.StatusSeeOther || a.header.Get("Location") != "/login" {
		t.Fatalf("sign-out: %d to %q", a.status, a.header.Get("Location"))
	}
	for name, br := range map[string]*browser{"signed-out browser": b, "copied cookie": thief} {
		if a := br.do(t, "GET", "/enis", nil); a.status != http.StatusFound || !strings.HasPrefix(a.header.Get("Location"), "/login") {
			t.Errorf("%s after sign-out: %d to %q", name, a.status, a.header.Get("Location"))
		}
	}
}

// An idle session ends; the sign-in page then says so.
func TestIdleSessionEnds(t *testing.T) {
	srv, env := authServer(t, auth.Config{IdleTimeout: time.Hour})
	b := newBrowser(t, srv.URL)
	b.signIn(t, "vera")
	env.Clock.Advance(59 * time.Minute)
	if a := b.do(t, "GET", "/enis", nil); a.status != http.StatusOK {
		t.Fatalf("within the idle timeout: %d", a.status)
	}
	env.Clock.Advance(59 * time.Minute) // idle counts from the last request
	if a := b.do(t, "GET", "/enis", nil); a.status != http.StatusOK {
		t.Fatalf("active session: %d", a.status)
	}
	env.Clock.Advance(61 * time.Minute)
	a := b.do(t, "GET", "/enis", nil)
	if a.status != http.StatusFound || a.header.Get("Location") != "/login?next=%2Fenis&ended=1" {
		t.Fatalf("idle session: %d to %q", a.status, a.header.Get("Location"))
	}
	if page := b.do(t, "GET", a.header.Get("Location"), nil); !strings.Contains(page.body, "Your session has ended") {
		t.Fatalf("sign-in page does not say why:\n%s", page.body)
	}
}

// The SSO header counts only from a trusted proxy, over HTTP too.
func TestTrustedHeaderOverHTTP(t *testing.T) {
	tests := []struct {
		name    string
		proxies string
		status  int
		body    string
	}{
		{"loopback trusted", "127.0.0.1", http.StatusOK, "dana@example.com viewer proxy"},
		{"loopback not trusted", "10.0.0.0/8", http.StatusFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := auth.ParseProxies(tt.proxies)
			if err != nil {
				t.Fatal(err)
			}
			srv, _ := authServer(t, auth.Config{Proxies: p, ProxyHeader: "X-Forwarded-Email"})
			a := newBrowser(t, srv.URL).do(t, "GET", "/enis", nil, "X-Forwarded-Email", "dana@example.com")
			if a.status != tt.status || (tt.body != "" && a.body != tt.body) {
				t.Fatalf("%d %q, want %d %q", a.status, a.body, tt.status, tt.body)
			}
		})
	}
}

// An htmx request whose session has ended is sent to sign in, told why.
func TestEndedSessionHTMX(t *testing.T) {
	srv, env := authServer(t, auth.Config{IdleTimeout: time.Hour})
	b := newBrowser(t, srv.URL)
	b.signIn(t, "vera")
	env.Clock.Advance(2 * time.Hour)
	a := b.do(t, "GET", "/enis?region=cn-hangzhou", nil, "HX-Request", "true", "HX-Current-URL", srv.URL+"/enis?region=cn-hangzhou")
	if a.status != http.StatusUnauthorized || a.header.Get("HX-Redirect") != "/login?next=%2Fenis%3Fregion%3Dcn-hangzhou&ended=1" {
		t.Fatalf("%d, HX-Redirect %q", a.status, a.header.Get("HX-Redirect"))
	}
}
