// Package lookup caches the slow-changing things the dashboard offers in
// its region switcher and pickers (regions, VPCs, vSwitches, security
// groups, instances), so a page view does not cost five extra cloud calls.
// Concurrent misses for the same key share one cloud call.
package lookup

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"enidash/internal/eni"
)

// Source is the part of eni.Cloud this package reads.
type Source interface {
	Regions(ctx context.Context) ([]eni.Region, error)
	VPCs(ctx context.Context, region string) ([]eni.VPC, error)
	VSwitches(ctx context.Context, region, vpcID string) ([]eni.VSwitch, error)
	SecurityGroups(ctx context.Context, region, vpcID string) ([]eni.SecurityGroup, error)
	Instances(ctx context.Context, region, vpcID string) ([]eni.Instance, error)
}

// Cache serves lookups from memory for TTL after a successful fetch.
// Failures are not cached, so the next view tries again.
type Cache struct {
	src   Source
	ttl   time.Duration
	now   func() time.Time
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]entry
}

type entry struct {
	value   any
	expires time.Time
}

// New returns a cache over src; ttl is how long a value is served.
func New(src Source, ttl time.Duration) *Cache {
	return &Cache{src: src, ttl: ttl, now: time.Now, entries: map[string]entry{}}
}

// Regions lists the regions, cached.
func (c *Cache) Regions(ctx context.Context) ([]eni.Region, error) {
	return get(c, ctx, "regions", func(ctx context.Context) ([]eni.Region, error) { return c.src.Regions(ctx) })
}

// VPCs lists a region's VPCs, cached.
func (c *Cache) VPCs(ctx context.Context, region string) ([]eni.VPC, error) {
	return get(c, ctx, "vpcs/"+region, func(ctx context.Context) ([]eni.VPC, error) { return c.src.VPCs(ctx, region) })
}

// VSwitches lists a region's vSwitches, of one VPC if vpcID is set, cached.
func (c *Cache) VSwitches(ctx context.Context, region, vpcID string) ([]eni.VSwitch, error) {
	return get(c, ctx, "vsw/"+region+"/"+vpcID, func(ctx context.Context) ([]eni.VSwitch, error) {
		return c.src.VSwitches(ctx, region, vpcID)
	})
}

// SecurityGroups lists a region's security groups, of one VPC if vpcID is set, cached.
func (c *Cache) SecurityGroups(ctx context.Context, region, vpcID string) ([]eni.SecurityGroup, error) {
	return get(c, ctx, "sg/"+region+"/"+vpcID, func(ctx context.Context) ([]eni.SecurityGroup, error) {
		return c.src.SecurityGroups(ctx, region, vpcID)
	})
}

// Instances lists a region's instances, of one VPC if vpcID is set, cached.
func (c *Cache) Instances(ctx context.Context, region, vpcID string) ([]eni.Instance, error) {
	return get(c, ctx, "i/"+region+"/"+vpcID, func(ctx context.Context) ([]eni.Instance, error) {
		return c.src.Instances(ctx, region, vpcID)
	})
}

// Forget drops everything cached for a region, e.g. after a change made
// from the dashboard that alters instance ENI counts.
func (c *Cache) Forget(region string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if parts := strings.Split(k, "/"); len(parts) > 1 && parts[1] == region {
			delete(c.entries, k)
		}
	}
}

func get[T any](c *Cache, ctx context.Context, key string, fetch func(context.Context) ([]T, error)) ([]T, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && c.now().Before(e.expires) {
		return e.value.([]T), nil
	}
	ch := c.group.DoChan(key, func() (any, error) {
		// A caller that missed the cache just before another filled it
		// gets the fresh value instead of a second cloud call.
		c.mu.Lock()
		e, ok := c.entries[key]
		c.mu.Unlock()
		if ok && c.now().Before(e.expires) {
			return e.value, nil
		}
		// The fetch outlives a caller that gives up, so its result still
		// fills the cache for the next one.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		v, err := fetch(fctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.entries[key] = entry{value: v, expires: c.now().Add(c.ttl)}
		c.mu.Unlock()
		return v, nil
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.([]T), nil
	}
}
