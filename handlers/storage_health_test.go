package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/auth"
	"enidash/internal/database/dbtest"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// startCounting starts a dashboard whose emulator counts the ENI changes
// that reach it.
func startCounting(t *testing.T) (*webtest.Env, *atomic.Int32) {
	t.Helper()
	var changes atomic.Int32
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		switch apiAction(r) {
		case "AttachNetworkInterface", "DetachNetworkInterface", "DeleteNetworkInterface", "CreateNetworkInterface":
			changes.Add(1)
		}
		return false
	}})
	return env, &changes
}

// probe runs the storage probe, as its background loop does every few
// seconds.
func probe(t *testing.T, env *webtest.Env) {
	t.Helper()
	_ = env.Storage.Probe(context.Background())
}

func healthz(t *testing.T, env *webtest.Env) (int, string) {
	t.Helper()
	res, err := http.Get(env.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// signInAnswer posts the right password for user from a new browser.
func signInAnswer(t *testing.T, env *webtest.Env, user string) (*http.Client, int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/login",
		strings.NewReader(url.Values{"username": {user}, "password": {webtest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return c, res.StatusCode, string(b)
}

const signInUnavailable = "Sign-in is unavailable: the dashboard cannot write its records (database"

// On a full disk the dashboard says so on /healthz, refuses sign-in with
// a 503 page and refuses ENI changes without calling the cloud; once
// there is room again, everything works.
func TestFullStorageFailsClosed(t *testing.T) {
	env, changes := startCounting(t)
	web1 := env.Instance(t, "web-prod-01")
	e := newENI(t, env, web1, "on-full-disk")
	changes.Store(0) // the creation above, straight in the cloud

	dbtest.Full(t, env.DB)
	probe(t, env)
	if status, body := healthz(t, env); status != http.StatusServiceUnavailable || !strings.Contains(body, "database: unwritable: ") {
		t.Fatalf("/healthz on a full disk: %d %q", status, body)
	}
	if _, status, body := signInAnswer(t, env, webtest.Viewer); status != http.StatusServiceUnavailable || !strings.Contains(body, signInUnavailable) {
		t.Fatalf("sign-in on a full disk: %d, want 503 saying %q\n%s", status, signInUnavailable, body)
	}
	r := post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID}})
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.doc.Find("[data-failure]").Text(), "audit log could not record") {
		t.Fatalf("attach on a full disk: %d %q", r.status, r.doc.Find("[data-failure]").Text())
	}
	if n := changes.Load(); n != 0 {
		t.Fatalf("%d changes reached the cloud while the audit log could not be written", n)
	}
	if got := mustENI(t, env, e.ID); got.Status != eni.StatusAvailable {
		t.Fatalf("refused attach left %s %s", e.ID, got.Status)
	}
	// Reads go on, under a banner saying why nothing can be changed.
	list := get(t, env.URL+"/enis?region=cn-hangzhou")
	if rows := list.doc.Find("tr[data-status]").Length(); list.status != http.StatusOK || rows == 0 {
		t.Fatalf("list on a full disk: %d with %d rows, want the ENIs listed", list.status, rows)
	}
	if b := list.doc.Find(`[data-banner="storage-down"]`).Text(); !strings.Contains(b, "changes are refused") || !strings.Contains(b, "database: unwritable") {
		t.Fatalf("list on a full disk: banner %q, want one saying changes are refused and why", b)
	}

	dbtest.Heal(t, env.DB)
	probe(t, env)
	if status, body := healthz(t, env); status != http.StatusOK || body != "ok\n" {
		t.Fatalf("/healthz after room was made: %d %q", status, body)
	}
	if n := get(t, env.URL+"/enis?region=cn-hangzhou").doc.Find(`[data-banner="storage-down"]`).Length(); n != 0 {
		t.Fatal("the read-only banner stays after the database healed")
	}
	r = post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID}})
	if r.status != http.StatusSeeOther || changes.Load() != 1 {
		t.Fatalf("attach after healing: %d, %d cloud calls", r.status, changes.Load())
	}
	waitStatus(t, env, e.ID, eni.StatusInUse)
}

// Sign-out ends the session even when storage cannot record it: the
// cookie is cleared, a copy of it no longer works, then or after healing.
func TestSignOutWhileStorageUnwritable(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	c := env.SignIn(t, webtest.Viewer)
	base, _ := url.Parse(env.URL)
	copyJar, _ := cookiejar.New(nil)
	copyJar.SetCookies(base, c.Jar.Cookies(base))
	copied := &http.Client{Jar: copyJar, CheckRedirect: c.CheckRedirect}

	dbtest.ReadOnly(t, env.DB)
	probe(t, env)
	if _, status, body := signInAnswer(t, env, webtest.Operator); status != http.StatusServiceUnavailable || !strings.Contains(body, signInUnavailable) {
		t.Fatalf("sign-in on read-only storage: %d, want 503 saying %q\n%s", status, signInUnavailable, body)
	}
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cleared := false
	for _, ck := range res.Cookies() {
		cleared = cleared || ck.Name == auth.SessionCookie && ck.MaxAge < 0
	}
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != auth.LoginPath || !cleared {
		t.Fatalf("sign-out on read-only storage: %d to %q, cookie cleared %v", res.StatusCode, res.Header.Get("Location"), cleared)
	}
	stillIn := func(when string) {
		t.Helper()
		res, err := copied.Get(env.URL + "/enis?region=cn-hangzhou")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), auth.LoginPath) {
			t.Fatalf("a copy of the signed-out cookie %s: %d to %q", when, res.StatusCode, res.Header.Get("Location"))
		}
	}
	res, err = c.Get(env.URL + auth.LoginPath)
	if err != nil {
		t.Fatal(err)
	}
	login, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got := login.Find(`[data-flash="error"]`).Text(); !strings.Contains(got, "You have signed out of this browser, but the dashboard cannot write its records (database: ") {
		t.Fatalf("the sign-in page after signing out does not say the sign-out was not recorded: %q", got)
	}
	stillIn("while storage is read-only")

	dbtest.Heal(t, env.DB)
	probe(t, env)
	stillIn("after storage healed")
	if _, status, body := signInAnswer(t, env, webtest.Viewer); status != http.StatusSeeOther {
		t.Fatalf("sign-in after healing: %d\n%s", status, body)
	}
	stillIn("after signing in again")
}

// A database file deleted under the running dashboard is noticed within
// one probe: /healthz says so, changes are refused before the cloud is
// called, and the file is not silently created anew.
func TestLostDatabaseFileFailsClosed(t *testing.T) {
	env, changes := startCounting(t)
	web1 := env.Instance(t, "web-prod-01")
	e := newENI(t, env, web1, "on-lost-disk")
	changes.Store(0) // the creation above, straight in the cloud

	if err := os.Remove(env.DBPath); err != nil {
		t.Fatal(err)
	}
	probe(t, env)
	if status, body := healthz(t, env); status != http.StatusServiceUnavailable || !strings.Contains(body, "database: file replaced or deleted") {
		t.Fatalf("/healthz with the file deleted: %d %q", status, body)
	}
	r := post(t, actionPost(env, "delete", e.ID), url.Values{"region": {"cn-hangzhou"}})
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.doc.Find("[data-failure]").Text(), "audit log could not record") {
		t.Fatalf("delete with the file deleted: %d %q", r.status, r.doc.Find("[data-failure]").Text())
	}
	if n := changes.Load(); n != 0 {
		t.Fatalf("%d changes reached the cloud while the database file was gone", n)
	}
	if got := mustENI(t, env, e.ID); got.Status != eni.StatusAvailable {
		t.Fatalf("refused delete left %s %s", e.ID, got.Status)
	}
	if _, status, body := signInAnswer(t, env, webtest.Viewer); status != http.StatusServiceUnavailable || !strings.Contains(body, signInUnavailable) {
		t.Fatalf("sign-in with the file deleted: %d\n%s", status, body)
	}
	if _, err := os.Stat(env.DBPath); !os.IsNotExist(err) {
		t.Fatalf("the deleted database file was created again (%v)", err)
	}
}
