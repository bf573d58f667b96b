package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// editForm is the edit form of e as the page sends it, unchanged, with kv
// added or replacing its values.
func editForm(e eni.ENI, kv ...string) url.Values {
	v := url.Values{"region": {"cn-hangzhou"}, "name": {e.Name}, "description": {e.Description}, "sg": e.SecurityGroups,
		"delete_on_release": {"false", strconv.FormatBool(e.DeleteOnRelease)}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Del(kv[i])
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// detailAttr is the value the ENI's page shows for an attribute.
func detailAttr(doc *goquery.Document, label string) string {
	return strings.TrimSpace(doc.Find("dt").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.TrimSpace(s.Text()) == label
	}).Next().Text())
}

// The queue number and the source/destination check on the edit form:
// shown as the ENI has them, changed in one audited call, and shown on the
// ENI's page.
func TestEditQueueNumberAndSourceDestCheck(t *testing.T) {
	m := startModify(t)
	p := get(t, actionURL(m.Env, "edit", m.e.ID))
	q := p.doc.Find(`#edit-queue-number`)
	if p.status != http.StatusOK || q.Length() != 1 || q.AttrOr("value", "?") != "" || q.AttrOr("name", "") != eni.FormQueueNumber {
		t.Fatalf("edit page (status %d): queue number input %d, value %q", p.status, q.Length(), q.AttrOr("value", "?"))
	}
	check := p.doc.Find(`input[type="checkbox"][name="source_dest_check"]`)
	if _, on := check.Attr("checked"); check.Length() != 1 || on {
		t.Fatalf("source/destination check box: %d, checked %v", check.Length(), on)
	}
	r := post(t, actionPost(m.Env, "edit", m.e.ID), editForm(m.e, "queue_number", "6", "source_dest_check", "false", "source_dest_check", "true"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("edit: status %d: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
	}
	got := mustENI(t, m.Env, m.e.ID)
	if got.QueueNumber != 6 || !got.SourceDestCheck || got.Name != m.e.Name {
		t.Fatalf("cloud has %d queues, check %v, name %q", got.QueueNumber, got.SourceDestCheck, got.Name)
	}
	es := m.entries(t, audit.ActionModify)
	if len(es) != 1 || es[0].Params["queue_number"] != "6" || es[0].Params["source_dest_check"] != "true" || len(es[0].Params) != 2 {
		t.Fatalf("audit: %+v", es)
	}
	d := get(t, m.URL+r.header.Get("Location"))
	if !strings.Contains(d.body, "queue number, source/destination check") {
		t.Error("the message does not say what changed")
	}
	if v := detailAttr(d.doc, "Source/destination check"); v != "Yes" {
		t.Errorf("the ENI's page shows the check as %q", v)
	}
	if v := detailAttr(d.doc, "Queues"); v != "6" {
		t.Errorf("the ENI's page shows %q queues", v)
	}
	p = get(t, actionURL(m.Env, "edit", m.e.ID))
	_, on := p.doc.Find(`input[type="checkbox"][name="source_dest_check"]`).Attr("checked")
	if v := p.doc.Find(`#edit-queue-number`).AttrOr("value", ""); v != "6" || !on {
		t.Errorf("edit page after the change: queues %q, check %v", v, on)
	}
}

// An ENI attached to a Stopped instance changes its queues within its
// instance type's limit per ENI.
func TestEditQueueNumberOfStoppedInstance(t *testing.T) {
	m := startModify(t)
	data := firstENI(t, m.Env, func(e eni.ENI) bool { return e.Name == "batch-data" })
	r := post(t, actionPost(m.Env, "edit", data.ID), editForm(data, "queue_number", "4"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("edit: status %d: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
	}
	if got := mustENI(t, m.Env, data.ID); got.QueueNumber != 4 {
		t.Fatalf("cloud has %d queues", got.QueueNumber)
	}
}

// Each rule of the queue number and the check: 422, the value kept, the
// message at its field, no cloud call.
func TestEditQueueNumberRules(t *testing.T) {
	m := startModify(t)
	byName := func(name string) eni.ENI {
		return firstENI(t, m.Env, func(e eni.ENI) bool { return e.Name == name })
	}
	web1 := m.Instance(t, "web-prod-01")
	primary := firstENI(t, m.Env, func(e eni.ENI) bool { return e.InstanceID == web1.ID && e.Type == eni.TypePrimary })
	batchData, metrics := byName("batch-data"), byName("web1-metrics")
	tests := []struct {
		name, field, want string
		e                 eni.ENI
		form              url.Values
	}{
		{"queue number 0", "queue_number", "from 1 to 2048", m.e, editForm(m.e, "queue_number", "0")},
		{"queue number 2049", "queue_number", "from 1 to 2048", m.e, editForm(m.e, "queue_number", "2049")},
		{"queue number not a number", "queue_number", "whole number", m.e, editForm(m.e, "queue_number", "many")},
		{"primary ENI", "queue_number", "primary ENI", primary, editForm(primary, "queue_number", strconv.Itoa(primary.QueueNumber+1))},
		{"instance Running", "queue_number", "only while instance " + web1.ID + " is Stopped; it is Running", metrics,
			editForm(metrics, "queue_number", "1")},
		{"above the type's limit per ENI", "queue_number", "at most 8 queues per ENI", batchData, editForm(batchData, "queue_number", "9")},
		{"check not a boolean", "source_dest_check", "true or false", m.e, editForm(m.e, "source_dest_check", "maybe")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, actionPost(m.Env, "edit", tt.e.ID), tt.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
			}
			if msg := r.doc.Find(`[data-error="` + tt.field + `"]`).Text(); !strings.Contains(msg, tt.want) {
				t.Fatalf("message at %s: %q, want %q", tt.field, msg, tt.want)
			}
			// A primary ENI's queue number is shown without an input.
			if q := tt.form.Get("queue_number"); tt.field == "queue_number" && tt.e.Type != eni.TypePrimary &&
				r.doc.Find(`#edit-queue-number`).AttrOr("value", "") != q {
				t.Errorf("queue number typed %q came back as %q", q, r.doc.Find(`#edit-queue-number`).AttrOr("value", ""))
			}
			p, err := m.Audit.Query(context.Background(), audit.Query{ENIID: tt.e.ID, Action: audit.ActionModify})
			if err != nil || len(p.Entries) != 0 {
				t.Fatalf("a refused edit reached the audit log: %d", len(p.Entries))
			}
		})
	}
}

// The edit page of a primary ENI shows its queue number without offering
// to change it; that of an ENI on a Running instance says why it cannot;
// that of an ENI on a Stopped instance gives its instance type's limits.
func TestEditQueueNumberExplained(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	primary := firstENI(t, env, func(e eni.ENI) bool { return e.InstanceID == web1.ID && e.Type == eni.TypePrimary })
	p := get(t, actionURL(env, "edit", primary.ID))
	if p.doc.Find(`#edit-queue-number`).Length() != 0 || !strings.Contains(p.doc.Find(`[data-queue-note]`).Text(), "primary ENI") {
		t.Errorf("primary ENI's edit page: input %d, note %q", p.doc.Find(`#edit-queue-number`).Length(), p.doc.Find(`[data-queue-note]`).Text())
	}
	metrics := firstENI(t, env, func(e eni.ENI) bool { return e.Name == "web1-metrics" })
	p = get(t, actionURL(env, "edit", metrics.ID))
	if _, off := p.doc.Find(`#edit-queue-number`).Attr("disabled"); !off || !strings.Contains(p.doc.Find(`[data-queue-note]`).Text(), "Running") {
		t.Errorf("edit page of an ENI on a Running instance: disabled %v, note %q", off, p.doc.Find(`[data-queue-note]`).Text())
	}
	data := firstENI(t, env, func(e eni.ENI) bool { return e.Name == "batch-data" })
	p = get(t, actionURL(env, "edit", data.ID))
	_, off := p.doc.Find(`#edit-queue-number`).Attr("disabled")
	if note := p.doc.Find(`[data-queue-note]`).Text(); off || !strings.Contains(note, "at most 8 queues per ENI and 32 in all") {
		t.Errorf("edit page of an ENI on a Stopped instance: disabled %v, note %q", off, note)
	}
}
