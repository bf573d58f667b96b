package lookup

import "enidash/internal/inventory"

// InstanceNames is the region's instance names as the look-ups hold them
// now, for live views searched with q: it never waits on the cloud, and
// is nil (names not searched) for a region never looked up.
func (c *Cache) InstanceNames(region string) inventory.InstanceNames {
	n := c.CachedNames(region)
	if n == nil || n.Instances == nil {
		// A nil interface, not a nil table: callers test for none.
		return nil
	}
	return n.Instances
}
