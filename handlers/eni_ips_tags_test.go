package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

// One submit that adds, changes and removes tags sends only the
// difference: TagResources for the added and changed, UntagResources for
// the removed, each audited and reported.
func TestTagsDifference(t *testing.T) {
	m := startModify(t)
	r := post(t, actionPost(m.Env, "tags", m.e.ID), m.form("tags", "team=web\nenv=dev\nold=gone"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("first tags: status %d: %s", r.status, r.doc.Find("[data-error]").Text())
	}
	r = post(t, actionPost(m.Env, "tags", m.e.ID), m.form("tags", "team=web\nenv=prod\nowner=ops\n"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("second tags: status %d: %s", r.status, r.doc.Find("[data-error]").Text())
	}
	got := mustENI(t, m.Env, m.e.ID).Tags
	want := []eni.Tag{{Key: "env", Value: "prod"}, {Key: "owner", Value: "ops"}, {Key: "team", Value: "web"}}
	slices.SortFunc(got, func(a, b eni.Tag) int { return strings.Compare(a.Key, b.Key) })
	if !slices.Equal(got, want) {
		t.Fatalf("cloud tags %v, want %v", got, want)
	}
	tags, untags := m.entries(t, audit.ActionTag), m.entries(t, audit.ActionUntag)
	if len(tags) != 2 || len(untags) != 1 {
		t.Fatalf("audit: %d tag, %d untag entries", len(tags), len(untags))
	}
	// Newest first: only env (changed) and owner (added) were sent.
	if tags[0].Params["tags"] != "env=prod, owner=ops" || untags[0].Params["removed"] != "old" || tags[0].Outcome != audit.OutcomeOK || untags[0].Outcome != audit.OutcomeOK {
		t.Fatalf("second submit sent %q and removed %q", tags[0].Params["tags"], untags[0].Params["removed"])
	}
	d := get(t, m.URL+r.header.Get("Location"))
	if !strings.Contains(d.body, "Set env=prod, owner=ops") || !strings.Contains(d.body, "Removed old") {
		t.Fatal("the ENI's page does not report each part")
	}
}

func TestTagsValidation(t *testing.T) {
	m := startModify(t)
	many := ""
	for i := range 21 {
		many += "k" + string(rune('a'+i)) + "=v\n"
	}
	tests := []struct{ name, tags, want string }{
		{"empty key", "=v", "empty key"},
		{"reserved prefix", "aliyun:x=1", "aliyun or acs:"},
		{"acs prefix", "acs:x=1", "aliyun or acs:"},
		{"key repeated", "a=1\na=2", "repeats the key"},
		{"key too long", strings.Repeat("k", 129) + "=v", "longer than 128"},
		{"value too long", "k=" + strings.Repeat("v", 129), "longer than 128"},
		{"url in value", "k=http://x", "http://"},
		{"control character", "k=a\x01b", "control character"},
		{"too many", many, "at most 20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, actionPost(m.Env, "tags", m.e.ID), m.form("tags", tt.tags))
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			if msg := r.doc.Find(`[data-error="tags"]`).Text(); !strings.Contains(msg, tt.want) {
				t.Fatalf("message %q, want %q", msg, tt.want)
			}
			if got := r.doc.Find("#edit-tags").Text(); got != tt.tags {
				t.Errorf("tags typed %q came back as %q", tt.tags, got)
			}
		})
	}
}

// Adding two secondary addresses by count and removing one: each call
// audited with its parameters, seen in the cloud.
func TestAssignAndUnassignIPs(t *testing.T) {
	m := startModify(t)
	p := get(t, actionURL(m.Env, "ips", m.e.ID))
	if p.status != http.StatusOK || !strings.Contains(p.doc.Find("[data-room]").Text(), "49 more IPv4 addresses allowed") {
		t.Fatalf("addresses page: status %d, room %q", p.status, p.doc.Find("[data-room]").Text())
	}
	r := post(t, actionPost(m.Env, "ips", m.e.ID), m.form("family", "ipv4", "op", "assign", "count", "2"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("assign: status %d: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
	}
	added := mustENI(t, m.Env, m.e.ID).SecondaryIPs()
	if len(added) != 2 {
		t.Fatalf("secondary addresses %v, want 2", added)
	}
	r = post(t, actionPost(m.Env, "ips", m.e.ID), m.form("family", "ipv4", "op", "unassign", "addresses", added[0]))
	if r.status != http.StatusSeeOther {
		t.Fatalf("unassign: status %d: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
	}
	if left := mustENI(t, m.Env, m.e.ID).SecondaryIPs(); !slices.Equal(left, added[1:]) {
		t.Fatalf("left %v, want %v", left, added[1:])
	}
	as, un := m.entries(t, audit.ActionAssignIPs), m.entries(t, audit.ActionUnassignIPs)
	if len(as) != 1 || as[0].Params["count"] != "2" || as[0].Outcome != audit.OutcomeOK ||
		len(un) != 1 || un[0].Params["addresses"] != added[0] || un[0].Outcome != audit.OutcomeOK {
		t.Fatalf("audit: %+v / %+v", as, un)
	}
}

func TestIPsValidation(t *testing.T) {
	m := startModify(t)
	e := m.e
	tests := []struct {
		name  string
		kv    []string
		field string
		want  string
	}{
		{"no family", []string{"op", "assign", "count", "1"}, "family", "ipv4 or ipv6"},
		{"bad op", []string{"family", "ipv4", "op", "swap", "count", "1"}, "op", "assign or unassign"},
		{"nothing asked", []string{"family", "ipv4", "op", "assign"}, "count", "needs a number"},
		{"count and list", []string{"family", "ipv4", "op", "assign", "count", "1", "addresses", "10.0.1.201"}, "count", "not both"},
		{"count too high", []string{"family", "ipv4", "op", "assign", "count", "50"}, "count", "whole number from 1 to 49"},
		{"ipv6 over the limit when not attached", []string{"family", "ipv6", "op", "assign", "count", "11"}, "count", "at most 10"},
		{"not an address", []string{"family", "ipv4", "op", "assign", "addresses", "10.0.1"}, "addresses", "not an IPv4 address"},
		{"outside the block", []string{"family", "ipv4", "op", "assign", "addresses", "10.9.0.5"}, "addresses", "outside the CIDR block"},
		{"reserved", []string{"family", "ipv4", "op", "assign", "addresses", "10.0.0.0"}, "addresses", "reserved"},
		{"in use", []string{"family", "ipv4", "op", "assign", "addresses", e.PrimaryIP}, "addresses", "already in use"},
		{"primary never removed", []string{"family", "ipv4", "op", "unassign", "addresses", e.PrimaryIP}, "addresses", "primary address"},
		{"not on the ENI", []string{"family", "ipv4", "op", "unassign", "addresses", "10.0.1.202"}, "addresses", "not a secondary address"},
		{"unassign by count", []string{"family", "ipv4", "op", "unassign", "count", "1"}, "addresses", "a count cannot"},
		{"ipv6 list of ipv4", []string{"family", "ipv6", "op", "assign", "addresses", "10.0.1.5"}, "addresses", "not an IPv6 address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, actionPost(m.Env, "ips", e.ID), m.form(tt.kv...))
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			if msg := r.doc.Find(`[data-error="` + tt.field + `"]`).Text(); !strings.Contains(msg, tt.want) {
				t.Fatalf("message at %s: %q, want %q", tt.field, msg, tt.want)
			}
		})
	}
	if n := len(m.entries(t, audit.ActionAssignIPs)) + len(m.entries(t, audit.ActionUnassignIPs)); n != 0 {
		t.Fatalf("refused changes reached the audit log: %d", n)
	}
}

// A refused tags form comes back on the page that also holds the edit
// form, which keeps the ENI's queue number and source/destination check:
// saving that form next must not turn the check off or drop the queue.
func TestTagsRefusalKeepsTheEditForm(t *testing.T) {
	m := startModify(t)
	on, queues := true, 3
	if _, err := m.Cloud.ModifyENI(context.Background(), eni.ModifyRequest{Region: "cn-hangzhou", ID: m.e.ID,
		SourceDestCheck: &on, QueueNumber: &queues}); err != nil {
		t.Fatal(err)
	}
	r := post(t, actionPost(m.Env, "tags", m.e.ID), m.form("tags", "acs:x=1"))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	if got := r.doc.Find("#edit-queue-number").AttrOr("value", ""); got != "3" {
		t.Errorf("queue number on the page after a tags refusal: %q, want 3", got)
	}
	if r.doc.Find(`input[type="checkbox"][name="source_dest_check"][checked]`).Length() != 1 {
		t.Error("the source/destination check shows off after a tags refusal; it is on")
	}
}
