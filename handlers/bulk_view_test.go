package handlers_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/views"
	"enidash/web/webtest"
)

// deleteCalls records the DeleteNetworkInterface calls the emulator sees,
// and fails those of the IDs in fail.
type deleteCalls struct {
	mu     sync.Mutex
	called map[string]int
	fail   map[string]bool
}

func newDeleteCalls() *deleteCalls {
	return &deleteCalls{called: map[string]int{}, fail: map[string]bool{}}
}

func (d *deleteCalls) intercept(w http.ResponseWriter, r *http.Request) bool {
	_ = r.ParseForm()
	if apiAction(r) != "DeleteNetworkInterface" {
		return false
	}
	id := r.Form.Get("NetworkInterfaceId")
	d.mu.Lock()
	d.called[id]++
	fail := d.fail[id]
	d.mu.Unlock()
	if !fail {
		return false
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(`{"RequestId":"REQ-VIEW-1","Code":"InvalidOperation.InvalidEniState","Message":"The ENI is busy."}`))
	return true
}

func (d *deleteCalls) count(id string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.called[id]
}

func (d *deleteCalls) total() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, c := range d.called {
		n += c
	}
	return n
}

// cloudView lists every ENI the cloud gives for f, all pages.
func cloudView(t *testing.T, env *webtest.Env, f eni.Filter) []eni.ENI {
	t.Helper()
	f.Size = 500
	var out []eni.ENI
	for token := ""; ; {
		p, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: f, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.ENIs...)
		if token = p.NextToken; token == "" {
			return out
		}
	}
}

// formOf is what the form matching sel would post.
func formOf(p page, sel string) url.Values {
	v := url.Values{}
	p.doc.Find(sel + " input").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		v.Add(name, value)
	})
	return v
}

// finishBulk follows a running bulk's panel, as htmx does, until it shows
// the results. Each request answers when more items are finished.
func finishBulk(t *testing.T, env *webtest.Env, p page) page {
	t.Helper()
	for p.doc.Find("[data-bulk-progress]").Length() > 0 {
		next, ok := p.doc.Find("[data-bulk-progress] [hx-get]").Attr("hx-get")
		if !ok {
			t.Fatal("a running bulk's panel does not ask for its progress")
		}
		p = get(t, env.URL+next, "HX-Request", "true")
		if p.status != http.StatusOK {
			t.Fatalf("progress: %d %s", p.status, p.body)
		}
	}
	return p
}

func outcomesOf(p page) map[string]string {
	m := map[string]string{}
	p.doc.Find("[data-item]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-item")
		m[id], _ = s.Attr("data-outcome")
	})
	return m
}

// Selecting every ENI of a view: the confirmation counts and lists them,
// the ineligible ones skipped with their reason and never called, a
// failing delete shown on its ENI, one audit entry per item under one
// bulk ID.
func TestBulkWholeView(t *testing.T) {
	calls := newDeleteCalls()
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: calls.intercept})
	env.Emulator.SeedVaried("cn-hangzhou", 900, 12)
	env.Warm(t, "cn-hangzhou")
	f := eni.Filter{Region: "cn-hangzhou", Tags: []eni.Tag{{Key: "env", Value: "prod"}}}
	want := cloudView(t, env, f)
	outcome := map[string]string{}
	var eligible []string
	skipped := map[string]int{}
	for _, e := range want {
		if why := eni.DeleteBlocked(e, false); why != "" {
			outcome[e.ID] = "skipped"
			skipped[views.SkipLabel(views.BulkItem{ENI: &e, Blocked: why})]++
		} else {
			outcome[e.ID] = "ready"
			eligible = append(eligible, e.ID)
		}
	}
	if len(want) <= views.BulkCompactAt || len(eligible) < 2 || len(skipped) == 0 {
		t.Fatalf("the seed gives %d ENIs, %d eligible, skipped %v: not a test of folding and skipping", len(want), len(eligible), skipped)
	}
	view := eni.View{Filter: f}.Query()

	confirm := post(t, env.URL+"/enis/bulk", url.Values{"action": {"delete"}, "view": {view}, "back": {"/enis?" + view}},
		"HX-Request", "true")
	if confirm.status != http.StatusOK {
		t.Fatalf("confirmation: %d %s", confirm.status, confirm.doc.Find("[data-error]").Text())
	}
	if got := outcomesOf(confirm); !maps.Equal(got, outcome) {
		t.Fatalf("confirmation lists %d items, want the view's %d as %v", len(got), len(want), outcome)
	}
	summary := strings.Join(strings.Fields(confirm.doc.Find("[data-bulk-summary]").Text()), " ")
	if !strings.HasPrefix(summary, views.Thousands(len(eligible))+" will be deleted") {
		t.Fatalf("summary %q, want %d will be deleted first", summary, len(eligible))
	}
	for label, n := range skipped {
		if !strings.Contains(summary, views.Thousands(n)+" skipped: "+label) {
			t.Errorf("summary %q lacks %d skipped: %s", summary, n, label)
		}
	}
	if more := confirm.doc.Find("[data-bulk-more] [data-item]").Length(); more != len(want)-views.BulkCompactAt {
		t.Fatalf("%d items folded away, want all past the first %d", more, views.BulkCompactAt)
	}
	form := formOf(confirm, `form[data-form="bulk-confirm"]`)
	if ids := form["id"]; !slices.Equal(sorted(ids), sorted(eligible)) || form.Get("view") != view {
		t.Fatalf("the confirm posts %d IDs and view %q, want the %d eligible and %q", len(ids), form.Get("view"), len(eligible), view)
	}

	failing := eligible[1]
	calls.mu.Lock()
	calls.fail[failing] = true
	calls.mu.Unlock()
	started := post(t, env.URL+"/enis/bulk", form, "HX-Request", "true")
	if started.status != http.StatusOK || started.doc.Find("[data-bulk-progress]").Length() != 1 {
		t.Fatalf("confirm: %d, no progress panel", started.status)
	}
	if total, _ := started.doc.Find("[data-bulk-progress]").Attr("data-total"); total != views.Thousands(len(eligible)) {
		t.Fatalf("progress of %s items, want %d", total, len(eligible))
	}
	done := finishBulk(t, env, started)
	// The results are those of the ENIs confirmed: the eligible ones.
	results := map[string]string{}
	for _, id := range eligible {
		results[id] = "ok"
	}
	results[failing] = "error"
	if got := outcomesOf(done); !maps.Equal(got, results) {
		for id, o := range results {
			if got[id] != o {
				t.Errorf("%s: result %q, want %q", id, got[id], o)
			}
		}
		t.Fatalf("%d results, want %d", len(got), len(results))
	}
	if code := done.doc.Find(`[data-item="` + failing + `"] [data-field="code"]`).Text(); code != "InvalidOperation.InvalidEniState" {
		t.Fatalf("the failing ENI's result: code %q", code)
	}
	if msg := done.doc.Find("#flash").Text(); !strings.Contains(msg, "Deleting "+views.Thousands(len(eligible)-1)+" of "+views.Thousands(len(eligible))+" ENIs of the view. 1 failed") {
		t.Fatalf("summary flash %q", msg)
	}
	for id, o := range outcome {
		if n := calls.count(id); o == "skipped" && n != 0 || o != "skipped" && n != 1 {
			t.Fatalf("%s (%s) was called %d times", id, o, n)
		}
	}

	page, err := env.Audit.Query(context.Background(), audit.Query{Action: audit.ActionDelete, Limit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	bulk := map[string]bool{}
	got := map[string]audit.Outcome{}
	for _, e := range page.Entries {
		bulk[e.Bulk] = true
		got[e.ENIID] = e.Outcome
	}
	if len(page.Entries) != len(eligible) || len(bulk) != 1 || bulk[""] || got[failing] != audit.OutcomeError || got[eligible[0]] != audit.OutcomeOK {
		t.Fatalf("audit: %d entries (want %d), bulk IDs %v, failing %s, first %s", len(page.Entries), len(eligible), bulk, got[failing], got[eligible[0]])
	}
}

// A view larger than the cap is refused with its size and how to narrow
// it, before any change is asked of the cloud.
func TestBulkWholeViewPastTheCap(t *testing.T) {
	calls := newDeleteCalls()
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: calls.intercept})
	env.Emulator.SeedVaried("cn-hangzhou", 1300, 5)
	env.Warm(t, "cn-hangzhou")
	n := len(cloudView(t, env, eni.Filter{Region: "cn-hangzhou"}))
	if n <= 1000 {
		t.Fatalf("the seed gives %d ENIs", n)
	}
	for _, hx := range [][]string{{"HX-Request", "true"}, nil} {
		r := post(t, env.URL+"/enis/bulk", url.Values{"action": {"delete"}, "view": {"region=cn-hangzhou"}}, hx...)
		want := "This view holds " + views.Thousands(n) + " ENIs; a bulk takes at most 1,000. Narrow the view"
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.doc.Find("[data-error]").Text(), want) {
			t.Fatalf("status %d, message %q; want 422 with %q", r.status, r.doc.Find("[data-error]").Text(), want)
		}
		if r.doc.Find(`form[data-form="bulk-confirm"]`).Length() != 0 {
			t.Fatal("a refused bulk offers to confirm")
		}
	}
	if calls.total() != 0 {
		t.Fatalf("%d delete calls", calls.total())
	}
}

// On confirm every listed ENI is checked again against the snapshot: one
// attached by someone else since, one deleted, one renamed out of the view
// are skipped with the reason; the rest are deleted.
func TestBulkWholeViewRecheckedOnConfirm(t *testing.T) {
	calls := newDeleteCalls()
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: calls.intercept})
	web1 := env.Instance(t, "web-prod-01")
	var ids []string
	for range 4 {
		ids = append(ids, newENI(t, env, web1, "sweep").ID)
	}
	reg := env.Warm(t, "cn-hangzhou")
	confirm := post(t, env.URL+"/enis/bulk", url.Values{"action": {"delete"}, "view": {"region=cn-hangzhou&name=sweep"}},
		"HX-Request", "true")
	form := formOf(confirm, `form[data-form="bulk-confirm"]`)
	if confirm.status != http.StatusOK || len(form["id"]) != 4 {
		t.Fatalf("confirmation: %d with %d IDs", confirm.status, len(form["id"]))
	}

	ctx := context.Background()
	attached, gone, renamed, kept := ids[0], ids[1], ids[2], ids[3]
	if _, err := env.Cloud.AttachENI(ctx, eni.AttachRequest{Region: "cn-hangzhou", ENIID: attached, InstanceID: web1.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Cloud.DeleteENI(ctx, "cn-hangzhou", gone); err != nil {
		t.Fatal(err)
	}
	other := "elsewhere"
	if _, err := env.Cloud.ModifyENI(ctx, eni.ModifyRequest{Region: "cn-hangzhou", ID: renamed, Name: &other}); err != nil {
		t.Fatal(err)
	}
	// The snapshot learns of them as a Refresh now would.
	if _, err := reg.Relist(ctx, eni.Filter{Region: "cn-hangzhou", IDs: ids}); err != nil {
		t.Fatal(err)
	}

	done := finishBulk(t, env, post(t, env.URL+"/enis/bulk", form, "HX-Request", "true"))
	want := map[string]string{attached: "skipped", gone: "skipped", renamed: "skipped", kept: "ok"}
	if got := outcomesOf(done); !maps.Equal(got, want) {
		t.Fatalf("results %v, want %v", got, want)
	}
	if why := done.doc.Find(`[data-item="` + renamed + `"]`).Text(); !strings.Contains(why, "left the view") {
		t.Fatalf("renamed ENI: %q", why)
	}
	if why := done.doc.Find(`[data-item="` + attached + `"]`).Text(); !strings.Contains(why, "only an Available ENI can be deleted") {
		t.Fatalf("attached ENI: %q", why)
	}
	if calls.count(attached) != 0 || calls.count(renamed) != 0 || calls.count(gone) != 1 || calls.count(kept) != 1 {
		t.Fatalf("delete calls: attached %d, renamed %d, gone %d (the other client's), kept %d",
			calls.count(attached), calls.count(renamed), calls.count(gone), calls.count(kept))
	}
}

// Until a region is listed whole, a view of it cannot be selected: the
// operator is told so, and nothing is called.
func TestBulkWholeViewNotIndexed(t *testing.T) {
	calls := newDeleteCalls()
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		_ = r.ParseForm()
		if apiAction(r) == "DescribeNetworkInterfaces" && r.Form.Get("RegionId") == "cn-shanghai" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"RequestId":"REQ-503","Code":"ServiceUnavailable","Message":"try later"}`))
			return true
		}
		return calls.intercept(w, r)
	}})
	r := post(t, env.URL+"/enis/bulk", url.Values{"action": {"delete"}, "view": {"region=cn-shanghai"}}, "HX-Request", "true")
	if r.status != http.StatusConflict || !strings.Contains(r.doc.Find("[data-error]").Text(), "cn-shanghai is still being indexed") {
		t.Fatalf("status %d, message %q", r.status, r.doc.Find("[data-error]").Text())
	}
	if calls.total() != 0 {
		t.Fatal("a delete was called")
	}
}

// A bulk's progress is its starter's: another user, a bad after or an
// unknown run get a clear refusal.
func TestBulkProgressRefusals(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	a := newENI(t, env, web1, "progress-a")
	started := post(t, env.URL+"/enis/bulk", url.Values{"action": {"delete"}, "region": {"cn-hangzhou"}, "id": {a.ID}, "confirm": {"yes"}},
		"HX-Request", "true")
	runID, ok := started.doc.Find("[data-bulk-progress]").Attr("data-bulk-progress")
	if !ok {
		t.Fatalf("no progress panel: %d", started.status)
	}
	finishBulk(t, env, started)
	admin := env.SignIn(t, webtest.Admin)
	res, err := admin.Get(env.URL + "/enis/bulk/" + runID)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("another user's view of the run: %d", res.StatusCode)
	}
	if r := get(t, env.URL+"/enis/bulk/"+runID+"?after=-2"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "after") {
		t.Fatalf("bad after: %d", r.status)
	}
	if r := get(t, env.URL+"/enis/bulk/bulk-0000"); r.status != http.StatusNotFound {
		t.Fatalf("unknown run: %d", r.status)
	}
	// Done, its results stay for the page that started it.
	if r := get(t, env.URL+"/enis/bulk/"+runID+"?after=0", "HX-Request", "true"); r.status != http.StatusOK || outcomesOf(r)[a.ID] != "ok" {
		t.Fatalf("results: %d %v", r.status, outcomesOf(r))
	}
}

// The list offers every ENI of its view to operators once it is answered
// from the snapshot and holds more than the page: the bulk form carries
// the view (for app.js to enable), and a form of its own works without
// script.
func TestListOffersTheWholeView(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	env.Emulator.SeedVaried("cn-hangzhou", 200, 9)
	env.Warm(t, "cn-hangzhou")
	n := len(cloudView(t, env, eni.Filter{Region: "cn-hangzhou", Status: eni.StatusAvailable}))
	r := get(t, env.URL+"/enis?region=cn-hangzhou&status=Available&size=10")
	if r.status != http.StatusOK || len(r.rowIDs()) != 10 {
		t.Fatalf("list: %d with %d rows", r.status, len(r.rowIDs()))
	}
	view := "region=cn-hangzhou&status=Available"
	in := r.doc.Find(`#bulk-form input[name="view"]`)
	if v, _ := in.Attr("value"); v != view || in.AttrOr("disabled", "no") == "no" {
		t.Fatalf("bulk form's view input %q (disabled %q), want %q, disabled", v, in.AttrOr("disabled", "no"), view)
	}
	line := strings.Join(strings.Fields(r.doc.Find("[data-select-view]").Text()), " ")
	if want := "All 10 ENIs on this page are selected. Select all " + views.Thousands(n) + " ENIs of this view"; !strings.Contains(line, want) {
		t.Fatalf("select line %q, want %q", line, want)
	}
	noJS, err := goquery.NewDocumentFromReader(strings.NewReader(r.doc.Find("noscript").Text()))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := noJS.Find(`form[data-form="bulk-view"] input[name="view"]`).Attr("value"); v != view {
		t.Fatalf("no-script form posts view %q", v)
	}

	// Without script: the form asks for the confirmation of the whole view.
	confirm := post(t, env.URL+"/enis/bulk", url.Values{"action": {"delete"}, "view": {view}})
	if confirm.status != http.StatusOK || confirm.doc.Find("[data-item]").Length() != n {
		t.Fatalf("no-script confirmation: %d with %d items, want %d", confirm.status, confirm.doc.Find("[data-item]").Length(), n)
	}

	// One page, or a viewer: no offer.
	if r := get(t, env.URL+"/enis?region=cn-hangzhou&status=Available&size=500"); r.doc.Find("[data-select-view]").Length() != 0 {
		t.Fatal("offered with the whole view on the page")
	}
	viewer := env.SignIn(t, webtest.Viewer)
	res, err := viewer.Get(env.URL + "/enis?region=cn-hangzhou&status=Available&size=10")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || doc.Find("[data-select-view], input[name=view]").Length() != 0 {
		t.Fatalf("viewer: %d, offered the view", res.StatusCode)
	}
}
