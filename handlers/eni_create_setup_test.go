package handlers_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"enidash/handlers"
	"enidash/internal/aliyun"
	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
	"enidash/internal/eni"
	"enidash/internal/lookup"
)

// createEnv serves the create form and the detail page on the emulator
// through the real SDK client. A request with X-Test-Role: viewer acts as
// a viewer; any other as an operator.
type createEnv struct {
	url   string
	emu   *ecsemu.Emulator
	cloud *aliyun.Client
	audit *audit.Memory
	vsws  []eni.VSwitch                // cn-hangzhou's
	vsw   map[string]eni.VSwitch       // cn-hangzhou's named ones, by name
	sg    map[string]eni.SecurityGroup // cn-hangzhou's, by name
}

const testRole = "X-Test-Role"

// plainClient shows redirects instead of following them.
var plainClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// startCreate starts an emulator and the create handlers over it; edit may
// change the handlers' dependencies (a shorter timeout, a wrapped cloud).
func startCreate(t *testing.T, edit func(*handlers.Deps)) *createEnv {
	t.Helper()
	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{})
	id, secret := emu.AccessKey()
	cloud, err := aliyun.New(aliyun.Config{Endpoint: endpoint, Protocol: "http", AccessKeyID: id, AccessKeySecret: secret,
		CallTimeout: 10 * time.Second, ReadAttempts: 1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	env := &createEnv{emu: emu, cloud: cloud, audit: audit.NewMemory(),
		vsw: map[string]eni.VSwitch{}, sg: map[string]eni.SecurityGroup{}}
	signIn := authtest.New(t, auth.Config{})
	deps := handlers.Deps{Cloud: cloud, Lookups: lookup.New(cloud, time.Minute), DefaultRegion: "cn-hangzhou", Audit: env.audit,
		Sessions: signIn.Service.Sessions(), Auth: signIn.Service}
	if edit != nil {
		edit(&deps)
	}
	h, err := handlers.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := auth.Identity{Username: "olga", Role: auth.RoleOperator, Method: "password"}
			if c.Request().Header.Get(testRole) == "viewer" {
				id = auth.Identity{Username: "vera", Role: auth.RoleViewer, Method: "password"}
			}
			ctx := handlers.WithCSRFToken(auth.WithIdentity(c.Request().Context(), id), "test-csrf-token")
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	})
	e.GET("/enis/new", h.NewENI)
	e.POST("/enis", h.CreateENI)
	e.GET("/enis/:id", h.ShowENI)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	env.url = srv.URL

	ctx := context.Background()
	vsws, err := cloud.VSwitches(ctx, "cn-hangzhou", "")
	if err != nil {
		t.Fatal(err)
	}
	env.vsws = vsws
	for _, v := range vsws {
		env.vsw[v.Name] = v
	}
	groups, err := cloud.SecurityGroups(ctx, "cn-hangzhou", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		env.sg[g.Name] = g
	}
	return env
}

// form is a valid create form on prod-app-h (10.0.0.0/18, with IPv6) and
// prod-web, with a fixed client token; set replaces keys (nil deletes).
func (env *createEnv) form(set map[string][]string) url.Values {
	v := url.Values{
		"_csrf":             {"test-csrf-token"},
		eni.FormRegion:      {"cn-hangzhou"},
		eni.FormZone:        {"cn-hangzhou-h"},
		eni.FormVSwitch:     {env.vsw["prod-app-h"].ID},
		eni.FormSG:          {env.sg["prod-web"].ID},
		eni.FormName:        {"created-by-test"},
		eni.FormClientToken: {"00112233445566778899aabbccddeeff"},
	}
	for k, vs := range set {
		if vs == nil {
			v.Del(k)
		} else {
			v[k] = vs
		}
	}
	return v
}

// enisNamed lists the region's ENIs with a name, straight from the cloud.
func (env *createEnv) enisNamed(t *testing.T, name string) []eni.ENI {
	t.Helper()
	p, err := env.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Name: name, Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return p.ENIs
}

// enisOn lists the ENIs of one vSwitch.
func (env *createEnv) enisOn(t *testing.T, vswID string) []eni.ENI {
	t.Helper()
	p, err := env.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", VSwitchID: vswID, Size: 500}})
	if err != nil {
		t.Fatal(err)
	}
	return p.ENIs
}

// submitted is what the browser would send if the rendered create form
// were submitted as it stands: the form's values as the page shows them.
func submitted(doc *goquery.Document) url.Values {
	v := url.Values{}
	doc.Find("#create-form input, #create-form select, #create-form textarea").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		if name == "" {
			return
		}
		switch goquery.NodeName(s) {
		case "input":
			if typ := s.AttrOr("type", "text"); (typ == "checkbox" || typ == "radio") && !s.Is("[checked]") {
				return
			}
			v.Add(name, s.AttrOr("value", "on"))
		case "select":
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			v.Add(name, opt.AttrOr("value", opt.Text()))
		case "textarea":
			v.Add(name, s.Text())
		}
	})
	return v
}

// keptValues reports the keys of sent whose values the re-rendered form
// does not hold. Security groups are a set; the region is the page's.
func keptValues(sent url.Values, doc *goquery.Document) []string {
	got := submitted(doc)
	var lost []string
	for k, vs := range sent {
		switch k {
		case "_csrf", eni.FormRegion:
			continue
		case eni.FormSG:
			want := strings.Fields(strings.ReplaceAll(strings.Join(vs, " "), ",", " "))
			have := got[k]
			slices.Sort(want)
			slices.Sort(have)
			if !slices.Equal(slices.Compact(want), slices.Compact(have)) {
				lost = append(lost, k)
			}
		case eni.FormDeleteOnRelease, eni.FormSourceDestCheck:
			if slices.Contains(vs, "true") != slices.Contains(got[k], "true") {
				lost = append(lost, k)
			}
		default:
			if strings.Join(vs, "\n") != strings.Join(got[k], "\n") {
				lost = append(lost, k+"="+strings.Join(got[k], "|"))
			}
		}
	}
	return lost
}

// fieldError is the text of the messages shown at a field.
func fieldError(doc *goquery.Document, key string) string {
	return doc.Find(`[data-field-error="` + key + `"]`).Text()
}

func viewer() []string { return []string{testRole, "viewer"} }

func htmx() []string { return []string{handlers.HeaderHXRequest, "true"} }
