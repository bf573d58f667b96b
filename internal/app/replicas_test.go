package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/database/pgtest"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// wait bounds each wait for something another replica does; a guard
// against hanging, not a measure.
const wait = 20 * time.Second

// replicas starts n dashboards on one PostgreSQL database and one cloud,
// as behind a load balancer.
func replicas(t *testing.T, n int) ([]*webtest.Env, *ecsemu.Emulator) {
	t.Helper()
	db := pgtest.URL(t)
	cfg := ecsemu.Config{}
	cfg.World.AttachDelay, cfg.World.DetachDelay, cfg.World.DeleteDelay = time.Second, time.Second, time.Second
	emu := ecsemu.New(cfg)
	t.Cleanup(emu.Close)
	envs := make([]*webtest.Env, n)
	for i := range envs {
		envs[i] = webtest.StartWith(t, cfg, webtest.Options{DB: db, Replica: fmt.Sprintf("replica-%c", 'a'+i),
			Emulator: emu, Heartbeat: 200 * time.Millisecond})
	}
	return envs, emu
}

// do sends a request with c and returns the status and body.
func do(t *testing.T, c *http.Client, method, rawURL string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, rawURL, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// A session made on one replica is good on the other; signing out on one
// ends it on both, and a stream open on the other ends with it.
func TestReplicasShareSessions(t *testing.T) {
	envs, _ := replicas(t, 2)
	a, b := envs[0], envs[1]
	c := a.SignIn(t, webtest.Viewer)
	list := "/enis?region=cn-hangzhou"
	if st, body := do(t, c, http.MethodGet, b.URL+list, nil); st != http.StatusOK || !strings.Contains(body, "Elastic network interfaces") {
		t.Fatalf("replica B with A's session: %d", st)
	}
	stream := webtest.OpenSSE(t, c, b.URL+liveURL(t, c, b.URL+list), "")
	if stream.Resp.StatusCode != http.StatusOK {
		t.Fatalf("stream on B: %d", stream.Resp.StatusCode)
	}
	if st, _ := do(t, c, http.MethodPost, a.URL+"/logout", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("sign-out on A: %d", st)
	}
	// The cookie was cleared by A; a copy of it must be refused by B too.
	again := a.SignIn(t, webtest.Operator)
	copied := copyClient(t, again, a.URL)
	if st, _ := do(t, again, http.MethodPost, a.URL+"/logout", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("second sign-out on A: %d", st)
	}
	if st, _ := do(t, copied, http.MethodGet, b.URL+list, nil); st != http.StatusFound {
		t.Fatalf("B took a session signed out on A: %d, want a redirect to sign in", st)
	}
	// The viewer's stream on B ends with the session (a final event, then
	// the end of the stream).
	ev := stream.Next(t, wait, func(ev webtest.SSEEvent) bool { return ev.Event == "signedout" })
	if ev.Event != "signedout" {
		t.Fatalf("stream on B after sign-out on A: %+v", ev)
	}
}

// An attach made on replica A reaches a live stream on replica B without
// a reload, and B's audit log holds A's entries.
func TestReplicasShareLiveChangesAndAudit(t *testing.T) {
	envs, _ := replicas(t, 2)
	a, b := envs[0], envs[1]
	inst := a.Instance(t, "web-prod-01")
	id := a.CreateBeside(t, inst, "replicated")
	a.Warm(t, "cn-hangzhou")
	b.Warm(t, "cn-hangzhou")

	viewer := b.SignIn(t, webtest.Viewer)
	view := b.URL + "/enis?region=cn-hangzhou&q=replicated"
	s := webtest.OpenSSE(t, viewer, b.URL+liveURL(t, viewer, view), "")
	if s.Resp.StatusCode != http.StatusOK {
		t.Fatalf("stream on B: %d", s.Resp.StatusCode)
	}
	st, body := do(t, a.Client, http.MethodPost, a.URL+"/enis/"+id+"/attach",
		url.Values{"region": {"cn-hangzhou"}, "instance": {inst.ID}})
	if st != http.StatusSeeOther {
		t.Fatalf("attach on A: %d\n%s", st, body)
	}
	s.Next(t, wait, isRow(id, eni.StatusInUse))

	st, body = do(t, b.SignIn(t, webtest.Admin), http.MethodGet, b.URL+"/audit?eni="+id, nil)
	if st != http.StatusOK {
		t.Fatalf("audit on B: %d", st)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if got := doc.Find("main").Text(); !strings.Contains(got, "eni.attach") || !strings.Contains(got, webtest.Operator) {
		t.Fatalf("B's audit log lacks A's attach by %s:\n%s", webtest.Operator, strings.Join(strings.Fields(got), " "))
	}
}

// liveURL is the stream the page at rawURL opens.
func liveURL(t *testing.T, c *http.Client, rawURL string) string {
	t.Helper()
	st, body := do(t, c, http.MethodGet, rawURL, nil)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil || st != http.StatusOK {
		t.Fatalf("%s: %d %v", rawURL, st, err)
	}
	u, ok := doc.Find("[sse-connect]").Attr("sse-connect")
	if !ok {
		t.Fatalf("%s opens no live stream", rawURL)
	}
	return u
}

func isRow(id string, status eni.Status) func(webtest.SSEEvent) bool {
	return func(ev webtest.SSEEvent) bool {
		return ev.Event == "row" && strings.Contains(ev.Data, `id="row-`+id+`"`) &&
			strings.Contains(ev.Data, `data-status="`+string(status)+`"`)
	}
}

// copyClient is a second browser holding c's cookies for base.
func copyClient(t *testing.T, c *http.Client, base string) *http.Client {
	t.Helper()
	u, _ := url.Parse(base)
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(u, c.Jar.Cookies(u))
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
