package handlers_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"enidash/handlers"
	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
	"enidash/internal/database"
	"enidash/internal/eni"
	"enidash/internal/lookup"
	"enidash/web/webtest"
)

// oneRegion is a lookup source of a single region, for pages whose chrome
// needs the region list and nothing else from the cloud.
type oneRegion struct{}

func (oneRegion) Regions(context.Context) ([]eni.Region, error) {
	return []eni.Region{{ID: "cn-hangzhou", Name: "China (Hangzhou)"}}, nil
}
func (oneRegion) VPCs(context.Context, string) ([]eni.VPC, error)                  { return nil, nil }
func (oneRegion) VSwitches(context.Context, string, string) ([]eni.VSwitch, error) { return nil, nil }
func (oneRegion) SecurityGroups(context.Context, string, string) ([]eni.SecurityGroup, error) {
	return nil, nil
}
func (oneRegion) Instances(context.Context, string, string) ([]eni.Instance, error) { return nil, nil }

// startAudit serves the audit page and its export over log.
func startAudit(t *testing.T, log audit.Log) string {
	t.Helper()
	signIn := authtest.New(t, auth.Config{})
	h, err := handlers.New(handlers.Deps{Cloud: webtest.EmulatorCloud(t), Lookups: lookup.New(oneRegion{}, time.Minute), DefaultRegion: "cn-hangzhou",
		Audit: log, Sessions: signIn.Service.Sessions(), Auth: signIn.Service})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.GET("/audit", h.AuditList)
	e.GET("/audit.csv", h.AuditExport)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv.URL
}

// sqliteLog is a SQLite audit log in a fresh file.
func sqliteLog(t *testing.T) *audit.SQLite {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := audit.NewSQLite(ctx, db, 0)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// record writes an entry and, unless outcome is pending, its outcome.
func record(t *testing.T, l audit.Log, e audit.Entry, f audit.Finish) string {
	t.Helper()
	ctx := context.Background()
	id, err := l.Begin(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if f.Outcome != audit.OutcomePending {
		if err := l.Finish(ctx, id, f); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// flat is the text of a selection with whitespace normalised.
func flat(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// auditRows are the entry IDs of the table rows, in order.
func (p page) auditRows() []string {
	var out []string
	for _, s := range p.doc.Find(`#audit-table tbody tr`).EachIter() {
		out = append(out, strings.TrimPrefix(s.AttrOr("id", ""), "audit-"))
	}
	return out
}

func TestAuditListFilters(t *testing.T) {
	l := sqliteLog(t)
	start := time.Now().UTC()
	ok := audit.Finish{Outcome: audit.OutcomeOK, RequestID: "req-ok", Duration: 312 * time.Millisecond}
	bad := audit.Finish{Outcome: audit.OutcomeError, ErrorCode: "InvalidInstanceId.NotFound", ErrorMsg: "The instance does not exist.", RequestID: "req-err"}
	pending := audit.Finish{Outcome: audit.OutcomePending}
	ids := map[string]string{
		"create": record(t, l, audit.Entry{Actor: "alice", AuthMethod: "password", Action: audit.ActionCreate, API: "CreateNetworkInterface", Region: "cn-hangzhou"}, audit.Finish{Outcome: audit.OutcomeOK, ENIID: "eni-bp1aaaa0001"}),
		"attach": record(t, l, audit.Entry{Actor: "alice", Action: audit.ActionAttach, API: "AttachNetworkInterface", Region: "cn-hangzhou", ENIID: "eni-bp1aaaa0001", InstanceID: "i-bp1inst0001"}, bad),
		"detach": record(t, l, audit.Entry{Actor: "bob", Action: audit.ActionDetach, API: "DetachNetworkInterface", Region: "cn-shanghai", ENIID: "eni-uf6bbbb0002"}, ok),
		"delete": record(t, l, audit.Entry{Actor: "bob", Action: audit.ActionDelete, API: "DeleteNetworkInterface", Region: "cn-hangzhou", ENIID: "eni-bp1aaaa0001"}, pending),
	}
	base := startAudit(t, l)
	pick := func(names ...string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = ids[n]
		}
		return out
	}
	before := start.Add(-time.Second).Format(time.RFC3339Nano)
	tests := []struct {
		query string
		want  []string
	}{
		{"", pick("delete", "detach", "attach", "create")},
		{"actor=alice", pick("attach", "create")},
		{"action=eni.detach", pick("detach")},
		{"eni=eni-bp1aaaa0001", pick("delete", "attach", "create")},
		{"outcome=ok", pick("detach", "create")},
		{"outcome=error", pick("attach")},
		{"outcome=unknown", pick("delete")},
		{"actor=bob&eni=eni-bp1aaaa0001", pick("delete")},
		{"from=" + before, pick("delete", "detach", "attach", "create")},
		{"to=" + before, nil},
		{"actor=carol", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			u := base + "/audit"
			if tt.query != "" {
				u += "?" + tt.query
			}
			p := get(t, u)
			if p.status != http.StatusOK {
				t.Fatalf("status %d", p.status)
			}
			if got := p.auditRows(); !slices.Equal(got, tt.want) {
				t.Errorf("rows %v, want %v", got, tt.want)
			}
			if len(tt.want) == 0 && p.doc.Find("[data-empty]").Length() != 1 {
				t.Error("no empty state for a view without entries")
			}
		})
	}

	t.Run("cells", func(t *testing.T) {
		p := get(t, base+"/audit")
		row := func(name string) string { return flat(p.doc.Find("#audit-" + ids[name])) }
		for name, want := range map[string][]string{
			"create": {"alice", "password", "eni.create", "CreateNetworkInterface", "eni-bp1aaaa0001", "ok"},
			"attach": {"error", "InvalidInstanceId.NotFound", "The instance does not exist.", "req-err", "i-bp1inst0001"},
			"detach": {"bob", "cn-shanghai", "312 ms", "req-ok"},
			"delete": {"unknown outcome"},
		} {
			for _, w := range want {
				if !strings.Contains(row(name), w) {
					t.Errorf("%s row %q lacks %q", name, row(name), w)
				}
			}
		}
		if href := p.doc.Find("#audit-"+ids["detach"]+" a[data-eni]").AttrOr("href", ""); href != "/enis/eni-uf6bbbb0002?region=cn-shanghai" {
			t.Errorf("ENI link = %q", href)
		}
		if got := p.doc.Find("#audit-"+ids["attach"]).AttrOr("data-outcome", ""); got != "error" {
			t.Errorf("data-outcome = %q", got)
		}
	})
}

func TestAuditListBadParameters(t *testing.T) {
	base := startAudit(t, audit.NewMemory())
	tests := []struct{ query, field string }{
		{"actor=" + url.QueryEscape("a\x01b"), "actor"},
		{"action=eni.explode", "action"},
		{"eni=i-bp1inst0001", "eni"},
		{"outcome=maybe", "outcome"},
		{"from=last+week", "from"},
		{"from=2025-11-21&to=2025-11-20", "to"},
		{"before=" + url.QueryEscape("'; DROP TABLE audit_log"), "before"},
		{"size=7", "size"},
		{"region=cn-hangzhou", "region"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			p := get(t, base+"/audit?"+tt.query)
			if p.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", p.status)
			}
			if p.doc.Find(`[data-banner="field-errors"] li[data-field="`+tt.field+`"]`).Length() != 1 {
				t.Errorf("the banner does not name %s: %q", tt.field, flat(p.doc.Find("[data-banner]")))
			}
			// The page position and unknown parameters have no input of their own.
			if tt.field != "region" && tt.field != "before" && p.doc.Find(`#audit-filters [data-field-error="`+tt.field+`"]`).Length() != 1 {
				t.Errorf("no message at the %s field", tt.field)
			}
			if p.doc.Find("#audit-table").Length() != 0 {
				t.Error("a table is shown for a rejected view")
			}
		})
	}
	t.Run("the form keeps what was sent", func(t *testing.T) {
		p := get(t, base+"/audit?actor=alice&outcome=maybe")
		if v := p.doc.Find("#a-actor").AttrOr("value", ""); v != "alice" {
			t.Errorf("actor input = %q", v)
		}
		if v := p.doc.Find("#a-outcome option[selected]").AttrOr("value", ""); v != "maybe" {
			t.Errorf("outcome select = %q", v)
		}
	})
}

func TestAuditListCanonicalURL(t *testing.T) {
	base := startAudit(t, audit.NewMemory())
	p := get(t, base+"/audit?size=50&outcome=&actor=alice&from=2025-11-20T00:00:00Z&eni=ENI-BP1AAAA0001")
	if p.status != http.StatusFound || p.header.Get("Location") != "/audit?actor=alice&eni=eni-bp1aaaa0001&from=2025-11-20" {
		t.Errorf("status %d, Location %q", p.status, p.header.Get("Location"))
	}
	if p := get(t, base+"/audit?actor=alice&eni=eni-bp1aaaa0001&from=2025-11-20"); p.status != http.StatusOK {
		t.Errorf("canonical URL answered %d", p.status)
	}
}

// TestAuditListPaging follows the Next page links to the end: every entry
// once, newest first, with a way back to the newest.
func TestAuditListPaging(t *testing.T) {
	l := sqliteLog(t)
	var want []string
	for range 25 {
		want = append(want, record(t, l, audit.Entry{Actor: "alice", Action: audit.ActionAttach}, audit.Finish{Outcome: audit.OutcomeOK}))
	}
	record(t, l, audit.Entry{Actor: "bob", Action: audit.ActionAttach}, audit.Finish{Outcome: audit.OutcomeOK})
	slices.Reverse(want)
	base := startAudit(t, l)

	var got []string
	next := "/audit?actor=alice&size=10"
	for pages := 1; ; pages++ {
		p := get(t, base+next)
		if p.status != http.StatusOK {
			t.Fatalf("page %d (%s): status %d", pages, next, p.status)
		}
		got = append(got, p.auditRows()...)
		if pages > 1 && p.link(t, "#audit-pager a:not([rel])") != "/audit?actor=alice&size=10" {
			t.Errorf("page %d: Newest goes elsewhere", pages)
		}
		href, ok := p.doc.Find(`#audit-pager a[rel="next"]`).Attr("href")
		if !ok {
			if pages != 3 {
				t.Errorf("%d pages, want 3", pages)
			}
			break
		}
		next = href
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages gave %d entries %v, want %d %v", len(got), got, len(want), want)
	}
}

func TestAuditListEscapes(t *testing.T) {
	l := audit.NewMemory()
	const evil = `<script>alert("x")</script>`
	record(t, l, audit.Entry{Actor: evil, AuthMethod: evil, UserAgent: evil, Action: audit.ActionSignIn, SourceIP: evil,
		Params: map[string]string{evil: evil}}, audit.Finish{Outcome: audit.OutcomeError, ErrorCode: evil, ErrorMsg: evil, RequestID: evil})
	p := get(t, startAudit(t, l)+"/audit")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if strings.Contains(p.body, "<script>alert") {
		t.Error("a value was written into the page as markup")
	}
	if n := strings.Count(flat(p.doc.Find("#audit-table")), evil); n < 6 {
		t.Errorf("the value shows as text %d times, want at least 6", n)
	}
}

// failingLog fails every read after the first ok ones.
type failingLog struct {
	audit.Log
	okReads int
}

func (f *failingLog) Query(ctx context.Context, q audit.Query) (audit.Page, error) {
	if f.okReads == 0 {
		return audit.Page{}, errors.New("disk I/O error")
	}
	f.okReads--
	return f.Log.Query(ctx, q)
}

func TestAuditListStoreFailure(t *testing.T) {
	p := get(t, startAudit(t, &failingLog{Log: audit.NewMemory()})+"/audit")
	if p.status != http.StatusInternalServerError || p.doc.Find(`[data-banner="load-error"]`).Length() != 1 {
		t.Errorf("status %d, banner %q", p.status, flat(p.doc.Find("[data-banner]")))
	}
	if strings.Contains(p.body, "disk I/O") {
		t.Error("the store's error is shown to the user")
	}
}
