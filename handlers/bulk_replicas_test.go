package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"enidash/internal/database/pgtest"
	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// twoReplicas starts two dashboards sharing one PostgreSQL database and
// one cloud, as behind a load balancer.
func twoReplicas(t *testing.T) (a, b *webtest.Env) {
	t.Helper()
	db := pgtest.URL(t)
	cfg := ecsemu.Config{}
	cfg.World.AttachDelay, cfg.World.DetachDelay, cfg.World.DeleteDelay = time.Second, time.Second, time.Second
	emu := ecsemu.New(cfg)
	t.Cleanup(emu.Close)
	a = webtest.StartWith(t, cfg, webtest.Options{DB: db, Emulator: emu, Replica: "a"})
	b = webtest.StartWith(t, cfg, webtest.Options{DB: db, Emulator: emu, Replica: "b"})
	return a, b
}

// A bulk delete run on replica A, its progress asked of replica B (the
// load balancer's choice, or A restarted): B does not hold the run, so it
// sends the person to the audit log of that bulk, where each item's
// outcome is, whichever replica wrote it.
func TestBulkFollowedOnAnotherReplica(t *testing.T) {
	a, b := twoReplicas(t)
	web1 := a.Instance(t, "web-prod-01")
	x, y, z := newENI(t, a, web1, "replica-bulk-x"), newENI(t, a, web1, "replica-bulk-y"), newENI(t, a, web1, "replica-bulk-z")
	started := post(t, a.URL+"/enis/bulk", url.Values{"action": {"delete"}, "region": {"cn-hangzhou"}, "confirm": {"yes"},
		"id": {x.ID, y.ID, z.ID}}, "HX-Request", "true")
	runID, ok := started.doc.Find("[data-bulk-progress]").Attr("data-bulk-progress")
	if !ok {
		t.Fatalf("no progress panel: %d", started.status)
	}
	poll, ok := started.doc.Find("[data-bulk-progress] [hx-get]").Attr("hx-get")
	if !ok {
		t.Fatal("the panel does not ask for its progress")
	}
	// A finishes the run, so every item has its entry and outcome.
	if got := outcomesOf(finishBulk(t, a, started)); got[x.ID] != "ok" || got[y.ID] != "ok" || got[z.ID] != "ok" {
		t.Fatalf("results on A: %v", got)
	}
	toAudit := "/audit?bulk=" + runID

	// The panel's next poll reaches B: htmx is told to load the audit.
	r := get(t, b.URL+poll, "HX-Request", "true")
	if r.status != http.StatusOK || r.header.Get("HX-Redirect") != toAudit {
		t.Fatalf("progress on B (htmx): %d, HX-Redirect %q\n%s", r.status, r.header.Get("HX-Redirect"), r.body)
	}
	// A page without script (a reload, a bookmark) is redirected.
	r = get(t, b.URL+"/enis/bulk/"+runID)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != toAudit {
		t.Fatalf("progress on B: %d, Location %q", r.status, r.header.Get("Location"))
	}
	page := get(t, b.URL+toAudit)
	if page.status != http.StatusOK {
		t.Fatalf("audit of the bulk on B: %d", page.status)
	}
	var items []string
	for _, s := range page.doc.Find("#audit-table tbody tr").EachIter() {
		if s.AttrOr("data-outcome", "") != "ok" || !strings.Contains(flat(s), "eni.delete") {
			t.Errorf("entry %q", flat(s))
		}
		items = append(items, s.Find("a[data-eni]").Text())
	}
	slices.Sort(items)
	want := []string{x.ID, y.ID, z.ID}
	slices.Sort(want)
	if !slices.Equal(items, want) {
		t.Errorf("the bulk's audit on B lists %v, want %v", items, want)
	}
}

// Only the person who started a bulk is sent to its entries: to anyone
// else, and for an ID no bulk of theirs has, the answer is the 404 of an
// unknown run, which points to the audit log.
func TestBulkElsewhereNotRevealed(t *testing.T) {
	a, b := twoReplicas(t)
	web1 := a.Instance(t, "web-prod-01")
	x := newENI(t, a, web1, "replica-bulk-own")
	started := post(t, a.URL+"/enis/bulk", url.Values{"action": {"delete"}, "region": {"cn-hangzhou"}, "confirm": {"yes"},
		"id": {x.ID}}, "HX-Request", "true")
	runID, ok := started.doc.Find("[data-bulk-progress]").Attr("data-bulk-progress")
	if !ok {
		t.Fatalf("no progress panel: %d", started.status)
	}
	finishBulk(t, a, started)

	admin := b.SignIn(t, webtest.Admin)
	for _, htmx := range []bool{false, true} {
		req, err := http.NewRequest(http.MethodGet, b.URL+"/enis/bulk/"+runID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		res, err := admin.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Location")+res.Header.Get("HX-Redirect") != "" {
			t.Errorf("another user's bulk (htmx %v): %d, sent to %q", htmx, res.StatusCode, res.Header.Get("Location")+res.Header.Get("HX-Redirect"))
		}
	}
	for _, id := range []string{"bulk-0000000000000000", "bulk-0000", "not-a-bulk"} {
		r := get(t, b.URL+"/enis/bulk/"+id)
		if r.status != http.StatusNotFound || !strings.Contains(r.body, "audit log") {
			t.Errorf("%s: %d, want 404 pointing to the audit log:\n%s", id, r.status, r.body)
		}
	}
}
