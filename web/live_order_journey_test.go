package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// rowOrder is the IDs of the list's rows, top to bottom, comma separated.
const rowOrder = `Array.from(document.querySelectorAll('#eni-rows tr[id^="row-"]')).map(r => r.id.slice(4)).join(",")`

// TestJourneyLiveRowsMoveInOrder: a view sorted by name. Another tool
// renames ENIs; each row goes where its new name sorts, without a reload,
// and a ticked row stays ticked. While the pointer is over the table the
// row changes in place and moves only once the pointer leaves it.
func TestJourneyLiveRowsMoveInOrder(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	inst := env.Instance(t, "web-prod-01")
	b := env.CreateBeside(t, inst, "jmove-b")
	c := env.CreateBeside(t, inst, "jmove-c")
	d := env.CreateBeside(t, inst, "jmove-d")
	e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", b)
	if err != nil {
		t.Fatal(err)
	}
	env.Warm(t, "cn-hangzhou")
	view := env.URL + "/enis?region=cn-hangzhou&vswitch=" + e.VSwitchID + "&q=jmove&sort=name"

	br := webtest.Browser(t)
	env.SignInBrowser(t, br, webtest.Operator)
	if err := chromedp.Do(br, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#row-"+d))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, br, "the live stream to open", liveOpen)
	waitJS(t, br, "rows b, c, d", rowOrder+` === "`+strings.Join([]string{b, c, d}, ",")+`"`)
	if _, err := chromedp.Run(br, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	// Ticking c leaves the pointer over the table.
	click(t, br, `#row-`+c+` .row-select`)
	cTicked := `document.querySelector('#row-` + c + ` .row-select').checked`

	rename := func(id, name string) {
		t.Helper()
		if _, err := env.Cloud.ModifyENI(context.Background(), eni.ModifyRequest{Region: "cn-hangzhou", ID: id, Name: &name}); err != nil {
			t.Fatal(err)
		}
	}
	rename(d, "jmove-a")
	waitJS(t, br, "d renamed in its row", `document.querySelector('#row-`+d+`').innerText.includes("jmove-a")`)
	if order, err := chromedp.Run(br, chromedp.Evaluate[string](rowOrder)); err != nil || order != strings.Join([]string{b, c, d}, ",") {
		t.Fatalf("under the pointer the rows moved to %s (%v), want them in place", order, err)
	}
	if err := chromedp.Do(br, chromedp.MouseEvent(chromedp.MouseMoved, 2, 2)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, br, "d first once the pointer left", rowOrder+` === "`+strings.Join([]string{d, b, c}, ",")+`"`)
	waitJS(t, br, "c still ticked", cTicked)

	// With the pointer away, the next move is at once.
	rename(b, "jmove-e")
	waitJS(t, br, "b last", rowOrder+` === "`+strings.Join([]string{d, c, b}, ",")+`"`)
	waitJS(t, br, "b renamed in its row", `document.querySelector('#row-`+b+`').innerText.includes("jmove-e")`)
	waitJS(t, br, "c still ticked after the moves", cTicked+` && document.querySelectorAll('#eni-rows .row-select:checked').length === 1`)
	waitJS(t, br, "the page not reloaded", `window.notReloaded === true`)
}
