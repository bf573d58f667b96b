package handlers

import (
	"context"
	"sync"
	"time"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// missTTL is how long an ID the cloud did not know is not asked for again
// by the list page: a shared bookmark of a deleted ENI then costs one
// call per interval, not one per view.
const missTTL = 15 * time.Second

// idMisses remembers IDs recently asked of the cloud and not found.
type idMisses struct {
	mu sync.Mutex
	at map[string]time.Time
}

// fetchUnknownIDs asks the cloud, in one listing, for the ENIs a view names
// by ID that the snapshot does not hold yet: ones another tool created
// since the region's last listing. Without it a pasted ID would read as
// nonexistent until the next refresh.
func (h *Handler) fetchUnknownIDs(ctx context.Context, region *inventory.Region, vw eni.View) {
	if len(vw.IDs) == 0 {
		return
	}
	store, now := region.Store(), h.Now()
	var ask []string
	h.misses.mu.Lock()
	for k, t := range h.misses.at {
		if now.Sub(t) >= missTTL {
			delete(h.misses.at, k)
		}
	}
	for _, id := range vw.IDs {
		if _, ok := store.Get(id); ok {
			continue
		}
		if _, recent := h.misses.at[vw.Region+"/"+id]; !recent {
			ask = append(ask, id)
		}
	}
	h.misses.mu.Unlock()
	if len(ask) == 0 {
		return
	}
	if _, err := region.Relist(ctx, eni.Filter{Region: vw.Region, IDs: ask}); err != nil {
		h.Logger.WarnContext(ctx, "asking the cloud for ENIs named by ID failed", "region", vw.Region, "ids", len(ask), "err", err)
		return
	}
	h.misses.mu.Lock()
	defer h.misses.mu.Unlock()
	if h.misses.at == nil {
		h.misses.at = map[string]time.Time{}
	}
	for _, id := range ask {
		if _, ok := store.Get(id); !ok {
			h.misses.at[vw.Region+"/"+id] = now
		}
	}
}
