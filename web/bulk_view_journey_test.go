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

// TestJourneyBulkDeleteWholeView opens a view of 150 leaked ENIs, 10 to a
// page, ticks the page, takes the offer of the whole view, and deletes all
// 150 with their results shown one by one; then the view is empty.
func TestJourneyBulkDeleteWholeView(t *testing.T) {
	const n = 150
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	for range n {
		env.CreateBeside(t, web1, "leaked")
	}
	ctx := webtest.Browser(t)
	env.SignInBrowser(t, ctx, webtest.Operator)
	view := env.URL + "/enis?region=cn-hangzhou&name=leaked&size=10"
	// The first view of the region may be served from the cloud while it
	// is indexed, without the offer: open it until the snapshot answers.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if err := chromedp.Do(ctx, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#eni-rows tr"))); err != nil {
			t.Fatal(err)
		}
		offered, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("[data-select-view]")`))
		if err != nil {
			t.Fatal(err)
		}
		if offered {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the list never offered the whole view")
		}
		time.Sleep(200 * time.Millisecond)
	}

	click(t, ctx, `#select-all`)
	waitJS(t, ctx, "the offer of the whole view", `!document.querySelector("[data-select-view]").hidden`)
	click(t, ctx, `button[data-select-view="all"]`)
	waitJS(t, ctx, "the whole view chosen", `!document.querySelector('[data-bulk-view]').disabled &&
		document.querySelector('[data-select-view-state="view"]').innerText.includes("All 150 ENIs of this view are selected")`)
	click(t, ctx, `button[data-action="bulk-delete"]`)
	waitJS(t, ctx, "the confirmation of 150", `document.querySelectorAll('#dialog [data-outcome="ready"]').length === `+strconv.Itoa(n)+` &&
		document.querySelector('#dialog [data-bulk-summary]').innerText.includes("150 will be deleted")`)
	click(t, ctx, `#dialog button[data-action="confirm"]`)
	waitJS(t, ctx, "150 results", `document.querySelectorAll('#dialog [data-outcome="ok"]').length === `+strconv.Itoa(n))
	waitJS(t, ctx, "the summary", `document.querySelector('#flash').innerText.includes("Deleting 150 of 150 ENIs of the view")`)

	left := func() int {
		p, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Name: "leaked"}})
		if err != nil {
			t.Fatal(err)
		}
		return p.TotalCount
	}
	for left() > 0 {
		if time.Now().After(deadline.Add(30 * time.Second)) {
			t.Fatalf("%d leaked ENIs left in the cloud", left())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Reloaded, the view is empty once the snapshot has seen them go.
	for {
		if err := chromedp.Do(ctx, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#results"))); err != nil {
			t.Fatal(err)
		}
		empty, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("[data-empty]")`))
		if err != nil {
			t.Fatal(err)
		}
		if empty {
			return
		}
		if time.Now().After(deadline.Add(60 * time.Second)) {
			t.Fatal("the view still lists ENIs")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
