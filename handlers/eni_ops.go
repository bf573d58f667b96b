package handlers

import (
	"context"
	"strconv"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// eniOp is one asynchronous change to an existing ENI, as the single-ENI
// pages, the bulk path and the rows of the live view all know it: the
// cloud's API, the audit action, when it is allowed, the call itself, the
// status it puts the ENI in and how a message says it is under way.
type eniOp struct {
	name  string // views.ActionAttach, …: the path segment and the form's action
	api   string
	audit string
	// blocked says why the ENI cannot take the change ("" when it can);
	// stuck is the live view's flag for an ENI too long in transition.
	blocked func(e eni.ENI, stuck bool) string
	// call asks the cloud for the change.
	call func(ctx context.Context, w eni.Writer, e eni.ENI, in opInput) (eni.Result, error)
	// pending is the status the change puts the ENI in at once.
	pending eni.Status
	// verb starts the messages: "Detaching".
	verb string
	// doing says what was asked, for messages: "Detaching eni-… from i-…".
	doing func(e eni.ENI, in opInput) string
	// then is what the accepted change leads to, after doing.
	then string
}

// opInput is what an operator chooses beyond the ENI: for attach, the
// instance and the optional network card index.
type opInput struct {
	Instance  string
	CardIndex *int
}

var (
	opAttach = &eniOp{
		name: views.ActionAttach, api: "AttachNetworkInterface", audit: audit.ActionAttach,
		blocked: func(e eni.ENI, _ bool) string { return eni.AttachBlocked(e) },
		call: func(ctx context.Context, w eni.Writer, e eni.ENI, in opInput) (eni.Result, error) {
			return w.AttachENI(ctx, eni.AttachRequest{Region: e.RegionID, ENIID: e.ID, InstanceID: in.Instance,
				NetworkCardIndex: in.CardIndex})
		},
		pending: eni.StatusAttaching, verb: "Attaching",
		doing: func(e eni.ENI, in opInput) string { return "Attaching " + label(e) + " to " + in.Instance },
		then:  "; it becomes InUse in a few seconds.",
	}
	opDetach = &eniOp{
		name: views.ActionDetach, api: "DetachNetworkInterface", audit: audit.ActionDetach,
		blocked: eni.DetachBlocked,
		call: func(ctx context.Context, w eni.Writer, e eni.ENI, _ opInput) (eni.Result, error) {
			return w.DetachENI(ctx, eni.DetachRequest{Region: e.RegionID, ENIID: e.ID, InstanceID: e.InstanceID})
		},
		pending: eni.StatusDetaching, verb: "Detaching",
		doing: func(e eni.ENI, _ opInput) string { return "Detaching " + label(e) + " from " + e.InstanceID },
		then:  "; it becomes Available in a few seconds.",
	}
	opDelete = &eniOp{
		name: views.ActionDelete, api: "DeleteNetworkInterface", audit: audit.ActionDelete,
		blocked: eni.DeleteBlocked,
		call: func(ctx context.Context, w eni.Writer, e eni.ENI, _ opInput) (eni.Result, error) {
			return w.DeleteENI(ctx, e.RegionID, e.ID)
		},
		pending: eni.StatusDeleting, verb: "Deleting",
		doing: func(e eni.ENI, _ opInput) string { return "Deleting " + label(e) },
		then:  ".",
	}
)

// bulkOps are the operations a bulk request may ask for, by name.
var bulkOps = map[string]*eniOp{views.ActionDetach: opDetach, views.ActionDelete: opDelete}

// entry is the audit entry of the change, its parameters recorded.
func (o *eniOp) entry(e eni.ENI, in opInput) audit.Entry {
	en := audit.Entry{Action: o.audit, API: o.api, Region: e.RegionID, ENIID: e.ID}
	switch o {
	case opAttach:
		en.InstanceID, en.Params = in.Instance, map[string]string{"instance": in.Instance}
		if in.CardIndex != nil {
			en.Params["card_index"] = strconv.Itoa(*in.CardIndex)
		}
	case opDetach:
		en.InstanceID, en.Params = e.InstanceID, map[string]string{"instance": e.InstanceID}
	}
	if eni.Retry(e) {
		// A repeat of a change the cloud has not finished.
		if en.Params == nil {
			en.Params = map[string]string{}
		}
		en.Params["retry"] = "stuck in " + string(e.Status)
	}
	return en
}

// run makes the change through the one audited path.
func (h *Handler) runOp(a actor, o *eniOp, e eni.ENI, in opInput, bulk string) (eni.Result, error) {
	en := o.entry(e, in)
	en.Bulk = bulk
	return h.act(a, en, func(ctx context.Context) (eni.Result, error) { return o.call(ctx, h.Cloud, e, in) })
}

// stuck reports whether the live view flags e as stuck in its
// transitional state. The flag is this dashboard's: the hub notes when it
// first saw the ENI in that state (the cloud reports no such time), so a
// retry is offered where, and only where, the flag is shown. Without live
// updates nothing is ever stuck.
func (h *Handler) stuck(e eni.ENI) bool {
	return h.Live != nil && e.Status.Transitional() && h.Live.StuckFor([]eni.ENI{e})[e.ID] > 0
}

// stuckSet is stuck for several ENIs at once.
func (h *Handler) stuckSet(es []eni.ENI) map[string]bool {
	out := map[string]bool{}
	if h.Live == nil {
		return out
	}
	for id := range h.Live.StuckFor(es) {
		out[id] = true
	}
	return out
}
