package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// TestJourneyWithoutJavaScript uses the list with scripts switched off:
// the filter form and the pager are plain GET forms and links.
func TestJourneyWithoutJavaScript(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := webtest.Browser(t)
	noScript := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	if err := chromedp.Do(ctx, noScript); err != nil {
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
