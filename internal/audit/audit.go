// Package audit is the append-only record of every change made through
// enidash: who did what, to which ENI, and what the cloud answered.
package audit

import (
	"context"
	"time"
)

// Outcome is how an action ended.
type Outcome string

const (
	// OutcomePending is written with the intent, before the cloud is
	// called; an entry still pending after a crash reads as "unknown".
	OutcomePending Outcome = "pending"
	OutcomeOK      Outcome = "ok"
	OutcomeError   Outcome = "error"
	// OutcomeUnknown is a finished outcome: the request may have reached
	// the cloud, but no answer came (its deadline passed, or the
	// connection failed after sending). The ENI's state tells what
	// happened.
	OutcomeUnknown Outcome = "unknown"
)

// Actions recorded. Bulk items use the same action as a single change,
// with Bulk set to the bulk request's ID.
const (
	ActionCreate = "eni.create"
	ActionAttach = "eni.attach"
	ActionDetach = "eni.detach"
	ActionDelete = "eni.delete"
	// Changes to an ENI after it exists.
	ActionModify      = "eni.modify"
	ActionAssignIPs   = "eni.assign_ips"
	ActionUnassignIPs = "eni.unassign_ips"
	ActionTag         = "eni.tag"
	ActionUntag       = "eni.untag"
	ActionSignIn      = "auth.signin"
	ActionSignOut     = "auth.signout"
	ActionUserChange  = "user.change"
)

// Entry is one recorded action.
type Entry struct {
	ID         string
	Time       time.Time // UTC, when the intent was written
	Actor      string    // the user name, or "anonymous"
	AuthMethod string    // how the actor was authenticated: password, proxy, none
	SourceIP   string
	UserAgent  string
	Action     string // one of the Action constants
	API        string // the cloud API called, e.g. AttachNetworkInterface
	Region     string
	ENIID      string
	InstanceID string
	Bulk       string            // the bulk request this item belongs to, if any
	Params     map[string]string // what was asked, secrets redacted
	Outcome    Outcome
	ErrorCode  string
	ErrorMsg   string
	RequestID  string
	Duration   time.Duration
}

// Finish is what becomes known once the cloud has answered.
type Finish struct {
	Outcome   Outcome
	ENIID     string // set when the action learnt it (create)
	ErrorCode string
	ErrorMsg  string
	RequestID string
	Duration  time.Duration
}

// Query selects entries, newest first. Zero fields do not filter.
type Query struct {
	Actor   string
	Action  string
	ENIID   string
	Bulk    string  // a bulk action's ID: its items
	Outcome Outcome // OutcomeUnknown (or OutcomePending) selects both
	From    time.Time
	To      time.Time
	// Before pages back: only entries older than the entry with this ID.
	Before string
	Limit  int
}

// Outcomes are the stored outcomes q.Outcome selects: an entry still
// pending and one finished as unknown both read as "unknown", since
// neither says what the cloud did.
func (q Query) Outcomes() []Outcome {
	switch q.Outcome {
	case "":
		return nil
	case OutcomePending, OutcomeUnknown:
		return []Outcome{OutcomeUnknown, OutcomePending}
	}
	return []Outcome{q.Outcome}
}

// Finished reports whether o is an outcome Finish records.
func (o Outcome) Finished() bool {
	return o == OutcomeOK || o == OutcomeError || o == OutcomeUnknown
}

// Page is one page of entries; Next is the Before of the next page, or "".
type Page struct {
	Entries []Entry
	Next    string
}

// Log records actions. Begin writes the intent and returns the entry's
// ID; Finish writes the outcome. Nothing is ever updated otherwise or
// deleted, except by retention.
type Log interface {
	Begin(ctx context.Context, e Entry) (string, error)
	Finish(ctx context.Context, id string, f Finish) error
	Query(ctx context.Context, q Query) (Page, error)
}
