package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// TestJourneyWithoutJavaScript uses the list with scripts switched off:
// the filter form and the pager are plain GET forms and links.
func TestJourneyWithoutJavaScript(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := webtest.Browser(t)
	if err := chromedp.Do(ctx, noScript()); err != nil {
		t.Fatal(err)
	}
	env.SignInBrowser(t, ctx, webtest.Operator)
	start := env.URL + "/enis?region=cn-hangzhou&size=10"
	if err := chromedp.Do(ctx, chromedp.Navigate(start), chromedp.WaitVisible(chromedp.CSS("#results"))); err != nil {
		t.Fatal(err)
	}
	htmxType, err := chromedp.Run(ctx, chromedp.Evaluate[string](`typeof window.htmx`))
	if err != nil {
		t.Fatal(err)
	}
	if htmxType != "undefined" {
		t.Fatalf("htmx is loaded (%s): scripts are not off, the test would prove nothing", htmxType)
	}

	// Next is a plain link.
	_, next := serverRows(t, start)
	want2, _ := serverRows(t, env.URL+next)
	navigateBy(t, ctx, chromedp.Click(chromedp.CSS(`a[rel="next"]`)))
	waitURL(t, ctx, env.URL+next)
	waitRows(t, ctx, want2)

	// Typing a name and pressing Enter submits the GET form; the server
	// redirects to the canonical view, on its first page.
	navigateBy(t, ctx, chromedp.SendKeys(chromedp.CSS(`#filters input[name="name"]`), "web1-frontend\n"))
	narrowed := env.URL + "/enis?region=cn-hangzhou&name=web1-frontend&size=10"
	waitURL(t, ctx, narrowed)
	want, _ := serverRows(t, narrowed)
	if len(want) != 1 {
		t.Fatalf("the demo account should have one ENI named web1-frontend, has %d", len(want))
	}
	waitRows(t, ctx, want)
}

// TestJourneyActionsWithoutJavaScript attaches and deletes an ENI with
// scripts switched off: each action is a plain link to its page and a
// plain form, answered by a redirect with the flash kept in the session.
func TestJourneyActionsWithoutJavaScript(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := webtest.Browser(t)
	if err := chromedp.Do(ctx, noScript()); err != nil {
		t.Fatal(err)
	}
	env.SignInBrowser(t, ctx, webtest.Operator)
	web1 := env.Instance(t, "web-prod-01")
	id := env.CreateBeside(t, web1, "no-script")
	view := env.URL + "/enis?region=cn-hangzhou&id=" + id
	if err := chromedp.Do(ctx, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#row-"+id))); err != nil {
		t.Fatal(err)
	}
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.htmx === "undefined"`)); !ok {
		t.Fatal("scripts are not off; the test would prove nothing")
	}

	// Attach: the link opens the picker page; its form posts and comes back.
	navigateBy(t, ctx, chromedp.Click(chromedp.CSS(`#row-`+id+` a[data-action="attach"]`)))
	waitJS(t, ctx, "the attach page", `location.pathname === "/enis/`+id+`/attach"`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-instance="`+web1.ID+`"] input[type="radio"]`))); err != nil {
		t.Fatal(err)
	}
	navigateBy(t, ctx, chromedp.Click(chromedp.CSS(`button[data-action="confirm"]`)))
	waitURL(t, ctx, view)
	waitJS(t, ctx, "the flash after the redirect", `document.querySelector('#flash').innerText.includes("Attaching `+id+`")`)
	waitCloud(t, env, id, eni.StatusInUse)

	// Detach, then delete, the same way.
	for _, step := range []struct {
		action string
		after  eni.Status
	}{{"detach", eni.StatusAvailable}, {"delete", ""}} {
		// The list answers from the snapshot, which follows the cloud a
		// moment later; without script the person reloads until it shows.
		reloadUntil(t, ctx, view, `!!document.querySelector('#row-`+id+` a[data-action="`+step.action+`"]')`)
		navigateBy(t, ctx, chromedp.Click(chromedp.CSS(`#row-`+id+` a[data-action="`+step.action+`"]`)))
		waitJS(t, ctx, "the "+step.action+" page", `location.pathname === "/enis/`+id+`/`+step.action+`"`)
		navigateBy(t, ctx, chromedp.Click(chromedp.CSS(`button[data-action="confirm"]`)))
		waitURL(t, ctx, view)
		waitCloud(t, env, id, step.after)
	}
	waitJS(t, ctx, "the delete's flash", `document.querySelector('#flash').innerText.includes("Deleting `+id+`")`)
}

// noScript switches the page's scripts off, as a browser without
// JavaScript would have it.
func noScript() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// reloadUntil loads u again until expr holds, as a person without script
// would press reload.
func reloadUntil(t *testing.T, ctx context.Context, u, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
			t.Fatal(err)
		}
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %s", u, expr)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
