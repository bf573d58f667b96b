// Package views holds the templ components of enidash and the page data
// they render. Handlers fill these structs; components only read them.
package views

import (
	"net/url"
	"time"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

// Chrome is what every full page shows around its content.
type Chrome struct {
	Title   string
	Region  string       // the region in view, for the switcher
	Regions []eni.Region // empty when the cloud could not be asked
	Nav     string       // which nav entry is active: "enis", "audit", "users"
	// CSRF is the token every state-changing form and htmx request sends.
	CSRF string
	// User is who is signed in ("" when sign-in is off); CanAct says they
	// may change ENIs, IsAdmin that they manage users.
	User    string
	CanAct  bool
	IsAdmin bool
	Flashes []Flash
	// StorageDown is set while the database cannot be written (or, with
	// PostgreSQL, reached): reads go on from memory, changes are refused.
	StorageDown string
}

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // "ok", "error" or "info"
	Message string
	// Link, when set, points to what the message names (a new ENI).
	Link      string
	LinkLabel string
}

// Pickers are the real values of a region offered by the filter inputs.
type Pickers struct {
	VPCs           []eni.VPC
	VSwitches      []eni.VSwitch
	SecurityGroups []eni.SecurityGroup
	Instances      []eni.Instance
}

// ListPage is the ENI list: one page of one view.
type ListPage struct {
	Chrome
	// View is the view, canonical: its Query() is this page's URL. Filter
	// is its part the cloud's filters express (View.Filter).
	View    eni.View
	Filter  eni.Filter
	Search  string // what the search box held when it was rejected, else ""
	Pickers Pickers
	ENIs    []eni.ENI
	// NextToken is the cloud's token for the next page; "" on the last page.
	NextToken  string
	TotalCount int
	// Errors lists bad query parameters; the table is not shown with them.
	Errors eni.FieldErrors
	// CloudErr is set when the cloud failed; TokenExpired when it refused
	// the page token of a bookmark (offer the first page of the same view).
	CloudErr     *eni.CloudError
	TokenExpired bool
	// Raw is the query as received, so a page with Errors can show and
	// keep what the user typed.
	Raw url.Values
	// Now is when the page was rendered, for "created 3 days ago".
	Now time.Time
	// LiveURL is the event stream of this view ("" turns live updates off).
	LiveURL string
	// Stuck maps an ENI ID to how long it has been in its transitional
	// status, only for those past the configured threshold.
	Stuck map[string]time.Duration
	// Snapshot is set when the page was answered from the region's
	// inventory; Indexing while the region's first listing runs.
	Snapshot *Snapshot
	Indexing *Indexing
	// Names names the VPCs, vSwitches, security groups and instances
	// beside their IDs; nil: none known.
	Names func(id string) string
	// Notice is a message about this request shown above the table
	// (Refresh now's outcome); Kind "" shows none.
	Notice Flash
}

// Snapshot is what a page answered from the inventory knows beyond its
// rows.
type Snapshot struct {
	AsOf  time.Time // the snapshot's last complete listing
	Pages int
	// Statuses and Types count the view's ENIs per value, each as if the
	// view did not filter on it.
	Statuses map[eni.Status]int
	Types    map[eni.Type]int
}

// Indexing is the progress of a region's first listing. NeedsIndex says
// the view asks for what only the index answers (search, sort, zone, age,
// a numbered page), so the page has no rows yet.
type Indexing struct {
	Region        string
	Listed, Total int
	NeedsIndex    bool
}

// DetailPage shows one ENI.
type DetailPage struct {
	Chrome
	ENI      eni.ENI
	CloudErr *eni.CloudError
	Now      time.Time
	// History is the ENI's audit trail, newest first; nil when it could
	// not be read (the section is then left out).
	History []audit.Entry
	// Stuck is how long the ENI has been in its transitional status, set
	// only once that is past the configured threshold.
	Stuck time.Duration
	// LiveURL is the event stream of this ENI ("" turns live updates off).
	LiveURL string
}

// ErrorPage is a whole page for an error that has nothing else to show.
type ErrorPage struct {
	Chrome
	Status  int
	Heading string
	Message string
	// Back is a link offered to get out, e.g. the first page of a view.
	Back      string
	BackLabel string
	// More is a second way on, e.g. a deleted ENI's audit history.
	More      string
	MoreLabel string
}

// ListURL is the canonical URL of a view.
func ListURL(f eni.Filter) string {
	if q := f.Query(); q != "" {
		return "/enis?" + q
	}
	return "/enis"
}

// ViewURL is the canonical URL of a view with the inventory's keys.
func ViewURL(vw eni.View) string {
	if q := vw.Query(); q != "" {
		return "/enis?" + q
	}
	return "/enis"
}

// ViewExportURL is the export of the whole view, in its order.
func ViewExportURL(vw eni.View, format string) string {
	vw.Page, vw.Size, vw.Trail = 0, 0, nil
	if q := vw.Query(); q != "" {
		return "/enis." + format + "?" + q
	}
	return "/enis." + format
}

// ExportURL is the URL of the whole view (all pages) in a format ("csv" or "json").
func ExportURL(f eni.Filter, format string) string {
	f = f.FirstPage()
	f.Size = 0
	if q := f.Query(); q != "" {
		return "/enis." + format + "?" + q
	}
	return "/enis." + format
}

// DetailURL is the URL of one ENI's page.
func DetailURL(region, id string) string {
	return "/enis/" + url.PathEscape(id) + "?region=" + url.QueryEscape(region)
}

// FilteredURL is the first page of the region's list with one filter set,
// e.g. FilteredURL("cn-hangzhou", eni.KeyInstance, "i-bp1…"). Region then
// one key is already the canonical order. A value the list would reject is
// kept, so the list page says what is wrong with it.
func FilteredURL(region, key, value string) string {
	return "/enis?" + eni.KeyRegion + "=" + eni.QueryEscape(region) + "&" + key + "=" + eni.QueryEscape(value)
}
