package lookup

import (
	"context"
	"sync"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// Names are the names of a region's VPCs, vSwitches, security groups and
// instances by ID, shown beside the IDs in the list. Instances also serves
// the inventory's search by instance name. Read only: shared by pages.
type Names struct {
	VPCs, VSwitches, SecurityGroups map[string]string
	Instances                       *inventory.NameTable
	instances                       map[string]string
}

// Of is the name of a VPC, vSwitch, security group or instance ("" when
// unknown). A nil *Names knows none.
func (n *Names) Of(id string) string {
	if n == nil {
		return ""
	}
	for _, m := range []map[string]string{n.instances, n.VPCs, n.VSwitches, n.SecurityGroups} {
		if s := m[id]; s != "" {
			return s
		}
	}
	return ""
}

type namesEntry struct {
	gens  [4]uint64
	names *Names
}

// Names returns the names of region's resources from the region-wide look-ups
// (stale-while-revalidate like them: only a region never looked up waits).
// A look-up that fails leaves its names out. The result is rebuilt only
// when one of the look-ups was fetched again.
func (c *Cache) Names(ctx context.Context, region string) *Names {
	var (
		wg    sync.WaitGroup
		vpcs  []eni.VPC
		vsws  []eni.VSwitch
		sgs   []eni.SecurityGroup
		insts []eni.Instance
	)
	wg.Go(func() { vpcs, _ = c.VPCs(ctx, region) })
	wg.Go(func() { vsws, _ = c.VSwitches(ctx, region, "") })
	wg.Go(func() { sgs, _ = c.SecurityGroups(ctx, region, "") })
	wg.Go(func() { insts, _ = c.Instances(ctx, region, "") })
	wg.Wait()
	keys := [4]string{"vpcs/" + region, "vsw/" + region + "/", "sg/" + region + "/", "i/" + region + "/"}
	c.mu.Lock()
	var gens [4]uint64
	for i, k := range keys {
		gens[i] = c.entries[k].gen
	}
	if ne, ok := c.names[region]; ok && ne.gens == gens {
		c.mu.Unlock()
		return ne.names
	}
	c.mu.Unlock()
	n := &Names{VPCs: map[string]string{}, VSwitches: map[string]string{}, SecurityGroups: map[string]string{},
		instances: map[string]string{}}
	for _, v := range vpcs {
		n.VPCs[v.ID] = v.Name
	}
	for _, v := range vsws {
		n.VSwitches[v.ID] = v.Name
	}
	for _, g := range sgs {
		n.SecurityGroups[g.ID] = g.Name
	}
	for _, in := range insts {
		n.instances[in.ID] = in.Name
	}
	n.Instances = inventory.NewNameTable(n.instances)
	c.mu.Lock()
	c.names[region] = namesEntry{gens: gens, names: n}
	c.mu.Unlock()
	return n
}

// CachedNames is Names without waiting: what the look-ups hold now (nil
// when the region was never looked up), for rows rendered outside a page
// (live updates).
func (c *Cache) CachedNames(region string) *Names {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ne, ok := c.names[region]; ok {
		return ne.names
	}
	return nil
}
