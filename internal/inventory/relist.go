package inventory

import (
	"context"
	"fmt"
	"slices"

	"enidash/internal/eni"
)

// maxRelistPages bounds a relisting, in case the cloud kept handing out
// tokens.
const maxRelistPages = 1000

// Relist lists one view with the cloud's own filters now (a "Refresh now",
// or the vSwitch of a new ENI) and merges the answer: ENIs listed are
// added or updated; ENIs of the snapshot in that view that the cloud did
// not list are asked for by ID, so one that changed is updated and one
// that is gone is removed. Only the cloud's filters of f are used.
func (r *Region) Relist(ctx context.Context, f eni.Filter) (ChangeSet, error) {
	f.Region, f.Size, f.Trail = r.id, r.cfg.PageSize, nil
	asOf := r.cfg.Clock.Now()
	cs := ChangeSet{Region: r.id, AsOf: asOf}
	listed := map[string]bool{}
	token := ""
	for range maxRelistPages {
		cctx, cancel := context.WithTimeout(ctx, r.cfg.CallTimeout)
		page, err := r.cloud.ListENIs(cctx, eni.ListQuery{Filter: f, NextToken: token})
		cancel()
		if err != nil {
			return cs, fmt.Errorf("inventory: relisting %s: %w", r.id, err)
		}
		for _, e := range page.ENIs {
			listed[e.ID] = true
		}
		merge(&cs, r.store.Upsert(page.ENIs, asOf))
		r.heatTransitions(page.ENIs)
		if token = page.NextToken; token == "" {
			break
		}
	}
	var missing []string
	for _, e := range r.store.Select(eni.View{Filter: f}, Options{Now: asOf}) {
		if !listed[e.ID] {
			missing = append(missing, e.ID)
		}
	}
	for batch := range slices.Chunk(missing, maxByID) {
		cctx, cancel := context.WithTimeout(ctx, r.cfg.CallTimeout)
		got, err := r.cloud.ENIsByID(cctx, r.id, batch)
		cancel()
		if err != nil {
			r.publish(cs)
			r.flush(ctx)
			return cs, fmt.Errorf("inventory: relisting %s: %w", r.id, err)
		}
		merge(&cs, r.store.ApplyByID(batch, got, asOf))
	}
	r.publish(cs)
	r.flush(ctx)
	return cs, nil
}

func merge(into *ChangeSet, cs ChangeSet) {
	into.Added = append(into.Added, cs.Added...)
	into.Changed = append(into.Changed, cs.Changed...)
	into.Removed = append(into.Removed, cs.Removed...)
	into.Version = max(into.Version, cs.Version)
}

// probeDefaultRG learns the account's default resource group, which the
// cloud's rg filter always lists too: asked for the resource group with the
// fewest ENIs, the cloud also answers with the default group's ENIs, so
// any ENI of another group names it. When the answer holds none, a second
// group is asked the same; a region whose ENIs are all in one group takes
// it as the default. At most two calls, once.
func (r *Region) probeDefaultRG(ctx context.Context) {
	r.mu.Lock()
	done := r.rgProbed
	r.rgProbed = true
	r.mu.Unlock()
	if done {
		return
	}
	counts := r.store.groupCounts()
	groups := make([]string, 0, len(counts))
	for g := range counts {
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b string) int {
		if c := counts[a] - counts[b]; c != 0 {
			return c
		}
		return compareFold(a, b)
	})
	if len(groups) == 1 {
		r.store.SetDefaultResourceGroup(groups[0])
		return
	}
	for _, g := range groups[:min(2, len(groups))] {
		d, err := r.foreignGroup(ctx, g, counts[g])
		if err != nil {
			r.cfg.Logger.Warn("inventory: default resource group not learnt", "region", r.id, "err", err)
			r.mu.Lock()
			r.rgProbed = false // try again after the next listing
			r.mu.Unlock()
			return
		}
		if d != "" {
			r.store.SetDefaultResourceGroup(d)
			return
		}
	}
}

// foreignGroup lists the ENIs of group g until one of another group shows
// up, and returns that group ("" if none does). It stops as soon as the
// cloud's count says only g's own ENIs are left.
func (r *Region) foreignGroup(ctx context.Context, g string, own int) (string, error) {
	token := ""
	for range maxRelistPages {
		cctx, cancel := context.WithTimeout(ctx, r.cfg.CallTimeout)
		page, err := r.cloud.ListENIs(cctx, eni.ListQuery{
			Filter: eni.Filter{Region: r.id, ResourceGroupID: g, Size: r.cfg.PageSize}, NextToken: token})
		cancel()
		if err != nil {
			return "", err
		}
		for _, e := range page.ENIs {
			if e.ResourceGroupID != g && e.ResourceGroupID != "" {
				return e.ResourceGroupID, nil
			}
		}
		if token = page.NextToken; token == "" || page.TotalCount <= own {
			return "", nil
		}
	}
	return "", nil
}

// groupCounts counts the snapshot's ENIs by resource group.
func (s *Store) groupCounts() map[string]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.dict.countsBy(s.col.rg, s.live)
}
