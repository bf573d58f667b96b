package handlers

import (
	"fmt"
	"sync"
)

// Default caps on live streams: a person with many tabs (hidden tabs give
// their stream back), and what a server holds easily (an idle stream
// costs about 10 KB).
const (
	DefaultMaxStreamsPerSession = 12
	DefaultMaxStreams           = 5000
)

// streamSlots caps the open live streams, per session and over the whole
// server, so that no one session can hold connections and views without
// bound.
type streamSlots struct {
	perSession, total int

	mu        sync.Mutex
	open      int
	bySession map[string]map[*streamSlot]struct{}
}

// streamSlot is one open stream's place.
type streamSlot struct {
	slots *streamSlots
	key   string
	// gone reports a browser that has closed its connection, for
	// streams whose connection can be looked at; nil otherwise.
	gone func() bool
	// ended is closed when the slot is given back.
	ended chan struct{}
	once  sync.Once
}

// capError refuses a stream with a sentence for the person.
type capError struct{ msg string }

func (e *capError) Error() string { return e.msg }

// StreamCaps cap the open live streams of one session and of the whole
// server; zero takes the default.
type StreamCaps struct {
	PerSession, Total int
}

func newStreamSlots(c StreamCaps) *streamSlots {
	if c.PerSession <= 0 {
		c.PerSession = DefaultMaxStreamsPerSession
	}
	if c.Total <= 0 {
		c.Total = DefaultMaxStreams
	}
	return &streamSlots{perSession: c.PerSession, total: c.Total, bySession: map[string]map[*streamSlot]struct{}{}}
}

// take gives a stream of session key its place, or says why not. At the
// session's cap, streams whose browser has already gone (a page reloaded
// or navigated; over HTTP/1.1 that is otherwise noticed only at the next
// heartbeat) give theirs back first.
func (s *streamSlots) take(key string) (*streamSlot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mine := s.bySession[key]
	if len(mine) >= s.perSession {
		for sl := range mine {
			if sl.gone != nil && sl.gone() {
				s.releaseLocked(sl)
			}
		}
		mine = s.bySession[key]
	}
	if len(mine) >= s.perSession {
		return nil, &capError{fmt.Sprintf("Too many live views open for your session (%d): close some tabs; "+
			"this page still works, it just won't update by itself.", s.perSession)}
	}
	if s.open >= s.total {
		return nil, &capError{fmt.Sprintf("The server has too many live views open (%d): "+
			"this page still works, it just won't update by itself; reload it later to try again.", s.total)}
	}
	if mine == nil {
		mine = map[*streamSlot]struct{}{}
		s.bySession[key] = mine
	}
	sl := &streamSlot{slots: s, key: key, ended: make(chan struct{})}
	mine[sl] = struct{}{}
	s.open++
	return sl, nil
}

// watch lets take ask whether the browser of sl has gone.
func (sl *streamSlot) watch(gone func() bool) {
	sl.slots.mu.Lock()
	defer sl.slots.mu.Unlock()
	sl.gone = gone
}

// release gives the place back; it may be called more than once.
func (sl *streamSlot) release() {
	sl.slots.mu.Lock()
	defer sl.slots.mu.Unlock()
	sl.slots.releaseLocked(sl)
}

func (s *streamSlots) releaseLocked(sl *streamSlot) {
	sl.once.Do(func() {
		mine := s.bySession[sl.key]
		delete(mine, sl)
		if len(mine) == 0 {
			delete(s.bySession, sl.key)
		}
		s.open--
		close(sl.ended)
	})
}
