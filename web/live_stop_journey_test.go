package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"enidash/handlers"
	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// stoppedFor is true once the page's live status shows the banner
// (data-banner) holding text, and its stream is closed for good, with
// nothing left to retry.
func stoppedFor(banner, text string) string {
	return `(() => { const b = document.querySelector('#live-status [data-banner="` + banner + `"]');
		const live = document.querySelector('#live');
		const d = live && live['htmx-internal-data'];
		return !!b && b.innerText.includes(` + jsString(text) + `) && live.hasAttribute('data-live-stopped') &&
			!live.hasAttribute('sse-connect') && !!d && d.sseEventSource.readyState === 2 })()`
}

// TestJourneyLiveUpdatesStopWithAReason: a page whose stream the server
// refuses (the session holds too many) says so in a banner instead of
// retrying; a page whose session an admin ends says so too, with a link to
// sign in again.
func TestJourneyLiveUpdatesStopWithAReason(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: 100 * time.Millisecond,
		Streams: handlers.StreamCaps{PerSession: 1}})
	view := env.URL + "/enis?region=cn-hangzhou"
	ctx := webtest.Browser(t)
	env.SignInBrowser(t, ctx, webtest.Viewer)

	// Another tab of the same session holds its one stream; this one is on
	// a page without live updates meanwhile.
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/account/password"), chromedp.WaitVisible(chromedp.CSS("form"))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{env.URL}})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(env.URL)
	for _, c := range got.Cookies {
		jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value}})
	}
	tab := webtest.OpenSSE(t, &http.Client{Jar: jar}, env.URL+"/events?region=cn-hangzhou", "")
	if tab.Resp.StatusCode != http.StatusOK {
		t.Fatalf("the other tab's stream: %d", tab.Resp.StatusCode)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#eni-table"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the too-many banner", stoppedFor("live-stopped", "Too many live views open for your session (1): close some tabs"))

	// The other tab closes: a reload streams again.
	tab.Close()
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#eni-table"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the live stream to open", liveOpen)

	admin := env.SignIn(t, webtest.Admin)
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/admin/users/"+webtest.Viewer+"/disable", strings.NewReader(""))
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabling the viewer: %d", res.StatusCode)
	}
	waitJS(t, ctx, "the signed-out banner", stoppedFor("live-signed-out", "Your session has ended"))
	waitJS(t, ctx, "the sign-in link", `document.querySelector('#live-status a[data-action="sign-in"]').getAttribute('href').startsWith('/login?next=')`)
}
