package lookup

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"enidash/internal/eni"
)

type countingSource struct {
	calls atomic.Int32
	fail  atomic.Bool
	gate  chan struct{}
}

func (s *countingSource) Regions(ctx context.Context) ([]eni.Region, error) {
	s.calls.Add(1)
	if s.gate != nil {
		<-s.gate
	}
	if s.fail.Load() {
		return nil, errors.New("boom")
	}
	return []eni.Region{{ID: "cn-hangzhou"}}, nil
}
func (s *countingSource) VPCs(ctx context.Context, region string) ([]eni.VPC, error) {
	s.calls.Add(1)
	return []eni.VPC{{ID: "vpc-" + region}}, nil
}
func (s *countingSource) VSwitches(context.Context, string, string) ([]eni.VSwitch, error) {
	return nil, nil
}
func (s *countingSource) SecurityGroups(context.Context, string, string) ([]eni.SecurityGroup, error) {
	return nil, nil
}
func (s *countingSource) Instances(context.Context, string, string) ([]eni.Instance, error) {
	return nil, nil
}

func TestCacheServesWithinTTLAndRefetchesAfter(t *testing.T) {
	src := &countingSource{}
	c := New(src, time.Minute)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := c.Regions(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := src.calls.Load(); got != 1 {
		t.Fatalf("3 reads within TTL made %d calls, want 1", got)
	}
	done := make(chan string, 1)
	c.refreshed = func(key string) { done <- key }
	now = now.Add(2 * time.Minute)
	if _, err := c.Regions(ctx); err != nil {
		t.Fatal(err)
	}
	<-done
	if got := src.calls.Load(); got != 2 {
		t.Fatalf("read after TTL made %d calls in all, want 2", got)
	}
}

func TestCacheDoesNotKeepFailures(t *testing.T) {
	src := &countingSource{}
	src.fail.Store(true)
	c := New(src, time.Minute)
	if _, err := c.Regions(context.Background()); err == nil {
		t.Fatal("want the source's error")
	}
	src.fail.Store(false)
	r, err := c.Regions(context.Background())
	if err != nil || len(r) != 1 {
		t.Fatalf("after recovery: %v %v", r, err)
	}
}

func TestCacheSharesConcurrentMisses(t *testing.T) {
	src := &countingSource{gate: make(chan struct{})}
	c := New(src, time.Minute)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Regions(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond) // let the readers queue behind the first call
	close(src.gate)
	wg.Wait()
	if got := src.calls.Load(); got != 1 {
		t.Fatalf("20 concurrent misses made %d calls, want 1", got)
	}
}

func TestForgetDropsOnlyThatRegion(t *testing.T) {
	src := &countingSource{}
	c := New(src, time.Minute)
	ctx := context.Background()
	c.VPCs(ctx, "cn-hangzhou")
	c.VPCs(ctx, "cn-shanghai")
	c.Forget("cn-hangzhou")
	c.VPCs(ctx, "cn-hangzhou")
	c.VPCs(ctx, "cn-shanghai")
	if got := src.calls.Load(); got != 3 {
		t.Fatalf("calls = %d, want 3 (hangzhou twice, shanghai once)", got)
	}
}
