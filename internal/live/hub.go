// Package live keeps browsers in step with the cloud. One poller per
// distinct view (region, filter, page) asks the cloud, however many
// browsers watch it; each change becomes an Event fanned out to the
// view's subscribers (DESIGN §6).
//
// A poller is slow while its view is quiet and fast while an ENI in it is
// in transition or was just acted on, when it asks only for those ENIs by
// ID. Throttling and failures back it off with jitter. It starts with the
// first subscriber and stops a little after the last one leaves.
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
)

// Config tunes the hub; the zero value gives the defaults.
type Config struct {
	// Slow is the interval while nothing in the view moves (15 s).
	Slow time.Duration
	// Fast is the interval while an ENI is in transition or was just
	// acted on (1.5 s); FirstDelay is the pause after an action before
	// the first fast poll (500 ms).
	Fast, FirstDelay time.Duration
	// HotFor is how long an ENI counts as just acted on (10 s).
	HotFor time.Duration
	// StuckAfter flags an ENI in transition longer than this (5 min).
	StuckAfter time.Duration
	// MaxBackoff caps the pause after throttling or failures (2 min).
	MaxBackoff time.Duration
	// StopAfter is how long a poller outlives its last subscriber (10 s);
	// Keep how long a view's state is kept after that, so reconnecting
	// browsers resume where they were (2 min).
	StopAfter, Keep time.Duration
	// Buffer is how many events a subscriber may lag behind before it is
	// dropped (64).
	Buffer int
	// CallTimeout bounds one poll (20 s).
	CallTimeout time.Duration
	// MaxPollers caps the pollers running at once (200): each distinct
	// view costs cloud calls, so a view beyond the cap is not polled, and
	// its watchers are told so.
	MaxPollers int

	Clock   clockwork.Clock
	Logger  *slog.Logger
	Metrics Metrics
}

// Metrics are the hub's instruments; unset ones are not exported.
type Metrics struct {
	Pollers     prometheus.Gauge
	Subscribers prometheus.Gauge
	Dropped     prometheus.Counter
	Events      *prometheus.CounterVec // by kind
	// Paused counts views watched but not polled for the cap on pollers;
	// Refused every time a poller was not started for it.
	Paused  prometheus.Gauge
	Refused prometheus.Counter
}

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.Slow, 15*time.Second)
	set(&c.Fast, 1500*time.Millisecond)
	set(&c.FirstDelay, 500*time.Millisecond)
	set(&c.HotFor, 10*time.Second)
	set(&c.StuckAfter, 5*time.Minute)
	set(&c.MaxBackoff, 2*time.Minute)
	set(&c.StopAfter, 10*time.Second)
	set(&c.Keep, 2*time.Minute)
	set(&c.CallTimeout, 20*time.Second)
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
	cloud eni.Cloud
	cfg   Config
	clock clockwork.Clock
	boot  string

	mu    sync.Mutex
	seq   uint64
	views map[string]*view
	// running is how many pollers run, against MaxPollers.
	running int
	// transit remembers since when each ENI is in its transitional state,
	// across views, so a stuck ENI is flagged alike everywhere.
	transit map[string]transitRec
	closed  bool
	// ctx ends with Close, cancelling polls in flight.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type transitRec struct {
	status eni.Status
	since  time.Time
}

// New returns a hub polling cloud.
func New(cloud eni.Cloud, cfg Config) *Hub {
	cfg.defaults()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{cloud: cloud, cfg: cfg, clock: cfg.Clock, boot: hex.EncodeToString(b),
		views: map[string]*view{}, transit: map[string]transitRec{}, ctx: ctx, cancel: cancel}
}

// Close stops every poller and ends every subscription, and waits for the
// pollers to return.
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

// Observe records what a page just showed of view f (the ENIs of a list
// page, or the one ENI of a detail page), as the cloud answered a call
// made at asOf, and returns the cursor the page subscribes from, so that
// nothing that changes in between is missed. Subscribers already watching
// f get what changed. A listing older than one the hub already has is not
// applied, lest it take the watchers back; its page is sent what it lacks.
func (h *Hub) Observe(f eni.Filter, enis []eni.ENI, asOf time.Time) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	v := h.viewLocked(f)
	if from, behind := v.behindLocked(asOf); behind {
		return cursor{h.boot, from}.String()
	}
	h.applyListLocked(v, enis, nil, asOf)
	return cursor{h.boot, v.seq}.String()
}

// JustActed tells the pollers of region that this dashboard changed the
// ENIs ids: views showing them poll fast for a while, starting soon. A
// created ENI is in no view yet, so created makes every view of the
// region list again soon, to find it.
func (h *Hub) JustActed(region string, ids []string, created bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.clock.Now()
	for _, v := range h.views {
		if v.filter.Region != region {
			continue
		}
		touched := created
		if created {
			v.relist = true
		}
		for _, id := range ids {
			if en, ok := v.enis[id]; ok {
				en.hotUntil = now.Add(h.cfg.HotFor)
				touched = true
			}
		}
		if touched {
			v.soonLocked(now.Add(h.cfg.FirstDelay))
		}
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
		h.transit[e.ID] = transitRec{status: e.Status, since: now}
	}
}

// nextSeqLocked numbers the next event.
func (h *Hub) nextSeqLocked() uint64 {
	h.seq++
	return h.seq
}

// viewLocked returns the state of view f, creating it, and forgets views
// nobody has used for a while.
func (h *Hub) viewLocked(f eni.Filter) *view {
	now := h.clock.Now()
	h.sweepLocked(now)
	key := f.Query()
	v, ok := h.views[key]
	if !ok {
		v = newView(key, f, h.seq, h.cfg.Fast, h.cfg.MaxBackoff)
		h.views[key] = v
	}
	v.used = now
	return v
}

// sweepLocked forgets views with no subscriber and no poller unused for
// Keep, and transit records of ENIs no view shows.
func (h *Hub) sweepLocked(now time.Time) {
	for k, v := range h.views {
		if len(v.subs) == 0 && !v.running && now.Sub(v.used) >= h.cfg.Keep {
			delete(h.views, k)
		}
	}
	if len(h.transit) > 0 && len(h.views) == 0 {
		clear(h.transit)
	}
}
