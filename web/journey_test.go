package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

const rowsJS = `Array.from(document.querySelectorAll('#results tr[id^="row-"]')).map(r => r.id.slice(4))`

// serverRows fetches a URL without a browser and returns its row IDs and
// its Next link.
func serverRows(t *testing.T, u string) (ids []string, next string) {
	t.Helper()
	return serverRowsB(t, u)
}

func serverRowsB(t testing.TB, u string) (ids []string, next string) {
	t.Helper()
	res, err := webtest.ClientFor(u).Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc.Find(`#results tr[id^="row-"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		ids = append(ids, strings.TrimPrefix(id, "row-"))
	})
	next, _ = doc.Find(`a[rel="next"]`).Attr("href")
	return ids, next
}

// waitRows polls the page until its rows equal want, or fails with what
// it shows.
func waitRows(t *testing.T, ctx context.Context, want []string) {
	t.Helper()
	var got []string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		// A page being replaced cannot be read; that is "not yet".
		var err error
		if got, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](rowsJS)); err == nil && slices.Equal(got, want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("browser shows rows %v\nwant %v", got, want)
}

func waitURL(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	var got string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var err error
		if got, err = chromedp.Run(ctx, chromedp.Location()); err == nil && got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("browser is at %s\nwant %s", got, want)
}

// TestJourneyBookmarkFilterHistory is an operator's morning: open a
// colleague's bookmark (three filters, second page) in a fresh browser,
// narrow it by status, then go back and forward.
func TestJourneyBookmarkFilterHistory(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})

	// A view with three filters that spans more than one page of 10.
	first := env.URL + "/enis?region=cn-hangzhou&type=Secondary&managed=false&size=10"
	ids1, next := serverRows(t, first)
	if next == "" || len(ids1) != 10 {
		t.Fatalf("the demo account should give this view a second page (got %d rows, next %q)", len(ids1), next)
	}
	bookmark := env.URL + next
	want2, _ := serverRows(t, bookmark)

	ctx := webtest.Browser(t)
	env.SignInBrowser(t, ctx, webtest.Operator)
	if err := chromedp.Do(ctx, chromedp.Navigate(bookmark), chromedp.WaitVisible(chromedp.CSS("#results"))); err != nil {
		t.Fatal(err)
	}
	waitRows(t, ctx, want2)
	pageLabel, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#pager [data-page]")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pageLabel, "2") {
		t.Errorf("pager says %q on the second page", pageLabel)
	}

	// Narrow by status: the URL changes to the canonical view and paging
	// starts again from the first page.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#filters select[name="status"]`), "InUse"),
		chromedp.Evaluate[chromedp.Void](`void document.querySelector('#filters select[name="status"]').dispatchEvent(new Event('change', {bubbles: true}))`),
	); err != nil {
		t.Fatal(err)
	}
	narrowed := env.URL + "/enis?region=cn-hangzhou&type=Secondary&status=InUse&managed=false&size=10"
	waitURL(t, ctx, narrowed)
	wantN, _ := serverRows(t, narrowed)
	if len(wantN) == 0 {
		t.Fatal("the narrowed view is empty in the demo account; the test would prove little")
	}
	waitRows(t, ctx, wantN)

	// Back shows the bookmarked page again, forward the narrowed one.
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, bookmark)
	waitRows(t, ctx, want2)
	if err := chromedp.Do(ctx, chromedp.NavigateForward()); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, narrowed)
	waitRows(t, ctx, wantN)
}

// TestJourneySearchAndPaging pastes an IP into the search box and pages a
// view with the Next and Previous links.
func TestJourneySearchAndPaging(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := webtest.Browser(t)
	env.SignInBrowser(t, ctx, webtest.Operator)
	start := env.URL + "/enis?region=cn-hangzhou&size=10"
	want1, next := serverRows(t, start)
	want2, _ := serverRows(t, env.URL+next)
	if err := chromedp.Do(ctx, chromedp.Navigate(start), chromedp.WaitVisible(chromedp.CSS("#results"))); err != nil {
		t.Fatal(err)
	}
	waitRows(t, ctx, want1)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[rel="next"]`))); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, env.URL+next)
	waitRows(t, ctx, want2)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pager a[href="/enis?region=cn-hangzhou&size=10"]`))); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, start)
	waitRows(t, ctx, want1)

	// Paste the primary IP of the first ENI shown into the search box.
	e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", want1[0])
	if err != nil {
		t.Fatal(err)
	}
	// The search turns into filters the form lacks: the server has htmx
	// load the canonical view as a whole page.
	navigateBy(t, ctx, chromedp.SendKeys(chromedp.CSS(`#filters input[name="q"]`), e.PrimaryIP+"\n"))
	f := eni.Filter{Region: "cn-hangzhou", Size: 10, IPs: []string{e.PrimaryIP}}
	waitURL(t, ctx, env.URL+"/enis?"+f.Query())
	waitRows(t, ctx, []string{e.ID})
}

// navigateBy runs an input action that makes the page navigate. Chromium
// may end the action's last protocol call with "navigated" when the new
// page wins the race; that is the expected outcome, which the caller then
// checks by URL and rows.
func navigateBy(t *testing.T, ctx context.Context, a chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, a); err != nil && !strings.Contains(err.Error(), "navigated or closed") {
		t.Fatal(err)
	}
}
