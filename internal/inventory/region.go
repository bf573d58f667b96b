// Package inventory keeps, for each region someone looks at, a snapshot of
// every ENI in memory, indexed, and answers any view from it (DESIGN §6):
// the cloud's filters with their exact meaning, plus search, zone, age,
// sort, numbered pages and counts. A Region lists the region whole at a
// pace that keeps within a call budget, polls ENIs in transition by ID,
// and tells subscribers what each answer changed.
package inventory

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"

	"enidash/internal/eni"
)

// Lister is the part of eni.Cloud the inventory calls.
type Lister interface {
	ListENIs(ctx context.Context, q eni.ListQuery) (eni.Page, error)
	ENIsByID(ctx context.Context, region string, ids []string) ([]eni.ENI, error)
}

// maxByID is how many IDs one DescribeNetworkInterfaces takes.
const maxByID = eni.MaxListItems

// Progress says how far a region's snapshot is.
type Progress struct {
	Ready    bool      // a full listing completed: views can be answered
	Listed   int       // ENIs the listing in progress has listed so far
	Total    int       // the cloud's TotalCount for that listing; 0 if unknown
	AsOf     time.Time // start of the last complete listing
	Interval time.Duration
	Err      error     // the last failure; nil once a call works again
	Retry    time.Time // when a failed listing is tried again
	// PollErr is the last failure of a poll by ID, nil once one works
	// again; PollRetry when it is tried again.
	PollErr   error
	PollRetry time.Time
}

// Region is one region's inventory. Run drives it; the other methods are
// safe to call from any goroutine.
type Region struct {
	id    string
	cloud Lister
	cfg   Config
	store *Store
	fan   fanout
	wake  chan struct{}

	mu       sync.Mutex
	prog     Progress
	hot      map[string]int // IDs to poll by ID: how often asked for
	hotSince map[string]time.Time
	// stuck holds ENIs left to the listings after StuckAfter in one
	// transition, with that status, until they move or are acted on.
	stuck    map[string]eni.Status
	list     listing // the full listing in progress
	rgProbed bool
	pollNow  bool                        // Hot asked for a poll before the next fast one
	progC    chan struct{}               // closed at the next change of prog
	bo       *backoff.ExponentialBackOff // of the full listing
	pollBo   *backoff.ExponentialBackOff // of the polls by ID
	sh       *shared                     // nil without a Coordinator
}

// listing is a full listing's state, kept across failures so a retry goes
// on from the page that failed.
type listing struct {
	active bool
	asOf   time.Time
	token  string
	ids    []string
	total  int
	calls  int
}

// NewRegion returns the inventory of region, empty until Run lists it.
func NewRegion(region string, cloud Lister, cfg Config) *Region {
	cfg = cfg.withDefaults()
	r := &Region{id: region, cloud: cloud, cfg: cfg, store: NewStore(region), wake: make(chan struct{}, 1),
		hot: map[string]int{}, hotSince: map[string]time.Time{}, stuck: map[string]eni.Status{},
		bo: newBackoff(cfg), pollBo: newBackoff(cfg)}
	if cfg.DefaultResourceGroup != "" {
		r.store.SetDefaultResourceGroup(cfg.DefaultResourceGroup)
		r.rgProbed = true
	}
	if cfg.Coordinator != nil {
		r.sh = newShared(cfg.Coordinator)
	}
	return r
}

// newBackoff waits 2s (Fast), then twice as long each time up to five
// minutes, each wait ±50% at random so that replicas and regions do not
// retry in step.
func newBackoff(cfg Config) *backoff.ExponentialBackOff {
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval, bo.MaxInterval = cfg.Fast, 5*time.Minute
	bo.Multiplier, bo.RandomizationFactor = 2, 0.5
	return bo
}

// ID is the region's ID.
func (r *Region) ID() string { return r.id }

// Store is the region's snapshot, for queries.
func (r *Region) Store() *Store { return r.store }

// Progress reports how far the snapshot is.
func (r *Region) Progress() Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.prog
}

// Progressed returns a channel closed at the next change of Progress (a
// page listed, a failure, a retry that worked), so watchers of the
// region's health need not poll it.
func (r *Region) Progressed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.progC == nil {
		r.progC = make(chan struct{})
	}
	return r.progC
}

// progressedLocked wakes the watchers of Progress.
func (r *Region) progressedLocked() {
	if r.progC != nil {
		close(r.progC)
		r.progC = nil
	}
}

// Subscribe returns a subscription to every change set applied from now.
func (r *Region) Subscribe() *Subscription { return r.fan.subscribe(r.cfg.Buffer) }

// Hot asks for the ENIs to be polled by ID at the fast pace until they
// settle (are found outside a transition, or gone): ENIs just acted on.
func (r *Region) Hot(ids ...string) {
	r.mu.Lock()
	now := r.cfg.Clock.Now()
	for _, id := range ids {
		r.hot[id]++
		r.hotSince[id] = now
		delete(r.stuck, id)
	}
	r.pollNow = true
	r.mu.Unlock()
	r.poke()
}

func (r *Region) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// ErrNotReady is returned for views of a region whose first listing is not
// complete.
var ErrNotReady = errors.New("inventory: the region is still being listed")

// Query answers a view from the snapshot, or ErrNotReady.
func (r *Region) Query(v eni.View, o Options) (Result, error) {
	if !r.Progress().Ready {
		return Result{}, ErrNotReady
	}
	return r.store.Query(v, o), nil
}

// Run lists the region and keeps it fresh until ctx ends; subscriptions
// are closed then. With a Coordinator the region is listed by whichever
// replica leads it, and followed by the others.
func (r *Region) Run(ctx context.Context) {
	defer r.fan.closeAll()
	if r.sh != nil {
		r.runShared(ctx)
		return
	}
	r.loop(ctx, nil, func(ctx context.Context) (time.Time, bool) { return r.step(ctx), false })
}

// loop makes the region's calls until ctx ends or tick says to stop: tick
// when due (a page of the full listing; for a follower, its turn to try
// the lead and read), polls of hot ENIs at the fast pace in between, and
// a read of the other replicas' changes when notify says.
func (r *Region) loop(ctx context.Context, notify <-chan struct{}, tick func(context.Context) (time.Time, bool)) {
	clock := r.cfg.Clock
	nextTick, nextFast := clock.Now(), time.Time{}
	for ctx.Err() == nil {
		now := clock.Now()
		if !now.Before(nextTick) {
			next, stop := tick(ctx)
			if stop {
				return
			}
			nextTick = next
			continue
		}
		if n := r.hotCount(); n > 0 && (!now.Before(nextFast) || r.takePollNow()) {
			nextFast = now.Add(r.pollHot(ctx))
			r.flush(ctx)
			continue
		}
		due := nextTick
		if r.hotCount() > 0 && nextFast.Before(due) {
			due = nextFast
		}
		t := clock.NewTimer(due.Sub(now))
		select {
		case <-t.Chan():
		case <-r.wake:
			t.Stop()
		case <-notify:
			t.Stop()
			r.catchUp(ctx)
		case <-ctx.Done():
			t.Stop()
		}
	}
}

// step lists one page of the full listing (starting one if none is in
// progress) and returns when the next step is due: at once while pages
// remain, after the refresh interval once the listing is done, or after a
// backoff with jitter when the cloud throttled or failed.
func (r *Region) step(ctx context.Context) time.Time {
	clock := r.cfg.Clock
	r.mu.Lock()
	if !r.list.active {
		r.list = listing{active: true, asOf: clock.Now()}
	}
	l := r.list
	r.mu.Unlock()

	cctx, cancel := context.WithTimeout(ctx, r.cfg.CallTimeout)
	asOf := clock.Now()
	page, err := r.cloud.ListENIs(cctx, eni.ListQuery{
		Filter: eni.Filter{Region: r.id, Size: r.cfg.PageSize}, NextToken: l.token})
	cancel()
	if err != nil {
		return r.failed(ctx, err)
	}
	r.publish(r.store.Upsert(page.ENIs, asOf))
	r.heatTransitions(page.ENIs)

	r.mu.Lock()
	r.bo.Reset()
	r.prog.Err, r.prog.Retry = nil, time.Time{}
	for _, e := range page.ENIs {
		r.list.ids = append(r.list.ids, e.ID)
	}
	r.list.token, r.list.calls = page.NextToken, r.list.calls+1
	if r.list.total == 0 {
		r.list.total = page.TotalCount
	}
	r.prog.Listed, r.prog.Total = len(r.list.ids), r.list.total
	r.progressedLocked()
	if page.NextToken != "" {
		r.mu.Unlock()
		return clock.Now()
	}
	done := r.list
	r.list = listing{}
	r.mu.Unlock()

	r.publish(r.store.FinishListing(done.ids, done.asOf))
	r.probeDefaultRG(ctx)
	interval := r.cfg.RefreshInterval(len(done.ids))
	r.mu.Lock()
	r.prog.Ready, r.prog.AsOf, r.prog.Interval = true, done.asOf, interval
	r.progressedLocked()
	r.mu.Unlock()
	return done.asOf.Add(interval)
}

// failed schedules the retry of a listing page: throttling, the cloud's
// 5xx and unreachable cloud back off with jitter and go on from the same
// page; any other refusal starts the listing again after Slow.
func (r *Region) failed(ctx context.Context, err error) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	wait := r.cfg.Slow
	ce, isCloud := eni.AsCloudError(err)
	if !isCloud || ce.Retryable() {
		wait = r.bo.NextBackOff()
	} else {
		r.list = listing{}
	}
	if ctx.Err() == nil {
		r.cfg.Logger.Warn("inventory listing failed", "region", r.id, "err", err, "retry", wait)
	}
	r.prog.Err = err
	r.prog.Retry = r.cfg.Clock.Now().Add(wait)
	r.progressedLocked()
	return r.prog.Retry
}

// heatTransitions polls ENIs found in a transition at the fast pace.
func (r *Region) heatTransitions(enis []eni.ENI) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.cfg.Clock.Now()
	for _, e := range enis {
		if !e.Status.Transitional() || r.stuck[e.ID] != e.Status {
			delete(r.stuck, e.ID)
		}
		if e.Status.Transitional() && r.stuck[e.ID] == "" {
			if _, ok := r.hot[e.ID]; !ok {
				r.hot[e.ID] = 1
				r.hotSince[e.ID] = now
			}
		}
	}
}

func (r *Region) takePollNow() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.pollNow
	r.pollNow = false
	return now
}

func (r *Region) hotCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.hot)
}

// pollHot polls the hot ENIs by ID and returns when to poll again. An ENI
// found settled or gone cools down, unless it was asked for again while
// the poll was under way.
func (r *Region) pollHot(ctx context.Context) time.Duration {
	r.mu.Lock()
	r.pollNow = false // this poll is the one asked for
	ids := make([]string, 0, len(r.hot))
	asked := make(map[string]int, len(r.hot))
	for id, n := range r.hot {
		ids = append(ids, id)
		asked[id] = n
	}
	r.mu.Unlock()
	slices.Sort(ids)
	cctx, cancel := context.WithTimeout(ctx, r.cfg.CallTimeout)
	defer cancel()
	asOf := r.cfg.Clock.Now()
	got, err := r.cloud.ENIsByID(cctx, r.id, ids)
	if err == nil {
		r.publish(r.store.ApplyByID(ids, got, asOf))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		wait := r.pollBo.NextBackOff()
		r.prog.PollErr, r.prog.PollRetry = err, r.cfg.Clock.Now().Add(wait)
		r.progressedLocked()
		return wait
	}
	r.pollBo.Reset()
	if r.prog.PollErr != nil {
		r.prog.PollErr, r.prog.PollRetry = nil, time.Time{}
		r.progressedLocked()
	}
	now := r.cfg.Clock.Now()
	for _, id := range ids {
		if r.hot[id] != asked[id] {
			continue // asked for again meanwhile
		}
		e, ok := r.store.Get(id)
		stuck := ok && e.Status.Transitional() && now.Sub(r.hotSince[id]) >= r.cfg.StuckAfter
		if !ok || !e.Status.Transitional() || stuck {
			delete(r.hot, id)
			delete(r.hotSince, id)
		}
		if stuck {
			// Stuck: polling it fast tells nothing new; the listings
			// see it move.
			r.stuck[id] = e.Status
		}
	}
	return r.cfg.fastInterval(len(r.hot))
}

// publish tells the subscribers, and the other replicas at the next flush.
func (r *Region) publish(cs ChangeSet) {
	r.fan.publish(cs)
	if r.sh != nil {
		r.sh.note(cs)
	}
}
