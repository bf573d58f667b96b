package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// Each action is offered, and accepted, only for ENIs the API reference
// allows it on; a forged POST for any other gets 409 and the reason, and
// the cloud is not called.
func TestActionEligibility(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	primary := firstENI(t, env, func(e eni.ENI) bool { return e.Type == eni.TypePrimary && e.Status == eni.StatusInUse })
	attached := firstENI(t, env, func(e eni.ENI) bool { return e.Type == eni.TypeSecondary && e.Status == eni.StatusInUse })
	free := firstENI(t, env, func(e eni.ENI) bool { return e.Type == eni.TypeSecondary && e.Status == eni.StatusAvailable })
	busy := firstENI(t, env, func(e eni.ENI) bool { return e.Status == eni.StatusAttaching || e.Status == eni.StatusDetaching })

	tests := []struct {
		action  string
		e       eni.ENI
		blocked string // part of the reason; "" when the action is offered
	}{
		{"detach", primary, "primary ENI"},
		{"delete", primary, "primary ENI"},
		{"attach", primary, "primary ENI"},
		{"detach", attached, ""},
		{"delete", attached, "only an Available ENI can be deleted"},
		{"attach", attached, "only an Available ENI can be attached"},
		{"detach", free, "only an InUse ENI can be detached"},
		{"delete", free, ""},
		{"attach", free, ""},
		{"delete", busy, "only an Available ENI"},
		{"detach", busy, "only an InUse ENI"},
	}
	for _, tt := range tests {
		t.Run(tt.action+"/"+tt.e.ID, func(t *testing.T) {
			p := get(t, actionURL(env, tt.action, tt.e.ID))
			if p.status != http.StatusOK {
				t.Fatalf("GET status %d: %s", p.status, p.body)
			}
			reason := p.doc.Find("[data-blocked]").Text()
			form := p.doc.Find(`form[data-form="` + tt.action + `"]`).Length()
			if tt.blocked == "" {
				if reason != "" || form != 1 {
					t.Fatalf("action should be offered; blocked %q, forms %d", reason, form)
				}
				return
			}
			if !strings.Contains(reason, tt.blocked) || form != 0 {
				t.Fatalf("blocked reason %q (forms %d), want it to say %q", reason, form, tt.blocked)
			}
			before, _ := env.Audit.Query(context.Background(), audit.Query{ENIID: tt.e.ID})
			r := post(t, actionPost(env, tt.action, tt.e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {"i-bp1z8o24466g1w2v9h6j"}})
			if r.status != http.StatusConflict || !strings.Contains(r.doc.Find("[data-blocked]").Text(), tt.blocked) {
				t.Fatalf("forged POST: status %d, reason %q", r.status, r.doc.Find("[data-blocked]").Text())
			}
			after, _ := env.Audit.Query(context.Background(), audit.Query{ENIID: tt.e.ID})
			if len(after.Entries) != len(before.Entries) {
				t.Fatal("a refused action reached the audit log as a cloud call")
			}
			if got := mustENI(t, env, tt.e.ID).Status; got != tt.e.Status {
				t.Fatalf("status changed from %s to %s", tt.e.Status, got)
			}
		})
	}
}

// The whole life of an ENI through the actions, without script: attach,
// detach, delete, each a Post/Redirect/Get with a flash, each recorded.
func TestActionsWithoutScript(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	e := newENI(t, env, web1, "actions-nojs")
	back := "/enis?region=cn-hangzhou&vpc=" + e.VpcID

	r := post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID}, "back": {back}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != back {
		t.Fatalf("attach: %d Location %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	if got := mustENI(t, env, e.ID); got.Status != eni.StatusAttaching || got.InstanceID != web1.ID {
		t.Fatalf("after attach: %s on %q", got.Status, got.InstanceID)
	}
	waitStatus(t, env, e.ID, eni.StatusInUse)

	r = post(t, actionPost(env, "detach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/enis/"+e.ID) {
		t.Fatalf("detach: %d Location %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	waitStatus(t, env, e.ID, eni.StatusAvailable)

	r = post(t, actionPost(env, "delete", e.ID), url.Values{"region": {"cn-hangzhou"}, "back": {"/enis/" + e.ID + "?region=cn-hangzhou"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/enis?region=cn-hangzhou" {
		t.Fatalf("delete from its own page should return to the list: %d %q", r.status, r.header.Get("Location"))
	}
	waitStatus(t, env, e.ID, "")

	// Its page is gone, and says what happened to it.
	gone := get(t, env.URL+"/enis/"+e.ID+"?region=cn-hangzhou")
	if gone.status != http.StatusNotFound || !strings.Contains(gone.doc.Find("[data-message]").Text(), "eni.delete by "+webtest.Operator) ||
		gone.link(t, `a[data-action="more"]`) != "/audit?eni="+e.ID {
		t.Fatalf("the deleted ENI's page: %d %q", gone.status, gone.doc.Find("[data-message]").Text())
	}

	page, err := env.Audit.Query(context.Background(), audit.Query{ENIID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, en := range page.Entries {
		if en.Outcome != audit.OutcomeOK || en.RequestID == "" {
			t.Errorf("%s: outcome %s, RequestId %q", en.Action, en.Outcome, en.RequestID)
		}
		got = append(got, en.Action)
	}
	if want := "eni.delete eni.detach eni.attach"; strings.Join(got, " ") != want {
		t.Fatalf("audit actions %q, want %q", strings.Join(got, " "), want)
	}
}

// The flash of an action survives the redirect, once.
func TestActionFlash(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	e := newENI(t, env, env.Instance(t, "web-prod-01"), "flash-me")
	r := post(t, actionPost(env, "delete", e.ID), url.Values{"region": {"cn-hangzhou"}, "back": {"/enis?region=cn-hangzhou"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.status)
	}
	var cookies []string
	for _, c := range r.header.Values("Set-Cookie") {
		cookies = append(cookies, strings.SplitN(c, ";", 2)[0])
	}
	next := get(t, env.URL+"/enis?region=cn-hangzhou", "Cookie", strings.Join(cookies, "; "))
	if msg := next.doc.Find(`#flash [data-flash="ok"]`).Text(); !strings.Contains(msg, "Deleting "+e.ID+" (flash-me)") {
		t.Fatalf("flash %q", msg)
	}
}

// With htmx, an accepted action answers the row in its transitional state
// and the flash out of band, and closes the dialog.
func TestActionHTMXAnswersRowAndFlash(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	e := newENI(t, env, web1, "htmx-attach")
	r := post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID},
		"back": {"/enis?region=cn-hangzhou"}}, "HX-Request", "true")
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if r.doc.Find("#dialog").Children().Length() != 0 {
		t.Error("the dialog should close")
	}
	if v, _ := r.doc.Find("#flash").Attr("hx-swap-oob"); v != "true" || !strings.Contains(r.doc.Find("#flash").Text(), "Attaching "+e.ID) {
		t.Errorf("flash not sent out of band: %q", r.doc.Find("#flash").Text())
	}
	// The row travels inside a template, as htmx wants for table rows.
	if !strings.Contains(r.body, `<template><tr id="row-`+e.ID+`"`) || !strings.Contains(r.body, `data-status="Attaching"`) ||
		!strings.Contains(r.body, `hx-swap-oob="true"`) {
		t.Fatalf("row not sent out of band in its Attaching state:\n%s", r.body)
	}
}

// From the ENI's own page, htmx is sent back to that page (or, after a
// delete, to the list), where the flash waits.
func TestActionHTMXFromDetailPage(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	e := newENI(t, env, web1, "from-detail")
	detail := "/enis/" + e.ID + "?region=cn-hangzhou"
	r := post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID}, "back": {detail}},
		"HX-Request", "true")
	if r.status != http.StatusOK || r.header.Get("HX-Redirect") != detail {
		t.Fatalf("attach: %d HX-Redirect %q", r.status, r.header.Get("HX-Redirect"))
	}
	page := get(t, env.URL+detail)
	if !strings.Contains(page.doc.Find("#flash").Text(), "Attaching "+e.ID) {
		t.Fatalf("flash on the detail page: %q", page.doc.Find("#flash").Text())
	}
	if got := page.doc.Find("h1 + [data-status]").AttrOr("data-status", ""); got != "Attaching" && got != "InUse" {
		t.Errorf("the detail page shows %q", got)
	}
}
