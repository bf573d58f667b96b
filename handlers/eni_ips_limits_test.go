package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

// An attached ENI's addresses page says how many more addresses its
// instance type allows, and a request for more is refused at the count
// before any cloud call.
func TestIPsRoomOfTheInstanceType(t *testing.T) {
	m := startModify(t)
	web1 := m.Instance(t, "web-prod-01") // ecs.g7.xlarge: 15 IPv4 and 15 IPv6 per ENI
	if _, err := m.Cloud.AttachENI(context.Background(), eni.AttachRequest{Region: "cn-hangzhou", ENIID: m.e.ID, InstanceID: web1.ID}); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, m.Env, m.e.ID, eni.StatusInUse)

	p := get(t, actionURL(m.Env, "ips", m.e.ID))
	if p.status != http.StatusOK {
		t.Fatalf("addresses page: status %d", p.status)
	}
	if got := p.doc.Find(`[data-allowed="ipv4"]`).Text(); !strings.Contains(got, "14 more IPv4 addresses allowed (type ecs.g7.xlarge: 15 per ENI") {
		t.Errorf("IPv4 room: %q", got)
	}
	if got := p.doc.Find(`[data-allowed="ipv6"]`).Text(); !strings.Contains(got, "15 more IPv6 addresses allowed (type ecs.g7.xlarge: 15 per ENI)") {
		t.Errorf("IPv6 room: %q", got)
	}

	r := post(t, actionPost(m.Env, "ips", m.e.ID), m.form("family", "ipv4", "op", "assign", "count", "15"))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("15 more on an ecs.g7.xlarge ENI: status %d, want 422", r.status)
	}
	if msg := r.doc.Find(`[data-error="count"]`).Text(); !strings.Contains(msg, "ecs.g7.xlarge takes 15 per ENI") || !strings.Contains(msg, "at most 14 more") {
		t.Fatalf("message at count: %q", msg)
	}
	if v, _ := r.doc.Find(`#ips-count`).Attr("value"); v != "15" {
		t.Errorf("the count typed came back as %q", v)
	}
	if n := len(m.entries(t, audit.ActionAssignIPs)); n != 0 {
		t.Fatalf("a refused assignment reached the audit log: %d", n)
	}
	// 14 is what the type allows: the cloud takes them.
	r = post(t, actionPost(m.Env, "ips", m.e.ID), m.form("family", "ipv4", "op", "assign", "count", "14"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("14 more: status %d: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
	}
	if n := len(mustENI(t, m.Env, m.e.ID).SecondaryIPs()); n != 14 {
		t.Fatalf("%d secondary addresses in the cloud, want 14", n)
	}
	p = get(t, actionURL(m.Env, "ips", m.e.ID))
	if got := p.doc.Find(`[data-allowed="ipv4"]`).Text(); !strings.Contains(got, "0 more IPv4 addresses allowed") {
		t.Errorf("IPv4 room when full: %q", got)
	}
}

// An ENI not attached takes what the references give (49 secondary IPv4,
// 10 IPv6: see internal/eni's TestAddressLimitOf), the same limits the
// emulator applies: what the form lets through, the cloud accepts, and one
// more is refused by both.
func TestIPsAvailableLimitsAgreeWithTheCloud(t *testing.T) {
	m := startModify(t)
	p := get(t, actionURL(m.Env, "ips", m.e.ID))
	if got := p.doc.Find(`[data-allowed="ipv4"]`).Text(); !strings.Contains(got, "49 more IPv4 addresses allowed (not attached") {
		t.Errorf("IPv4 room: %q", got)
	}
	if got := p.doc.Find(`[data-allowed="ipv6"]`).Text(); !strings.Contains(got, "10 more IPv6 addresses allowed (not attached") {
		t.Errorf("IPv6 room: %q", got)
	}
	r := post(t, actionPost(m.Env, "ips", m.e.ID), m.form("family", "ipv4", "op", "assign", "count", "11"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("11 IPv4 on an Available ENI: status %d: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
	}
	r = post(t, actionPost(m.Env, "ips", m.e.ID), m.form("family", "ipv4", "op", "assign", "count", "39"))
	if msg := r.doc.Find(`[data-error="count"]`).Text(); r.status != http.StatusUnprocessableEntity || !strings.Contains(msg, "at most 49") {
		t.Fatalf("50 in all: status %d, message %q", r.status, msg)
	}
	ctx := context.Background()
	if _, err := m.Cloud.AssignAddresses(ctx, eni.AddressRequest{Region: "cn-hangzhou", ID: m.e.ID, Family: eni.FamilyIPv4, Count: 39}); !isCode(err, "InvalidOperation.Ipv4CountExceeded") {
		t.Fatalf("the cloud took the 50th secondary address the form refuses: %v", err)
	}
	if _, err := m.Cloud.AssignAddresses(ctx, eni.AddressRequest{Region: "cn-hangzhou", ID: m.e.ID, Family: eni.FamilyIPv4, Count: 38}); err != nil {
		t.Fatalf("the cloud refused the 49th secondary address: %v", err)
	}

	if mustENI(t, m.Env, m.e.ID).IPv6 != nil {
		t.Fatal("the new ENI has IPv6 addresses already")
	}
	if _, err := m.Cloud.AssignAddresses(ctx, eni.AddressRequest{Region: "cn-hangzhou", ID: m.e.ID, Family: eni.FamilyIPv6, Count: 3}); err != nil {
		t.Fatalf("IPv6 on the ENI's vSwitch: %v", err)
	}
	r = post(t, actionPost(m.Env, "ips", m.e.ID), m.form("family", "ipv6", "op", "assign", "count", "8"))
	if msg := r.doc.Find(`[data-error="count"]`).Text(); r.status != http.StatusUnprocessableEntity || !strings.Contains(msg, "at most 10") {
		t.Fatalf("11 IPv6 in all: status %d, message %q", r.status, msg)
	}
	if _, err := m.Cloud.AssignAddresses(ctx, eni.AddressRequest{Region: "cn-hangzhou", ID: m.e.ID, Family: eni.FamilyIPv6, Count: 8}); !isCode(err, "MaxEniIpv6IpsCountExceeded") {
		t.Fatalf("the cloud took the 11th IPv6 address the form refuses: %v", err)
	}
	r = post(t, actionPost(m.Env, "ips", m.e.ID), m.form("family", "ipv6", "op", "assign", "count", "7"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("10 IPv6 in all: status %d: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
	}
}

func isCode(err error, code string) bool {
	ce, ok := eni.AsCloudError(err)
	return ok && ce.Code == code
}
