package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// ageSays is true once the age line is in the state given ("live" or
// "age") and its words start with text.
func ageSays(state, text string) string {
	return `(() => { const l = document.querySelector('#snapshot-age'); if (!l) return false;
		const dot = l.querySelector('[data-live-dot]');
		return l.dataset.freshness === ` + jsString(state) + ` && dot.hidden === (` + jsString(state) + ` !== "live") &&
			l.querySelector('[data-age-text]').textContent.startsWith(` + jsString(text) + `) })()`
}

// pagesSay is true once the page-number bar says text.
func pagesSay(text string) string {
	return `(() => { const s = document.querySelector('#pager [data-pages]');
		return !!s && s.innerText.replace(/\s+/g, " ").trim() === ` + jsString(text) + ` })()`
}

// TestJourneyListSaysHowFreshItIs: a list page kept open says "live"
// while its stream is open and healthy, and how old its snapshot is once
// the region's listing fails, the tab is hidden or the session ends; its
// page numbers follow a deletion that removes the last page.
func TestJourneyListSaysHowFreshItIs(t *testing.T) {
	// Streams check their session at each heartbeat: a short one ends
	// the stream soon after the session does.
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: 100 * time.Millisecond})
	inst := env.Instance(t, "web-prod-01")
	var created []string
	for i := range 21 {
		created = append(created, env.CreateBeside(t, inst, fmt.Sprintf("fresh-%02d", i)))
	}
	env.Warm(t, "cn-hangzhou")
	ctx := webtest.Browser(t)
	env.SignInBrowser(t, ctx, webtest.Viewer)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/enis?region=cn-hangzhou&q=fresh-&size=20"),
		chromedp.WaitVisible(chromedp.CSS("#eni-rows tr"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the live stream to open", liveOpen)
	waitJS(t, ctx, "the age line to say live", ageSays("live", "live")+
		` && document.querySelector('#snapshot-age').title.startsWith("Last complete listing: ")`)
	waitJS(t, ctx, "Refresh now beside it", `!!document.querySelector('#snapshot [data-refresh]')`)
	waitJS(t, ctx, "two pages", pagesSay("Page 1 of 2"))

	// Another tool deletes the ENI alone on page 2: nothing on page 1
	// changes, yet its page numbers and total follow.
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#eni-rows tr[id^="row-"]')].map(r => r.id.slice(4))`))
	if err != nil {
		t.Fatal(err)
	}
	var second string
	for _, id := range created {
		if !slices.Contains(shown, id) {
			second = id
		}
	}
	if len(shown) != 20 || second == "" {
		t.Fatalf("page 1 shows %d of the 21 ENIs; none left for page 2", len(shown))
	}
	if _, err := env.Cloud.DeleteENI(context.Background(), "cn-hangzhou", second); err != nil {
		t.Fatal(err)
	}
	env.Live.JustActed("cn-hangzhou", []string{second}, false)
	waitJS(t, ctx, "one page left", pagesSay("Page 1 of 1")+` && !document.querySelector('#pager a[data-page-number]')`)
	waitJS(t, ctx, "the total down to 20", viewTotal+` === 20`)

	// The region's listings are throttled: the banner shows, and the line
	// says how old the snapshot is; once the cloud answers again, live.
	env.Emulator.SetFaults(ecsemu.Faults{ThrottleRate: 1})
	waitJS(t, ctx, "the degraded banner", `!!document.querySelector('#live-status [data-banner="live-degraded"]')`)
	waitJS(t, ctx, "an age while degraded", ageSays("age", "as of "))
	env.Emulator.SetFaults(ecsemu.Faults{})
	waitJS(t, ctx, "live once the cloud answers", ageSays("live", "live"))

	// A hidden tab gives its stream back and says the age of the snapshot
	// it knows, by the server's clock; shown again, live.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const l = document.querySelector('#snapshot-age');
		l.setAttribute('data-as-of', new Date(Date.parse(l.dataset.now) - 180000).toISOString()); return true })()`)); err != nil {
		t.Fatal(err)
	}
	setHidden(t, ctx, true)
	waitJS(t, ctx, "the age while hidden", ageSays("age", "as of 3 min ago"))
	setHidden(t, ctx, false)
	waitJS(t, ctx, "live when shown again", liveOpen+` && `+ageSays("live", "live"))

	// An admin disables the viewer: the stream ends, the line says the age.
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
	waitJS(t, ctx, "the signed-out banner", `!!document.querySelector('#live-status [data-banner="live-signed-out"]')`)
	waitJS(t, ctx, "the age once the session ended", ageSays("age", "as of "))
}
