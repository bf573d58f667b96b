package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// A bulk delete confirms first, listing what will happen to each selected
// ENI and which are not eligible; then each eligible ENI is deleted on its
// own, a failure shows on the ENI it concerns, and every item is audited.
func TestBulkDeleteWithPartialFailure(t *testing.T) {
	var failID atomic.Value
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		id, _ := failID.Load().(string)
		_ = r.ParseForm()
		if apiAction(r) != "DeleteNetworkInterface" || id == "" || r.Form.Get("NetworkInterfaceId") != id {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"RequestId":"REQ-BULK-1","Code":"InvalidOperation.InvalidEniState","Message":"The ENI is busy."}`)
		return true
	}})
	web1 := env.Instance(t, "web-prod-01")
	a, b, c := newENI(t, env, web1, "bulk-a"), newENI(t, env, web1, "bulk-b"), newENI(t, env, web1, "bulk-c")
	inUse := firstENI(t, env, func(e eni.ENI) bool { return e.Type == eni.TypeSecondary && e.Status == eni.StatusInUse })
	form := url.Values{"action": {"delete"}, "region": {"cn-hangzhou"}, "back": {"/enis?region=cn-hangzhou"},
		"id": {a.ID, b.ID, inUse.ID, c.ID}}
	// The bulk starts from the list, as an operator's does.
	get(t, env.URL+"/enis?region=cn-hangzhou")

	confirm := post(t, env.URL+"/enis/bulk", form, "HX-Request", "true")
	if confirm.status != http.StatusOK {
		t.Fatalf("confirmation: %d", confirm.status)
	}
	outcomes := func(p page) map[string]string {
		m := map[string]string{}
		for _, id := range []string{a.ID, b.ID, c.ID, inUse.ID} {
			m[id], _ = p.doc.Find(`[data-item="` + id + `"]`).Attr("data-outcome")
		}
		return m
	}
	want := map[string]string{a.ID: "ready", b.ID: "ready", c.ID: "ready", inUse.ID: "skipped"}
	if got := outcomes(confirm); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("confirmation outcomes %v, want %v", got, want)
	}
	if why := confirm.doc.Find(`[data-item="` + inUse.ID + `"]`).Text(); !strings.Contains(why, "only an Available ENI can be deleted") {
		t.Fatalf("ineligible ENI without its reason: %q", why)
	}
	if n := confirm.doc.Find(`form[data-form="bulk-confirm"] input[name="id"]`).Length(); n != 3 {
		t.Fatalf("the confirmation carries %d IDs, want the 3 eligible", n)
	}
	// Confirm, with the ineligible ENI forged back in; b's delete fails.
	failID.Store(b.ID)
	form.Set("confirm", "yes")
	done := finishBulk(t, env, post(t, env.URL+"/enis/bulk", form, "HX-Request", "true"))
	if done.status != http.StatusOK {
		t.Fatalf("bulk: %d", done.status)
	}
	want = map[string]string{a.ID: "ok", b.ID: "error", c.ID: "ok", inUse.ID: "skipped"}
	if got := outcomes(done); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("results %v, want %v", got, want)
	}
	if code := done.doc.Find(`[data-item="` + b.ID + `"] [data-field="code"]`).Text(); code != "InvalidOperation.InvalidEniState" {
		t.Fatalf("b's failure code %q", code)
	}
	if !strings.Contains(done.doc.Find("#flash").Text(), "Deleting 2 of 4 selected ENIs. 1 failed") {
		t.Fatalf("summary flash %q", done.doc.Find("#flash").Text())
	}
	for _, id := range []string{a.ID, c.ID} {
		at := strings.Index(done.body, `<template><tr id="row-`+id+`"`)
		if at < 0 {
			t.Errorf("row %s not replaced out of band", id)
			continue
		}
		if row := done.body[at : at+strings.Index(done.body[at:], "</tr>")]; !strings.Contains(row, "data-name") {
			t.Errorf("row %s, sent back after the bulk, names nothing it links to", id)
		}
	}
	waitStatus(t, env, a.ID, "")
	waitStatus(t, env, c.ID, "")
	if got := mustENI(t, env, b.ID).Status; got != eni.StatusAvailable {
		t.Fatalf("b is %s", got)
	}
	if got := mustENI(t, env, inUse.ID).Status; got != eni.StatusInUse {
		t.Fatalf("the ineligible ENI is %s", got)
	}

	// One audit entry per item acted on, tied by one bulk ID.
	page, _ := env.Audit.Query(context.Background(), audit.Query{Action: audit.ActionDelete})
	outcome := map[string]audit.Outcome{}
	bulk := map[string]bool{}
	for _, e := range page.Entries {
		outcome[e.ENIID] = e.Outcome
		bulk[e.Bulk] = true
	}
	if len(page.Entries) != 3 || outcome[a.ID] != audit.OutcomeOK || outcome[c.ID] != audit.OutcomeOK ||
		outcome[b.ID] != audit.OutcomeError || len(bulk) != 1 || bulk[""] {
		t.Fatalf("audit: %d entries, outcomes %v, bulk IDs %v", len(page.Entries), outcome, bulk)
	}
}

// Without script the bulk results come back as flashes on the list.
func TestBulkDetachWithoutScript(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	attached := firstENI(t, env, func(e eni.ENI) bool { return e.Type == eni.TypeSecondary && e.Status == eni.StatusInUse })
	r := post(t, env.URL+"/enis/bulk", url.Values{"action": {"detach"}, "region": {"cn-hangzhou"}, "confirm": {"yes"},
		"back": {"/enis?region=cn-hangzhou"}, "id": {attached.ID}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/enis?region=cn-hangzhou" {
		t.Fatalf("%d %q", r.status, r.header.Get("Location"))
	}
	waitStatus(t, env, attached.ID, eni.StatusAvailable)
}

// A bulk request that makes no sense is refused with the reason.
func TestBulkBadRequests(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"unknown action", url.Values{"action": {"reboot"}, "id": {"eni-bp1abcd"}}, http.StatusBadRequest, "not a bulk action"},
		{"nothing selected", url.Values{"action": {"delete"}}, http.StatusUnprocessableEntity, "No ENI was selected"},
		{"not an ID", url.Values{"action": {"delete"}, "id": {"<script>"}}, http.StatusUnprocessableEntity, "is not an ENI ID"},
		{"bad region", url.Values{"action": {"delete"}, "region": {"Hangzhou!"}, "id": {"eni-bp1abcd"}}, http.StatusBadRequest, "region"},
		{"view not a query", url.Values{"action": {"delete"}, "view": {"region=%zz"}}, http.StatusBadRequest, "view: "},
		{"view with a bad filter", url.Values{"action": {"delete"}, "view": {"status=Sleeping"}}, http.StatusBadRequest, "status"},
		{"view with an unknown key", url.Values{"action": {"delete"}, "view": {"colour=red"}}, http.StatusBadRequest, "colour"},
		{"confirm past the cap", url.Values{"action": {"delete"}, "confirm": {"yes"}, "id": manyIDs(1001)}, http.StatusUnprocessableEntity, "1,001 ENIs were selected; at most 1,000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, env.URL+"/enis/bulk", tt.form)
			if r.status != tt.status || !strings.Contains(r.body, tt.want) {
				t.Fatalf("status %d, want %d with %q", r.status, tt.status, tt.want)
			}
			if strings.Contains(r.body, "<script>") && !strings.Contains(r.body, "/static/") {
				t.Fatal("input echoed unescaped")
			}
		})
	}
}

// manyIDs are n distinct well-formed ENI IDs.
func manyIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("eni-bp1%011d", i)
	}
	return ids
}
