// Package lookup caches the slow-changing things the dashboard offers in
// its region switcher and pickers (regions, VPCs, vSwitches, security
// groups, instances), so a page view does not cost five extra cloud calls.
// Values are served stale-while-revalidate: past its TTL a value is still
// served at once while one fetch in the background replaces it, so only a
// key never fetched (a cold region) waits on the cloud. Concurrent misses
// for the same key share one cloud call.
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

// Cache serves lookups from memory: fresh for TTL after a successful
// fetch, then stale (served, and fetched again in the background). Failures
// are not cached: a stale value stays until a fetch works, and a key with
// no value tries again on the next read.
type Cache struct {
	src   Source
	ttl   time.Duration
	now   func() time.Time
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]entry
	gen     uint64 // counts fills, so derived values know when to rebuild
	names   map[string]namesEntry
	// refreshed, when set, is told each background fetch's key as it ends
	// (tests wait on it instead of on time).
	refreshed func(key string)
}

type entry struct {
	value   any
	expires time.Time
	gen     uint64
}

// New returns a cache over src; ttl is how long a value is fresh.
func New(src Source, ttl time.Duration) *Cache {
	return &Cache{src: src, ttl: ttl, now: time.Now, entries: map[string]entry{}, names: map[string]namesEntry{}}
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
// from the dashboard that alters instance ENI counts: the next read waits
// for the cloud's current answer rather than serving the old one.
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
	if ok {
		if !c.now().Before(e.expires) {
			// Stale: served as is; one fetch replaces it for later reads.
			ch := fill(c, ctx, key, fetch)
			go func() {
				<-ch
				if c.refreshed != nil {
					c.refreshed(key)
				}
			}()
		}
		return e.value.([]T), nil
	}
	ch := fill(c, ctx, key, fetch)
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

// fill fetches key once however many callers ask at the same time, and
// stores what it got.
func fill[T any](c *Cache, ctx context.Context, key string, fetch func(context.Context) ([]T, error)) <-chan singleflight.Result {
	return c.group.DoChan(key, func() (any, error) {
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
		c.gen++
		c.entries[key] = entry{value: v, expires: c.now().Add(c.ttl), gen: c.gen}
		c.mu.Unlock()
		return v, nil
	})
}
