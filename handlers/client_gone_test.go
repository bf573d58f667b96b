package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"enidash/handlers"
	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// A confirmed bulk delete runs to its end when the browser leaves in the
// middle of it: every ENI the cloud deleted is audited ok, none as an
// error of the browser's going, and the items not yet started still are.
func TestBulkDeleteOutlivesTheBrowser(t *testing.T) {
	hold := newHold("DeleteNetworkInterface")
	var logs logBuffer
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: hold.intercept, Log: &logs})
	web1 := env.Instance(t, "web-prod-01")
	form := url.Values{"action": {"delete"}, "region": {"cn-hangzhou"}, "confirm": {"yes"}, "back": {"/enis?region=cn-hangzhou"}}
	for i := range 5 {
		form.Add("id", newENI(t, env, web1, "gone-"+string(rune('a'+i))).ID)
	}
	fd := newFrontDoor(t, env, "/enis/bulk")

	hold.armed.Store(true)
	// Four deletes are at the cloud and the fifth waits for a slot when
	// the browser goes; then the cloud answers.
	fd.leave(t, env, http.MethodPost, "/enis/bulk", form, func() { hold.wait(t, 4) })
	close(hold.release)
	<-fd.served

	p, err := env.Audit.Query(context.Background(), audit.Query{Action: audit.ActionDelete})
	if err != nil {
		t.Fatal(err)
	}
	byENI := map[string]audit.Entry{}
	for _, e := range p.Entries {
		byENI[e.ENIID] = e
	}
	for _, id := range form["id"] {
		e, ok := byENI[id]
		if !ok {
			t.Errorf("%s: not audited", id)
			continue
		}
		if e.Outcome != audit.OutcomeOK || e.RequestID == "" || strings.Contains(e.ErrorMsg, "canceled") {
			t.Errorf("%s: audited %s %s %q (RequestId %q), want ok", id, e.Outcome, e.ErrorCode, e.ErrorMsg, e.RequestID)
		}
		waitStatus(t, env, id, "") // and the cloud agrees
	}
	if len(p.Entries) != 5 {
		t.Errorf("%d entries, want 5", len(p.Entries))
	}
	if l := logs.lines("action refused"); len(l) > 0 {
		t.Errorf("refusals logged: %q", l)
	}
}

// A single attach whose browser leaves mid-call is audited as the cloud
// answered it; the request is logged once, at INFO, as a client's cancel
// (499); and no cloud call counts as timed out for it.
func TestAttachOutlivesTheBrowser(t *testing.T) {
	hold := newHold("AttachNetworkInterface")
	var logs logBuffer
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: hold.intercept, Log: &logs})
	web1 := env.Instance(t, "web-prod-01")
	e := newENI(t, env, web1, "gone-attach")
	path := "/enis/" + e.ID + "/attach"
	fd := newFrontDoor(t, env, path)

	hold.armed.Store(true)
	fd.leave(t, env, http.MethodPost, path, url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID}},
		func() { hold.wait(t, 1) })
	close(hold.release)
	<-fd.served

	p, _ := env.Audit.Query(context.Background(), audit.Query{ENIID: e.ID, Action: audit.ActionAttach})
	if len(p.Entries) != 1 || p.Entries[0].Outcome != audit.OutcomeOK || p.Entries[0].RequestID == "" {
		t.Fatalf("audit: %+v", p.Entries)
	}
	waitStatus(t, env, e.ID, eni.StatusInUse)
	checkClientCancelLogged(t, env, &logs, path)
	if l := metricLine(t, env, `enidash_cloud_calls_total{action="AttachNetworkInterface",outcome="ok"}`); !strings.HasSuffix(l, " 1") {
		t.Errorf("attach not counted ok: %q", l)
	}
}

// A browser that leaves while a page's cloud read is in flight: the read
// counts as canceled, not as a cloud timeout, and the request is a
// client's cancel, not a server error.
func TestReadAbandonedByTheBrowser(t *testing.T) {
	hold := newHold("DescribeNetworkInterfaces")
	hold.once = true
	var logs logBuffer
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: hold.intercept, Log: &logs})
	e := newENI(t, env, env.Instance(t, "web-prod-01"), "gone-read")
	path := "/enis/" + e.ID
	fd := newFrontDoor(t, env, path)

	hold.armed.Store(true)
	fd.leave(t, env, http.MethodGet, path+"?region=cn-hangzhou", nil, func() { hold.wait(t, 1) })
	// The held call is let go only once the read has given up on it: a
	// read that gets its answer first rightly counts as ok.
	logs.waitFor(t, "cloud call canceled", "DescribeNetworkInterfaces")
	close(hold.release)
	<-fd.served

	checkClientCancelLogged(t, env, &logs, path)
	if l := metricLine(t, env, `enidash_cloud_calls_total{action="DescribeNetworkInterfaces",outcome="canceled"}`); !strings.HasSuffix(l, " 1") {
		t.Errorf("the abandoned read is not counted canceled: %q", l)
	}
}

// checkClientCancelLogged: the request to path is logged once, at INFO,
// with status 499; nothing about it at ERROR; no cloud call timed out.
func checkClientCancelLogged(t *testing.T, env *webtest.Env, logs *logBuffer, path string) {
	t.Helper()
	lines := logs.lines("msg=request ", path)
	if len(lines) != 1 || !strings.Contains(lines[0], "level=INFO") || !strings.Contains(lines[0], "status=499") ||
		!strings.Contains(lines[0], "client closed request") {
		t.Errorf("request log lines %q, want one at INFO with status 499", lines)
	}
	if l := logs.lines("level=ERROR"); len(l) > 0 {
		t.Errorf("logged at ERROR: %q", l)
	}
	for _, api := range []string{"AttachNetworkInterface", "DescribeNetworkInterfaces"} {
		if l := metricLine(t, env, `enidash_cloud_calls_total{action="`+api+`",outcome="timeout"}`); l != "" {
			t.Errorf("a cloud timeout counted: %s", l)
		}
	}
}

// An attach the cloud does not answer before the call's own deadline is
// audited as unknown, never as an error: it may have happened. The
// operator is told so, and to watch the ENI's state.
func TestAttachPastItsDeadlineIsUnknown(t *testing.T) {
	hold := newHold("AttachNetworkInterface")
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: hold.intercept, CallTimeout: time.Second})
	web1 := env.Instance(t, "web-prod-01")
	e := newENI(t, env, web1, "slow-attach")

	hold.armed.Store(true) // never released: the cloud never answers
	r := post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID},
		"back": {"/enis?region=cn-hangzhou"}}, "HX-Request", "true")
	flash := r.doc.Find("#flash [data-flash]")
	if r.status != http.StatusOK || flash.AttrOr("data-flash", "") != "info" ||
		!strings.Contains(flash.Text(), "not known yet") || strings.Contains(strings.ToLower(flash.Text()), "failed") {
		t.Fatalf("status %d, flash %q (%s)", r.status, flash.Text(), flash.AttrOr("data-flash", ""))
	}

	p, _ := env.Audit.Query(context.Background(), audit.Query{ENIID: e.ID, Action: audit.ActionAttach})
	if len(p.Entries) != 1 || p.Entries[0].Outcome != audit.OutcomeUnknown || p.Entries[0].ErrorCode != "Timeout" {
		t.Fatalf("audit: %+v", p.Entries)
	}
	// The audit page lists it under "unknown", and so does its export.
	list := get(t, env.URL+"/audit?eni="+e.ID+"&outcome=unknown")
	if row := list.doc.Find(`tr[data-outcome="unknown"]`); row.Length() != 1 || !strings.Contains(row.Text(), "unknown outcome") {
		t.Fatalf("audit page %d: %d unknown rows: %q", list.status, row.Length(), list.doc.Find("main").Text())
	}
	csv := get(t, env.URL+"/audit.csv?eni="+e.ID+"&outcome=unknown")
	if n := strings.Count(csv.body, e.ID); n != 1 || !strings.Contains(csv.body, ",unknown,Timeout,") {
		t.Fatalf("export:\n%s", csv.body)
	}
}

// Bulk items the cloud does not answer in time are unknown, in the audit
// log and in the results, and the summary says their outcome is not known.
func TestBulkPastItsDeadlineIsUnknown(t *testing.T) {
	hold := newHold("DeleteNetworkInterface")
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: hold.intercept, CallTimeout: time.Second})
	web1 := env.Instance(t, "web-prod-01")
	a, b := newENI(t, env, web1, "slow-a"), newENI(t, env, web1, "slow-b")

	hold.armed.Store(true) // never released
	done := finishBulk(t, env, post(t, env.URL+"/enis/bulk", url.Values{"action": {"delete"}, "region": {"cn-hangzhou"}, "confirm": {"yes"},
		"back": {"/enis?region=cn-hangzhou"}, "id": {a.ID, b.ID}}, "HX-Request", "true"))
	for _, id := range []string{a.ID, b.ID} {
		if got := done.doc.Find(`[data-item="`+id+`"]`).AttrOr("data-outcome", ""); got != "unknown" {
			t.Errorf("%s: result %q, want unknown", id, got)
		}
		p, _ := env.Audit.Query(context.Background(), audit.Query{ENIID: id, Action: audit.ActionDelete})
		if len(p.Entries) != 1 || p.Entries[0].Outcome != audit.OutcomeUnknown || p.Entries[0].Bulk == "" {
			t.Errorf("%s: audit %+v", id, p.Entries)
		}
	}
	if s := done.doc.Find("#flash").Text(); !strings.Contains(s, "For 2 the outcome is not known yet") || strings.Contains(s, "failed") {
		t.Errorf("summary %q", s)
	}
}

// A create the cloud does not answer in time is unknown in the audit log,
// and the form says so: sending it again is safe.
func TestCreatePastItsDeadlineIsUnknown(t *testing.T) {
	env := startCreate(t, func(d *handlers.Deps) { d.CallTimeout = 300 * time.Millisecond })
	post(t, env.url+"/enis", env.form(map[string][]string{eni.FormName: {"x"}})) // caches the look-ups
	env.emu.SetFaults(ecsemu.Faults{Latency: time.Second})
	p := post(t, env.url+"/enis", env.form(nil))
	if banner := p.doc.Find("[data-failure]").Text(); !strings.Contains(banner, "not known yet") {
		t.Errorf("status %d, banner %q", p.status, banner)
	}
	page, _ := env.audit.Query(context.Background(), audit.Query{Action: audit.ActionCreate})
	if len(page.Entries) == 0 || page.Entries[0].Outcome != audit.OutcomeUnknown {
		t.Fatalf("audit: %+v", page.Entries)
	}
}
