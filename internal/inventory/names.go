package inventory

import (
	"strings"
	"sync"
)

// InstanceNames tells an instance's name from its ID ("" when unknown).
// A *NameTable is the fast kind: searching a whole snapshot with q then
// reads no name per instance.
type InstanceNames interface {
	InstanceName(instanceID string) string
}

// NameFunc looks names up with a function; a query over a whole snapshot
// calls it once per instance.
type NameFunc func(instanceID string) string

// InstanceName implements InstanceNames.
func (f NameFunc) InstanceName(id string) string { return f(id) }

// NameTable is an immutable table of instance names; whoever learns new
// names makes a new table. It remembers, per search word, which instances'
// names contain it.
type NameTable struct {
	byID  map[string]string
	ids   []string
	lower []string

	mu    sync.Mutex
	words map[string]map[string]bool
}

// nameWordCache bounds the words a table remembers.
const nameWordCache = 64

// NewNameTable copies names (instance ID to name) into a table.
func NewNameTable(names map[string]string) *NameTable {
	t := &NameTable{byID: make(map[string]string, len(names)), words: map[string]map[string]bool{}}
	for id, n := range names {
		if n == "" {
			continue
		}
		t.byID[id] = n
		t.ids = append(t.ids, id)
		t.lower = append(t.lower, strings.ToLower(n))
	}
	return t
}

// InstanceName implements InstanceNames.
func (t *NameTable) InstanceName(id string) string {
	if t == nil {
		return ""
	}
	return t.byID[id]
}

// withWord returns the instances whose lower-cased name contains the
// lower-cased word w. The set is shared: callers only read it.
func (t *NameTable) withWord(w string) map[string]bool {
	if t == nil {
		return map[string]bool{}
	}
	t.mu.Lock()
	got, ok := t.words[w]
	t.mu.Unlock()
	if ok {
		return got
	}
	got = map[string]bool{}
	for i, n := range t.lower {
		if strings.Contains(n, w) {
			got[t.ids[i]] = true
		}
	}
	t.mu.Lock()
	if len(t.words) >= nameWordCache {
		clear(t.words)
	}
	t.words[w] = got
	t.mu.Unlock()
	return got
}
