package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// A list page's stream tells it when its counts may have changed although
// none of its rows did: here the only ENI of page 2 is deleted by another
// client, and page 1 gets a counts event (and no row event).
func TestEventsTellCountsOfOtherPages(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	inst := env.Instance(t, "web-prod-01")
	// Eleven, ten a page by name: the last one is alone on page 2.
	var ids []string
	for i := range 11 {
		ids = append(ids, env.CreateBeside(t, inst, fmt.Sprintf("pagecount-%02d", i)))
	}
	env.Warm(t, "cn-hangzhou")
	view := env.URL + "/enis?" + url.Values{"region": {"cn-hangzhou"}, "q": {"pagecount"}, "sort": {"name"}, "size": {"10"}}.Encode()
	p := get(t, view)
	if p.status == http.StatusFound {
		p = get(t, env.URL+p.header.Get("Location")) // the view's canonical URL
	}
	if p.status != http.StatusOK {
		t.Fatalf("list: %d %s", p.status, p.header.Get("Location"))
	}
	s := webtest.OpenSSE(t, env.Client, liveURL(t, env, p), "")
	if s.Resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: %d", s.Resp.StatusCode)
	}
	if _, err := env.Cloud.DeleteENI(context.Background(), "cn-hangzhou", ids[10]); err != nil {
		t.Fatal(err)
	}
	env.Live.JustActed("cn-hangzhou", []string{ids[10]}, false)
	ev := s.Next(t, wait, func(ev webtest.SSEEvent) bool { return ev.Event == "counts" || ev.Event == "row" || ev.Event == "gone" })
	if ev.Event != "counts" || strings.Contains(ev.Data, "<tr") {
		t.Fatalf("page 1 got %q for page 2's deletion (%s), want counts: %.300s", ev.Event, ids[10], ev.Data)
	}
}
