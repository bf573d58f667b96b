package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/live"
	"enidash/web/webtest"
)

// An ENI the live view flags stuck in Detaching offers Detach again, and
// one stuck in Deleting offers Delete again; before the flag, both are
// refused (409) without a cloud call. The repeated request is audited as
// a retry and completes the stalled transition in the emulator, which
// re-arms a stalled ENI when the call is repeated, as the API reference
// advises for ENIs stuck in these states.
func TestRetryStuck(t *testing.T) {
	clock := clockwork.NewFakeClock()
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{
		Live: live.Config{Clock: clock, StuckAfter: 5 * time.Minute, Keep: time.Hour}})
	// The seeded account holds one ENI stalled in each state.
	detaching := firstENI(t, env, func(e eni.ENI) bool { return e.Status == eni.StatusDetaching && e.Type == eni.TypeSecondary })
	deleting := firstENI(t, env, func(e eni.ENI) bool { return e.Status == eni.StatusDeleting })

	tests := []struct {
		action, label string
		e             eni.ENI
		after         eni.Status // "" = gone
	}{
		{"detach", "Detach again", detaching, eni.StatusAvailable},
		{"delete", "Delete again", deleting, ""},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			detail := env.URL + "/enis/" + tt.e.ID + "?region=cn-hangzhou"
			// The detail page shows the ENI to the live view, which notes
			// when it saw it in transition.
			p := get(t, detail)
			if n := p.doc.Find(`[data-action="` + tt.action + `"]`).Length(); n != 0 {
				t.Fatalf("%s offered before the ENI is flagged stuck", tt.action)
			}
			form := url.Values{"region": {"cn-hangzhou"}, "instance": {tt.e.InstanceID}}
			if p := post(t, actionPost(env, tt.action, tt.e.ID), form); p.status != http.StatusConflict ||
				!strings.Contains(p.doc.Find("[data-blocked]").Text(), "once it is flagged stuck") {
				t.Fatalf("POST before stuck: status %d, blocked %q", p.status, p.doc.Find("[data-blocked]").Text())
			}

			clock.Advance(6 * time.Minute)
			p = get(t, detail)
			link := p.doc.Find(`#eni-detail [data-action="` + tt.action + `"]`)
			if link.Length() != 1 || strings.TrimSpace(link.Text()) != tt.label {
				t.Fatalf("stuck ENI offers %q (%d links), want %q", link.Text(), link.Length(), tt.label)
			}
			if p.doc.Find("[data-stuck]").Length() == 0 && !strings.Contains(p.body, "Stuck in") {
				t.Fatal("the stuck flag is not shown")
			}
			confirm := get(t, actionURL(env, tt.action, tt.e.ID))
			if confirm.doc.Find("[data-retry]").Length() != 1 || confirm.doc.Find(`form[data-form="`+tt.action+`"]`).Length() != 1 {
				t.Fatalf("confirmation does not offer the retry: %s", confirm.doc.Find("main").Text())
			}

			res := post(t, actionPost(env, tt.action, tt.e.ID), form)
			if res.status != http.StatusSeeOther {
				t.Fatalf("retry: status %d: %s", res.status, res.doc.Find("[data-failure],[data-blocked]").Text())
			}
			page, err := env.Audit.Query(context.Background(), audit.Query{ENIID: tt.e.ID})
			entries := page.Entries
			if err != nil || len(entries) != 1 {
				t.Fatalf("audit entries %d (err %v), want 1", len(entries), err)
			}
			if en := entries[0]; en.Outcome != audit.OutcomeOK || en.Action != "eni."+tt.action ||
				en.Params["retry"] != "stuck in "+string(tt.e.Status) || en.RequestID == "" {
				t.Fatalf("audit entry %+v", en)
			}
			waitStatus(t, env, tt.e.ID, tt.after)
		})
	}
}

// A bulk action counts a stuck ENI as eligible, and one merely in
// transition as not.
func TestBulkRetryStuck(t *testing.T) {
	clock := clockwork.NewFakeClock()
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{
		Live: live.Config{Clock: clock, StuckAfter: 5 * time.Minute, Keep: time.Hour}})
	detaching := firstENI(t, env, func(e eni.ENI) bool { return e.Status == eni.StatusDetaching && e.Type == eni.TypeSecondary })
	form := url.Values{"region": {"cn-hangzhou"}, "action": {"detach"}, "id": {detaching.ID}}
	// The confirmation offers its form only when an item is eligible.
	eligible := func() int {
		p := post(t, env.URL+"/enis/bulk", form)
		if p.status != http.StatusOK {
			t.Fatalf("bulk confirmation: status %d", p.status)
		}
		return p.doc.Find(`form[data-form="bulk-confirm"]`).Length()
	}
	get(t, env.URL+"/enis/"+detaching.ID+"?region=cn-hangzhou")
	if eligible() != 0 {
		t.Fatal("an ENI in Detaching, not yet stuck, should be listed as not eligible")
	}
	clock.Advance(6 * time.Minute)
	if eligible() != 1 {
		t.Fatal("an ENI stuck in Detaching should be eligible for bulk detach")
	}
}
