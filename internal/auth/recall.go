package auth

import (
	"context"
	"errors"
	"time"
)

// StaleGrace is how long a user's last successful reading keeps their
// sessions valid while the database cannot be read (a PostgreSQL outage,
// a lost SQLite file): reads go on for the people who were just using
// the dashboard, while every change is refused elsewhere since the audit
// log cannot be written. A revocation made meanwhile on another replica
// is therefore honoured here at most this late.
const StaleGrace = 10 * time.Minute

// confirmation is a successful reading of a user and when it was made.
type confirmation struct {
	u  User
	at time.Time
}

// confirm remembers a successful reading of u, forgetting readings too
// old to serve at most once per StaleGrace.
func (s *Store) confirm(u User) {
	now := s.now()
	s.confirmedMu.Lock()
	defer s.confirmedMu.Unlock()
	s.confirmed[u.Username] = confirmation{u: u, at: now}
	if now.Sub(s.lastPrune) < StaleGrace {
		return
	}
	for name, c := range s.confirmed {
		if now.Sub(c.at) >= StaleGrace {
			delete(s.confirmed, name)
		}
	}
	s.lastPrune = now
}

// recall reads a user to judge a session by. When the database cannot be
// read, the user's last successful reading stands in if it is younger
// than StaleGrace (remembered is then true), with the sign-outs this
// store kept in memory applied; older or never read, the error is
// returned and the session fails closed.
func (s *Store) recall(ctx context.Context, name string) (u User, remembered bool, err error) {
	u, err = s.Get(ctx, name)
	if err == nil || errors.Is(err, ErrNotFound) {
		return u, false, err
	}
	s.confirmedMu.Lock()
	c, ok := s.confirmed[name]
	s.confirmedMu.Unlock()
	if !ok || s.now().Sub(c.at) >= StaleGrace {
		return User{}, false, err
	}
	u = c.u
	s.applyEnded(&u)
	return u, true, nil
}
