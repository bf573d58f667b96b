package inventory

import (
	"bytes"
	"sync"
)

// text is what q searches, per slot: the lower-cased haystack of each ENI
// stored back to back in one buffer, with a trigram index over it. A word
// of three bytes or more is looked for only in the ENIs that have its
// rarest trigram; a shorter word scans the buffer.
//
// Trigram lists are append-only: when an ENI's text changes or it leaves,
// its old entries stay (every candidate is checked against its current
// text) until stale entries outnumber live ones and the lists are rebuilt.
type text struct {
	buf      []byte
	segStart []uint32 // start of each stored text; a text ends where the next starts
	segSlot  []int32
	slotSeg  []int32 // by slot: its current text, -1 if none
	slotGram []int32 // by slot: trigram entries its current text made
	dead     int     // bytes of texts no longer current

	grams      map[uint32][]int32
	gramsLive  int // entries of current texts
	gramsStale int
	ver        uint64 // changes with every text change

	cacheMu sync.Mutex
	cache   map[string]bitset // word -> slots whose text has it, at ver
	cacheAt uint64
}

const wordCacheSize = 32

func (t *text) seg(slot int32) []byte {
	if int(slot) >= len(t.slotSeg) || t.slotSeg[slot] < 0 {
		return nil
	}
	i := t.slotSeg[slot]
	end := uint32(len(t.buf))
	if int(i)+1 < len(t.segStart) {
		end = t.segStart[i+1]
	}
	return t.buf[t.segStart[i]:end]
}

// set makes hay the slot's text.
func (t *text) set(slot int32, hay string) {
	if old := t.seg(slot); old != nil {
		if string(old) == hay {
			return
		}
		t.clear(slot)
	}
	for int(slot) >= len(t.slotSeg) {
		t.slotSeg = append(t.slotSeg, -1)
		t.slotGram = append(t.slotGram, 0)
	}
	t.ver++
	t.slotSeg[slot] = int32(len(t.segStart))
	t.segStart = append(t.segStart, uint32(len(t.buf)))
	t.segSlot = append(t.segSlot, slot)
	t.buf = append(t.buf, hay...)
	n := t.addGrams(slot, t.buf[len(t.buf)-len(hay):])
	t.slotGram[slot] = int32(n)
	t.gramsLive += n
}

// clear forgets the slot's text.
func (t *text) clear(slot int32) {
	old := t.seg(slot)
	if old == nil {
		return
	}
	t.ver++
	t.dead += len(old)
	n := int(t.slotGram[slot])
	t.slotGram[slot] = 0
	t.gramsLive -= n
	t.gramsStale += n
	t.slotSeg[slot] = -1
	if t.dead > 1<<20 && t.dead > len(t.buf)/2 {
		t.compact()
	}
	if t.gramsStale > 1<<16 && t.gramsStale > t.gramsLive {
		t.rebuildGrams()
	}
}

// compact rewrites the buffer with current texts only, in slot order.
func (t *text) compact() {
	buf := make([]byte, 0, len(t.buf)-t.dead)
	starts := make([]uint32, 0, len(t.segStart))
	slots := make([]int32, 0, len(t.segSlot))
	for slot := range t.slotSeg {
		s := t.seg(int32(slot))
		if s == nil {
			continue
		}
		t.slotSeg[slot] = int32(len(starts))
		starts = append(starts, uint32(len(buf)))
		slots = append(slots, int32(slot))
		buf = append(buf, s...)
	}
	t.buf, t.segStart, t.segSlot, t.dead = buf, starts, slots, 0
}

func (t *text) rebuildGrams() {
	t.grams = nil
	t.gramsLive, t.gramsStale = 0, 0
	for slot := range t.slotSeg {
		if s := t.seg(int32(slot)); s != nil {
			n := t.addGrams(int32(slot), s)
			t.slotGram[slot] = int32(n)
			t.gramsLive += n
		}
	}
}

func gramAt[T string | []byte](s T, i int) uint32 {
	return uint32(s[i])<<16 | uint32(s[i+1])<<8 | uint32(s[i+2])
}

// addGrams lists slot under each trigram of s that lies within one line;
// it returns how many entries it added.
func (t *text) addGrams(slot int32, s []byte) int {
	if t.grams == nil {
		t.grams = map[uint32][]int32{}
	}
	n := 0
	for i := 0; i+3 <= len(s); i++ {
		if s[i] == '\n' || s[i+1] == '\n' || s[i+2] == '\n' {
			continue
		}
		g := gramAt(s, i)
		l := t.grams[g]
		if k := len(l); k > 0 && l[k-1] == slot {
			continue
		}
		t.grams[g] = append(l, slot)
		n++
	}
	return n
}

// has reports whether the slot's text contains w.
func (t *text) has(slot int32, w string) bool {
	return bytes.Contains(t.seg(slot), []byte(w))
}

// search returns the slots whose text contains w, as a set over n slots;
// a word asked again before any text changes is answered from a cache.
// The caller holds the store's read lock.
func (t *text) search(w string, n int) bitset {
	t.cacheMu.Lock()
	if t.cacheAt != t.ver {
		t.cache, t.cacheAt = nil, t.ver
	}
	hit, ok := t.cache[w]
	t.cacheMu.Unlock()
	if ok {
		return hit
	}
	out := newBitset(n)
	if len(w) >= 3 {
		t.searchGrams(w, out)
	} else {
		t.scan(w, out)
	}
	t.cacheMu.Lock()
	if t.cacheAt == t.ver {
		if t.cache == nil || len(t.cache) >= wordCacheSize {
			t.cache = map[string]bitset{}
		}
		t.cache[w] = out
	}
	t.cacheMu.Unlock()
	return out
}

func (t *text) searchGrams(w string, out bitset) {
	var rarest []int32
	for i := 0; i+3 <= len(w); i++ {
		l, ok := t.grams[gramAt(w, i)]
		if !ok {
			return
		}
		if rarest == nil || len(l) < len(rarest) {
			rarest = l
		}
	}
	for _, slot := range rarest {
		if !out.has(slot) && t.has(slot, w) {
			out.set(slot)
		}
	}
}

// scan looks for w through the whole buffer, one text at a time.
func (t *text) scan(w string, out bitset) {
	word := []byte(w)
	seg := 0
	for pos := 0; pos < len(t.buf); {
		i := bytes.Index(t.buf[pos:], word)
		if i < 0 {
			return
		}
		p := uint32(pos + i)
		for seg+1 < len(t.segStart) && t.segStart[seg+1] <= p {
			seg++
		}
		slot := t.segSlot[seg]
		if t.slotSeg[slot] == int32(seg) {
			out.set(slot)
		}
		pos = len(t.buf)
		if seg+1 < len(t.segStart) {
			pos = int(t.segStart[seg+1])
		}
	}
}
