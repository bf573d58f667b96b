package inventory

// sharedRow is what the store holds of one ENI for the other replicas:
// its state, when it was observed, its place in the cloud's order.
func (s *Store) sharedRow(id string) (SharedENI, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	slot, ok := s.byID[id]
	if !ok {
		return SharedENI{}, false
	}
	r := s.recs[slot]
	return SharedENI{ENI: r.e, AsOf: r.seen, Pos: r.pos}, true
}

// ids lists the IDs of the snapshot.
func (s *Store) ids() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.byID))
	for id := range s.byID {
		out = append(out, id)
	}
	return out
}

// applyShared applies rows another replica wrote, each observed at its
// own AsOf, so an older row never overwrites a newer observation. With
// place, the rows' positions become the cloud's order here (a follower
// takes the leader's). With full, rows are the whole region: ENIs not
// among them are gone, except those keep names (changes of ours not
// written yet).
func (s *Store) applyShared(rows []SharedENI, place, full bool, keep func(string) bool) ChangeSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := ChangeSet{Region: s.region}
	moved := false
	for _, row := range rows {
		if row.AsOf.After(cs.AsOf) {
			cs.AsOf = row.AsOf
		}
		slot, ok := s.byID[row.ENI.ID]
		if row.Deleted {
			if ok && s.recs[slot].seen.Before(row.AsOf) {
				s.removeLocked(&cs, slot)
			}
			continue
		}
		if ok && row.AsOf.Before(s.recs[slot].seen) {
			continue // observed later here
		}
		s.upsertLocked(&cs, row.ENI, row.AsOf)
		if !place {
			continue
		}
		r := s.recs[s.byID[row.ENI.ID]]
		if r.pos != row.Pos {
			// A new ENI was only marked for its orders to move: its
			// place may still change. An old one moved: build again.
			moved = moved || ok
			r.pos = row.Pos
		}
		s.nextPos = max(s.nextPos, row.Pos+1)
	}
	if full {
		listed := make(map[string]bool, len(rows))
		for _, row := range rows {
			listed[row.ENI.ID] = true
		}
		for id, slot := range s.byID {
			if !listed[id] && !keep(id) {
				s.removeLocked(&cs, slot)
			}
		}
	}
	if moved {
		s.orders.invalidateAll(s.version + 1)
		s.version++
	}
	cs.Version = s.version
	return cs
}

func (s *Store) defaultResourceGroup() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.defaultRG
}
