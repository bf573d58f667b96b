package ecsemu

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// The asynchronous life of ENIs. Attach, detach and delete put an ENI in a
// transitional state and arm a timer (time.AfterFunc) that completes it
// under the world lock after the configured delay ± jitter:
//
//	Attaching -> InUse (or back to Available when the guest never answers)
//	Detaching -> Available
//	Deleting  -> gone, its addresses back in the vSwitch
//
// While stuck transitions are on, a timer that fires leaves its ENI where it
// is (stalled). Switching them off re-arms every stalled ENI, so each
// completes one normal delay later. Repeating DetachNetworkInterface or
// DeleteNetworkInterface on a stalled ENI re-arms it too, which is what the
// cloud's documentation advises for ENIs stuck in Detaching or Deleting.
// The seeded account starts with one ENI stalled in each transitional state.

// idChars are the characters of the random part of resource IDs.
const idChars = "0123456789abcdefghijklmnopqrstuvwxyz"

// mintID returns a new ID such as eni-bp1… whose random part is 20
// characters long, starting with the region's prefix.
func (w *World) mintID(kind string, r *region) string {
	for {
		var b strings.Builder
		b.WriteString(kind)
		b.WriteByte('-')
		b.WriteString(r.idPrefix)
		for b.Len() < len(kind)+1+20 {
			b.WriteByte(idChars[w.rng.IntN(len(idChars))])
		}
		id := b.String()
		if _, dup := w.ids[id]; !dup {
			w.ids[id] = struct{}{}
			return id
		}
	}
}

// mintMAC returns an unused MAC address in Alibaba Cloud's 00:16:3e range.
func (w *World) mintMAC() string {
	for {
		n := w.rng.UintN(1 << 24)
		mac := fmt.Sprintf("00:16:3e:%02x:%02x:%02x", n>>16, (n>>8)&0xff, n&0xff)
		if _, dup := w.macs[mac]; !dup {
			w.macs[mac] = struct{}{}
			return mac
		}
	}
}

func (w *World) nextOrd() uint64 {
	w.ord++
	return w.ord
}

// addENI indexes a new ENI. ENIs are created in ord order, so appending
// keeps every index sorted.
func (w *World) addENI(e *eni) {
	w.enis[e.id] = e
	e.region.enis = append(e.region.enis, e)
	e.vpc.enis = append(e.vpc.enis, e)
	e.vswitch.enis = append(e.vswitch.enis, e)
	w.setStatus(e, e.status)
}

// removeENI forgets a deleted ENI and frees its addresses.
func (w *World) removeENI(e *eni) {
	if e.instance != nil {
		w.unbind(e)
	}
	delete(w.enis, e.id)
	delete(w.transit, e)
	e.region.enis = removeByOrd(e.region.enis, e)
	e.vpc.enis = removeByOrd(e.vpc.enis, e)
	e.vswitch.enis = removeByOrd(e.vswitch.enis, e)
	e.vswitch.pool.releaseENI(e)
}

func removeByOrd(s []*eni, e *eni) []*eni {
	i := sort.Search(len(s), func(i int) bool { return s[i].ord >= e.ord })
	if i < len(s) && s[i] == e {
		return slices.Delete(s, i, i+1)
	}
	return s
}

func transitional(status string) bool {
	return status == eniAttaching || status == eniDetaching || status == eniDeleting
}

func (w *World) setStatus(e *eni, status string) {
	e.status = status
	if transitional(status) {
		w.transit[e] = struct{}{}
	} else {
		delete(w.transit, e)
	}
}

// bind attaches e to inst at the lowest free device index.
func (w *World) bind(e *eni, inst *instance, networkCard int) {
	used := map[int]bool{}
	for _, o := range inst.enis {
		used[o.deviceIndex] = true
	}
	idx := 0
	for used[idx] {
		idx++
	}
	e.instance = inst
	e.deviceIndex = idx
	e.networkCardIndex = networkCard
	inst.enis = append(inst.enis, e)
}

func (w *World) unbind(e *eni) {
	inst := e.instance
	if inst == nil {
		return
	}
	inst.enis = slices.DeleteFunc(inst.enis, func(o *eni) bool { return o == e })
	e.instance = nil
	e.deviceIndex = 0
	e.networkCardIndex = -1
}

func (w *World) delayFor(status string) time.Duration {
	d := w.cfg.DeleteDelay
	switch status {
	case eniAttaching:
		d = w.cfg.AttachDelay
	case eniDetaching:
		d = w.cfg.DetachDelay
	}
	if j := w.cfg.Jitter; j > 0 {
		d = time.Duration(float64(d) * (1 + j*(2*w.rng.Float64()-1)))
	}
	return d
}

// schedule arms the timer that completes e's current transition. Callers
// hold the write lock.
func (w *World) schedule(e *eni) {
	if w.closed {
		return
	}
	if e.timer != nil {
		e.timer.Stop()
	}
	e.gen++
	gen := e.gen
	e.timer = time.AfterFunc(w.delayFor(e.status), func() { w.complete(e, gen) })
}

func (w *World) complete(e *eni, gen uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || e.gen != gen {
		return
	}
	e.timer = nil
	if w.stuck {
		return // stalled until stuck transitions are switched off or the call is repeated
	}
	switch e.status {
	case eniAttaching:
		if e.instance != nil && e.instance.failAttach {
			w.unbind(e)
			w.setStatus(e, eniAvailable)
			return
		}
		w.setStatus(e, eniInUse)
	case eniDetaching:
		w.unbind(e)
		w.setStatus(e, eniAvailable)
	case eniDeleting:
		w.removeENI(e)
	}
}

// SetStuckTransitions turns stuck transitions on or off. While on,
// transitions never complete; when switched off, every stalled ENI
// completes after a fresh delay.
func (w *World) SetStuckTransitions(on bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	was := w.stuck
	w.stuck = on
	if !was || on {
		return
	}
	stalled := make([]*eni, 0, len(w.transit))
	for e := range w.transit {
		if e.timer == nil {
			stalled = append(stalled, e)
		}
	}
	slices.SortFunc(stalled, func(a, b *eni) int { return cmpOrd(a.ord, b.ord) })
	for _, e := range stalled {
		w.schedule(e)
	}
}

// Close stops every pending transition. It is idempotent; the world stays
// readable afterwards but transitions no longer complete.
func (w *World) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.closed = true
	for e := range w.transit {
		if e.timer != nil {
			e.timer.Stop()
			e.timer = nil
		}
	}
}

func cmpOrd(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
