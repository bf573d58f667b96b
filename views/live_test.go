package views

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

const liveURL = "/events?region=cn-hangzhou&vpc=vpc-bp1vpc0001"

// renderInTable parses rows (possibly inside templates) where a browser
// would meet them, inside a table body.
func renderInTable(t *testing.T, html string) *goquery.Document {
	t.Helper()
	return parse(t, "<table><tbody>"+html+"</tbody></table>")
}

// templateContent parses the content of the first <template> of html as
// the browser's template element would hold it (the parser keeps templates
// opaque).
func templateContent(t *testing.T, html string) (*goquery.Selection, *goquery.Document) {
	t.Helper()
	doc := parse(t, html)
	tpl := doc.Find("template").First()
	if tpl.Length() == 0 {
		t.Fatalf("no template in %s", html)
	}
	inner, err := tpl.Html()
	if err != nil {
		t.Fatalf("template html: %v", err)
	}
	return tpl, renderInTable(t, inner)
}

func TestStuckFlagInRow(t *testing.T) {
	tests := []struct {
		name       string
		status     eni.Status
		stuck      time.Duration
		wantText   string
		wantAdvice string
	}{
		{"detaching", eni.StatusDetaching, 12 * time.Minute, "Stuck in Detaching for 12 minutes", "Retry the detach; if it stays, restart the instance."},
		{"attaching", eni.StatusAttaching, 90 * time.Second, "Stuck in Attaching for 1 minute", "Retry the operation."},
		{"deleting", eni.StatusDeleting, 2*time.Hour + 5*time.Minute, "Stuck in Deleting for 2 hours 5 minutes", "Retry the operation."},
		{"not stuck yet", eni.StatusDetaching, 0, "", ""},
		{"settled since", eni.StatusInUse, 12 * time.Minute, "", ""},
		{"available", eni.StatusAvailable, time.Hour, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sampleENI()
			e.Status = tt.status
			rc := RowContext{Region: "cn-hangzhou", Now: testNow, Stuck: map[string]time.Duration{e.ID: tt.stuck, "eni-other": time.Hour}}
			doc := renderInTable(t, renderHTML(t, ENIRow(e, rc)))
			flag := doc.Find(`td[data-col="status"] [data-stuck]`)
			if tt.wantText == "" {
				if flag.Length() != 0 {
					t.Fatalf("stuck flag shown: %q", text(flag))
				}
				return
			}
			if flag.Length() != 1 {
				t.Fatalf("%d stuck flags, want 1", flag.Length())
			}
			if got, want := spoken(flag), tt.wantText+". "+tt.wantAdvice; got != want {
				t.Errorf("flag = %q, want %q", got, want)
			}
			if got := text(flag.Find("[data-advice]")); got != tt.wantAdvice {
				t.Errorf("advice = %q, want %q", got, tt.wantAdvice)
			}
			if got := flag.AttrOr("data-stuck", ""); got != string(tt.status) {
				t.Errorf("data-stuck = %q", got)
			}
		})
	}
}

func TestStuckFlagOnDetail(t *testing.T) {
	p := detailPage()
	p.ENI.Status = eni.StatusDetaching
	p.Stuck = 25 * time.Minute
	flag := render(t, DetailPageView(p)).Find(`#eni-detail [data-stuck]`)
	want := "Stuck in Detaching for 25 minutes · Retry the detach; if it stays, restart the instance."
	if got := spoken(flag); got != want {
		t.Errorf("flag = %q, want %q", got, want)
	}

	p.ENI.Status = eni.StatusAvailable
	if n := render(t, DetailPageView(p)).Find("[data-stuck]").Length(); n != 0 {
		t.Errorf("%d stuck flags on an Available ENI", n)
	}
}

func TestStuckFlagOnList(t *testing.T) {
	p := sampleList() // its second ENI is Attaching
	attaching := p.ENIs[1].ID
	p.Stuck = map[string]time.Duration{attaching: 7 * time.Minute, p.ENIs[0].ID: 7 * time.Minute}
	flags := render(t, ListResults(p)).Find("[data-stuck]")
	if flags.Length() != 1 {
		t.Fatalf("%d stuck flags, want 1 (the InUse ENI is not stuck)", flags.Length())
	}
	if id := flags.Closest("tr").AttrOr("id", ""); id != RowID(attaching) {
		t.Errorf("flag on %s, want %s", id, RowID(attaching))
	}
}

func TestStuckAdvice(t *testing.T) {
	for _, s := range eni.Statuses {
		if got := StuckAdvice(s); (got != "") != s.Transitional() {
			t.Errorf("StuckAdvice(%s) = %q", s, got)
		}
	}
}

func TestLiveRowIsOutOfBand(t *testing.T) {
	e := sampleENI()
	_, doc := templateContent(t, renderHTML(t, LiveRow(e, RowContext{Region: "cn-hangzhou", Now: testNow, CanAct: true})))
	row := doc.Find("tr#" + RowID(e.ID))
	if row.Length() != 1 || row.AttrOr("hx-swap-oob", "") != "true" {
		t.Errorf("row: %d found, hx-swap-oob=%q", row.Length(), row.AttrOr("hx-swap-oob", ""))
	}
	if row.Find(".row-select").Length() != 1 {
		t.Error("an operator's row lost its checkbox")
	}
}

func TestLiveAdded(t *testing.T) {
	e := sampleENI()
	rc := RowContext{Region: "cn-hangzhou", Now: testNow, OOB: true}
	tpl, doc := templateContent(t, renderHTML(t, LiveAdded(e, "eni-bp1prev0000", rc)))
	if _, ok := tpl.Attr("data-live-added"); !ok {
		t.Error("template lacks data-live-added")
	}
	if got := tpl.AttrOr("data-after", "?"); got != "eni-bp1prev0000" {
		t.Errorf("data-after = %q", got)
	}
	row := doc.Find("tr#row-" + e.ID)
	if row.Length() != 1 {
		t.Fatalf("no row row-%s in %s", e.ID, renderHTML(t, LiveAdded(e, "", rc)))
	}
	if _, oob := row.Attr("hx-swap-oob"); oob {
		t.Error("an added row is placed by the script, not swapped out of band")
	}

	first, _ := templateContent(t, renderHTML(t, LiveAdded(e, "", rc)))
	if got, ok := first.Attr("data-after"); !ok || got != "" {
		t.Errorf("first row: data-after = %q (present %v), want empty", got, ok)
	}
}

func TestLiveGoneSpansTheTable(t *testing.T) {
	for _, canAct := range []bool{false, true} {
		t.Run("canAct="+strconv.FormatBool(canAct), func(t *testing.T) {
			rc := RowContext{Region: "cn-hangzhou", Now: testNow, CanAct: canAct}
			cols := render(t, ENITable([]eni.ENI{sampleENI()}, rc)).Find("#eni-table thead th").Length()
			_, doc := templateContent(t, renderHTML(t, LiveGone("eni-bp1gone0001", "deleted", rc)))
			row := doc.Find("tr#row-eni-bp1gone0001")
			if row.Length() != 1 {
				t.Fatal("no gone row")
			}
			if row.AttrOr("hx-swap-oob", "") != "true" {
				t.Error("gone row is not out of band")
			}
			if _, ok := row.Attr("data-gone"); !ok {
				t.Error("gone row lacks data-gone")
			}
			if got := row.Find("td").AttrOr("colspan", ""); got != strconv.Itoa(cols) {
				t.Errorf("colspan = %s, table has %d columns", got, cols)
			}
			if got := text(row); got != "eni-bp1gone0001 — deleted" {
				t.Errorf("note = %q", got)
			}
		})
	}
}

func TestLiveStatus(t *testing.T) {
	ok := parse(t, renderHTML(t, LiveStatus(false, "ignored"))).Find("#live-status")
	if ok.AttrOr("hx-swap-oob", "") != "true" {
		t.Error("status is not out of band")
	}
	if ok.Children().Length() != 0 || text(ok) != "" {
		t.Errorf("healthy status shows %q", text(ok))
	}

	msg := "The cloud is throttling requests; live updates slowed down, next try in 40 s."
	banner := parse(t, renderHTML(t, LiveStatus(true, msg))).Find(`#live-status [data-banner="live-degraded"]`)
	if banner.Length() != 1 || banner.AttrOr("role", "") != "status" {
		t.Fatalf("degraded banner: %d found, role=%q", banner.Length(), banner.AttrOr("role", ""))
	}
	if got := text(banner); got != msg {
		t.Errorf("banner = %q", got)
	}
}

func TestLiveReset(t *testing.T) {
	tpl := parse(t, renderHTML(t, LiveReset("/enis?region=cn-hangzhou", "#results"))).Find("template[data-live-reset]")
	if tpl.AttrOr("data-url", "") != "/enis?region=cn-hangzhou" || tpl.AttrOr("data-target", "") != "#results" {
		t.Errorf("reset = url %q target %q", tpl.AttrOr("data-url", ""), tpl.AttrOr("data-target", ""))
	}
}

func TestDetailBody(t *testing.T) {
	p := detailPage()
	page := render(t, DetailPageView(p))
	body := page.Find("#eni-detail")
	if body.Length() != 1 {
		t.Fatalf("%d #eni-detail", body.Length())
	}
	if _, oob := body.Attr("hx-swap-oob"); oob {
		t.Error("the page's own body is out of band")
	}
	// The heading and the attributes are inside; the way back and the
	// history are not, so a live update leaves them alone.
	if body.Find("h1").Length() != 1 || body.Find(`section[aria-label="Performance & ownership"]`).Length() != 1 {
		t.Error("heading or attributes outside the body")
	}
	if body.Find(`a[data-action="back"], #live`).Length() != 0 {
		t.Error("back link or stream inside the swapped body")
	}

	p.History = []audit.Entry{{Action: "detach", Time: testNow, ENIID: p.ENI.ID}}
	withHistory := render(t, DetailPageView(p))
	if withHistory.Find("#eni-history").Length() != 1 || withHistory.Find("#eni-detail #eni-history").Length() != 0 {
		t.Error("history missing or inside the swapped body")
	}

	oob := parse(t, renderHTML(t, DetailBody(p, true))).Find("#eni-detail")
	if oob.AttrOr("hx-swap-oob", "") != "true" {
		t.Errorf("oob body: hx-swap-oob=%q", oob.AttrOr("hx-swap-oob", ""))
	}
	if got := text(oob.Find("h1")); got != p.ENI.ID {
		t.Errorf("oob body heading = %q", got)
	}
}

func TestDetailGoneOOB(t *testing.T) {
	doc := parse(t, renderHTML(t, DetailGoneOOB("eni-bp1gone0001", "cn-hangzhou", "deleted")))
	box := doc.Find("#eni-detail")
	if box.AttrOr("hx-swap-oob", "") != "true" {
		t.Error("not out of band")
	}
	if _, ok := box.Attr("data-gone"); !ok {
		t.Error("lacks data-gone")
	}
	if got := text(box.Find("p").First()); got != "eni-bp1gone0001 no longer exists in cn-hangzhou: deleted" {
		t.Errorf("message = %q", got)
	}
	want := []string{AuditURL(audit.Filter{ENIID: "eni-bp1gone0001"}), ListURL(eni.Filter{Region: "cn-hangzhou"})}
	if got := hrefs(box); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("links = %v, want %v", got, want)
	}
}

func TestLiveStreamOnlyWithURL(t *testing.T) {
	list := sampleList()
	detail := detailPage()
	listLive, detailLive := list, detail
	listLive.LiveURL, detailLive.LiveURL = liveURL, liveURL
	tests := []struct {
		name string
		doc  *goquery.Document
		want string // the stream's URL, "" for none
	}{
		{"list", render(t, ListResults(list)), ""},
		{"list live", render(t, ListResults(listLive)), liveURL},
		{"list page live", render(t, ListPageView(listLive)), liveURL},
		{"detail", render(t, DetailPageView(detail)), ""},
		{"detail live", render(t, DetailPageView(detailLive)), liveURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			streams := tt.doc.Find("[sse-connect]")
			if tt.want == "" {
				if streams.Length() != 0 {
					t.Fatalf("stream opened without a URL")
				}
				return
			}
			if streams.Length() != 1 {
				t.Fatalf("%d streams, want 1", streams.Length())
			}
			live := streams.First()
			if live.AttrOr("id", "") != "live" || live.AttrOr("hx-ext", "") != "sse" || live.AttrOr("sse-connect", "") != tt.want {
				t.Errorf("stream: id=%q hx-ext=%q sse-connect=%q", live.AttrOr("id", ""), live.AttrOr("hx-ext", ""), live.AttrOr("sse-connect", ""))
			}
			sink := live.Find("[sse-swap]")
			if sink.AttrOr("sse-swap", "") != "row,added,gone,status,reset,counts" || sink.AttrOr("hx-swap", "") != "none" {
				t.Errorf("sink: sse-swap=%q hx-swap=%q", sink.AttrOr("sse-swap", ""), sink.AttrOr("hx-swap", ""))
			}
			if live.Find("#live-status").Length() != 1 || live.Find("#live-news").Length() != 1 {
				t.Error("missing #live-status or #live-news")
			}
			if tt.name != "detail live" && live.ParentsFiltered("#results").Length() != 1 {
				t.Error("the list's stream is outside #results, so it outlives its view")
			}
			if tt.name == "detail live" && live.ParentsFiltered("#eni-detail").Length() != 0 {
				t.Error("the detail's stream is inside the swapped body")
			}
			assertNoInlineCode(t, tt.doc)
		})
	}

	invalid := listLive
	invalid.Errors = eni.FieldErrors{{Field: eni.KeyVPC, Value: "vpc", Message: "bad"}}
	if render(t, ListResults(invalid)).Find("[sse-connect]").Length() != 0 {
		t.Error("stream opened for a view with errors")
	}
}

// spoken is the text of a selection without what is hidden from
// assistive technology (decorative icons).
func spoken(s *goquery.Selection) string {
	c := s.Clone()
	c.Find("[aria-hidden]").Remove()
	return text(c)
}

// assertNoInlineCode holds a document to the strict CSP: no inline script,
// no event handler attribute.
func assertNoInlineCode(t *testing.T, doc *goquery.Document) {
	t.Helper()
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if _, ok := s.Attr("src"); !ok || strings.TrimSpace(s.Text()) != "" {
			t.Errorf("inline script %q", s.Text())
		}
	})
	doc.Find("*").Each(func(_ int, el *goquery.Selection) {
		for _, a := range el.Nodes[0].Attr {
			if k := strings.ToLower(a.Key); strings.HasPrefix(k, "on") || strings.HasPrefix(k, "hx-on") {
				t.Errorf("<%s %s=%q>", el.Nodes[0].Data, a.Key, a.Val)
			}
		}
	})
}
