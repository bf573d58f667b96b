package views

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

func sampleAudit() AuditPage {
	c := chrome()
	c.Title, c.Nav = "Audit log", "audit"
	return AuditPage{
		Chrome: c,
		Filter: audit.Filter{Actor: "alice", Size: 10},
		Entries: []audit.Entry{
			{ID: "e3", Time: testNow.Add(-time.Minute), Actor: "alice", AuthMethod: "password", Action: audit.ActionDelete,
				API: "DeleteNetworkInterface", Region: "cn-hangzhou", ENIID: "eni-bp1aaaa1111", Outcome: audit.OutcomePending},
			{ID: "e2", Time: testNow.Add(-time.Hour), Actor: "alice", Action: audit.ActionAttach, API: "AttachNetworkInterface",
				Region: "cn-shanghai", ENIID: "eni-uf6bbbb2222", InstanceID: "i-uf6inst0001", Outcome: audit.OutcomeError,
				ErrorCode: "InvalidOperation.InvalidEniState", ErrorMsg: "The ENI is not Available.", RequestID: "REQ-2",
				Duration: 2500 * time.Millisecond, SourceIP: "192.0.2.7", UserAgent: "Firefox/140", Bulk: "bulk-9",
				Params: map[string]string{"InstanceId": "i-uf6inst0001", "NetworkCardIndex": "0"}},
			{ID: "e1", Time: testNow.Add(-25 * time.Hour), Actor: "alice", Action: audit.ActionSignIn, Outcome: audit.OutcomeOK,
				RequestID: "", Duration: 40 * time.Millisecond},
		},
		Next: "e1",
		Now:  testNow,
	}
}

func TestAuditPageTable(t *testing.T) {
	p := sampleAudit()
	doc := render(t, AuditPageView(p))
	rows := doc.Find("#audit-table tbody tr")
	if rows.Length() != 3 {
		t.Fatalf("%d rows, want 3", rows.Length())
	}
	if got := doc.Find("title").Text(); got != "Audit log · enidash" {
		t.Errorf("title %q", got)
	}
	if got := text(doc.Find("#audit-table thead")); got != "Time (UTC) Actor Action API Region ENI Instance Outcome RequestId Duration Source IP Details" {
		t.Errorf("headings %q", got)
	}
	tests := []struct {
		row                  int
		outcome, badgeColour string
		want                 []string
	}{
		{0, "unknown", "bg-amber-50", []string{"2025-11-20 09:29:00", "alice password", "eni.delete", "unknown outcome", "DeleteNetworkInterface"}},
		{1, "error", "bg-red-50", []string{"error InvalidOperation.InvalidEniState The ENI is not Available.", "REQ-2", "2.5 s", "192.0.2.7", "bulk", "i-uf6inst0001"}},
		{2, "ok", "bg-emerald-50", []string{"2025-11-19 08:30:00", "ok", "40 ms"}},
	}
	for _, tt := range tests {
		r := rows.Eq(tt.row)
		if got := r.AttrOr("data-outcome", ""); got != tt.outcome {
			t.Errorf("row %d outcome %q, want %q", tt.row, got, tt.outcome)
		}
		if !r.Find(".badge").HasClass(tt.badgeColour) {
			t.Errorf("row %d badge is not %s", tt.row, tt.badgeColour)
		}
		for _, w := range tt.want {
			if !strings.Contains(text(r), w) {
				t.Errorf("row %d %q lacks %q", tt.row, text(r), w)
			}
		}
	}
	if got := rows.Eq(0).Find("time").AttrOr("title", ""); got != "1 minute ago" {
		t.Errorf("time title %q", got)
	}

	e2 := rows.Eq(1)
	if got := hrefs(e2); !slices.Contains(got, "/enis/eni-uf6bbbb2222?region=cn-shanghai") ||
		!slices.Contains(got, "/audit?actor=alice&eni=eni-uf6bbbb2222&size=10") ||
		!slices.Contains(got, "/audit?actor=alice&action=eni.attach&size=10") {
		t.Errorf("row links %q", got)
	}
	if got := text(e2.Find("details")); got != "2 parameters InstanceId i-uf6inst0001 NetworkCardIndex 0 Bulk bulk-9 Browser Firefox/140 Entry e2" {
		t.Errorf("details %q", got)
	}
	if got := text(rows.Eq(0).Find("td").Eq(9)); got != "—" {
		t.Errorf("a pending entry shows a duration: %q", got)
	}

	if got := text(doc.Find("#audit-counts")); got != "3 entries" {
		t.Errorf("counts %q", got)
	}
	if got := doc.Find("#audit-export").AttrOr("href", ""); got != "/audit.csv?actor=alice" {
		t.Errorf("export link %q", got)
	}
	if got := hrefs(doc.Find("#audit-pager")); !slices.Equal(got, []string{"/audit?actor=alice&before=e1&size=10"}) {
		t.Errorf("pager on the newest page %q", got)
	}
	p.Filter.Before, p.Next = "e9", ""
	doc = render(t, AuditPageView(p))
	if got := hrefs(doc.Find("#audit-pager")); !slices.Equal(got, []string{"/audit?actor=alice&size=10"}) {
		t.Errorf("pager on the last page %q", got)
	}
	if got := text(doc.Find("#audit-counts")); got != "3 older entries" {
		t.Errorf("counts %q", got)
	}
}

func TestAuditPageFormShowsTheView(t *testing.T) {
	p := sampleAudit()
	p.Filter = audit.Filter{Action: audit.ActionAttach, Outcome: audit.OutcomePending,
		From: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC), Before: "e5"}
	doc := render(t, AuditPageView(p))
	for sel, want := range map[string]string{
		"#a-from": "2025-11-01", "#a-to": "2025-11-20", "#a-actor": "",
	} {
		if got := doc.Find(sel).AttrOr("value", "?"); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	for sel, want := range map[string]string{"#a-action": "eni.attach", "#a-outcome": "unknown", "#a-size": "50"} {
		if got := doc.Find(sel+" option[selected]").AttrOr("value", "?"); got != want {
			t.Errorf("%s selects %q, want %q", sel, got, want)
		}
	}
	if doc.Find(`#audit-filters [name="before"]`).Length() != 0 {
		t.Error("the form keeps the page position, so a new filter would not start at the newest entry")
	}
}

func TestAuditPageErrors(t *testing.T) {
	p := sampleAudit()
	p.Entries, p.Next = nil, ""
	p.Raw = url.Values{"actor": {"alice"}, "outcome": {"maybe"}, "size": {"7"}}
	p.Errors = eni.FieldErrors{
		{Field: "outcome", Value: "maybe", Message: "must be ok, error or unknown"},
		{Field: "size", Value: "7", Message: "must be one of 10, 20, 50, 100, 500"},
	}
	doc := render(t, AuditPageView(p))
	if got := text(doc.Find(`[data-banner="field-errors"] li`)); got != "Outcome (maybe) must be ok, error or unknown Page size (7) must be one of 10, 20, 50, 100, 500" {
		t.Errorf("banner %q", got)
	}
	if got := text(doc.Find(`[data-field-error="outcome"]`)); got != "Must be ok, error or unknown" {
		t.Errorf("message at the field %q", got)
	}
	if !doc.Find("#a-outcome").HasClass("input-invalid") || doc.Find("#a-actor").HasClass("input-invalid") {
		t.Error("the wrong inputs are marked")
	}
	if got := doc.Find("#a-size option[selected]").AttrOr("value", ""); got != "7" {
		t.Errorf("size shows %q, not what was sent", got)
	}
	if doc.Find("#audit-table, #audit-export").Length() != 0 {
		t.Error("a rejected view shows entries")
	}
}

func TestAuditPageEmpty(t *testing.T) {
	tests := []struct {
		name   string
		filter audit.Filter
		want   string
		link   string
	}{
		{"nothing recorded", audit.Filter{}, "Nothing recorded yet", ""},
		{"filtered", audit.Filter{Actor: "zed"}, "No entries match these filters", "/audit"},
		{"past the end", audit.Filter{Actor: "zed", Before: "e1"}, "No older entries", "/audit?actor=zed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sampleAudit()
			p.Filter, p.Entries, p.Next = tt.filter, nil, ""
			empty := render(t, AuditPageView(p)).Find("[data-empty]")
			if !strings.HasPrefix(text(empty), tt.want) {
				t.Errorf("empty state %q", text(empty))
			}
			if got := strings.Join(hrefs(empty), " "); got != tt.link {
				t.Errorf("links %q, want %q", got, tt.link)
			}
		})
	}
}

func TestAuditPageEscapes(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	p := sampleAudit()
	e := &p.Entries[1]
	e.Actor, e.AuthMethod, e.UserAgent, e.SourceIP, e.ErrorCode, e.ErrorMsg, e.RequestID = evil, evil, evil, evil, evil, evil, evil
	e.Params = map[string]string{evil: evil}
	html := renderHTML(t, AuditPageView(p))
	if strings.Contains(html, "<script>alert") {
		t.Error("a recorded value is written as markup")
	}
	if n := strings.Count(text(parse(t, html).Find("#audit-table")), evil); n < 7 {
		t.Errorf("the value shows as text %d times, want 7 or more", n)
	}
}

func TestENIHistory(t *testing.T) {
	doc := render(t, ENIHistory(nil, false))
	if doc.Find("#eni-history [data-empty]").Length() != 1 || doc.Find("#eni-history a").Length() != 0 {
		t.Errorf("empty history: %q", text(doc.Find("#eni-history")))
	}
	entries := sampleAudit().Entries[:2]
	entries[1].ENIID = entries[0].ENIID
	doc = render(t, ENIHistory(entries, false))
	rows := doc.Find("#eni-history tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("%d rows", rows.Length())
	}
	if got := text(rows.Eq(1)); got != "2025-11-20 08:30:00 alice eni.attach error InvalidOperation.InvalidEniState The ENI is not Available. REQ-2" {
		t.Errorf("row %q", got)
	}
	if got := hrefs(doc.Find("#eni-history")); !slices.Equal(got, []string{"/audit?eni=eni-bp1aaaa1111"}) {
		t.Errorf("links %q", got)
	}
}
