package inventory

import (
	"slices"

	"enidash/internal/eni"
)

// kind names an index; each maps a value to the slots of the ENIs that
// have it.
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
	byStatus
	byType
	byZone
	byRG
)

type ikey struct {
	k kind
	v string
}

func tagKV(key, value string) string { return key + "\x00" + value }

// keysOf lists every index entry of an ENI.
func keysOf(e *eni.ENI) []ikey {
	out := make([]ikey, 0, 8+len(e.PrivateIPs)+len(e.IPv6)+len(e.SecurityGroups)+2*len(e.Tags))
	add := func(k kind, v string) {
		if v != "" {
			out = append(out, ikey{k, v})
		}
	}
	add(byInstance, e.InstanceID)
	add(byVSwitch, e.VSwitchID)
	add(byVPC, e.VpcID)
	add(byStatus, string(e.Status))
	add(byType, string(e.Type))
	add(byZone, e.ZoneID)
	add(byRG, e.ResourceGroupID)
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

// index holds unordered slot lists; order comes from the orders.
type index map[ikey][]int32

func (ix index) add(keys []ikey, slot int32) {
	for _, k := range keys {
		ix[k] = append(ix[k], slot)
	}
}

func (ix index) remove(keys []ikey, slot int32) {
	for _, k := range keys {
		l := ix[k]
		if i := slices.Index(l, slot); i >= 0 {
			l[i] = l[len(l)-1]
			l = l[:len(l)-1]
		}
		if len(l) == 0 {
			delete(ix, k)
		} else {
			ix[k] = l
		}
	}
}
