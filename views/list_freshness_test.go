package views

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/eni"
)

// pagedList is a page of a view of 21 ENIs at 20 a page, answered from a
// snapshot listed 16 s before the page was rendered.
func pagedList(page, pages int) ListPage {
	vw := eni.View{Filter: eni.Filter{Region: "cn-hangzhou", VpcID: "vpc-bp1vpc0001"}, Page: page}
	return ListPage{View: vw, Filter: vw.Filter, Now: testNow, ENIs: []eni.ENI{sampleENI()}, TotalCount: 21,
		Snapshot: &Snapshot{AsOf: testNow.Add(-16 * time.Second), Pages: pages,
			Statuses: map[eni.Status]int{eni.StatusInUse: 21}, Types: map[eni.Type]int{eni.TypeSecondary: 21}}}
}

// TestListCountsCarryThePageNumbers: the fragment a live page asks for
// after changes holds the page-number bar and the age line beside the
// counts, each under the id the page gives it, once, so all follow the
// total together.
func TestListCountsCarryThePageNumbers(t *testing.T) {
	p := pagedList(0, 2)
	frag := render(t, ListCounts(p))
	page := render(t, ListPageView(p))
	for _, id := range CountsIDs {
		if n := frag.Find("#" + id).Length(); n != 1 {
			t.Errorf("the fragment has %d #%s, want 1", n, id)
		}
		if n := page.Find("#" + id).Length(); n != 1 {
			t.Errorf("the page has %d #%s, want 1 for the fragment's to replace", n, id)
		}
	}
	if got := text(frag.Find("#pager [data-pages]")); got != "Page 1 of 2" {
		t.Errorf("the fragment's bar says %q, want Page 1 of 2", got)
	}
	if got := frag.Find(`#pager a[data-page-number="2"]`).AttrOr("href", ""); got != "/enis?region=cn-hangzhou&vpc=vpc-bp1vpc0001&page=2" {
		t.Errorf("page 2 links to %q", got)
	}
	if got, want := frag.Find("#snapshot-age").AttrOr("data-as-of", ""), "2025-11-20T09:29:44Z"; got != want {
		t.Errorf("the fragment's snapshot time is %q, want %q", got, want)
	}

	// One ENI fewer: one page; the bar says so, with no way past it.
	p.TotalCount, p.Snapshot.Pages = 20, 1
	one := render(t, ListCounts(p))
	if got := text(one.Find("#pager")); got != "Page 1 of 1 1" {
		t.Errorf("the bar of a one-page view says %q", got)
	}
	if one.Find(`#pager a[rel="next"], #pager a[data-page-number]`).Length() != 0 {
		t.Error("a one-page view links to another page")
	}
}

// TestPageNumbersPastTheLast: a page the view no longer reaches (a live
// deletion removed its last page) says so in its bar, and offers the last
// page, rather than claiming "Page 2 of 1".
func TestPageNumbersPastTheLast(t *testing.T) {
	p := pagedList(2, 1)
	p.ENIs, p.TotalCount = nil, 20
	bar := render(t, ListCounts(p)).Find("#pager")
	label := bar.Find("[data-pages]")
	if got := text(label); got != "Page 2 · the view now has 1 page" {
		t.Errorf("the bar says %q", got)
	}
	if _, ok := label.Attr("data-past-end"); !ok {
		t.Error("the bar is not marked past the end")
	}
	if got := bar.Find(`a[data-page-number="1"]`).AttrOr("href", ""); got != "/enis?region=cn-hangzhou&vpc=vpc-bp1vpc0001" {
		t.Errorf("the last page is offered at %q", got)
	}
	if bar.Find(`[aria-current="page"], a[rel="next"]`).Length() != 0 {
		t.Error("the bar marks a current page or offers Next past the end")
	}
	if got := bar.Find(`a[rel="prev"]`).AttrOr("href", ""); got != "/enis?region=cn-hangzhou&vpc=vpc-bp1vpc0001" {
		t.Errorf("Previous goes to %q, want the last page", got)
	}
}

// TestSnapshotAgeLine: without script the page says how old its snapshot
// is, as it always did; the line carries what the browser needs to keep
// it true (the snapshot time, a hidden live dot) and the time of the last
// complete listing for a pointer.
func TestSnapshotAgeLine(t *testing.T) {
	doc := render(t, ListPageView(pagedList(0, 2)))
	line := doc.Find("#snapshot-age")
	if got := text(line); got != "as of 16 s ago" {
		t.Errorf("the age line says %q", got)
	}
	if got := line.AttrOr("data-as-of", ""); got != "2025-11-20T09:29:44Z" {
		t.Errorf("data-as-of = %q", got)
	}
	if got := line.AttrOr("title", ""); got != "Last complete listing: 2025-11-20 09:29:44 UTC" {
		t.Errorf("title = %q", got)
	}
	if _, hidden := line.Find("[data-live-dot]").Attr("hidden"); !hidden {
		t.Error("the live dot shows without script, or is missing")
	}
	if line.Find("[data-age-text]").Length() != 1 {
		t.Error("no place for the browser's text")
	}
	if doc.Find(`#snapshot [data-refresh]`).Length() != 1 {
		t.Error("Refresh now is gone")
	}
}

// TestPageNumbersFarPastTheLast: far past the end, every page the view
// still has is offered, the last included.
func TestPageNumbersFarPastTheLast(t *testing.T) {
	p := pagedList(10, 3)
	p.ENIs = nil
	var got []string
	render(t, ListCounts(p)).Find("#pager a[data-page-number]").Each(func(_ int, s *goquery.Selection) {
		got = append(got, s.Text())
	})
	if strings.Join(got, " ") != "1 2 3" {
		t.Errorf("pages offered: %q, want 1 2 3", got)
	}
}
