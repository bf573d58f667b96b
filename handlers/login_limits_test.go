package handlers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// Posts to /login past the limits are refused without growing the
// database: the audit log gets one entry per account or address saying
// the limit was reached, and /metrics counts every refusal.
func TestLoginFloodWritesNothing(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	b := newBrowser(t, env.URL)
	login := func(user string) int {
		return b.do(t, http.MethodPost, "/login", url.Values{"username": {user}, "password": {"a wrong password"}},
			"Sec-Fetch-Site", "same-origin").status
	}
	before := countSignIns(t, env.Audit)
	for range 5 {
		if st := login(webtest.Viewer); st != http.StatusUnauthorized {
			t.Fatalf("failure: %d", st)
		}
	}
	for i := range 15 { // the address reaches its 20 failures
		if st := login(fmt.Sprintf("guess%d", i)); st != http.StatusUnauthorized {
			t.Fatalf("failure: %d", st)
		}
	}
	const flood = 1000
	for i := range flood {
		user := webtest.Viewer // refused by the account's limit
		if i%2 == 1 {
			user = fmt.Sprintf("other%d", i) // by the address's
		}
		if st := login(user); st != http.StatusTooManyRequests {
			t.Fatalf("attempt %d past the limit: %d", i, st)
		}
	}
	if got, want := countSignIns(t, env.Audit)-before, 20+2; got != want {
		t.Fatalf("%d sign-in entries written, want %d (20 failures, the limit reached once for the account and once for the address)", got, want)
	}
	res, err := http.Get(env.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if want := fmt.Sprintf("\nenidash_signin_rate_limited_total %d\n", flood); !strings.Contains(string(body), want) {
		t.Fatalf("/metrics lacks %q", strings.TrimSpace(want))
	}
}

func countSignIns(t *testing.T, log audit.Log) int {
	t.Helper()
	page, err := log.Query(context.Background(), audit.Query{Action: audit.ActionSignIn, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Entries)
}

// Signing in gives the browser a new CSRF token: the one it had before
// (which a page of an attacker might have learnt) no longer works, the new
// one does.
func TestLoginRotatesCSRFToken(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	b := newBrowser(t, env.URL)
	form := b.get(t, "/login")
	old, _ := form.doc.Find(`form[action="/login"] input[name="_csrf"]`).Attr("value")
	if old == "" {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", form.body)
	}
	// No Sec-Fetch-Site: the token is what is checked.
	in := b.post(t, "/login", url.Values{"username": {webtest.Viewer}, "password": {webtest.Password}, "_csrf": {old},
		"next": {"/account/password"}})
	if in.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d\n%s", in.status, in.body)
	}
	next := b.get(t, in.header.Get("Location"))
	fresh, _ := next.doc.Find(`form[action="/logout"] input[name="_csrf"]`).Attr("value")
	if next.status != http.StatusOK || fresh == "" {
		t.Fatalf("page after sign-in: %d, CSRF token %q", next.status, fresh)
	}
	if fresh == old {
		t.Fatal("the CSRF token is the same after sign-in")
	}
	if p := b.post(t, "/logout", url.Values{"_csrf": {old}}); p.status != http.StatusForbidden {
		t.Fatalf("sign-out with the token from before sign-in: %d, want 403", p.status)
	}
	if p := b.post(t, "/logout", url.Values{"_csrf": {fresh}}); p.status != http.StatusSeeOther || p.header.Get("Location") != "/login" {
		t.Fatalf("sign-out with the new token: %d to %q", p.status, p.header.Get("Location"))
	}
}
