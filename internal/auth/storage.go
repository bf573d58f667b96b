package auth

import (
	"context"
	"errors"
	"strings"
	"time"
)

// StorageError is a write the database could not take: its disk is full
// or read-only, or its file is gone. Sign-in answers it with 503.
type StorageError struct{ Err error }

func (e *StorageError) Error() string {
	return "the dashboard cannot write its records (database: " + strings.TrimPrefix(e.Err.Error(), "database: ") + ")"
}

func (e *StorageError) Unwrap() error { return e.Err }

// EndSessionsAt is EndSessions for a sign-out from a session of
// generation gen. When the database cannot take the change, it is kept in
// memory (sessions up to gen are refused) and written once storage
// recovers; the answer is then a *StorageError.
func (s *Store) EndSessionsAt(ctx context.Context, username string, gen int64) error {
	err := s.checkWritable()
	if err == nil {
		err = s.update(ctx, username, "", nil, false)
		if err != nil && !errors.Is(err, ErrNotFound) {
			err = &StorageError{Err: err}
		}
	}
	var se *StorageError
	if errors.As(err, &se) {
		s.endedMu.Lock()
		s.ended[username] = max(s.ended[username], gen)
		s.endedMu.Unlock()
	}
	return err
}

func (s *Store) checkWritable() error {
	if s.writable == nil {
		return nil
	}
	if err := s.writable(); err != nil {
		return &StorageError{Err: err}
	}
	return nil
}

// applyEnded gives u a generation past the sessions that ended while the
// database could not record it.
func (s *Store) applyEnded(u *User) {
	s.endedMu.Lock()
	defer s.endedMu.Unlock()
	if g, ok := s.ended[u.Username]; ok && u.Generation <= g {
		u.Generation = g + 1
	}
}

// flushEnded writes the sign-outs kept in memory, trying at most once a
// second while storage is failing.
func (s *Store) flushEnded(ctx context.Context) {
	now := s.now()
	s.endedMu.Lock()
	if len(s.ended) == 0 || now.Before(s.nextFlush) || s.checkWritable() != nil {
		s.endedMu.Unlock()
		return
	}
	s.nextFlush = now.Add(time.Second)
	pending := make(map[string]int64, len(s.ended))
	for u, g := range s.ended {
		pending[u] = g
	}
	s.endedMu.Unlock()
	for user, g := range pending {
		// Sessions up to g end; a later bump already ended them.
		if _, err := s.db.ExecContext(ctx, s.d.q(`UPDATE users SET session_gen = ?, updated_at = ?
			WHERE username = ? AND session_gen <= ?`), g+1, now.Unix(), user, g); err != nil {
			return
		}
		s.endedMu.Lock()
		if s.ended[user] == g {
			delete(s.ended, user)
		}
		s.endedMu.Unlock()
	}
}
