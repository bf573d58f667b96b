package inventory

import (
	"context"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// DefaultLinger is how long a region's inventory outlives its last user.
const DefaultLinger = 5 * time.Minute

// Manager holds the inventory of every region in use: a region's listing
// starts with its first Acquire and stops Linger after its last release,
// so a viewer who comes back, or moves between views, finds it warm. Each
// region runs on a context of its own, not on any request's.
type Manager struct {
	cloud  Lister
	cfg    Config
	linger time.Duration

	mu      sync.Mutex
	regions map[string]*held
	closed  bool
	wg      sync.WaitGroup
}

// held is one running region and who holds it.
type held struct {
	region *Region
	refs   int
	cancel context.CancelFunc
	// linger is the pending drop after the last release; nil while held.
	linger clockwork.Timer
}

// NewManager returns a manager whose regions list cloud with cfg (its
// Clock also times the linger); linger <= 0 means DefaultLinger.
func NewManager(cloud Lister, cfg Config, linger time.Duration) *Manager {
	if linger <= 0 {
		linger = DefaultLinger
	}
	return &Manager{cloud: cloud, cfg: cfg.withDefaults(), linger: linger, regions: map[string]*held{}}
}

// Acquire returns region's inventory, starting it if it is not running,
// and the function that gives it back (idempotent). After Close it
// returns nil.
func (m *Manager) Acquire(region string) (*Region, func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, func() {}
	}
	h, ok := m.regions[region]
	if !ok {
		ctx, cancel := context.WithCancel(context.Background())
		h = &held{region: NewRegion(region, m.cloud, m.cfg), cancel: cancel}
		m.regions[region] = h
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			h.region.Run(ctx)
		}()
	}
	if h.linger != nil {
		h.linger.Stop()
		h.linger = nil
	}
	h.refs++
	var once sync.Once
	return h.region, func() { once.Do(func() { m.release(region, h) }) }
}

func (m *Manager) release(region string, h *held) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h.refs--; h.refs > 0 || m.closed {
		return
	}
	var t clockwork.Timer
	t = m.cfg.Clock.AfterFunc(m.linger, func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		// Acquired again meanwhile: that Acquire stopped this timer, but
		// it may have fired already.
		if h.linger != t || h.refs > 0 {
			return
		}
		h.linger = nil
		delete(m.regions, region)
		h.cancel()
	})
	h.linger = t
}

// Running returns region's inventory if it runs (held or lingering),
// without holding it; nil otherwise.
func (m *Manager) Running(region string) *Region {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h, ok := m.regions[region]; ok {
		return h.region
	}
	return nil
}

// Len is how many regions run.
func (m *Manager) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.regions)
}

// Close stops every region and waits for them.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	for id, h := range m.regions {
		if h.linger != nil {
			h.linger.Stop()
		}
		h.cancel()
		delete(m.regions, id)
	}
	m.mu.Unlock()
	m.wg.Wait()
}
