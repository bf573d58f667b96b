package live

import (
	"context"
	"testing"
	"time"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// A browser coming back to a view let go meanwhile (a tab shown again) is
// brought up to date at once from the region's snapshot, with no cloud
// call of its own.
func TestResumedViewIsBroughtUpToDate(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	inst := r.instance(t)
	id, vsw := r.createBeside(t, inst, "live-resume")
	f := eni.Filter{Region: region, VSwitchID: vsw, Size: 100}
	s := r.watch(t, f)
	last := r.cursor(f) // where the browser was
	s.Close()
	r.tick(t, r.hub.cfg.StopAfter)
	r.hub.mu.Lock()
	fed := len(r.hub.feeds)
	r.hub.mu.Unlock()
	if fed != 0 {
		t.Fatal("the view is still fed after StopAfter without subscribers")
	}

	// Meanwhile another tool deletes the ENI; the lingering region lists.
	if _, err := r.cloud.DeleteENI(context.Background(), region, id); err != nil {
		t.Fatal(err)
	}
	r.tick(t, r.interval(t))
	before := r.callCount()
	back := r.hub.Subscribe(f, last)
	defer back.Close()
	if n := r.callCount() - before; n != 0 {
		t.Fatalf("resuming the view made %d cloud calls", n)
	}
	var got *Event
	for _, ev := range back.Backlog() {
		if ev.ENI.ID == id || ev.GoneID == id {
			got = ev
		}
	}
	if got == nil || got.Kind == Changed && got.ENI.Status != eni.StatusDeleting || got.Kind == Added {
		t.Fatalf("backlog %v, want %s Deleting or gone", got, id)
	}
}

// A page whose listing was asked for before an answer the hub already
// applied does not take the watchers back to the older state; its own
// stream is sent what it lacks.
func TestStalePageListingDoesNotGoBack(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary}
	s := r.watch(t, f)
	p, err := r.cloud.ListENIs(context.Background(), eni.ListQuery{Filter: f})
	if err != nil || len(p.ENIs) == 0 {
		t.Fatal(err)
	}
	old := r.clock.Now() // a page asks the cloud now…
	r.clock.Advance(time.Second)
	renamed := append([]eni.ENI(nil), p.ENIs...)
	renamed[0].Name = "renamed"
	r.hub.Observe(f, renamed, r.clock.Now()) // …a newer answer is applied…
	if ev := next(t, s); ev.Kind != Changed || ev.ENI.Name != "renamed" {
		t.Fatalf("got %s %q, want the rename", ev.Kind, ev.ENI.Name)
	}
	from := r.hub.Observe(f, p.ENIs, old) // …then the page's older one comes
	none(t, s)
	late := r.hub.Subscribe(f, from)
	defer late.Close()
	if b := late.Backlog(); len(b) != 1 || b[0].Kind != Changed || b[0].ENI.Name != "renamed" {
		t.Fatalf("the late page's backlog: %v, want the rename", b)
	}
}

// A later page of a view follows the ENIs before it: when one on an
// earlier page leaves the view, the page's first ENI moves up out of it
// and the next one enters at its end.
func TestLaterPageFollowsEarlierPages(t *testing.T) {
	r := newRig(t, Config{}, inventory.Config{})
	f := eni.Filter{Region: region, Type: eni.TypeSecondary, Status: eni.StatusAvailable, Size: 2}
	r.watch(t, f) // the region is listed
	all := r.region(t).Store().Select(ViewOf(f), inventory.Options{Now: r.clock.Now()})
	if len(all) < 5 {
		t.Fatalf("%d Available secondary ENIs, want 5 or more", len(all))
	}
	second := ViewOf(f)
	second.Page = 2
	s := r.hub.SubscribeView(second, r.hub.ObserveView(second, all[2:4], r.clock.Now()))
	defer s.Close()
	if _, err := r.cloud.DeleteENI(context.Background(), region, all[0].ID); err != nil {
		t.Fatal(err)
	}
	r.tick(t, r.interval(t))
	gone, added := next(t, s), next(t, s)
	if added.Kind == Gone {
		gone, added = added, gone
	}
	if gone.Kind != Gone || gone.GoneID != all[2].ID || gone.Reason != "no longer on this page of the view" {
		t.Errorf("got %s %s %q, want %s gone to another page", gone.Kind, gone.GoneID, gone.Reason, all[2].ID)
	}
	if added.Kind != Added || added.ENI.ID != all[4].ID || added.After != all[3].ID {
		t.Errorf("got %s %s after %q, want %s added after %s", added.Kind, added.ENI.ID, added.After, all[4].ID, all[3].ID)
	}
}
