package live

import (
	"context"
	"slices"
	"testing"
	"time"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// ENIs enter a view of ENIs older than an age when the clock passes
// their creation time plus that age, each at its own time, though
// nothing about them changed; not a moment before.
func TestENIsAgeIntoOlderView(t *testing.T) {
	const week = 7 * 24 * time.Hour
	r := newRig(t, Config{}, inventory.Config{})
	inst := r.instance(t)
	vsw := r.instanceVSwitch(t, inst)
	vw := eni.View{Filter: eni.Filter{Region: region, VSwitchID: vsw, Size: 100}, Search: "liveage", Older: week, OlderText: "7d"}
	s := r.watchView(t, vw)
	// Both are created after the view is watched, a second apart (the
	// cloud's times are in seconds); each poll by ID brings one to the
	// snapshot.
	first, _ := r.createBeside(t, inst, "liveage-first")
	r.acted(t, first, true)
	e, _ := r.region(t).Store().Get(first)
	time.Sleep(time.Until(e.CreatedAt.Add(time.Second)))
	second, _ := r.createBeside(t, inst, "liveage-second")
	r.acted(t, second, true)
	none(t, s)

	for _, id := range []string{first, second} {
		e, ok := r.region(t).Store().Get(id)
		if !ok || e.CreatedAt.IsZero() {
			t.Fatalf("%s not in the snapshot with a creation time", id)
		}
		due := e.CreatedAt.Add(week)
		if wait := due.Sub(r.clock.Now()); wait > 0 {
			r.tick(t, wait)
		}
		none(t, s) // exactly its age: not older yet
		r.tick(t, time.Second)
		ev := next(t, s)
		if ev.Kind != Added || ev.ENI.ID != id {
			t.Fatalf("past %s's age: %s %s%s, want it added", id, ev.Kind, ev.ENI.ID, ev.GoneID)
		}
		none(t, s)
	}
	if got := viewOrder(r, vw); len(got) != 2 {
		t.Fatalf("the view holds %v, want both ENIs", got)
	}
}

// instanceVSwitch is the vSwitch createBeside creates inst's ENIs in.
func (r *rig) instanceVSwitch(t *testing.T, inst eni.Instance) string {
	t.Helper()
	vsws, err := r.cloud.VSwitches(context.Background(), region, inst.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(vsws, func(v eni.VSwitch) bool { return v.ZoneID == inst.ZoneID && v.AvailableIP > 10 })
	if k < 0 {
		t.Fatal("no vSwitch with room")
	}
	return vsws[k].ID
}
