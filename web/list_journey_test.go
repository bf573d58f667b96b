package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// TestJourneyOperatorList is an operator's list page over the region's
// inventory, in one browser and then a second, fresh one: the default
// columns fit a 1,440 px window and the chooser's choice is remembered;
// search by part of a name, sort newest first, page 3 opened from a
// bookmark elsewhere shows the same rows, and a change another client
// makes appears in the view by itself.
func TestJourneyOperatorList(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	for i := range 25 {
		env.CreateBeside(t, web1, fmt.Sprintf("payments-worker-%02d", i))
	}
	env.Warm(t, "cn-hangzhou")
	ctx := webtest.Browser(t)
	env.SignInBrowser(t, ctx, webtest.Operator)
	start := env.URL + "/enis?region=cn-hangzhou&size=100"
	if err := chromedp.Do(ctx, chromedp.Navigate(start), chromedp.WaitVisible(chromedp.CSS("#eni-rows tr"))); err != nil {
		t.Fatal(err)
	}

	t.Run("columns", func(t *testing.T) {
		fits := `(() => { const box = document.querySelector('#eni-table').parentElement;
			return box.scrollWidth <= box.clientWidth && document.documentElement.scrollWidth <= window.innerWidth })()`
		waitJS(t, ctx, "the table within 1,440 px", `window.innerWidth === 1440 && !document.querySelector('#column-chooser').hidden && `+fits)
		waitJS(t, ctx, "MAC hidden by default", `document.querySelector('th[data-col="mac"]').hidden &&
			[...document.querySelectorAll('td[data-col="mac"]')].every(td => td.hidden)`)
		click(t, ctx, `#column-chooser summary`)
		click(t, ctx, `#column-chooser input[data-column="mac"]`)
		click(t, ctx, `#column-chooser input[data-column="type"]`)
		if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#eni-rows tr"))); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "the choice kept across a reload", `!document.querySelector('th[data-col="mac"]').hidden &&
			[...document.querySelectorAll('td[data-col="type"]')].every(td => td.hidden) &&
			document.querySelector('#column-chooser input[data-column="mac"]').checked`)
		click(t, ctx, `#column-chooser summary`)
		click(t, ctx, `#column-chooser [data-columns-reset]`)
		waitJS(t, ctx, "the default columns back", `document.querySelector('th[data-col="mac"]').hidden &&
			!document.querySelector('th[data-col="type"]').hidden && `+fits)
	})

	var page3 string
	var rows3 []string
	t.Run("search, sort and page", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/enis?region=cn-hangzhou&size=10"), chromedp.WaitVisible(chromedp.CSS("#eni-rows tr"))); err != nil {
			t.Fatal(err)
		}
		navigateBy(t, ctx, chromedp.SendKeys(chromedp.CSS(`#filters input[name="q"]`), "MENTS-work\n"))
		waitURL(t, ctx, env.URL+"/enis?region=cn-hangzhou&q=MENTS-work&size=10")
		waitJS(t, ctx, "25 found, names shown", `document.querySelector('[data-pages]').dataset.pages === "3" &&
			[...document.querySelectorAll('#eni-rows [data-field="name"]')].length === 10 &&
			[...document.querySelectorAll('#eni-rows [data-field="name"]')].every(n => n.textContent.startsWith("payments-worker-"))`)
		// Created, twice: ascending, then newest first.
		click(t, ctx, `th[data-col="created"] a`)
		waitURL(t, ctx, env.URL+"/enis?region=cn-hangzhou&q=MENTS-work&sort=created&size=10")
		click(t, ctx, `th[data-col="created"] a`)
		newest := env.URL + "/enis?region=cn-hangzhou&q=MENTS-work&sort=-created&size=10"
		waitURL(t, ctx, newest)
		want, _ := serverRows(t, newest)
		waitRows(t, ctx, want)
		waitJS(t, ctx, "sorted descending", `document.querySelector('th[data-col="created"]').getAttribute('aria-sort') === "descending"`)
		click(t, ctx, `#pager a[data-page-number="3"]`)
		page3 = newest + "&page=3"
		waitURL(t, ctx, page3)
		rows3, _ = serverRows(t, page3)
		if len(rows3) != 5 {
			t.Fatalf("page 3 of 25 by 10 has %d rows: %v", len(rows3), rows3)
		}
		waitRows(t, ctx, rows3)
	})

	t.Run("bookmark in a fresh browser", func(t *testing.T) {
		if page3 == "" {
			t.Skip("no page 3 to bookmark")
		}
		fresh, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		defer cancel()
		env.SignInBrowser(t, fresh, webtest.Viewer)
		if err := chromedp.Do(fresh, chromedp.Navigate(page3), chromedp.WaitVisible(chromedp.CSS("#eni-rows tr"))); err != nil {
			t.Fatal(err)
		}
		waitURL(t, fresh, page3)
		waitRows(t, fresh, rows3)
		waitJS(t, fresh, "page 3 of 3", `document.querySelector('[data-page]').dataset.page === "3"`)
	})

	t.Run("another client's change live", func(t *testing.T) {
		if len(rows3) == 0 {
			t.Skip("no page 3 open")
		}
		id := rows3[0]
		waitJS(t, ctx, "the live stream open", `!!document.querySelector('[data-live]')`)
		if _, err := env.Cloud.AttachENI(context.Background(), eni.AttachRequest{Region: "cn-hangzhou", ENIID: id, InstanceID: web1.ID}); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "the row in use, named", rowStatus(id)+` === "InUse" &&
			document.querySelector('#row-`+id+` td[data-col="instance"]').innerText.includes("web-prod-01")`)
		if got, err := chromedp.Run(ctx, chromedp.Location()); err != nil || got != page3 {
			t.Fatalf("the page moved to %s (%v)", got, err)
		}
		waitRows(t, ctx, rows3)
	})
}
