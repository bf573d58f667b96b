package web_test

import (
	"context"
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
// one it deletes is removed with a note.
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

	click(t, actor, `#row-`+id+` a[data-action="attach"]`)
	click(t, actor, `#dialog [data-instance="`+inst.ID+`"] input[type="radio"]`)
	click(t, actor, `#dialog button[data-action="confirm"]`)
	waitJS(t, watcher, "Attaching in the other browser", rowStatus(id)+` === "Attaching"`)
	waitJS(t, watcher, "InUse in the other browser", rowStatus(id)+` === "InUse"`)
	waitJS(t, actor, "InUse in the acting browser", rowStatus(id)+` === "InUse"`)
	waitJS(t, watcher, "the instance in the row", `document.querySelector('#row-`+id+` [data-col="instance"]').innerText.includes("`+inst.ID+`")`)

	// Another tool creates an ENI in the view, then deletes it; a quiet view
	// is listed every Slow interval, so Deleting may pass unseen.
	other := env.CreateBeside(t, inst, "made-elsewhere")
	waitJS(t, watcher, "the new ENI in the other browser", `!!document.querySelector('#row-`+other+`')`)
	if _, err := env.Cloud.DeleteENI(context.Background(), "cn-hangzhou", other); err != nil {
		t.Fatal(err)
	}
	waitCloud(t, env, other, "")
	waitJS(t, watcher, "a note that it was deleted", `(() => { const r = document.querySelector('#row-`+other+`');
		return !!r && r.hasAttribute('data-gone') && r.innerText.includes('deleted') })()`)
	waitJS(t, watcher, "the page not reloaded", `window.notReloaded === true`)
	if e, _ := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id); e.Status != eni.StatusInUse {
		t.Fatalf("the cloud has %s %s", id, e.Status)
	}
}
