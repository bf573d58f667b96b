package handlers_test

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

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"enidash/handlers"
	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
	"enidash/internal/lookup"
	"enidash/web"
	"enidash/web/webtest"
)

// accountsServer serves the account pages behind the sign-in middleware,
// with a stand-in page at /enis. Users: admin, olga (operator), vera
// (viewer), all with authtest.Password. Loopback is a trusted proxy.
func accountsServer(t *testing.T, cfg auth.Config) (*httptest.Server, *authtest.Env) {
	t.Helper()
	if cfg.Proxies == nil {
		cfg.Proxies, _ = auth.ParseProxies("127.0.0.1, ::1")
	}
	env := authtest.New(t, cfg)
	env.AddUser(t, "admin", auth.RoleAdmin)
	env.AddUser(t, "olga", auth.RoleOperator)
	env.AddUser(t, "vera", auth.RoleViewer)
	h, err := handlers.New(handlers.Deps{Cloud: webtest.EmulatorCloud(t), Lookups: lookup.New(oneRegion{}, time.Minute), DefaultRegion: "cn-hangzhou",
		Logger: slog.New(slog.DiscardHandler), Audit: env.Audit, Sessions: env.Service.Sessions(), Auth: env.Service})
	if err != nil {
		t.Fatal(err)
	}
	acc := h.Accounts(env.Service)
	e := echo.New()
	e.Use(web.Authenticate(env.Service))
	e.GET("/login", acc.LoginForm)
	e.POST("/login", acc.Login)
	e.POST("/logout", acc.Logout)
	e.GET("/account/password", acc.PasswordForm)
	e.POST("/account/password", acc.ChangePassword)
	e.GET("/enis", func(c echo.Context) error {
		id, _ := auth.FromContext(c.Request().Context())
		return c.String(http.StatusOK, "list for "+id.Username)
	})
	// The users routes without RequireRole: the service refuses non-admins too.
	e.GET("/admin/users", acc.Users)
	e.POST("/admin/users", acc.AddUser)
	e.POST("/admin/users/:name/role", acc.SetUserRole)
	e.POST("/admin/users/:name/password", acc.ResetUserPassword)
	e.POST("/admin/users/:name/disable", acc.DisableUser)
	e.POST("/admin/users/:name/enable", acc.EnableUser)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv, env
}

// browser keeps its own cookies and shows redirects instead of following.
type browser struct {
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(t *testing.T, method, path string, form url.Values, header ...string) page {
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
	raw, _ := io.ReadAll(res.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return page{status: res.StatusCode, header: res.Header, body: string(raw), doc: doc}
}

func (b *browser) get(t *testing.T, path string) page {
	t.Helper()
	return b.do(t, http.MethodGet, path, nil)
}

func (b *browser) post(t *testing.T, path string, form url.Values) page {
	t.Helper()
	return b.do(t, http.MethodPost, path, form)
}

func (b *browser) signIn(t *testing.T, user string) {
	t.Helper()
	p := b.post(t, "/login", url.Values{"username": {user}, "password": {authtest.Password}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: %d\n%s", user, p.status, p.body)
	}
}

// fieldError is the message shown at a form field, "" if none.
func (p page) fieldError(field string) string {
	return strings.TrimSpace(p.doc.Find(`[data-field-error="` + field + `"]`).Text())
}

func TestLoginForm(t *testing.T) {
	srv, _ := accountsServer(t, auth.Config{})
	tests := []struct {
		name, path, next string
	}{
		{"no next", "/login", "/"},
		{"a view to come back to", "/login?next=" + url.QueryEscape("/enis?region=cn-hangzhou&status=InUse"), "/enis?region=cn-hangzhou&status=InUse"},
		{"another site is not a place to go back to", "/login?next=" + url.QueryEscape("https://evil.example/"), "/"},
		{"nor is //host", "/login?next=" + url.QueryEscape("//evil.example"), "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newBrowser(t, srv.URL).get(t, tt.path)
			if p.status != http.StatusOK {
				t.Fatalf("status %d", p.status)
			}
			form := p.doc.Find(`form[action="/login"][method="post"]`)
			if next, _ := form.Find(`input[name="next"]`).Attr("value"); next != tt.next {
				t.Fatalf("next field %q, want %q", next, tt.next)
			}
			for _, name := range []string{"username", "password", "_csrf"} {
				if form.Find(`input[name="`+name+`"]`).Length() != 1 {
					t.Fatalf("the form has no %s field", name)
				}
			}
			if p.header.Get("Cache-Control") != "no-store" {
				t.Fatalf("Cache-Control %q", p.header.Get("Cache-Control"))
			}
		})
	}
	t.Run("signed in already: straight on", func(t *testing.T) {
		b := newBrowser(t, srv.URL)
		b.signIn(t, "vera")
		p := b.get(t, "/login?next=%2Fenis%3Fregion%3Dcn-shanghai")
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/enis?region=cn-shanghai" {
			t.Fatalf("%d to %q", p.status, p.header.Get("Location"))
		}
	})
}

// usernameChars is the message at a typed name no account can have.
const usernameChars = "User names have only letters a-z, digits and . _ @ -"

func TestLogin(t *testing.T) {
	const next = "/enis?region=cn-hangzhou&status=InUse"
	tests := []struct {
		name, user, password string
		status               int
		location             string
		field, fieldMsg      string // a message at a field
		formMsg              string // a message about the whole form
	}{
		{"right password", "olga", authtest.Password, http.StatusSeeOther, next, "", "", ""},
		{"name in capitals", " OLGA ", authtest.Password, http.StatusSeeOther, next, "", "", ""},
		{"wrong password", "olga", "not the password", http.StatusUnauthorized, "", "", "", "Wrong user name or password."},
		{"unknown user", "nobody", authtest.Password, http.StatusUnauthorized, "", "", "", "Wrong user name or password."},
		{"no name", "", authtest.Password, http.StatusUnprocessableEntity, "", "username", "Enter your user name.", ""},
		{"no password", "olga", "", http.StatusUnprocessableEntity, "", "password", "Enter your password.", ""},
		{"disabled", "dis", authtest.Password, http.StatusForbidden, "", "", "", "This account is disabled; ask an admin to enable it."},
		// U+212A KELVIN SIGN lower-cases to k; it must not open kate's account.
		{"lookalike of a name", "\u212Aate", authtest.Password, http.StatusUnprocessableEntity, "", "username", usernameChars, ""},
		{"name too long", strings.Repeat("k", 65), authtest.Password, http.StatusUnprocessableEntity, "", "username", "User names have at most 64 characters.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, env := accountsServer(t, auth.Config{})
			env.AddUser(t, "dis", auth.RoleViewer)
			env.AddUser(t, "kate", auth.RoleAdmin)
			env.Store.SetDisabled(context.Background(), "dis", true)
			b := newBrowser(t, srv.URL)
			p := b.post(t, "/login", url.Values{"username": {tt.user}, "password": {tt.password}, "next": {next}})
			if p.status != tt.status || p.header.Get("Location") != tt.location {
				t.Fatalf("%d to %q, want %d to %q\n%s", p.status, p.header.Get("Location"), tt.status, tt.location, p.body)
			}
			if tt.status == http.StatusSeeOther {
				if got := b.get(t, "/enis"); got.body != "list for olga" {
					t.Fatalf("after sign-in: %d %q", got.status, got.body)
				}
				return
			}
			if tt.field != "" && p.fieldError(tt.field) != tt.fieldMsg {
				t.Fatalf("message at %s: %q, want %q", tt.field, p.fieldError(tt.field), tt.fieldMsg)
			}
			if got := strings.TrimSpace(p.doc.Find("[data-form-error]").Text()); got != tt.formMsg {
				t.Fatalf("form message %q, want %q", got, tt.formMsg)
			}
			if v, _ := p.doc.Find(`input[name="next"]`).Attr("value"); v != next {
				t.Fatalf("next lost: %q", v)
			}
			if v, _ := p.doc.Find(`input[name="username"]`).Attr("value"); v != strings.TrimSpace(tt.user) {
				t.Fatalf("typed name not kept: %q", v)
			}
			if tt.password != "" && strings.Contains(p.body, tt.password) {
				t.Fatal("the page repeats the password")
			}
			if got := b.get(t, "/enis"); got.status != http.StatusFound {
				t.Fatalf("not signed in, yet /enis answers %d", got.status)
			}
		})
	}
}

func TestLoginRateLimit(t *testing.T) {
	srv, _ := accountsServer(t, auth.Config{})
	b := newBrowser(t, srv.URL)
	for i := range 5 {
		if p := b.post(t, "/login", url.Values{"username": {"olga"}, "password": {"guess number " + string(rune('0'+i))}}); p.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, p.status)
		}
	}
	p := b.post(t, "/login", url.Values{"username": {"olga"}, "password": {authtest.Password}})
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
		t.Fatalf("sixth try: %d, Retry-After %q", p.status, p.header.Get("Retry-After"))
	}
	msg := strings.TrimSpace(p.doc.Find("[data-form-error]").Text())
	if !strings.HasPrefix(msg, "Too many failed sign-ins") || !strings.Contains(msg, "try again in 15 minutes") {
		t.Fatalf("message %q", msg)
	}
}

// The session cookie is Secure when a trusted proxy says the browser came
// over HTTPS, and HttpOnly and SameSite=Lax always.
func TestLoginCookieBehindTLSProxy(t *testing.T) {
	tests := []struct {
		name    string
		proxies string
		proto   string
		secure  bool
	}{
		{"plain HTTP", "127.0.0.1, ::1", "", false},
		{"trusted proxy with TLS", "127.0.0.1, ::1", "https", true},
		{"untrusted peer claiming TLS", "10.0.0.0/8", "https", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := auth.ParseProxies(tt.proxies)
			srv, _ := accountsServer(t, auth.Config{Proxies: p})
			res := newBrowser(t, srv.URL).do(t, http.MethodPost, "/login",
				url.Values{"username": {"vera"}, "password": {authtest.Password}}, "X-Forwarded-Proto", tt.proto)
			var c *http.Cookie
			for _, k := range (&http.Response{Header: res.header}).Cookies() {
				if k.Name == auth.SessionCookie {
					c = k
				}
			}
			if c == nil {
				t.Fatalf("no session cookie (%d)", res.status)
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.secure {
				t.Fatalf("cookie %s, want HttpOnly, SameSite=Lax, Secure=%v", c, tt.secure)
			}
		})
	}
}

func TestLogout(t *testing.T) {
	srv, _ := accountsServer(t, auth.Config{})
	b := newBrowser(t, srv.URL)
	b.signIn(t, "olga")
	p := b.post(t, "/logout", url.Values{})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/login" {
		t.Fatalf("sign-out: %d to %q", p.status, p.header.Get("Location"))
	}
	login := b.get(t, "/login")
	if got := strings.TrimSpace(login.doc.Find(`[data-flash="ok"]`).Text()); got != "You have signed out." {
		t.Fatalf("flash %q", got)
	}
	if got := b.get(t, "/enis"); got.status != http.StatusFound {
		t.Fatalf("after sign-out /enis answers %d", got.status)
	}
}
