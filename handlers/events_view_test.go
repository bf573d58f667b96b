package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// A stream may watch any view the inventory answers (search, zone, age,
// sort, page), and follows it: an ENI created by another tool that the
// view's search finds appears in it. A bad value of those keys is
// refused with the field named.
func TestEventsOfInventoryViews(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: time.Hour})
	for q, want := range map[string]string{
		"sort=colour":     "sort",
		"older=7w":        "older",
		"page=0":          "page",
		"zone=nowhere!":   "zone",
		"page=2&token=x.": "page",
	} {
		p := get(t, env.URL+"/events?region=cn-hangzhou&"+q)
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, want) {
			t.Errorf("%s: %d %q, want 400 naming %s", q, p.status, p.body, want)
		}
	}
	s := webtest.OpenSSE(t, env.Client, env.URL+"/events?region=cn-hangzhou&q=searched-by-part&sort=-created", "")
	if s.Resp.StatusCode != http.StatusOK {
		t.Fatalf("stream of a searched, sorted view: %d", s.Resp.StatusCode)
	}
	id := env.CreateBeside(t, env.Instance(t, "web-prod-01"), "an-eni-searched-by-part-of-its-name")
	ev := s.Next(t, wait, func(ev webtest.SSEEvent) bool { return ev.Event == "added" || ev.Event == "reset" })
	if ev.Event == "reset" {
		// A stream opened with no page to resume from starts with a reset;
		// the page it fetches then resumes from its own cursor.
		ev = s.Next(t, wait, func(ev webtest.SSEEvent) bool { return ev.Event == "added" })
	}
	if !strings.Contains(ev.Data, `id="row-`+id+`"`) || !strings.Contains(ev.Data, `data-status="`+string(eni.StatusAvailable)+`"`) {
		t.Fatalf("added %q, want the new ENI's row", ev.Data)
	}
}
