package web_test

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// listRequests counts the requests the filter form sends to the list
// (/enis, with htmx's HX-Trigger: filters), as the browser's network
// events report them: an aborted request counts. Requests of the live
// updates (a view fetched again) are not the form's.
type listRequests struct {
	mu       sync.Mutex
	ids      map[network.RequestID]bool // every request the form sent
	finished int                        // of those, answered and read
}

func watchListRequests(t *testing.T, ctx context.Context) *listRequests {
	t.Helper()
	lr := &listRequests{ids: map[network.RequestID]bool{}}
	err := chromedp.Listen(ctx, func(ev any) {
		lr.mu.Lock()
		defer lr.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if u, err := url.Parse(ev.Request.URL); err == nil && u.Path == "/enis" && ev.Request.Headers["HX-Trigger"] == "filters" {
				lr.ids[ev.RequestID] = true
			}
		case *network.EventLoadingFinished:
			if lr.ids[ev.RequestID] {
				lr.finished++
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return lr
}

func (lr *listRequests) reset() {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	lr.ids, lr.finished = map[network.RequestID]bool{}, 0
}

// sentOnceDone waits until a list request has been answered, then says
// how many were sent. The browser reports events in order, so every
// request sent before that answer has been counted.
func (lr *listRequests) sentOnceDone(t *testing.T) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		lr.mu.Lock()
		n, done := len(lr.ids), lr.finished
		lr.mu.Unlock()
		if done > 0 {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no list request was answered")
	return 0
}

// TestJourneyFilterSubmitsOnce: Enter in a filter field, the Apply button
// and a changed select each send the list exactly one request. (Enter in
// a text field used to send two: the change it commits, then the submit,
// which aborted the first.)
func TestJourneyFilterSubmitsOnce(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := webtest.Browser(t)
	env.SignInBrowser(t, ctx, webtest.Operator)
	lr := watchListRequests(t, ctx)
	start := env.URL + "/enis?region=cn-hangzhou&size=10"
	one := namedOnce(t, env)
	byName := eni.Filter{Region: "cn-hangzhou", Size: 10, Name: one.Name}
	byNameInUse := byName
	byNameInUse.Status = one.Status

	steps := []struct {
		name   string
		action chromedp.Action[chromedp.Void]
		want   string
	}{
		{"Enter in the name field", chromedp.SendKeys(chromedp.CSS(`#filters input[name="name"]`), one.Name+"\n"), "/enis?" + byName.Query()},
		// SetValue sends the select its input and change events.
		{"a changed select", chromedp.SetValue(chromedp.CSS(`#filters select[name="status"]`), string(one.Status)),
			"/enis?" + byNameInUse.Query()},
		{"the Apply button", chromedp.Click(chromedp.CSS(`#filters button[type="submit"]`)), "/enis?" + byNameInUse.Query()},
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(start), chromedp.WaitVisible(chromedp.CSS("#results"))); err != nil {
		t.Fatal(err)
	}
	waitSettled(t, ctx)
	for _, st := range steps {
		lr.reset()
		navigateBy(t, ctx, st.action)
		waitURL(t, ctx, env.URL+st.want)
		if n := lr.sentOnceDone(t); n != 1 {
			t.Errorf("%s sent %d requests to /enis, want 1", st.name, n)
		}
		waitRows(t, ctx, []string{one.ID})
		waitSettled(t, ctx)
	}
}

// waitSettled waits until htmx has settled the last swap. The filter form
// is part of the results it swaps, and the new form answers changes only
// once htmx has processed it, when the swap settles.
func waitSettled(t *testing.T, ctx context.Context) {
	t.Helper()
	const settled = `document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') === null &&
		!!(document.getElementById('filters')['htmx-internal-data'] || {}).initHash`
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](settled)); err == nil && ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the page did not settle")
}

// namedOnce is an ENI of cn-hangzhou whose name no other ENI there has.
func namedOnce(t *testing.T, env *webtest.Env) eni.ENI {
	t.Helper()
	page, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Size: 500}})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range page.ENIs {
		count[e.Name]++
	}
	for _, e := range page.ENIs {
		if e.Name != "" && count[e.Name] == 1 {
			return e
		}
	}
	t.Fatal("no ENI of cn-hangzhou has a name of its own")
	return eni.ENI{}
}
