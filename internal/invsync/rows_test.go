package invsync_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/internal/invsync"
)

func ids(rows []inventory.SharedENI) []string {
	var out []string
	for _, r := range rows {
		if r.Deleted {
			out = append(out, "-"+r.ENI.ID)
		} else {
			out = append(out, r.ENI.ID+" "+r.ENI.Name)
		}
	}
	return out
}

// Rows are read above the version last seen; an older observation never
// replaces a newer one; removals forgotten by Prune make a follower that
// had not read them read the region whole.
func TestRowsVersionsAndPrune(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	co, err := invsync.New(ctx, w.pg.Pool, "a", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer co.Close()
	t0 := time.Unix(1700000000, 123456789)
	row := func(id, name string, at time.Time, pos uint64) inventory.SharedENI {
		return inventory.SharedENI{ENI: eni.ENI{ID: id, Name: name}, AsOf: at, Pos: pos}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(co.Write(ctx, region, []inventory.SharedENI{row("eni-2", "b", t0, 1), row("eni-1", "a", t0, 0)}, nil))
	first, err := co.Read(ctx, region, 0)
	must(err)
	if got := ids(first.Rows); !first.Full || !slices.Equal(got, []string{"eni-1 a", "eni-2 b"}) || first.Progress.Known {
		t.Fatalf("first read: full %v, rows %v, progress %+v", first.Full, got, first.Progress)
	}
	if !first.Rows[0].AsOf.Equal(t0) {
		t.Errorf("as_of %s came back %s", t0, first.Rows[0].AsOf)
	}

	// eni-2 seen renamed a nanosecond earlier: kept as it was.
	must(co.Write(ctx, region, []inventory.SharedENI{row("eni-2", "old", t0.Add(-1), 1)}, nil))
	gone := row("eni-1", "a", t0.Add(time.Second), 0)
	gone.Deleted = true
	must(co.Write(ctx, region, []inventory.SharedENI{gone}, &inventory.SharedProgress{Ready: true, AsOf: t0, Interval: 15 * time.Second}))
	next, err := co.Read(ctx, region, first.Version)
	must(err)
	if got := ids(next.Rows); next.Full || !slices.Equal(got, []string{"-eni-1"}) {
		t.Fatalf("second read: full %v, rows %v", next.Full, got)
	}
	if p := next.Progress; !p.Known || !p.Ready || p.Leader != "a" || p.Interval != 15*time.Second || !p.AsOf.Equal(t0) {
		t.Errorf("progress %+v", p)
	}

	must(co.Prune(ctx, region, t0.Add(2*time.Second)))
	late, err := co.Read(ctx, region, first.Version)
	must(err)
	if got := ids(late.Rows); !late.Full || !slices.Equal(got, []string{"eni-2 b"}) || late.Version != next.Version {
		t.Fatalf("read behind the pruned removals: full %v, rows %v, version %d (want %d)", late.Full, got, late.Version, next.Version)
	}
	caught, err := co.Read(ctx, region, next.Version)
	must(err)
	if caught.Full || len(caught.Rows) != 0 {
		t.Fatalf("read up to date: full %v, rows %v", caught.Full, ids(caught.Rows))
	}
}
