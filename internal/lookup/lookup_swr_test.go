package lookup

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"enidash/internal/eni"
)

// versionSource answers Regions with a region named after how many calls
// it took; while gate is set, calls wait on it.
type versionSource struct {
	countingSource
	version atomic.Int32
	block   atomic.Pointer[chan struct{}]
}

func (s *versionSource) Regions(ctx context.Context) ([]eni.Region, error) {
	s.calls.Add(1)
	if g := s.block.Load(); g != nil {
		<-*g
	}
	return []eni.Region{{ID: "r", Name: string(rune('A' + s.version.Add(1) - 1))}}, nil
}

// A value past its TTL is served at once, without waiting on the cloud,
// while one fetch in the background replaces it.
func TestStaleValueServedWhileRevalidating(t *testing.T) {
	src := &versionSource{}
	c := New(src, time.Minute)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	done := make(chan string, 4)
	c.refreshed = func(key string) { done <- key }
	if r, err := c.Regions(context.Background()); err != nil || r[0].Name != "A" {
		t.Fatalf("first read: %v %v", r, err)
	}
	now = now.Add(2 * time.Minute)
	gate := make(chan struct{})
	src.block.Store(&gate)
	// A reader that cannot wait at all still gets the stale value.
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	for range 3 {
		r, err := c.Regions(gone)
		if err != nil || r[0].Name != "A" {
			t.Fatalf("stale read: %v %v; want the old value at once", r, err)
		}
	}
	close(gate)
	if key := <-done; key != "regions" {
		t.Fatalf("refreshed %q", key)
	}
	r, err := c.Regions(context.Background())
	if err != nil || r[0].Name != "B" {
		t.Fatalf("after the background fetch: %v %v, want the new value", r, err)
	}
	if got := src.calls.Load(); got != 2 {
		t.Fatalf("calls = %d, want 2 (three stale reads share one fetch)", got)
	}
}

// A cold key still waits for the cloud, and a failed revalidation keeps
// the stale value.
func TestColdKeyWaitsAndFailureKeepsStale(t *testing.T) {
	src := &countingSource{}
	c := New(src, time.Minute)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	done := make(chan string, 4)
	c.refreshed = func(key string) { done <- key }
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Regions(gone); err == nil {
		t.Fatal("a cold read with no time to wait got a value")
	}
	if _, err := c.Regions(context.Background()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	src.fail.Store(true)
	if r, err := c.Regions(context.Background()); err != nil || len(r) != 1 {
		t.Fatalf("stale read: %v %v", r, err)
	}
	<-done
	if r, err := c.Regions(context.Background()); err != nil || len(r) != 1 {
		t.Fatalf("after a failed revalidation: %v %v, want the stale value", r, err)
	}
}

func TestNamesFromLookups(t *testing.T) {
	c := New(&countingSource{}, time.Minute)
	n := c.Names(context.Background(), "cn-hangzhou")
	if got := n.Of("vpc-cn-hangzhou"); got != "" {
		t.Fatalf("Of = %q; the source names no VPC", got)
	}
	if _, ok := n.VPCs["vpc-cn-hangzhou"]; !ok {
		t.Fatal("the region's VPC is missing")
	}
	if again := c.Names(context.Background(), "cn-hangzhou"); again != n {
		t.Error("names rebuilt though no look-up was fetched again")
	}
	if c.CachedNames("cn-shanghai") != nil || c.CachedNames("cn-hangzhou") != n {
		t.Error("CachedNames does not give what Names built")
	}
	var none *Names
	if none.Of("i-x") != "" {
		t.Error("nil Names knows a name")
	}
}
