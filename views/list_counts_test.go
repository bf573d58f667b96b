package views

import (
	"testing"

	"enidash/internal/eni"
)

// TestListCountsFragment: the fragment live pages ask for holds the counts
// line and the facets bar, with the same ids and the same address to ask
// again as the page; an empty view's bar is there but hidden, so counts
// that arrive later have a place to go.
func TestListCountsFragment(t *testing.T) {
	vw := eni.View{Filter: eni.Filter{Region: "cn-hangzhou", VpcID: "vpc-bp1vpc0001"}, Sort: eni.SortKey("created"), Page: 2}
	p := ListPage{View: vw, Filter: vw.Filter, Now: testNow, ENIs: []eni.ENI{sampleENI()}, TotalCount: 21,
		Snapshot: &Snapshot{Pages: 2, Statuses: map[eni.Status]int{eni.StatusInUse: 20, eni.StatusAvailable: 1},
			Types: map[eni.Type]int{eni.TypeSecondary: 21}}}
	doc := render(t, ListCounts(p))
	if got := text(doc.Find("#counts")); got != "21 ENIs · showing 21–21" {
		t.Errorf("counts = %q", got)
	}
	bar := doc.Find("#facets-bar")
	want := "/enis/counts?region=cn-hangzhou&vpc=vpc-bp1vpc0001&sort=created&page=2"
	if got := bar.AttrOr("data-counts-url", ""); got != want {
		t.Errorf("counts URL = %q, want %q", got, want)
	}
	if _, hidden := bar.Attr("hidden"); hidden {
		t.Error("the facets of a view with ENIs are hidden")
	}
	if got := bar.Find(`#facets [data-facet="status"][data-value="InUse"]`).AttrOr("data-count", ""); got != "20" {
		t.Errorf("In use count = %q, want 20", got)
	}

	full := render(t, ListPageView(p))
	if got := full.Find("#facets-bar").AttrOr("data-counts-url", ""); got != want {
		t.Errorf("the page asks for its counts at %q, want %q", got, want)
	}

	p.ENIs, p.TotalCount, p.Snapshot.Statuses, p.Snapshot.Types = nil, 0, map[eni.Status]int{}, map[eni.Type]int{}
	empty := render(t, ListPageView(p))
	if _, hidden := empty.Find("#facets-bar").Attr("hidden"); !hidden {
		t.Error("an empty view's facets bar is shown, or missing")
	}
}
