// Package live keeps browsers in step with the cloud (DESIGN §6). Its one
// source of changes is the inventory: a snapshot of each watched region,
// listed within a call budget, with ENIs in transition or just acted on
// polled by ID. The hub fans each of a region's change sets out to the
// views of that region by evaluating every view on the changed ENIs only;
// each change becomes an Event for the view's subscribers.
//
// There is no poller per view: cloud calls depend on the regions watched,
// never on the number of views or viewers. A region's inventory is held
// from the first watched view of it until StopAfter after its last one
// (and lingers in the inventory after that).
package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// Regions gives the inventory of a region: Acquire holds it (starting it)
// until release; Running returns it without holding it if it runs (nil
// otherwise). *inventory.Manager is one.
type Regions interface {
	Acquire(region string) (*inventory.Region, func())
	Running(region string) *inventory.Region
}

var _ Regions = (*inventory.Manager)(nil)

// Config tunes the hub; the zero value gives the defaults. The pace of
// cloud calls is the inventory's (inventory.Config).
type Config struct {
	// StuckAfter flags an ENI in transition longer than this (5 min).
	StuckAfter time.Duration
	// StopAfter is how long a view is still evaluated after its last
	// subscriber left or its page was shown (10 s); Keep how long its
	// state is kept after that, so reconnecting browsers resume where
	// they were (2 min).
	StopAfter, Keep time.Duration
	// Buffer is how many events a subscriber may lag behind before it is
	// dropped (64).
	Buffer int
	// MaxPollers caps the distinct views watched at once (200): each is
	// evaluated on every change of its region, so a view beyond the cap
	// is not, and its watchers are told so. It costs no cloud call.
	MaxPollers int
	// Names looks up instance names in a region, for views searched with
	// q; nil: instance names are not searched.
	Names func(region string) inventory.InstanceNames

	Clock   clockwork.Clock
	Logger  *slog.Logger
	Metrics Metrics
}

// Metrics are the hub's instruments; unset ones are not exported.
type Metrics struct {
	// Pollers counts the views being watched (each evaluated on its
	// region's changes); the name stays for existing dashboards.
	Pollers     prometheus.Gauge
	Subscribers prometheus.Gauge
	Dropped     prometheus.Counter
	Events      *prometheus.CounterVec // by kind
	// Paused counts views watched but not evaluated for the cap;
	// Refused every time a view was not taken on for it.
	Paused  prometheus.Gauge
	Refused prometheus.Counter
}

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.StuckAfter, 5*time.Minute)
	set(&c.StopAfter, 10*time.Second)
	set(&c.Keep, 2*time.Minute)
	c.Keep = max(c.Keep, c.StopAfter)
	if c.Buffer <= 0 {
		c.Buffer = 64
	}
	if c.MaxPollers <= 0 {
		c.MaxPollers = 200
	}
	if c.Clock == nil {
		c.Clock = clockwork.NewRealClock()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	m := &c.Metrics
	if m.Pollers == nil {
		m.Pollers = prometheus.NewGauge(prometheus.GaugeOpts{Name: "pollers"})
	}
	if m.Subscribers == nil {
		m.Subscribers = prometheus.NewGauge(prometheus.GaugeOpts{Name: "subscribers"})
	}
	if m.Dropped == nil {
		m.Dropped = prometheus.NewCounter(prometheus.CounterOpts{Name: "dropped"})
	}
	if m.Events == nil {
		m.Events = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "events"}, []string{"kind"})
	}
	if m.Paused == nil {
		m.Paused = prometheus.NewGauge(prometheus.GaugeOpts{Name: "paused"})
	}
	if m.Refused == nil {
		m.Refused = prometheus.NewCounter(prometheus.CounterOpts{Name: "refused"})
	}
}

// Hub holds every watched view. It is safe for concurrent use.
type Hub struct {
	regions Regions
	cfg     Config
	clock   clockwork.Clock
	boot    string

	mu    sync.Mutex
	seq   uint64
	views map[string]*view
	feeds map[string]*feed
	// watched is how many views have subscribers and are evaluated,
	// against MaxPollers.
	watched int
	// transit remembers since when each ENI is in its transitional state,
	// across views, so a stuck ENI is flagged alike everywhere.
	transit map[string]transitRec
	closed  bool
	// ctx ends with Close, stopping the feeds.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type transitRec struct {
	region  string
	status  eni.Status
	since   time.Time
	flagged bool // its views were told it is stuck
}

// New returns a hub fed by the inventories of regions, whose clock should
// be the hub's.
func New(regions Regions, cfg Config) *Hub {
	cfg.defaults()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{regions: regions, cfg: cfg, clock: cfg.Clock, boot: hex.EncodeToString(b),
		views: map[string]*view{}, feeds: map[string]*feed{}, transit: map[string]transitRec{}, ctx: ctx, cancel: cancel}
}

// Close ends every subscription and feed, and waits for the feeds to
// give their regions back.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	h.cancel()
	for _, v := range h.views {
		for s := range v.subs {
			h.unsubscribeLocked(s, false)
		}
	}
	h.mu.Unlock()
	h.wg.Wait()
}

// Now is the hub's clock: a page stamps the listing it gives Observe with
// it, just before asking the cloud.
func (h *Hub) Now() time.Time { return h.clock.Now() }

// ViewOf is the view a list filter shows.
func ViewOf(f eni.Filter) eni.View { return paged(eni.View{Filter: f}) }

// paged is vw with a page of the cloud's paging (a chain of NextTokens)
// as the same page of the snapshot's order, whose order is the cloud's.
func paged(vw eni.View) eni.View {
	if len(vw.Trail) > 0 {
		vw.Page, vw.Trail = len(vw.Trail)+1, nil
	}
	return vw
}

// Observe is ObserveView for a list filter.
func (h *Hub) Observe(f eni.Filter, enis []eni.ENI, asOf time.Time) string {
	return h.ObserveView(ViewOf(f), enis, asOf)
}

// ObserveView records what a page just showed of view vw (the ENIs of a
// list page, or the one ENI of a detail page), as an answer to a call
// made at asOf, and returns the cursor the page subscribes from, so that
// nothing that changes in between is missed. Subscribers already watching
// vw get what changed. An answer older than one the hub already applied
// is not, lest it take the watchers back; its page is sent what it lacks.
func (h *Hub) ObserveView(vw eni.View, enis []eni.ENI, asOf time.Time) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	v := h.viewLocked(paged(vw))
	if from, behind := v.behindLocked(asOf); behind {
		h.attachLocked(v, false)
		return cursor{h.boot, from}.String()
	}
	before := v.seq
	h.applyListLocked(v, enis, func(string, eni.ENI) string { return "no longer in this view" })
	v.markLocked(asOf, before)
	v.asOf, v.stale = asOf, false
	// A region whose inventory runs feeds the view from now on.
	if f := h.attachLocked(v, false); f != nil {
		h.followLocked(f, v, h.clock.Now())
	}
	return cursor{h.boot, v.seq}.String()
}

// JustActed tells the inventory of region that this dashboard changed
// the ENIs ids (or created them, created): it polls them by ID at once
// and at the fast pace until they settle, which also finds a new ENI. A
// region nobody watches is left alone.
func (h *Hub) JustActed(region string, ids []string, created bool) {
	if len(ids) == 0 {
		// An outcome unknown, with no ID: the next listing finds it.
		return
	}
	h.mu.Lock()
	var r *inventory.Region
	if f := h.feeds[region]; f != nil {
		r = f.region
	}
	h.mu.Unlock()
	if r == nil {
		r = h.regions.Running(region)
	}
	if r != nil {
		r.Hot(ids...)
	}
}

// StuckFor says, for each of ids in transition longer than the threshold,
// for how long; the others are absent.
func (h *Hub) StuckFor(enis []eni.ENI) map[string]time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out map[string]time.Duration
	now := h.clock.Now()
	for _, e := range enis {
		if d := h.stuckLocked(e, now); d > 0 {
			if out == nil {
				out = map[string]time.Duration{}
			}
			out[e.ID] = d
		}
	}
	return out
}

// stuckLocked is how long e has been in its transitional state, if longer
// than the threshold; 0 otherwise.
func (h *Hub) stuckLocked(e eni.ENI, now time.Time) time.Duration {
	r, ok := h.transit[e.ID]
	if !ok || r.status != e.Status || !e.Status.Transitional() {
		return 0
	}
	if d := now.Sub(r.since); d >= h.cfg.StuckAfter {
		return d
	}
	return 0
}

// trackLocked notes when e entered its transitional state.
func (h *Hub) trackLocked(e eni.ENI, now time.Time) {
	if !e.Status.Transitional() {
		delete(h.transit, e.ID)
		return
	}
	if r, ok := h.transit[e.ID]; !ok || r.status != e.Status {
		h.transit[e.ID] = transitRec{region: e.RegionID, status: e.Status, since: now}
		if f := h.feeds[e.RegionID]; f != nil {
			f.poke() // its feed times the stuck flag
		}
	}
}

// nextSeqLocked numbers the next event.
func (h *Hub) nextSeqLocked() uint64 {
	h.seq++
	return h.seq
}

// viewLocked returns the state of view vw, creating it, and forgets views
// nobody has used for a while.
func (h *Hub) viewLocked(vw eni.View) *view {
	now := h.clock.Now()
	h.sweepLocked(now)
	key := vw.Query()
	v, ok := h.views[key]
	if !ok {
		v = newView(key, vw, h.seq)
		h.views[key] = v
	}
	v.used = now
	return v
}

// sweepLocked forgets views with no subscriber, not evaluated and unused
// for Keep, and transit records of regions no view shows.
func (h *Hub) sweepLocked(now time.Time) {
	shown := map[string]bool{}
	for k, v := range h.views {
		if len(v.subs) == 0 && v.feed == nil && now.Sub(v.used) >= h.cfg.Keep {
			delete(h.views, k)
			continue
		}
		shown[v.region()] = true
	}
	for id, r := range h.transit {
		if !shown[r.region] {
			delete(h.transit, id)
		}
	}
}
