package views

import (
	"net/url"

	"enidash/internal/eni"
)

// Actions on one ENI.
const (
	ActionAttach = "attach"
	ActionDetach = "detach"
	ActionDelete = "delete"
)

// ActionPage asks for what an action on one ENI needs (a confirmation, an
// instance) and shows why it cannot be done, or how it failed.
type ActionPage struct {
	Chrome
	Action string // ActionAttach, ActionDetach or ActionDelete
	ENI    eni.ENI
	Back   string // where to go after the action, or on Cancel
	// Blocked says why the action is not possible at all.
	Blocked string
	// Attach: the instances of the ENI's VPC, eligible or not, the choice
	// made, and the optional network card index as typed.
	Instances []InstanceChoice
	Instance  string
	CardIndex string
	Errors    eni.FieldErrors
	Failure   *Failure
	// Fragment is set when htmx asked for the panel alone.
	Fragment bool
}

// InstanceChoice is an instance offered by the attach picker.
type InstanceChoice struct {
	eni.Instance
	Attaching int    // ENIs on their way to it, not yet in ENICount
	Blocked   string // why this ENI cannot go to it, "" when it can
}

// Failure is a failed cloud call, explained: what happened in words, what
// to do next, and the cloud's own code, message and RequestId.
type Failure struct {
	Summary string
	Next    string
	Cloud   *eni.CloudError
}

// BulkPage confirms a bulk action, then reports each ENI's result.
type BulkPage struct {
	Chrome
	Action string // ActionDetach or ActionDelete
	Back   string
	Items  []BulkItem
	// Done is set once the action ran: Items then carry results.
	Done     bool
	Fragment bool
	Message  string // a problem with the request as a whole
	// View is the canonical query of the view when the bulk is every ENI
	// of it ("" for ticked rows); Run is set while it runs (bulk_progress).
	View string
	Run  *BulkRun
}

// BulkItem is one selected ENI: whether the action applies to it and, once
// done, how it went.
type BulkItem struct {
	ID      string
	ENI     *eni.ENI // nil when the ENI no longer exists
	Blocked string
	Failure *Failure
	// Unknown is set when the cloud did not answer in time: the change
	// may or may not have been made.
	Unknown bool
	// Finished is set once the item's call has its result.
	Finished bool
}

// Eligible counts the items the action applies to.
func (p BulkPage) Eligible() int {
	n := 0
	for _, it := range p.Items {
		if it.Blocked == "" {
			n++
		}
	}
	return n
}

// ActionTitle is the action's name as a button says it.
func ActionTitle(action string) string { return actionTitle(action) }

// ActionURL is the page of an action on one ENI, coming back to back.
func ActionURL(action, region, id, back string) string {
	q := url.Values{"region": {region}}
	if back != "" {
		q.Set("back", back)
	}
	return "/enis/" + url.PathEscape(id) + "/" + action + "?" + q.Encode()
}

// ActionPost is where an action's form posts.
func ActionPost(action, id string) string {
	return "/enis/" + url.PathEscape(id) + "/" + action
}

// NewENIURL is the create form for a region.
func NewENIURL(region string) string {
	return "/enis/new?region=" + url.QueryEscape(region)
}
