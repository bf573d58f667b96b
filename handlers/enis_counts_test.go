package handlers_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/web/webtest"
)

// facetCounts reads a page's counts by facet: "status/InUse" -> 3.
func facetCounts(t *testing.T, p page) map[string]int {
	t.Helper()
	out := map[string]int{}
	p.doc.Find(`#facets [data-facet]`).Each(func(_ int, s *goquery.Selection) {
		n, err := strconv.Atoi(s.AttrOr("data-count", ""))
		if err != nil {
			t.Fatalf("facet %s has no count: %v", s.AttrOr("data-value", ""), err)
		}
		out[s.AttrOr("data-facet", "")+"/"+s.AttrOr("data-value", "")] = n
	})
	return out
}

// waitSnapshot waits (on the region's change sets, not on time) until the
// snapshot holds id in status st.
func waitSnapshot(t *testing.T, sub *inventory.Subscription, id string, st eni.Status) {
	t.Helper()
	for {
		select {
		case cs, ok := <-sub.C:
			if !ok {
				t.Fatal("the region's changes ended")
			}
			for _, c := range append(cs.Added, cs.Changed...) {
				if c.ENI.ID == id && c.ENI.Status == st {
					return
				}
			}
		case <-t.Context().Done():
			t.Fatalf("%s never became %s in the snapshot", id, st)
		}
	}
}

// TestCountsFollowAChangeByAnotherClient: GET /enis/counts answers the
// view's counts line and facets from the snapshot as it is now, so a page
// can bring them up to date after its rows changed live.
func TestCountsFollowAChangeByAnotherClient(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	inst := env.Instance(t, "web-prod-01")
	id := env.CreateBeside(t, inst, "counted-twice")
	region := env.Warm(t, "cn-hangzhou")
	sub := region.Subscribe()
	t.Cleanup(sub.Close)
	view := "region=cn-hangzhou&vpc=" + inst.VpcID + "&type=Secondary"

	before := get(t, env.URL+"/enis/counts?"+view)
	if before.status != http.StatusOK {
		t.Fatalf("status %d: %s", before.status, before.doc.Find("[data-message]").Text())
	}
	was := facetCounts(t, before)
	if was["status/Available"] == 0 {
		t.Fatalf("counts before the attach: %v; the new ENI should be Available", was)
	}
	total := before.doc.Find("#counts [data-total]").AttrOr("data-total", "")
	if total == "" {
		t.Fatalf("no counts line in %s", before.body)
	}

	// Another client attaches it; the inventory learns it by itself.
	if _, err := env.Cloud.AttachENI(context.Background(), eni.AttachRequest{Region: "cn-hangzhou", ENIID: id, InstanceID: inst.ID}); err != nil {
		t.Fatal(err)
	}
	waitSnapshot(t, sub, id, eni.StatusInUse)

	after := get(t, env.URL+"/enis/counts?"+view)
	if after.status != http.StatusOK {
		t.Fatalf("status %d: %s", after.status, after.doc.Find("[data-message]").Text())
	}
	now := facetCounts(t, after)
	if now["status/Available"] != was["status/Available"]-1 || now["status/InUse"] != was["status/InUse"]+1 {
		t.Errorf("counts after the attach: %v, before %v; want one fewer Available and one more In use", now, was)
	}
	if got := after.doc.Find("#counts [data-total]").AttrOr("data-total", ""); got != total {
		t.Errorf("total %s after the attach, want %s (the ENI stays in the view)", got, total)
	}
	// The counts are the cloud's, value by value.
	all := allENIs(t, env, "cn-hangzhou")
	for key, n := range now {
		facet, value, _ := strings.Cut(key, "/")
		want := len(idsOf(all, func(e eni.ENI) bool {
			if e.VpcID != inst.VpcID {
				return false
			}
			if facet == "status" {
				return e.Type == eni.TypeSecondary && string(e.Status) == value
			}
			return string(e.Type) == value
		}))
		if n != want {
			t.Errorf("%s: %d, the cloud has %d", key, n, want)
		}
	}
	// A fragment: no page around it, no rows; its one nav is the page numbers.
	if after.doc.Find("html body nav:not(#pager), header, #results, tr").Length() != 0 {
		t.Errorf("the counts carry more than the counts: %s", after.body)
	}

	t.Run("viewer", func(t *testing.T) {
		res, err := env.SignIn(t, webtest.Viewer).Get(env.URL + "/enis/counts?" + view)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("a viewer gets %d", res.StatusCode)
		}
	})

	t.Run("signed out", func(t *testing.T) {
		res, err := webtest.ClientFor("http://127.0.0.1:1/").Get(env.URL + "/enis/counts?" + view)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Error("counts answered to no one")
		}
	})
}

// TestCountsBadInputAndNotIndexed: a bad key is a 400 naming it; a view
// the snapshot cannot answer is 204, so the page keeps what it shows, and
// asking never starts a region's listing (no cloud call).
func TestCountsBadInputAndNotIndexed(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	env.Warm(t, "cn-hangzhou")
	for _, tt := range []struct{ query, field string }{
		{"region=cn-hangzhou&status=Sleeping", "status"},
		{"region=cn-hangzhou&sort=colour", "sort"},
		{"region=cn-hangzhou&older=7x", "older"},
		{"region=cn-hangzhou&size=7", "size"},
		{"region=cn-hangzhou&q=" + strings.Repeat("x", 257), "q"},
	} {
		t.Run(tt.field, func(t *testing.T) {
			p := get(t, env.URL+"/enis/counts?"+tt.query)
			msg := p.doc.Find("[data-message]").Text()
			if p.status != http.StatusBadRequest || !strings.HasPrefix(msg, tt.field+": ") || strings.Contains(msg, "not a parameter") {
				t.Errorf("status %d %q, want 400 saying what is wrong with %s", p.status, msg, tt.field)
			}
		})
	}
	for _, tt := range []struct{ name, query string }{
		{"region not indexed", "region=cn-beijing&status=Available"},
		{"a position in the cloud's paging", "region=cn-hangzhou&token=" + base64.RawURLEncoding.EncodeToString([]byte("a-cloud-token"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := get(t, env.URL+"/enis/counts?"+tt.query)
			if p.status != http.StatusNoContent || p.body != "" {
				t.Errorf("status %d %q, want 204 and nothing", p.status, p.doc.Find("[data-message]").Text())
			}
		})
	}
	if env.Inventory.Running("cn-beijing") != nil {
		t.Error("asking for counts started listing a region")
	}
}
