package inventory

import (
	"slices"
	"strings"

	"enidash/internal/eni"
)

// kind names an index; each maps a value to the slots of the ENIs that
// have it. Status, type, zone and resource group are columns instead
// (cols.go): they have few values, each shared by many ENIs.
type kind uint8

const (
	byInstance kind = iota
	byVSwitch
	byVPC
	bySG
	byIP // primary and secondary IPv4 addresses, as the cloud's ip filter
	byIPv6
	byTagKey
	byTagKV
	byName
)

type ikey struct {
	k kind
	v string
}

func tagKV(key, value string) string { return key + "\x00" + value }

// keysOf lists every index entry of an ENI.
func keysOf(e *eni.ENI) []ikey {
	out := make([]ikey, 0, 5+len(e.PrivateIPs)+len(e.IPv6)+len(e.SecurityGroups)+2*len(e.Tags))
	add := func(k kind, v string) {
		if v != "" {
			out = append(out, ikey{k, v})
		}
	}
	add(byInstance, e.InstanceID)
	add(byVSwitch, e.VSwitchID)
	add(byVPC, e.VpcID)
	add(byName, e.Name)
	add(byIP, e.PrimaryIP)
	for _, p := range e.PrivateIPs {
		if p.Address != e.PrimaryIP {
			add(byIP, p.Address)
		}
	}
	for _, a := range e.IPv6 {
		add(byIPv6, a)
	}
	for _, g := range e.SecurityGroups {
		add(bySG, g)
	}
	for _, t := range e.Tags {
		add(byTagKey, t.Key)
		out = append(out, ikey{byTagKV, tagKV(t.Key, t.Value)})
	}
	// An ENI lists a value once per index.
	slices.SortFunc(out, func(a, b ikey) int {
		if a.k != b.k {
			return int(a.k) - int(b.k)
		}
		if a.v < b.v {
			return -1
		}
		if a.v > b.v {
			return 1
		}
		return 0
	})
	return slices.Compact(out)
}

// index holds, per value, the slots that have it in increasing order, so
// two conditions intersect in one merge.
type index map[ikey][]int32

func (ix index) add(keys []ikey, slot int32) {
	for _, k := range keys {
		l := ix[k]
		if n := len(l); n == 0 || l[n-1] < slot {
			ix[k] = append(l, slot) // the common case: a new slot at the end
			continue
		}
		if i, found := slices.BinarySearch(l, slot); !found {
			ix[k] = slices.Insert(l, i, slot)
		}
	}
}

func (ix index) remove(keys []ikey, slot int32) {
	for _, k := range keys {
		l := ix[k]
		if i, found := slices.BinarySearch(l, slot); found {
			l = slices.Delete(l, i, i+1)
		}
		if len(l) == 0 {
			delete(ix, k)
		} else {
			ix[k] = l
		}
	}
}

// union merges sorted slot lists into one, without repeats.
func union(lists [][]int32) []int32 {
	switch len(lists) {
	case 0:
		return nil
	case 1:
		return lists[0]
	}
	var out []int32
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// intersect keeps the slots in every list, smallest list first so the
// work is bounded by it; each step gallops through the longer list.
func intersect(lists [][]int32) []int32 {
	if len(lists) == 0 {
		return nil
	}
	slices.SortFunc(lists, func(a, b []int32) int { return len(a) - len(b) })
	out := slices.Clone(lists[0])
	for _, l := range lists[1:] {
		if len(out) == 0 {
			break
		}
		k := 0
		rest := l
		for _, s := range out {
			i, found := slices.BinarySearch(rest, s)
			rest = rest[i:]
			if found {
				out[k] = s
				k++
			}
		}
		out = out[:k]
	}
	return out
}

// diffKeys splits two sorted key lists into the keys only in a and the
// keys only in b.
func diffKeys(a, b []ikey) (onlyA, onlyB []ikey) {
	cmpKey := func(x, y ikey) int {
		if x.k != y.k {
			return int(x.k) - int(y.k)
		}
		return strings.Compare(x.v, y.v)
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := cmpKey(a[i], b[j]); {
		case c < 0:
			onlyA = append(onlyA, a[i])
			i++
		case c > 0:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return append(onlyA, a[i:]...), append(onlyB, b[j:]...)
}
