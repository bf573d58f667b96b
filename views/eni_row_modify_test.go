package views

import (
	"testing"

	"enidash/internal/eni"
)

// TestENIRowModifyLinks: an operator reaches an ENI's Edit and Addresses
// pages from its row, when the ENI can be changed (not in transition, not
// managed by a cloud service); a viewer never sees them.
func TestENIRowModifyLinks(t *testing.T) {
	base := eni.ENI{ID: "eni-bp1rowmodify0000001", Status: eni.StatusInUse, Type: eni.TypeSecondary, RegionID: "cn-hangzhou",
		InstanceID: "i-bp1web", VpcID: "vpc-1", ZoneID: "cn-hangzhou-h"}
	with := func(f func(*eni.ENI)) eni.ENI { e := base; f(&e); return e }
	tests := []struct {
		name   string
		e      eni.ENI
		canAct bool
		offer  bool
	}{
		{"operator, InUse", base, true, true},
		{"operator, Available", with(func(e *eni.ENI) { e.Status, e.InstanceID = eni.StatusAvailable, "" }), true, true},
		{"operator, primary ENI", with(func(e *eni.ENI) { e.Type = eni.TypePrimary }), true, true},
		{"operator, Attaching", with(func(e *eni.ENI) { e.Status = eni.StatusAttaching }), true, false},
		{"operator, Deleting", with(func(e *eni.ENI) { e.Status, e.InstanceID = eni.StatusDeleting, "" }), true, false},
		{"operator, managed by a service", with(func(e *eni.ENI) { e.ServiceManaged = true }), true, false},
		{"viewer", base, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := RowContext{Region: "cn-hangzhou", Now: testNow, CanAct: tt.canAct, Back: "/enis?region=cn-hangzhou"}
			row := parse(t, "<table><tbody>"+renderHTML(t, ENIRow(tt.e, rc))+"</tbody></table>").Find("tr")
			edit, ips := row.Find(`a[data-action="edit"]`), row.Find(`a[data-action="ips"]`)
			if !tt.offer {
				if edit.Length()+ips.Length() != 0 {
					t.Fatalf("offers Edit or Addresses")
				}
				return
			}
			if href, _ := edit.Attr("href"); href != ModifyURL(FormEdit, "cn-hangzhou", tt.e.ID) || text(edit) != "Edit" {
				t.Errorf("Edit link %q %q", href, text(edit))
			}
			if href, _ := ips.Attr("href"); href != ModifyURL(FormIPs, "cn-hangzhou", tt.e.ID) || text(ips) != "Addresses" {
				t.Errorf("Addresses link %q %q", href, text(ips))
			}
		})
	}
}
