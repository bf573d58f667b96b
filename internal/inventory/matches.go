package inventory

import (
	"time"

	"enidash/internal/eni"
)

// Matcher compiles v to decide, one ENI at a time, what Query would
// decide for it against this snapshot (with the account's default
// resource group as the store knows it): live updates evaluate each view
// on the ENIs a change set touched only. now is the time older counts
// back from; names looks up instance names for q (nil: none).
func (s *Store) Matcher(v eni.View, now time.Time, names InstanceNames) *Matcher {
	s.mu.RLock()
	rg := s.defaultRG
	s.mu.RUnlock()
	return NewMatcher(v, now, names, rg)
}
