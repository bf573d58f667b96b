package live

import (
	"context"
	"testing"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// A change that leaves a view's page alone but changes what the view
// counts (an ENI on a later page deleted, or one changing status there)
// is told to the page as a counts event, so its totals and page numbers
// follow; a change outside the view tells it nothing.
func TestCountsFollowChangesOffThePage(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	inst := r.instance(t)
	a, vsw := r.createBeside(t, inst, "livecount-a")
	b, _ := r.createBeside(t, inst, "livecount-b")
	c, _ := r.createBeside(t, inst, "livecount-c")
	// Two a page, sorted by name: c is alone on page 2.
	vw := eni.View{Filter: eni.Filter{Region: region, VSwitchID: vsw, Size: 2}, Search: "livecount", Sort: eni.SortName}
	s := r.watchView(t, vw)

	name := "elsewhere"
	outside, _ := r.createBeside(t, inst, "outside-the-view")
	if _, err := r.cloud.ModifyENI(context.Background(), eni.ModifyRequest{Region: region, ID: outside, Name: &name}); err != nil {
		t.Fatal(err)
	}
	r.acted(t, outside, false)
	for len(s.Events()) > 0 {
		if ev := next(t, s); ev.Kind == Counts {
			t.Fatalf("a change outside the view sent %s", describeEvent(ev))
		}
	}

	if _, err := r.cloud.DeleteENI(context.Background(), region, c); err != nil {
		t.Fatal(err)
	}
	r.acted(t, c, false)
	var kinds []Kind
	for len(s.Events()) > 0 {
		kinds = append(kinds, next(t, s).Kind)
	}
	if len(kinds) == 0 || kinds[len(kinds)-1] != Counts {
		t.Fatalf("deleting the ENI on page 2 sent page 1 %v, want a counts event", kinds)
	}
	for _, k := range kinds {
		if k == Changed || k == Added || k == Gone {
			t.Fatalf("page 1 (%s, %s) got a row event for page 2's ENI: %v", a, b, kinds)
		}
	}
}
