package inventory

import (
	"slices"

	"enidash/internal/eni"
)

// plan is a view compiled against one snapshot: the conditions an index
// answers exactly (lists of slots to intersect) and the others as checks
// of the columns, so that no ENI's record is read to decide it is out.
// Built and used under the store's read lock.
type plan struct {
	s     *Store
	m     *Matcher
	empty bool      // some condition matches no ENI at all
	lists [][]int32 // every ENI of the view is in each

	region, zone         uint32
	wantRegion, wantZone bool
	rg, rgDefault        uint32
	wantRG               bool
	managed, wantManaged bool
	older                bool
	cutS                 int64
	cutNs                int32
	secondary            bool   // sg holds for secondary ENIs only
	pip                  string // the index of addresses has secondaries too

	status, typ          uint8
	wantStatus, wantType bool
	slowStatus, slowType bool // a value no column code stands for
	words                []string
	wordSets             []bitset // when the view is answered by a scan
}

func (s *Store) compile(m *Matcher) *plan {
	p := &plan{s: s, m: m, words: m.words}
	f := &m.f
	if len(f.IDs) > 0 {
		var l []int32
		for _, id := range f.IDs {
			if slot, ok := s.byID[id]; ok {
				l = append(l, slot)
			}
		}
		slices.Sort(l)
		p.need(slices.Compact(l))
	}
	one := func(k kind, v string) {
		if v != "" {
			p.need(s.ix[ikey{k, v}])
		}
	}
	anyOf := func(k kind, vs []string) {
		if len(vs) > 0 {
			ls := make([][]int32, 0, len(vs))
			for _, v := range vs {
				ls = append(ls, s.ix[ikey{k, v}])
			}
			p.need(union(ls))
		}
	}
	one(byInstance, f.InstanceID)
	one(byVSwitch, f.VSwitchID)
	one(byVPC, f.VpcID)
	one(bySG, f.SecurityGroupID)
	one(byName, f.Name)
	one(byIP, f.PrimaryIP)
	anyOf(byIP, f.IPs)
	anyOf(byIPv6, f.IPv6)
	for _, t := range f.Tags {
		if t.Value == "" {
			one(byTagKey, t.Key)
		} else {
			one(byTagKV, tagKV(t.Key, t.Value))
		}
	}
	p.secondary = f.SecurityGroupID != ""
	p.pip = f.PrimaryIP
	code := func(v string) (uint32, bool) {
		if v == "" {
			return 0, false
		}
		c := s.dict.lookup(v)
		if c == noCode {
			p.empty = true
		}
		return c, true
	}
	p.region, p.wantRegion = code(f.Region)
	p.zone, p.wantZone = code(m.zone)
	if f.ResourceGroupID != "" {
		p.wantRG = true
		p.rg, p.rgDefault = s.dict.lookup(f.ResourceGroupID), noCode
		if m.defaultRG != "" {
			p.rgDefault = s.dict.lookup(m.defaultRG)
		}
		p.empty = p.empty || p.rg == noCode && p.rgDefault == noCode
	}
	if f.Managed != nil {
		p.managed, p.wantManaged = *f.Managed, true
	}
	if !m.cutoff.IsZero() {
		p.older, p.cutS, p.cutNs = true, m.cutoff.Unix(), int32(m.cutoff.Nanosecond())
	}
	if f.Status != "" {
		p.status, p.wantStatus = uint8(statusRank(f.Status)), true
		p.slowStatus = p.status == unknownStatus
	}
	if f.Type != "" {
		p.typ, p.wantType = uint8(typeRank(f.Type)), true
		p.slowType = p.typ == unknownType
	}
	return p
}

// need adds a condition answered by a list of slots.
func (p *plan) need(l []int32) {
	if len(l) == 0 {
		p.empty = true
	}
	p.lists = append(p.lists, l)
}

// base checks, for an ENI known to pass the lists, every condition but
// status, type and the words of q.
func (p *plan) base(slot int32) bool {
	c := &p.s.col
	switch {
	case p.wantRegion && c.region[slot] != p.region,
		p.wantZone && c.zone[slot] != p.zone,
		p.wantRG && c.rg[slot] != p.rg && c.rg[slot] != p.rgDefault,
		p.wantManaged && c.managed[slot] != p.managed,
		p.older && !c.createdBefore(slot, p.cutS, p.cutNs),
		p.secondary && c.typ[slot] != uint8(typeRank(eni.TypeSecondary)),
		p.pip != "" && p.s.recs[slot].e.PrimaryIP != p.pip:
		return false
	}
	return true
}

func (p *plan) statusOK(slot int32) bool {
	switch {
	case !p.wantStatus:
		return true
	case p.slowStatus:
		return p.s.recs[slot].e.Status == p.m.f.Status
	}
	return p.s.col.status[slot] == p.status
}

func (p *plan) typeOK(slot int32) bool {
	switch {
	case !p.wantType:
		return true
	case p.slowType:
		return p.s.recs[slot].e.Type == p.m.f.Type
	}
	return p.s.col.typ[slot] == p.typ
}

// wordsOK checks the words of q one ENI at a time (few candidates).
func (p *plan) wordsOK(slot int32) bool {
	for i, w := range p.words {
		if !p.s.txt.has(slot, w) && !p.m.wordInst[i][p.s.recs[slot].e.InstanceID] {
			return false
		}
	}
	return true
}

// prepareWordSets finds, for each word, every ENI it matches: in the
// ENI's own text or its instance's name.
func (p *plan) prepareWordSets() {
	n := len(p.s.recs)
	for i, w := range p.words {
		set := p.s.txt.search(w, n)
		if len(p.m.wordInst[i]) > 0 {
			set = slices.Clone(set)
			for id := range p.m.wordInst[i] {
				for _, slot := range p.s.ix[ikey{byInstance, id}] {
					set.set(slot)
				}
			}
		}
		p.wordSets = append(p.wordSets, set)
	}
}

func (p *plan) wordSetsOK(slot int32) bool {
	for _, set := range p.wordSets {
		if !set.hasSafe(slot) {
			return false
		}
	}
	return true
}
