package audit

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"enidash/internal/eni"
)

// Query parameters of the audit page, in their canonical order.
const (
	KeyActor   = "actor"
	KeyAction  = "action"
	KeyENI     = "eni"
	KeyBulk    = "bulk"
	KeyOutcome = "outcome"
	KeyFrom    = "from"
	KeyTo      = "to"
	KeyBefore  = "before"
	KeySize    = "size"
)

var keyOrder = []string{KeyActor, KeyAction, KeyENI, KeyBulk, KeyOutcome, KeyFrom, KeyTo, KeyBefore, KeySize}

// Actions lists every action the log records, for the filter's choices.
var Actions = []string{ActionCreate, ActionAttach, ActionDetach, ActionDelete, ActionModify, ActionAssignIPs,
	ActionUnassignIPs, ActionTag, ActionUntag, ActionSignIn, ActionSignOut, ActionUserChange}

// PageSizes are the page sizes the audit page offers; DefaultPageSize
// is used when none is given.
var PageSizes = []int{10, 20, 50, 100, 500}

const DefaultPageSize = 50

// How outcomes are written in a URL: a pending entry reads as "unknown",
// since after a crash nobody knows what the cloud did.
const (
	URLOutcomeOK      = "ok"
	URLOutcomeError   = "error"
	URLOutcomeUnknown = "unknown"
)

const dateLayout = "2006-01-02"

var (
	reENI = regexp.MustCompile(`^eni-[a-z0-9]{4,40}$`)
	// reBulk is the ID a bulk action gets (handlers' newBulkID): 8
	// random bytes in hex.
	reBulk   = regexp.MustCompile(`^bulk-[0-9a-f]{16}$`)
	reCursor = regexp.MustCompile(`^[0-9A-Za-z]{1,64}$`)
	// Times outside these bounds are typing mistakes, and beyond 2262 they
	// no longer fit the nanoseconds the store keeps.
	minTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Filter is one view of the audit page, as its URL says. From is
// inclusive and To exclusive; a date in the URL covers its whole UTC day.
type Filter struct {
	Actor   string
	Action  string
	ENIID   string
	Bulk    string // a bulk action's ID: its items
	Outcome Outcome
	From    time.Time
	To      time.Time
	Before  string // the entry ID the page starts after; "" is the newest page
	Size    int    // 0 is DefaultPageSize
}

// ParseFilter reads the audit page's query. Every bad value is reported
// with its parameter; unknown parameters are errors too. Empty values
// (as a submitted form sends them) are unset.
func ParseFilter(v url.Values) (Filter, eni.FieldErrors) {
	var errs eni.FieldErrors
	fail := func(field, value, msg string) {
		errs = append(errs, eni.FieldError{Field: field, Value: value, Message: msg})
	}
	for k := range v {
		if !slices.Contains(keyOrder, k) {
			fail(k, "", "is not a parameter of this page")
		}
	}
	one := func(key string) string {
		vs := v[key]
		if len(vs) > 1 {
			fail(key, strings.Join(vs, ","), "is given more than once")
		}
		if len(vs) == 0 {
			return ""
		}
		return strings.TrimSpace(vs[0])
	}
	var f Filter
	f.Actor = one(KeyActor)
	if len(f.Actor) > 128 || strings.IndexFunc(f.Actor, unicode.IsControl) >= 0 {
		fail(KeyActor, "", "is not a user name (at most 128 printable characters)")
	}
	if f.Action = one(KeyAction); f.Action != "" && !slices.Contains(Actions, f.Action) {
		fail(KeyAction, f.Action, "must be one of "+strings.Join(Actions, ", "))
	}
	if f.ENIID = strings.ToLower(one(KeyENI)); f.ENIID != "" && !reENI.MatchString(f.ENIID) {
		fail(KeyENI, f.ENIID, "is not an ENI ID (like eni-bp1…)")
	}
	// A bulk ID is pasted from the log or a link: the rejected value is
	// shown as sent, its control characters made visible.
	if s := one(KeyBulk); s != "" {
		if f.Bulk = strings.ToLower(s); !reBulk.MatchString(f.Bulk) {
			fail(KeyBulk, eni.ScrubControls(s), "is not a bulk action's ID (bulk- and 16 hexadecimal digits, as the bulk's entries show it)")
		}
	}
	switch s := one(KeyOutcome); s {
	case "":
	case URLOutcomeOK:
		f.Outcome = OutcomeOK
	case URLOutcomeError:
		f.Outcome = OutcomeError
	case URLOutcomeUnknown:
		f.Outcome = OutcomePending
	default:
		fail(KeyOutcome, s, "must be ok, error or unknown")
	}
	var msg string
	if s := one(KeyFrom); s != "" {
		if f.From, msg = parseBound(s, false); msg != "" {
			fail(KeyFrom, s, msg)
		}
	}
	if s := one(KeyTo); s != "" {
		if f.To, msg = parseBound(s, true); msg != "" {
			fail(KeyTo, s, msg)
		} else if !f.From.IsZero() && !f.From.Before(f.To) {
			fail(KeyTo, s, "must be later than from")
		}
	}
	if f.Before = one(KeyBefore); f.Before != "" && !reCursor.MatchString(f.Before) {
		fail(KeyBefore, f.Before, "is not a page position this page wrote; start again from the newest entries")
	}
	if s := one(KeySize); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || !slices.Contains(PageSizes, n) {
			fail(KeySize, s, "must be one of 10, 20, 50, 100, 500")
		} else if n != DefaultPageSize {
			f.Size = n
		}
	}
	return f, errs
}

// IsBulkID reports whether s is a bulk action's ID, as the bulk filter
// takes it.
func IsBulkID(s string) bool { return reBulk.MatchString(s) }

// parseBound reads a date (a whole UTC day) or an RFC 3339 time. As the
// end of a range (to), a date means the end of that day.
func parseBound(s string, end bool) (time.Time, string) {
	t, err := time.Parse(dateLayout, s)
	if err == nil && end {
		t = t.AddDate(0, 0, 1)
	}
	if err != nil {
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return time.Time{}, "is not a date (YYYY-MM-DD) or a time (like 2025-11-20T09:30:00Z)"
		}
		t = t.UTC()
	}
	if t.Before(minTime) || t.After(maxTime) {
		return time.Time{}, "must be between 2000 and 2199"
	}
	return t, ""
}

// formatBound writes a bound back: midnight as a date (for the end of a
// range, the day before it, which it ends), anything else as RFC 3339.
func formatBound(t time.Time, end bool) string {
	if t.IsZero() {
		return ""
	}
	if t.Equal(t.Truncate(24 * time.Hour)) {
		if end {
			t = t.AddDate(0, 0, -1)
		}
		return t.Format(dateLayout)
	}
	return t.Format(time.RFC3339Nano)
}

// Value is what the URL (and the filter form) holds for key.
func (f Filter) Value(key string) string {
	switch key {
	case KeyActor:
		return f.Actor
	case KeyAction:
		return f.Action
	case KeyENI:
		return f.ENIID
	case KeyBulk:
		return f.Bulk
	case KeyOutcome:
		return URLOutcome(f.Outcome)
	case KeyFrom:
		return formatBound(f.From, false)
	case KeyTo:
		return formatBound(f.To, true)
	case KeyBefore:
		return f.Before
	case KeySize:
		if f.Size != 0 && f.Size != DefaultPageSize {
			return strconv.Itoa(f.Size)
		}
	}
	return ""
}

// URLOutcome is how an outcome is written in a URL, "" for none.
func URLOutcome(o Outcome) string {
	switch o {
	case OutcomeOK:
		return URLOutcomeOK
	case OutcomeError:
		return URLOutcomeError
	case OutcomePending, OutcomeUnknown:
		return URLOutcomeUnknown
	}
	return ""
}

// Encode is the canonical query string of the view: set keys only, in
// keyOrder, so one view always has one URL.
func (f Filter) Encode() string {
	var b strings.Builder
	for _, k := range keyOrder {
		v := f.Value(k)
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(eni.QueryEscape(v))
	}
	return b.String()
}

// PageSize is the number of entries a page shows.
func (f Filter) PageSize() int {
	if f.Size == 0 {
		return DefaultPageSize
	}
	return f.Size
}

// Older is the same view from the page after cursor.
func (f Filter) Older(cursor string) Filter {
	f.Before = cursor
	return f
}

// Newest is the same view from its newest entry.
func (f Filter) Newest() Filter {
	f.Before = ""
	return f
}

// LogQuery is what the view asks of the Log.
func (f Filter) LogQuery() Query {
	return Query{Actor: f.Actor, Action: f.Action, ENIID: f.ENIID, Bulk: f.Bulk, Outcome: f.Outcome,
		From: f.From, To: f.To, Before: f.Before, Limit: f.PageSize()}
}
