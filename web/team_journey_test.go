package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// TestJourneyTeam: an operator signs in through the form, deletes an ENI
// and finds the change in the audit log and on the ENI's page; a viewer
// signs in and is offered no action anywhere; signing out ends the session.
func TestJourneyTeam(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	id := env.CreateBeside(t, web1, "audited")

	ctx := webtest.Browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/enis?region=cn-hangzhou")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sign-in page", `location.pathname === "/login" && !!document.querySelector('input[name="password"]')`)
	env.SignInBrowser(t, ctx, webtest.Operator)

	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/enis?region=cn-hangzhou&id="+id)); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, `#row-`+id+` a[data-action="delete"]`)
	click(t, ctx, `#dialog button[data-action="confirm"]`)
	waitJS(t, ctx, "the row to show Deleting", rowStatus(id)+` === "Deleting"`)
	waitCloud(t, env, id, "")

	// The audit page, reached from the navigation, names who did it.
	click(t, ctx, `nav a[href="/audit"]`)
	waitJS(t, ctx, "the delete in the audit log",
		`Array.from(document.querySelectorAll('tr[data-outcome="ok"]')).some(r => r.innerText.includes("`+id+`") && r.innerText.includes("`+webtest.Operator+`") && r.innerText.includes("DeleteNetworkInterface"))`)

	// Sign out: the next page asks to sign in again.
	click(t, ctx, `button[data-action="logout"]`)
	waitJS(t, ctx, "the sign-in page after signing out", `location.pathname === "/login"`)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/audit")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "sign-in again", `location.pathname === "/login"`)

	// A viewer sees the ENIs and no action control.
	env.SignInBrowser(t, ctx, webtest.Viewer)
	avail := firstOf(t, env, eni.StatusAvailable)
	for _, u := range []string{"/enis?region=cn-hangzhou", "/enis/" + avail + "?region=cn-hangzhou"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+u)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "the page for the viewer", `!!document.querySelector('[data-user="`+webtest.Viewer+`"]')`)
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](
			`document.querySelectorAll('[data-action]:not([data-action="logout"]):not([data-action="back"]):not([data-action="retry"]), #bulk-form, .row-select').length`))
		if err != nil || n != 0 {
			t.Fatalf("%s offers a viewer %d action controls (%v)", u, n, err)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('nav a[href="/admin/users"]').length`)); n != 0 {
		t.Fatal("a viewer is offered user management")
	}
}
