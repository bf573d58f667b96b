package inventory

import (
	"sync"
	"time"

	"enidash/internal/eni"
)

// ChangeSet is what one application of cloud answers changed in a region's
// snapshot. Each ENI carries the store version of its change; Version is
// the snapshot's version after the set.
type ChangeSet struct {
	Region  string
	Version uint64
	AsOf    time.Time // when the cloud calls behind it started
	Added   []Change
	Changed []Change
	Removed []Change // ENI is the last state known
	// reordered: a listing moved ENIs in the cloud's order, which the
	// other replicas learn from every row's position.
	reordered bool
}

// Change is one ENI's new state (or last state, when removed).
type Change struct {
	ENI     eni.ENI
	Version uint64
	// Prev is the state the change replaced (Changed only): a view that
	// held the ENI only by its old state, on a page nobody shows, still
	// counts it differently now.
	Prev *eni.ENI
}

// Empty reports whether nothing changed.
func (cs ChangeSet) Empty() bool {
	return len(cs.Added) == 0 && len(cs.Changed) == 0 && len(cs.Removed) == 0
}

// Subscription receives a region's change sets on C. A subscriber that
// falls Buffer sets behind is dropped: C is closed and Dropped reports
// true, so it can subscribe again and re-read the views it shows. Nobody
// waits on a slow subscriber.
type Subscription struct {
	C <-chan ChangeSet

	c       chan ChangeSet
	hub     *fanout
	dropped bool
}

// Dropped reports whether the subscription was closed for falling behind.
func (s *Subscription) Dropped() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.dropped
}

// Close ends the subscription; C is closed.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if _, ok := s.hub.subs[s]; ok {
		delete(s.hub.subs, s)
		close(s.c)
	}
}

type fanout struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

func (f *fanout) subscribe(buffer int) *Subscription {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subs == nil {
		f.subs = map[*Subscription]struct{}{}
	}
	c := make(chan ChangeSet, max(buffer, 1))
	s := &Subscription{C: c, c: c, hub: f}
	f.subs[s] = struct{}{}
	return s
}

func (f *fanout) publish(cs ChangeSet) {
	if cs.Empty() {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		select {
		case s.c <- cs:
		default:
			s.dropped = true
			delete(f.subs, s)
			close(s.c)
		}
	}
}

func (f *fanout) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		delete(f.subs, s)
		close(s.c)
	}
}
