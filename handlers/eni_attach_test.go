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

// The picker offers every instance of the ENI's VPC and explains those the
// ENI cannot go to; a choice it would refuse is a 422 at the field, before
// any cloud call.
func TestAttachPickerAndValidation(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	web1 := env.Instance(t, "web-prod-01")
	full := env.Instance(t, "web-prod-02")
	stopping := env.Instance(t, "maint-01")
	otherZone := env.Instance(t, "batch-prod-01")
	otherVPC := env.Instance(t, "staging-burst-01")
	e := newENI(t, env, web1, "picker")

	p := get(t, actionURL(env, "attach", e.ID))
	reasons := map[string]string{}
	for _, in := range []eni.Instance{web1, full, stopping, otherZone} {
		sel := p.doc.Find(`[data-instance="` + in.ID + `"]`)
		if sel.Length() != 1 {
			t.Fatalf("%s (%s) not offered", in.Name, in.ID)
		}
		reasons[in.Name] = sel.Find("[data-reason]").Text()
	}
	if reasons["web-prod-01"] != "" {
		t.Errorf("web-prod-01 should be eligible: %q", reasons["web-prod-01"])
	}
	for name, want := range map[string]string{"web-prod-02": "3 of the 3 ENIs", "maint-01": "Running or Stopped",
		"batch-prod-01": "same zone"} {
		if !strings.Contains(reasons[name], want) {
			t.Errorf("%s: reason %q, want %q", name, reasons[name], want)
		}
	}
	if p.doc.Find(`[data-instance="`+otherVPC.ID+`"]`).Length() != 0 {
		t.Error("an instance of another VPC is offered")
	}

	tests := []struct {
		name, instance, card, field, want string
	}{
		{"no instance", "", "", "instance", "Choose the instance"},
		{"not an ID", "web-prod-01", "", "instance", "is not an instance ID"},
		{"full instance", full.ID, "", "instance", "3 of the 3 ENIs"},
		{"stopping instance", stopping.ID, "", "instance", "Running or Stopped"},
		{"other zone", otherZone.ID, "", "instance", "same zone"},
		{"other VPC", otherVPC.ID, "", "instance", "is not an instance of " + e.VpcID},
		{"card index not a number", web1.ID, "one", "card_index", "whole number from 0 to 7"},
		{"card index too high", web1.ID, "8", "card_index", "whole number from 0 to 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"},
				"instance": {tt.instance}, "card_index": {tt.card}})
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			if msg := r.doc.Find(`[data-error="` + tt.field + `"]`).Text(); !strings.Contains(msg, tt.want) {
				t.Fatalf("message at %s: %q, want %q", tt.field, msg, tt.want)
			}
			if got, _ := r.doc.Find(`#card-index`).Attr("value"); got != tt.card {
				t.Errorf("card index typed %q came back as %q", tt.card, got)
			}
		})
	}
	if got := mustENI(t, env, e.ID).Status; got != eni.StatusAvailable {
		t.Fatalf("a refused attach changed the ENI to %s", got)
	}
	entries, _ := env.Audit.Query(context.Background(), audit.Query{ENIID: e.ID})
	if len(entries.Entries) != 0 {
		t.Fatalf("refused attaches reached the cloud: %d audit entries", len(entries.Entries))
	}
}

// Errors the cloud returns anyway are explained in words, keep the cloud's
// code, message and RequestId, and are recorded as failed. A change is
// retried only when the cloud throttled it (it did nothing then).
func TestActionCloudErrors(t *testing.T) {
	var failWith atomic.Value // the cloud error DeleteNetworkInterface answers, if any
	var deletes atomic.Int32
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		if apiAction(r) != "DeleteNetworkInterface" {
			return false
		}
		deletes.Add(1)
		fail, _ := failWith.Load().(cloudFailure)
		if fail.code == "" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fail.status)
		fmt.Fprintf(w, `{"RequestId":"REQ-%d","HostId":"ecs.aliyuncs.com","Code":%q,"Message":"played by the test"}`, deletes.Load(), fail.code)
		return true
	}})
	burst := env.Instance(t, "staging-burst-01")
	e := newENI(t, env, burst, "no-hot-plug")

	tests := []struct {
		name    string
		fail    cloudFailure
		action  string
		form    url.Values
		status  int
		calls   int32 // DeleteNetworkInterface calls made
		code    string
		summary string
	}{
		{"instance type cannot hot-plug (emulator)", cloudFailure{}, "attach", url.Values{"instance": {burst.ID}},
			http.StatusUnprocessableEntity, 0, "InvalidOperation.HotPlugNotSupport", "instance runs"},
		{"throttled: retried, then explained", cloudFailure{400, "Throttling"}, "delete", url.Values{},
			http.StatusServiceUnavailable, 4, "Throttling", "limiting"},
		{"internal error: not retried", cloudFailure{500, "InternalError"}, "delete", url.Values{},
			http.StatusBadGateway, 1, "InternalError", ""},
		{"busy ENI", cloudFailure{403, "InvalidOperation.InvalidEniState"}, "delete", url.Values{},
			http.StatusUnprocessableEntity, 1, "InvalidOperation.InvalidEniState", "busy"},
		{"unknown code keeps the cloud's words", cloudFailure{403, "Some.NewCode"}, "delete", url.Values{},
			http.StatusUnprocessableEntity, 1, "Some.NewCode", "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failWith.Store(tt.fail)
			deletes.Store(0)
			tt.form.Set("region", "cn-hangzhou")
			before, _ := env.Audit.Query(context.Background(), audit.Query{ENIID: e.ID})
			r := post(t, actionPost(env, tt.action, e.ID), tt.form)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.doc.Find("[data-failure]").Text())
			}
			if got := deletes.Load(); got != tt.calls {
				t.Errorf("DeleteNetworkInterface called %d times, want %d", got, tt.calls)
			}
			code := r.doc.Find(`[data-failure] [data-field="code"]`).Text()
			if code != tt.code {
				t.Fatalf("code %q, want %q", code, tt.code)
			}
			if rid := r.doc.Find(`[data-failure] [data-field="request-id"]`).Text(); rid == "" {
				t.Error("no RequestId shown")
			}
			if s := r.doc.Find("[data-failure] p").First().Text(); !strings.Contains(strings.ToLower(s), tt.summary) {
				t.Errorf("summary %q, want it to mention %q", s, tt.summary)
			}
			after, _ := env.Audit.Query(context.Background(), audit.Query{ENIID: e.ID})
			if len(after.Entries) != len(before.Entries)+1 {
				t.Fatalf("want one audit entry more, got %d → %d", len(before.Entries), len(after.Entries))
			}
			if got := after.Entries[0]; got.Outcome != audit.OutcomeError || got.ErrorCode != code || got.RequestID == "" {
				t.Fatalf("audit entry: outcome %s code %q RequestId %q", got.Outcome, got.ErrorCode, got.RequestID)
			}
		})
	}
}

type cloudFailure struct {
	status int
	code   string
}

// apiAction is the ECS action of a request, in either signature style.
func apiAction(r *http.Request) string {
	if a := r.Header.Get("x-acs-action"); a != "" {
		return a
	}
	if err := r.ParseForm(); err != nil {
		return ""
	}
	return r.Form.Get("Action")
}

// When the cloud finds the instance full after all (another attach came
// first), the message names the instance type's limit.
func TestAttachLimitReachedMeanwhile(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		if apiAction(r) != "AttachNetworkInterface" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"RequestId":"REQ-FULL","Code":"EniPerInstanceLimitExceeded","Message":"The maximum number of ENIs has been reached."}`)
		return true
	}})
	web1 := env.Instance(t, "web-prod-01")
	e := newENI(t, env, web1, "late")
	r := post(t, actionPost(env, "attach", e.ID), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID}})
	want := "web-prod-01 (" + web1.ID + ") is full: its type ecs.g7.xlarge allows 4 ENIs"
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.doc.Find("[data-failure]").Text(), want) {
		t.Fatalf("%d %q", r.status, r.doc.Find("[data-failure]").Text())
	}
}
