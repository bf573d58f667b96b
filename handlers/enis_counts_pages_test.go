package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/inventory"
	"enidash/web/webtest"
)

// waitRemoved waits (on the region's change sets, not on time) until the
// snapshot no longer holds id.
func waitRemoved(t *testing.T, sub *inventory.Subscription, id string) {
	t.Helper()
	for {
		select {
		case cs, ok := <-sub.C:
			if !ok {
				t.Fatal("the region's changes ended")
			}
			for _, c := range cs.Removed {
				if c.ENI.ID == id {
					return
				}
			}
		case <-t.Context().Done():
			t.Fatalf("%s never left the snapshot", id)
		}
	}
}

// TestCountsFollowThePages: the counts a live page asks for carry its
// page-number bar and its age line too, so page numbers follow a deletion
// that removes the last page; the page that deletion leaves past the end
// says so rather than claiming a page the view no longer has.
func TestCountsFollowThePages(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	inst := env.Instance(t, "web-prod-01")
	var ids []string
	for i := range 21 {
		ids = append(ids, env.CreateBeside(t, inst, fmt.Sprintf("paged-%02d", i)))
	}
	region := env.Warm(t, "cn-hangzhou")
	sub := region.Subscribe()
	t.Cleanup(sub.Close)
	view := env.URL + "/enis/counts?region=cn-hangzhou&q=paged-&size=20"

	first := get(t, view)
	if first.status != http.StatusOK {
		t.Fatalf("status %d: %s", first.status, first.doc.Find("[data-message]").Text())
	}
	if got := strings.Join(strings.Fields(first.doc.Find("#pager [data-pages]").Text()), " "); got != "Page 1 of 2" {
		t.Fatalf("the bar says %q, want Page 1 of 2:\n%s", got, first.body)
	}
	if first.doc.Find(`#pager a[data-page-number="2"]`).Length() != 1 || first.doc.Find("#snapshot-age[data-as-of]").Length() != 1 {
		t.Errorf("no link to page 2 or no age line in %s", first.body)
	}
	if second := get(t, view+"&page=2"); second.doc.Find(`#pager [aria-current="page"]`).Text() != "2" {
		t.Errorf("page 2's bar: %s", second.doc.Find("#pager").Text())
	}

	// Another client deletes one; the inventory learns it by itself.
	if _, err := env.Cloud.DeleteENI(context.Background(), "cn-hangzhou", ids[20]); err != nil {
		t.Fatal(err)
	}
	waitRemoved(t, sub, ids[20])

	one := get(t, view)
	if got := strings.Join(strings.Fields(one.doc.Find("#pager [data-pages]").Text()), " "); got != "Page 1 of 1" {
		t.Errorf("after the deletion the bar says %q, want Page 1 of 1", got)
	}
	if one.doc.Find(`#pager a[data-page-number], #pager a[rel="next"]`).Length() != 0 {
		t.Errorf("a one-page view links to another page: %s", one.doc.Find("#pager").Text())
	}
	past := get(t, view+"&page=2")
	if past.status != http.StatusOK {
		t.Fatalf("a page past the end: %d, want 200 and a bar saying so (no redirect: the person may be reading)", past.status)
	}
	label := past.doc.Find("#pager [data-pages]")
	if _, ok := label.Attr("data-past-end"); !ok || !strings.Contains(label.Text(), "the view now has 1 page") {
		t.Errorf("past the end the bar says %q", label.Text())
	}
	if got := past.doc.Find(`#pager a[data-page-number="1"]`).AttrOr("href", ""); got != "/enis?region=cn-hangzhou&q=paged-" {
		t.Errorf("the last page is offered at %q", got)
	}
}
