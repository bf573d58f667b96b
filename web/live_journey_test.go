package web_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// liveOpen is true once the page's live stream is connected.
const liveOpen = `(() => { const el = document.querySelector('#live');
	const d = el && el['htmx-internal-data'];
	return !!(d && d.sseEventSource && d.sseEventSource.readyState === 1) })()`

// TestJourneyTwoBrowsersInStep: two separate browsers watch the same
// filtered view. One attaches an ENI; the other shows it Attaching, then
// InUse, without a reload. An ENI another tool creates appears in both;
// one it deletes is removed with a note. An ENI's page follows a detach
// made from the other browser.
func TestJourneyTwoBrowsersInStep(t *testing.T) {
	d := 1500 * time.Millisecond
	env := webtest.Start(t, ecsemu.Config{World: ecsemu.WorldConfig{AttachDelay: d, DetachDelay: d, DeleteDelay: d}})
	inst := env.Instance(t, "web-prod-01")
	id := env.CreateBeside(t, inst, "watched-by-two")
	e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id)
	if err != nil {
		t.Fatal(err)
	}
	view := env.URL + "/enis?region=cn-hangzhou&vswitch=" + e.VSwitchID + "&type=Secondary&size=100"

	actor, watcher := webtest.Browser(t), webtest.Browser(t)
	env.SignInBrowser(t, actor, webtest.Operator)
	env.SignInBrowser(t, watcher, webtest.Viewer)
	for _, ctx := range []context.Context{actor, watcher} {
		if err := chromedp.Do(ctx, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#row-"+id))); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "the live stream to open", liveOpen)
	}
	// Marks the watcher's page: a reload would lose it.
	if _, err := chromedp.Run(watcher, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	available, err := chromedp.Run(watcher, chromedp.Evaluate[int](facetCount("status", "Available")))
	if err != nil || available == 0 {
		t.Fatalf("the watcher's counts show %d Available (%v)", available, err)
	}
	inUse, err := chromedp.Run(watcher, chromedp.Evaluate[int](facetCount("status", "InUse")))
	if err != nil {
		t.Fatal(err)
	}
	total, err := chromedp.Run(watcher, chromedp.Evaluate[int](viewTotal))
	if err != nil {
		t.Fatal(err)
	}

	click(t, actor, `#row-`+id+` a[data-action="attach"]`)
	click(t, actor, `#dialog [data-instance="`+inst.ID+`"] input[type="radio"]`)
	click(t, actor, `#dialog button[data-action="confirm"]`)
	waitJS(t, watcher, "Attaching in the other browser", rowStatus(id)+` === "Attaching"`)
	waitJS(t, watcher, "InUse in the other browser", rowStatus(id)+` === "InUse"`)
	waitJS(t, actor, "InUse in the acting browser", rowStatus(id)+` === "InUse"`)
	waitJS(t, watcher, "the instance in the row", `document.querySelector('#row-`+id+` [data-col="instance"]').innerText.includes("`+inst.ID+`")`)
	// The counts above the table follow the rows.
	waitJS(t, watcher, "one more In use and one fewer Available in the counts", facetCount("status", "InUse")+` === `+
		strconv.Itoa(inUse+1)+` && `+facetCount("status", "Available")+` === `+strconv.Itoa(available-1))
	waitJS(t, actor, "the acting browser's counts too", facetCount("status", "InUse")+` === `+strconv.Itoa(inUse+1))

	// The watcher's tab is hidden: it gives its stream back. Meanwhile
	// another tool creates an ENI in the view; shown again, the tab
	// reconnects and catches up.
	setHidden(t, watcher, true)
	waitJS(t, watcher, "the hidden tab's stream closed", `!`+liveOpen)
	other := env.CreateBeside(t, inst, "made-elsewhere")
	// The actor's pointer is still over the table it clicked in: the new
	// ENI is announced rather than moving rows under it, and one click
	// fetches the view.
	waitJS(t, actor, "the announcement", `document.querySelector('#live-news').innerText.includes("1 new ENI in this view")`)
	click(t, actor, `#live-news [data-live-refresh]`)
	waitJS(t, actor, "the new ENI after the refresh", `!!document.querySelector('#row-`+other+`')`)
	if shown, err := chromedp.Run(watcher, chromedp.Evaluate[bool](`!!document.querySelector('#row-`+other+`')`)); err != nil || shown {
		t.Fatalf("the hidden tab got the new ENI (%t) or failed (%v)", shown, err)
	}
	setHidden(t, watcher, false)
	waitJS(t, watcher, "the stream open again", liveOpen)
	waitJS(t, watcher, "the new ENI once shown again", `!!document.querySelector('#row-`+other+`')`)
	waitJS(t, watcher, "the new ENI in the total", viewTotal+` === `+strconv.Itoa(total+1))

	// The other tool deletes it; a quiet view is listed every Slow
	// interval, so Deleting may pass unseen.
	if _, err := env.Cloud.DeleteENI(context.Background(), "cn-hangzhou", other); err != nil {
		t.Fatal(err)
	}
	waitCloud(t, env, other, "")
	waitJS(t, watcher, "a note that it was deleted", `(() => { const r = document.querySelector('#row-`+other+`');
		return !!r && r.hasAttribute('data-gone') && r.innerText.includes('deleted') })()`)
	waitJS(t, watcher, "the deleted ENI out of the total", viewTotal+` === `+strconv.Itoa(total))
	waitJS(t, watcher, "the page not reloaded", `window.notReloaded === true`)

	// The watcher opens the ENI's page; the operator detaches it from the
	// list. The page follows, its recent changes too.
	if err := chromedp.Do(watcher, chromedp.Navigate(env.URL+"/enis/"+id+"?region=cn-hangzhou"),
		chromedp.WaitVisible(chromedp.CSS("#eni-detail"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, watcher, "the ENI page's stream to open", liveOpen)
	click(t, actor, `#row-`+id+` a[data-action="detach"]`)
	click(t, actor, `#dialog button[data-action="confirm"]`)
	detailStatus := `document.querySelector('#eni-detail [data-status]').dataset.status`
	waitJS(t, watcher, "Detaching on the ENI's page", detailStatus+` === "Detaching"`)
	waitJS(t, watcher, "the detach in its recent changes", `document.querySelector('#eni-history').innerText.includes("eni.detach")`)
	waitJS(t, watcher, "Available on the ENI's page", detailStatus+` === "Available"`)
	waitJS(t, watcher, "no instance any more", `document.querySelector('#eni-detail').innerText.includes("not attached")`)
	waitCloud(t, env, id, eni.StatusAvailable)
}

// setHidden makes the page believe its tab was hidden or shown again.
func setHidden(t *testing.T, ctx context.Context, hidden bool) {
	t.Helper()
	js := `Object.defineProperty(document, "hidden", {configurable: true, get: () => ` + strconv.FormatBool(hidden) + `});
		document.dispatchEvent(new Event("visibilitychange")); true`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatal(err)
	}
}

// facetCount is the count the page shows by a facet's value (0 when it
// shows none).
func facetCount(facet, value string) string {
	return `(() => { const li = document.querySelector('#facets [data-facet="` + facet + `"][data-value="` + value + `"]');
		return li ? parseInt(li.dataset.count, 10) : 0 })()`
}

// viewTotal is the number of ENIs the page says its view holds.
const viewTotal = `parseInt(document.querySelector('#counts [data-total]').dataset.total, 10)`
