package live

import (
	"context"
	"slices"
	"testing"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// watchView observes view vw as its page shows it (answered from the
// snapshot of the region, listed first) and subscribes from there.
func (r *rig) watchView(t *testing.T, vw eni.View) *Subscription {
	t.Helper()
	r.watch(t, eni.Filter{Region: region, Type: eni.TypePrimary, Size: 10})
	res := r.region(t).Store().Query(vw, inventory.Options{Now: r.clock.Now()})
	s := r.hub.SubscribeView(vw, r.hub.ObserveView(vw, res.ENIs, r.clock.Now()))
	t.Cleanup(s.Close)
	r.settle(t)
	if len(s.Backlog()) != 0 {
		t.Fatalf("fresh subscriber got a backlog: %v", s.Backlog())
	}
	return s
}

// rename renames id in the cloud, as another tool would, and has the
// region poll it.
func (r *rig) rename(t *testing.T, id, name string) {
	t.Helper()
	if _, err := r.cloud.ModifyENI(context.Background(), eni.ModifyRequest{Region: region, ID: id, Name: &name}); err != nil {
		t.Fatal(err)
	}
	r.acted(t, id, false)
}

func describeEvent(ev *Event) string {
	switch ev.Kind {
	case Added:
		return "added " + ev.ENI.ID + " after " + ev.After
	case Gone:
		return "gone " + ev.GoneID
	}
	return string(ev.Kind) + " " + ev.ENI.ID
}

// A change of the sort key moves the ENI's row: the browser is sent the
// rows whose place changed, each after the row it now follows, and
// nothing for the rows that keep their order. A browser reconnecting
// from before the moves is brought to the same order.
func TestChangedSortKeyMovesTheRow(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	inst := r.instance(t)
	b, vsw := r.createBeside(t, inst, "liveorder-b")
	c, _ := r.createBeside(t, inst, "liveorder-c")
	d, _ := r.createBeside(t, inst, "liveorder-d")
	vw := eni.View{Filter: eni.Filter{Region: region, VSwitchID: vsw, Size: 100}, Search: "liveorder", Sort: eni.SortName}
	s := r.watchView(t, vw)
	start := cursorOfView(r, vw)

	steps := []struct {
		id, name string
		moves    int // rows sent to a new place
		order    []string
	}{
		{d, "liveorder-a", 1, []string{d, b, c}},  // d to the top
		{b, "liveorder-e", 1, []string{d, c, b}},  // b to the end
		{c, "liveorder-cc", 0, []string{d, c, b}}, // renamed in place
	}
	page := []string{b, c, d}
	for _, st := range steps {
		r.rename(t, st.id, st.name)
		moves, name := 0, ""
		var got []string
		for len(s.Events()) > 0 {
			ev := next(t, s)
			got = append(got, describeEvent(ev))
			page = applyEvent(t, page, ev)
			if ev.Kind == Added {
				moves++
			}
			if ev.ENI.ID == st.id {
				name = ev.ENI.Name
			}
		}
		if !slices.Equal(page, st.order) || moves != st.moves || name != st.name {
			t.Fatalf("renaming %s to %s: events %v make the page %v with %d moves and the name %q; want %v, %d moves",
				st.id, st.name, got, page, moves, name, st.order, st.moves)
		}
		if order := viewOrder(r, vw); !slices.Equal(order, st.order) {
			t.Fatalf("renaming %s to %s: view order %v, want %v", st.id, st.name, order, st.order)
		}
	}

	// A browser still showing b, c, d replays the moves in the order it
	// is to apply them.
	back := r.hub.SubscribeView(vw, start)
	defer back.Close()
	page = []string{b, c, d}
	for _, ev := range back.Backlog() {
		page = applyEvent(t, page, ev)
	}
	if want := viewOrder(r, vw); !slices.Equal(page, want) {
		t.Fatalf("after the replay the page shows %v, want %v (backlog %v)", page, want, back.Backlog())
	}
}

// applyEvent does to a page's rows what app.js does with ev.
func applyEvent(t *testing.T, page []string, ev *Event) []string {
	t.Helper()
	switch ev.Kind {
	case Added:
		page = slices.DeleteFunc(page, func(id string) bool { return id == ev.ENI.ID })
		at := 0
		if ev.After != "" {
			at = slices.Index(page, ev.After) + 1
			if at == 0 {
				t.Fatalf("%s placed after %s, which the page does not have", ev.ENI.ID, ev.After)
			}
		}
		return slices.Insert(page, at, ev.ENI.ID)
	case Gone:
		return slices.DeleteFunc(page, func(id string) bool { return id == ev.GoneID })
	}
	return page
}

func viewOrder(r *rig, vw eni.View) []string {
	r.hub.mu.Lock()
	defer r.hub.mu.Unlock()
	return slices.Clone(r.hub.views[paged(vw).Query()].order)
}

func cursorOfView(r *rig, vw eni.View) string {
	r.hub.mu.Lock()
	defer r.hub.mu.Unlock()
	return cursor{r.hub.boot, r.hub.views[paged(vw).Query()].seq}.String()
}

// The rows to move are the fewest that put the page in its new order:
// those outside a longest run kept in the old order.
func TestMovedRows(t *testing.T) {
	cases := []struct {
		old, now []string
		moved    []string
	}{
		{[]string{"a", "b", "c"}, []string{"a", "b", "c"}, nil},
		{[]string{"a", "b", "c"}, []string{"c", "a", "b"}, []string{"c"}},
		{[]string{"a", "b", "c"}, []string{"b", "c", "a"}, []string{"a"}},
		{[]string{"a", "b", "c", "d"}, []string{"d", "c", "b", "a"}, []string{"d", "c", "b"}},
		{[]string{"a", "b", "c", "d", "e"}, []string{"b", "a", "d", "c", "e"}, []string{"b", "d"}},
		// New and departed rows are not moves.
		{[]string{"a", "x", "b"}, []string{"n", "b", "a"}, []string{"b"}},
		{nil, []string{"n"}, nil},
	}
	for _, c := range cases {
		got := movedRows(c.old, c.now)
		var ids []string
		for _, id := range c.now {
			if got[id] {
				ids = append(ids, id)
			}
		}
		if !slices.Equal(ids, c.moved) {
			t.Errorf("%v to %v: moved %v, want %v", c.old, c.now, ids, c.moved)
		}
	}
}
