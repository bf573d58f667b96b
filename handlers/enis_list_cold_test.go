package handlers_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// holdListings keeps the inventory's full listings (500 a page, no
// filter) from answering until the test ends, so its regions stay cold.
func holdListings(t *testing.T) (webtest.Options, func()) {
	gate := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	opts := webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		_ = r.ParseForm()
		if apiAction(r) == "DescribeNetworkInterfaces" && r.Form.Get("MaxResults") == "500" &&
			r.Form.Get("Status") == "" && r.Form.Get("NetworkInterfaceId.1") == "" {
			select {
			case <-gate:
			case <-r.Context().Done():
			}
		}
		return false
	}}
	return opts, release
}

// TestListColdRegionServedFromCloud: until the region's first listing is
// complete, a view the cloud can answer comes from the cloud with the
// indexing note; one only the index answers says it waits for it.
func TestListColdRegionServedFromCloud(t *testing.T) {
	opts, release := holdListings(t)
	env := webtest.StartWith(t, ecsemu.Config{}, opts)
	t.Cleanup(release)

	p := get(t, env.URL+"/enis?region=cn-hangzhou&size=10")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if got := len(p.rowIDs()); got != 10 {
		t.Fatalf("%d rows from the cloud, want 10", got)
	}
	note := strings.Join(strings.Fields(p.doc.Find("#indexing").Text()), " ")
	if !strings.Contains(note, "indexing cn-hangzhou:") || !strings.Contains(note, "ENIs") {
		t.Errorf("indexing note = %q", note)
	}
	if p.doc.Find("#snapshot").Length() != 0 || p.doc.Find(`#pager a[rel="next"]`).Length() != 1 {
		t.Error("a page from the cloud has a snapshot age, or no Next")
	}
	if next := p.link(t, `#pager a[rel="next"]`); !strings.Contains(next, "token=") {
		t.Errorf("Next from the cloud = %q, want the cloud's token", next)
	}

	s := get(t, env.URL+"/enis?region=cn-hangzhou&sort=-created")
	if s.status != http.StatusOK || len(s.rowIDs()) != 0 || s.doc.Find("#indexing [data-needs-index]").Length() != 1 {
		t.Fatalf("a sorted view of a cold region: status %d rows %d, want 200, none, and the note that it waits for the index",
			s.status, len(s.rowIDs()))
	}

	release()
	all := allENIs(t, env, "cn-hangzhou")
	env.Warm(t, "cn-hangzhou")
	w := get(t, env.URL+"/enis?region=cn-hangzhou&sort=-created&size=500")
	if len(w.rowIDs()) != len(all) || w.doc.Find("#indexing").Length() != 0 {
		t.Fatalf("warm: %d rows of %d, indexing note %d", len(w.rowIDs()), len(all), w.doc.Find("#indexing").Length())
	}
}

// TestListOldTokenBookmark: a token view is a position in the cloud's own
// paging, served from the cloud even when the snapshot is warm.
func TestListOldTokenBookmark(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	env.Warm(t, "cn-hangzhou")
	first := get(t, env.URL+"/enis?region=cn-hangzhou&status=InUse&size=10")
	if first.doc.Find("#snapshot").Length() != 1 {
		t.Fatal("the warm first page is not from the snapshot")
	}
	// The bookmark as the cloud-served pager wrote it.
	page, err := env.Cloud.ListENIs(t.Context(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Status: eni.StatusInUse, Size: 10}})
	if err != nil || page.NextToken == "" {
		t.Fatalf("cloud: %v, token %q", err, page.NextToken)
	}
	f := eni.Filter{Region: "cn-hangzhou", Status: eni.StatusInUse, Size: 10}.Next(page.NextToken)
	p := get(t, env.URL+"/enis?"+f.Query())
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	next, err := env.Cloud.ListENIs(t.Context(), eni.ListQuery{Filter: f, NextToken: page.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range next.ENIs {
		want = append(want, e.ID)
	}
	if got := p.rowIDs(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("page 2 by token = %v, want the cloud's %v", got, want)
	}
	if p.doc.Find("#snapshot").Length() != 0 || p.doc.Find(`#pager a:contains("Previous")`).Length() != 1 {
		t.Error("a token page should come from the cloud, with the cloud's pager")
	}
	t.Run("page and token together", func(t *testing.T) {
		p := get(t, env.URL+"/enis?"+f.Query()+"&page=2")
		if p.status != http.StatusBadRequest || !strings.Contains(p.doc.Find("#results").Text(), "cannot be given with token") {
			t.Errorf("status %d", p.status)
		}
	})
}
