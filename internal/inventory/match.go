package inventory

import (
	"slices"
	"strings"
	"time"

	"enidash/internal/eni"
)

// Matcher decides whether an ENI is in a view, with exactly the meaning
// DescribeNetworkInterfaces gives the cloud's filters (as the API
// reference and the emulator have it):
//   - every filter given must hold; a list filter (id, ip, ipv6) holds when
//     any of its values does; every tag must be present, a tag without a
//     value matching any value of its key;
//   - name and the IDs match exactly, case included;
//   - ip matches primary as well as secondary addresses;
//   - sg matches secondary ENIs only;
//   - rg also matches the ENIs of the account's default resource group.
//
// The view's own keys add to that: zone, older (created more than that
// long before now; an ENI with no known creation time is not older), and
// the words of q, each a case-insensitive substring of the ENI's ID, name,
// description, addresses, tags, instance ID or instance name.
type Matcher struct {
	f         eni.Filter
	zone      string
	cutoff    time.Time // zero: no age filter
	words     []string
	names     InstanceNames
	nameCache map[string]string
	// wordInst holds, per word, the instances whose names contain it,
	// when a query prepared them for a whole snapshot.
	wordInst  []map[string]bool
	defaultRG string
}

// NewMatcher compiles v; now is the time older counts back from, names
// looks up instance names for q (nil: none), defaultRG is the account's
// default resource group.
func NewMatcher(v eni.View, now time.Time, names InstanceNames, defaultRG string) *Matcher {
	m := &Matcher{f: v.Filter, zone: v.Zone, words: v.SearchWords(), names: names, defaultRG: defaultRG}
	if v.Older > 0 {
		m.cutoff = now.Add(-v.Older)
	}
	if len(m.words) > 0 && names != nil {
		m.nameCache = map[string]string{}
	}
	return m
}

// Match reports whether e is in the view.
func (m *Matcher) Match(e *eni.ENI) bool {
	return m.base(e, haystack(e)) && m.statusOK(e) && m.typeOK(e)
}

func (m *Matcher) statusOK(e *eni.ENI) bool { return m.f.Status == "" || e.Status == m.f.Status }
func (m *Matcher) typeOK(e *eni.ENI) bool   { return m.f.Type == "" || e.Type == m.f.Type }

// base checks every condition but status and type, which facets count
// apart.
func (m *Matcher) base(e *eni.ENI, hay string) bool {
	f := &m.f
	switch {
	case f.Region != "" && e.RegionID != f.Region,
		f.VpcID != "" && e.VpcID != f.VpcID,
		f.VSwitchID != "" && e.VSwitchID != f.VSwitchID,
		f.InstanceID != "" && e.InstanceID != f.InstanceID,
		f.Name != "" && e.Name != f.Name,
		f.PrimaryIP != "" && e.PrimaryIP != f.PrimaryIP,
		f.ResourceGroupID != "" && e.ResourceGroupID != f.ResourceGroupID &&
			(m.defaultRG == "" || e.ResourceGroupID != m.defaultRG),
		f.Managed != nil && e.ServiceManaged != *f.Managed,
		m.zone != "" && e.ZoneID != m.zone,
		!m.cutoff.IsZero() && (e.CreatedAt.IsZero() || !e.CreatedAt.Before(m.cutoff)):
		return false
	}
	if f.SecurityGroupID != "" && (e.Type != eni.TypeSecondary || !slices.Contains(e.SecurityGroups, f.SecurityGroupID)) {
		return false
	}
	if len(f.IDs) > 0 && !slices.Contains(f.IDs, e.ID) {
		return false
	}
	if len(f.IPs) > 0 && !slices.ContainsFunc(f.IPs, func(ip string) bool { return hasIPv4(e, ip) }) {
		return false
	}
	if len(f.IPv6) > 0 && !slices.ContainsFunc(f.IPv6, func(ip string) bool { return slices.Contains(e.IPv6, ip) }) {
		return false
	}
	for _, t := range f.Tags {
		if !slices.ContainsFunc(e.Tags, func(h eni.Tag) bool { return h.Key == t.Key && (t.Value == "" || h.Value == t.Value) }) {
			return false
		}
	}
	for i, w := range m.words {
		if strings.Contains(hay, w) {
			continue
		}
		if m.wordInst != nil {
			if !m.wordInst[i][e.InstanceID] {
				return false
			}
		} else if !strings.Contains(m.instanceName(e.InstanceID), w) {
			return false
		}
	}
	return true
}

// prepareNames looks every instance's name up once and notes, for each
// word, the instances it matches; a query over many ENIs then needs no
// look-up per ENI.
func (m *Matcher) prepareNames(instances map[string]int) {
	if len(m.words) == 0 {
		return
	}
	m.wordInst = make([]map[string]bool, len(m.words))
	for i := range m.wordInst {
		m.wordInst[i] = map[string]bool{}
	}
	if m.names == nil {
		return
	}
	if t, ok := m.names.(*NameTable); ok {
		for i, w := range m.words {
			m.wordInst[i] = t.withWord(w)
		}
		return
	}
	for id := range instances {
		name := strings.ToLower(m.names.InstanceName(id))
		for i, w := range m.words {
			if name != "" && strings.Contains(name, w) {
				m.wordInst[i][id] = true
			}
		}
	}
}

func hasIPv4(e *eni.ENI, ip string) bool {
	return e.PrimaryIP == ip || slices.ContainsFunc(e.PrivateIPs, func(p eni.PrivateIP) bool { return p.Address == ip })
}

// instanceName is the lower-cased name of an instance, looked up once per
// query.
func (m *Matcher) instanceName(id string) string {
	if id == "" || m.nameCache == nil {
		return ""
	}
	n, ok := m.nameCache[id]
	if !ok {
		n = strings.ToLower(m.names.InstanceName(id))
		m.nameCache[id] = n
	}
	return n
}
