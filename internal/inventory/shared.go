package inventory

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"enidash/internal/eni"
)

const (
	// maxFollowEvery bounds how long a follower waits between two tries
	// of the lead (each also a read of the rows, should a notification
	// have been lost).
	maxFollowEvery = 5 * time.Second
	// staleAfter refresh intervals without a word from the leader, the
	// rows may be far from the cloud: a new leader does not claim the
	// region ready before its own first listing ends.
	staleAfter = 3
	// Tombstones are kept this long (or this many refresh intervals) for
	// followers to read; one that read nothing since does a full read.
	keepTombstones, keepIntervals = 10 * time.Minute, 10
)

// shared is a region's part in the coordination between replicas: the
// changes applied here not written yet, and what was read.
type shared struct {
	co Coordinator

	mu       sync.Mutex
	pending  map[string]pendingRow
	reorder  bool // a listing moved ENIs: write every row's position
	leading  bool
	seen     int64          // the highest row version read
	written  SharedProgress // the progress last written
	prunedAt time.Time

	flushMu sync.Mutex // writes one at a time, so progress never goes back
}

// pendingRow is an ENI changed here: its row is the store's state at the
// time of writing, or a tombstone when gone is set.
type pendingRow struct {
	gone bool
	asOf time.Time
	last eni.ENI
}

func newShared(co Coordinator) *shared {
	return &shared{co: co, pending: map[string]pendingRow{}}
}

// note remembers the ENIs cs changed, for the next flush.
func (sh *shared) note(cs ChangeSet) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, set := range [][]Change{cs.Added, cs.Changed} {
		for _, c := range set {
			sh.pending[c.ENI.ID] = pendingRow{}
		}
	}
	for _, c := range cs.Removed {
		sh.pending[c.ENI.ID] = pendingRow{gone: true, asOf: cs.AsOf, last: c.ENI}
	}
	sh.reorder = sh.reorder || cs.reordered
}

func (sh *shared) isLeading() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.leading
}

func (sh *shared) setLeading(v bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.leading = v
}

// runShared follows the region, trying its lead at every turn; leads it
// once it has the lead, until the lead is lost; and so on until ctx ends.
func (r *Region) runShared(ctx context.Context) {
	notify, stop := r.sh.co.Watch(r.id)
	defer stop()
	var lease Lease
	follow := func(ctx context.Context) (time.Time, bool) {
		if lease = r.tryLead(ctx); lease != nil {
			return time.Time{}, true
		}
		r.catchUp(ctx)
		return r.cfg.Clock.Now().Add(r.followEvery()), false
	}
	for ctx.Err() == nil {
		r.loop(ctx, notify, follow)
		if lease == nil {
			return
		}
		r.lead(ctx, lease, notify)
		lease = nil
	}
}

// followEvery is min(refresh interval/3, 5 s), ±50% at random so that
// replicas do not try in step: a dead leader's region is taken within
// one refresh interval.
func (r *Region) followEvery() time.Duration {
	iv := r.Progress().Interval
	if iv <= 0 {
		iv = r.cfg.RefreshInterval(r.store.Len())
	}
	d := max(min(iv/3, maxFollowEvery), time.Millisecond)
	return d/2 + rand.N(d)
}

// tryLead takes the region's lead if nobody holds it. The new leader
// starts from what it followed, and lists at once (the loop's first
// tick); if nobody wrote for a while, its snapshot is not ready before
// that listing ends.
func (r *Region) tryLead(ctx context.Context) Lease {
	lease, err := r.sh.co.Lead(ctx, r.id)
	if err != nil {
		if ctx.Err() == nil {
			r.cfg.Logger.Warn("inventory: could not try the region's lead", "region", r.id, "err", err)
		}
		return nil
	}
	if lease == nil {
		return nil
	}
	p, ok := r.catchUp(ctx)
	r.mu.Lock()
	iv := p.Interval
	if iv <= 0 {
		iv = r.cfg.RefreshInterval(r.store.Len())
	}
	stale := ok && (!p.Known || !p.Ready || p.Age > staleAfter*iv)
	if stale && r.prog.Ready {
		r.prog.Ready = false
		r.progressedLocked()
	}
	r.list = listing{}
	r.mu.Unlock()
	r.sh.setLeading(true)
	r.cfg.Logger.Info("inventory: leading the region", "region", r.id, "previous", p.Leader, "stale", stale)
	return lease
}

// lead runs the region's listings until ctx ends or the lease is lost,
// writing what they change, then gives the lease back.
func (r *Region) lead(ctx context.Context, lease Lease, notify <-chan struct{}) {
	lctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-lease.Lost():
			cancel()
		case <-lctx.Done():
		}
	}()
	r.loop(lctx, notify, func(ctx context.Context) (time.Time, bool) {
		next := r.step(ctx)
		r.flush(ctx)
		r.prune(ctx)
		return next, false
	})
	cancel()
	wg.Wait()
	select {
	case <-lease.Lost():
	default:
		// Stopping, still the leader: hand over what was not written.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.cfg.CallTimeout)
		r.flush(fctx)
		cancel()
	}
	lease.Release()
	r.sh.setLeading(false)
	r.mu.Lock()
	r.list = listing{}
	r.mu.Unlock()
	if ctx.Err() == nil {
		// Another replica may lead already: follow, and try again.
		r.cfg.Logger.Warn("inventory: lost the region's lead", "region", r.id)
	}
}

// prune forgets old tombstones, now and then, as the leader.
func (r *Region) prune(ctx context.Context) {
	now := r.cfg.Clock.Now()
	keep := max(keepTombstones, keepIntervals*r.Progress().Interval)
	r.sh.mu.Lock()
	due := now.Sub(r.sh.prunedAt) >= keep
	if due {
		r.sh.prunedAt = now
	}
	r.sh.mu.Unlock()
	if !due {
		return
	}
	if err := r.sh.co.Prune(ctx, r.id, now.Add(-keep)); err != nil && ctx.Err() == nil {
		r.cfg.Logger.Warn("inventory: pruning removed ENIs", "region", r.id, "err", err)
	}
}

// catchUp reads the rows other replicas wrote since the last read and
// applies them; a follower also takes the leader's progress. The change
// sets go to this replica's subscribers only: they are written already.
func (r *Region) catchUp(ctx context.Context) (SharedProgress, bool) {
	sh := r.sh
	sh.mu.Lock()
	after, leading := sh.seen, sh.leading
	mine := make(map[string]bool, len(sh.pending))
	for id := range sh.pending {
		mine[id] = true
	}
	sh.mu.Unlock()
	res, err := sh.co.Read(ctx, r.id, after)
	if err != nil {
		if ctx.Err() == nil {
			r.cfg.Logger.Warn("inventory: reading the region's changes", "region", r.id, "err", err)
		}
		return SharedProgress{}, false
	}
	if rg := res.Progress.DefaultResourceGroup; rg != "" && !leading {
		r.store.SetDefaultResourceGroup(rg)
	}
	r.fan.publish(r.store.applyShared(res.Rows, !leading, res.Full, func(id string) bool { return mine[id] }))
	sh.mu.Lock()
	sh.seen = max(sh.seen, res.Version)
	sh.mu.Unlock()
	if !leading {
		r.mirror(res.Progress)
	}
	return res.Progress, true
}

// mirror makes the leader's progress this replica's.
func (r *Region) mirror(p SharedProgress) {
	next := Progress{Ready: p.Ready, Listed: p.Listed, Total: p.Total, AsOf: p.AsOf,
		Interval: p.Interval, Err: p.Err, Retry: p.Retry}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !sameProgress(r.prog, next) {
		r.prog = next
		r.progressedLocked()
	}
}

func sameProgress(a, b Progress) bool {
	return a.Ready == b.Ready && a.Listed == b.Listed && a.Total == b.Total && a.AsOf.Equal(b.AsOf) &&
		a.Interval == b.Interval && a.Retry.Equal(b.Retry) && errText(a.Err) == errText(b.Err)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// flush writes the ENIs changed here (and the leader's progress) for the
// other replicas. What could not be written is kept for the next flush.
func (r *Region) flush(ctx context.Context) {
	sh := r.sh
	if sh == nil {
		return
	}
	sh.flushMu.Lock()
	defer sh.flushMu.Unlock()
	sh.mu.Lock()
	pending, reorder, leading := sh.pending, sh.reorder, sh.leading
	sh.pending, sh.reorder = map[string]pendingRow{}, false
	sh.mu.Unlock()
	if reorder && leading {
		for _, id := range r.store.ids() {
			if _, ok := pending[id]; !ok {
				pending[id] = pendingRow{}
			}
		}
	}
	rows := make([]SharedENI, 0, len(pending))
	for id, p := range pending {
		if row, ok := r.store.sharedRow(id); ok {
			rows = append(rows, row)
		} else if p.gone {
			rows = append(rows, SharedENI{ENI: p.last, AsOf: p.asOf, Deleted: true})
		}
	}
	var prog *SharedProgress
	if leading {
		p := r.sharedProgress()
		if len(rows) > 0 || !sameShared(p, sh.written) {
			prog = &p
		}
	}
	if len(rows) == 0 && prog == nil {
		return
	}
	err := sh.co.Write(ctx, r.id, rows, prog)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err == nil {
		if prog != nil {
			sh.written = *prog
		}
		return
	}
	for id, p := range pending {
		if _, newer := sh.pending[id]; !newer {
			sh.pending[id] = p
		}
	}
	sh.reorder = sh.reorder || reorder
	if ctx.Err() == nil {
		r.cfg.Logger.Warn("inventory: writing the region's changes for the other replicas", "region", r.id, "err", err)
	}
}

// sharedProgress is this replica's progress as the followers are to see
// it.
func (r *Region) sharedProgress() SharedProgress {
	rg := r.store.defaultResourceGroup()
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.prog
	return SharedProgress{Ready: p.Ready, Listed: p.Listed, Total: p.Total, AsOf: p.AsOf, Interval: p.Interval,
		Err: p.Err, Retry: p.Retry, DefaultResourceGroup: rg}
}

func sameShared(a, b SharedProgress) bool {
	return sameProgress(Progress{Ready: a.Ready, Listed: a.Listed, Total: a.Total, AsOf: a.AsOf, Interval: a.Interval, Err: a.Err, Retry: a.Retry},
		Progress{Ready: b.Ready, Listed: b.Listed, Total: b.Total, AsOf: b.AsOf, Interval: b.Interval, Err: b.Err, Retry: b.Retry}) &&
		a.DefaultResourceGroup == b.DefaultResourceGroup
}

// Leading reports whether this replica lists the region: always without a
// Coordinator; with one, while it holds the region's lead.
func (r *Region) Leading() bool {
	return r.sh == nil || r.sh.isLeading()
}
