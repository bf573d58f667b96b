package inventory

import "math/bits"

// bitset is a dense set of slots: a query marks the ENIs it keeps in one,
// so a sorted order can be filtered by a bit test per ENI.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) hasSafe(i int32) bool {
	return int(i>>6) < len(b) && b.has(i)
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// or adds o's members to b.
func (b bitset) or(o bitset) {
	for i := range min(len(b), len(o)) {
		b[i] |= o[i]
	}
}

// each calls fn for every member, in increasing order.
func (b bitset) each(fn func(int32)) {
	for wi, w := range b {
		for w != 0 {
			fn(int32(wi<<6 + bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
}
