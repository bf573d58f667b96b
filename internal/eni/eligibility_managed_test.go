package eni

import "testing"

// TestManagedENIOffersNoAction: an ENI a cloud service manages cannot be
// attached, detached or deleted from enidash, whatever its state, and the
// reason names the service rather than the state.
func TestManagedENIOffersNoAction(t *testing.T) {
	for _, st := range []Status{StatusInUse, StatusAvailable, StatusDetaching, StatusDeleting} {
		e := ENI{ID: "eni-x", Type: TypeSecondary, Status: st, ServiceManaged: true, ServiceID: 1598432612002}
		if st == StatusInUse {
			e.InstanceID = "i-x"
		}
		for name, got := range map[string]string{
			"attach": AttachBlocked(e),
			"detach": DetachBlocked(e, true),
			"delete": DeleteBlocked(e, true),
		} {
			if got != ManagedReason {
				t.Errorf("%s of a managed %s ENI: blocked %q, want %q", name, st, got, ManagedReason)
			}
		}
	}
}
