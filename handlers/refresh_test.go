package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/inventory"
	"enidash/web/webtest"
)

// TestRefreshNow: "Refresh now" lists the view from the cloud with its own
// filters in one call, merges what changed (an ENI another client made,
// which the next full listing would find much later) and is limited per
// person.
func TestRefreshNow(t *testing.T) {
	var viewCalls atomic.Int32
	opts := webtest.Options{
		// One full listing, then none for the test's life.
		Inventory: inventory.Config{Slow: time.Hour},
		Intercept: func(w http.ResponseWriter, r *http.Request) bool {
			_ = r.ParseForm()
			if apiAction(r) == "DescribeNetworkInterfaces" && r.Form.Get("Status") == "Available" {
				viewCalls.Add(1)
			}
			return false
		},
	}
	env := webtest.StartWith(t, ecsemu.Config{}, opts)
	env.Warm(t, "cn-hangzhou")
	view := "/enis?region=cn-hangzhou&status=Available&size=500"
	before := get(t, env.URL+view)
	if before.doc.Find("#refresh-form").Length() != 1 {
		t.Fatal("no Refresh now on a page from the snapshot")
	}
	action := before.doc.Find("#refresh-form").AttrOr("action", "")
	if action != "/enis/refresh?region=cn-hangzhou&status=Available&size=500" {
		t.Fatalf("Refresh now posts to %q", action)
	}
	id := env.CreateBeside(t, env.Instance(t, "web-prod-01"), "made-elsewhere")
	if slices.Contains(get(t, env.URL+view).rowIDs(), id) {
		t.Fatal("the snapshot already shows the new ENI; the test would prove nothing")
	}

	viewCalls.Store(0)
	p := post(t, env.URL+action, url.Values{})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != view {
		t.Fatalf("status %d Location %q, want 303 to %s", p.status, p.header.Get("Location"), view)
	}
	if got := viewCalls.Load(); got != 1 {
		t.Errorf("Refresh now made %d listings of the view, want 1", got)
	}
	after := get(t, env.URL+view)
	if !slices.Contains(after.rowIDs(), id) {
		t.Error("the ENI made elsewhere is not shown after Refresh now")
	}
	if msg := after.doc.Find("#flash").Text(); !strings.Contains(msg, "1 ENI changed") {
		t.Errorf("flash = %q", msg)
	}

	again := post(t, env.URL+action, url.Values{}, "HX-Request", "true")
	if again.status != http.StatusTooManyRequests || !strings.Contains(again.doc.Find("#notice").Text(), "try again in") {
		t.Errorf("second refresh: status %d notice %q, want 429 saying when", again.status, again.doc.Find("#notice").Text())
	}
	if len(again.rowIDs()) == 0 {
		t.Error("a refused refresh still shows the view")
	}
	if got := viewCalls.Load(); got != 1 {
		t.Errorf("a refused refresh called the cloud (%d listings)", got)
	}
}

func TestRefreshNowRejectsBadView(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	p := post(t, env.URL+"/enis/refresh?region=cn-hangzhou&sort=size", url.Values{})
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "sort") {
		t.Errorf("status %d body %.200s", p.status, p.body)
	}
}
