package views

import (
	"strings"
	"testing"

	"enidash/internal/eni"
)

// TestENIRowServiceManaged: an ENI a cloud service manages (InUse, no
// instance) says so in its row, and an operator reads why no action is
// offered instead of an empty actions cell.
func TestENIRowServiceManaged(t *testing.T) {
	managed := eni.ENI{ID: "eni-bp1managed000000001", Status: eni.StatusInUse, Type: eni.TypeSecondary,
		ServiceManaged: true, ServiceID: 1598432612002, VpcID: "vpc-1", ZoneID: "cn-hangzhou-h"}
	plain := managed
	plain.ID, plain.ServiceManaged, plain.ServiceID, plain.Status = "eni-bp1plain00000000001", false, 0, eni.StatusAvailable

	for _, canAct := range []bool{false, true} {
		rc := RowContext{Region: "cn-hangzhou", Now: testNow, CanAct: canAct}
		doc := parse(t, "<table><tbody>"+renderHTML(t, ENIRow(managed, rc))+renderHTML(t, ENIRow(plain, rc))+"</tbody></table>")
		row := doc.Find("#" + RowID(managed.ID))
		if got := text(row.Find(`[data-col="status"] [data-managed]`)); !strings.Contains(got, "Managed by a cloud service") {
			t.Errorf("canAct=%v: status cell says %q, want it to name the cloud service", canAct, got)
		}
		if got := text(doc.Find("#" + RowID(plain.ID)).Find("[data-managed]")); got != "" {
			t.Errorf("canAct=%v: an ENI no service manages is marked %q", canAct, got)
		}
		actions := row.Find(`[data-col="actions"]`)
		if !canAct {
			if actions.Length() != 0 {
				t.Errorf("a viewer sees an actions cell")
			}
			continue
		}
		if n := actions.Find("a").Length(); n != 0 {
			t.Errorf("a managed ENI offers %d actions", n)
		}
		if got := text(actions); !strings.Contains(got, "cloud service") {
			t.Errorf("actions cell says %q, want the reason none is offered", got)
		}
	}
}

// TestBulkResultsShowNewState: the results of a bulk delete show each
// ENI in the state its row now has (Deleting), not the Available it had
// when the action was confirmed, and mark the badge for live updates.
func TestBulkResultsShowNewState(t *testing.T) {
	before := eni.ENI{ID: "eni-bp1bulk00000000001", Status: eni.StatusAvailable, Type: eni.TypeSecondary, RegionID: "cn-hangzhou"}
	after := before
	after.Status = eni.StatusDeleting
	p := BulkPage{Action: ActionDelete, Done: true, Fragment: true, Items: []BulkItem{{ID: before.ID, ENI: &before}}}
	doc := render(t, BulkDoneOOB(p, Flash{Kind: "ok", Message: "Deleted 1 of 1 selected ENIs."}, []eni.ENI{after},
		RowContext{Region: "cn-hangzhou", Now: testNow, CanAct: true}))
	badge := doc.Find(`#dialog [data-status-of="` + before.ID + `"] [data-status]`)
	if got := badge.AttrOr("data-status", ""); got != string(eni.StatusDeleting) {
		t.Errorf("results show %s as %q, want Deleting", before.ID, got)
	}
	if p.Items[0].ENI.Status != eni.StatusAvailable {
		t.Errorf("rendering the results changed the page's items")
	}
}
