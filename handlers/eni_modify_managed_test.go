package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

// An ENI managed by a cloud service is changed by that service only: its
// page offers neither Edit nor Addresses, and the forms refuse it with the
// reason before any cloud call.
func TestModifyRefusesServiceManaged(t *testing.T) {
	m := startModify(t)
	yes := true
	page, err := m.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Managed: &yes}})
	if err != nil || len(page.ENIs) == 0 {
		t.Fatalf("no service-managed ENI in the seed: %v", err)
	}
	managed := page.ENIs[0]
	d := get(t, m.URL+"/enis/"+managed.ID+"?region=cn-hangzhou")
	if d.status != http.StatusOK || d.doc.Find(`[data-action="edit"],[data-action="ips"]`).Length() != 0 {
		t.Fatalf("the page of a service-managed ENI (status %d) offers Edit or Addresses", d.status)
	}
	for _, path := range []string{"edit", "ips"} {
		if p := get(t, actionURL(m.Env, path, managed.ID)); p.status != http.StatusConflict || !strings.Contains(p.body, "cloud service") {
			t.Errorf("GET %s: status %d, want 409 saying a cloud service manages it", path, p.status)
		}
	}
	for _, path := range []string{"edit", "ips", "tags"} {
		r := post(t, actionPost(m.Env, path, managed.ID), m.form("name", "mine-now", "family", "ipv4", "op", "assign", "count", "1", "tags", "a=b"))
		if r.status != http.StatusConflict {
			t.Errorf("POST %s: status %d, want 409", path, r.status)
		}
	}
	p, err := m.Audit.Query(context.Background(), audit.Query{ENIID: managed.ID})
	if err != nil || len(p.Entries) != 0 {
		t.Fatalf("a refused change reached the audit log: %d entries", len(p.Entries))
	}
}
