package inventory

import "enidash/internal/eni"

// columns hold, per slot, the attributes a view filters or counts on that
// have few distinct values, as small integers in flat arrays: a query
// over every ENI reads a few bytes of each instead of chasing its record.
type columns struct {
	status    []uint8 // statusRank
	typ       []uint8 // typeRank
	managed   []bool
	region    []uint32 // dictionary codes
	zone      []uint32
	rg        []uint32
	createdS  []int64 // CreatedAt as Unix seconds and nanoseconds
	createdNs []int32
}

// unknownStatus and unknownType are the ranks of values outside eni's
// lists; a view asking for one is checked against the record.
var (
	unknownStatus = uint8(len(eni.Statuses))
	unknownType   = uint8(len(eni.Types))
)

func (c *columns) grow(n int) {
	if n <= len(c.status) {
		return
	}
	extra := n - len(c.status)
	c.status = append(c.status, make([]uint8, extra)...)
	c.typ = append(c.typ, make([]uint8, extra)...)
	c.managed = append(c.managed, make([]bool, extra)...)
	c.region = append(c.region, make([]uint32, extra)...)
	c.zone = append(c.zone, make([]uint32, extra)...)
	c.rg = append(c.rg, make([]uint32, extra)...)
	c.createdS = append(c.createdS, make([]int64, extra)...)
	c.createdNs = append(c.createdNs, make([]int32, extra)...)
}

func (c *columns) set(slot int32, e *eni.ENI, d *dict) {
	c.grow(int(slot) + 1)
	c.status[slot] = uint8(statusRank(e.Status))
	c.typ[slot] = uint8(typeRank(e.Type))
	c.managed[slot] = e.ServiceManaged
	c.region[slot] = d.code(e.RegionID)
	c.zone[slot] = d.code(e.ZoneID)
	c.rg[slot] = d.code(e.ResourceGroupID)
	c.createdS[slot] = e.CreatedAt.Unix()
	c.createdNs[slot] = int32(e.CreatedAt.Nanosecond())
}

// zeroTimeS is time.Time{}.Unix(): with 0 ns, a creation time not known.
const zeroTimeS = -62135596800

// createdBefore reports whether the slot's ENI has a known creation time
// before (s, ns).
func (c *columns) createdBefore(slot int32, s int64, ns int32) bool {
	cs, cns := c.createdS[slot], c.createdNs[slot]
	if cs == zeroTimeS && cns == 0 {
		return false
	}
	return cs < s || cs == s && cns < ns
}

// dict numbers the few distinct values of a column (regions, zones,
// resource groups); code 0 is "". Codes are never reused.
type dict struct {
	codes map[string]uint32
	names []string
}

// noCode is what lookup gives for a value no ENI has.
const noCode = ^uint32(0)

func (d *dict) code(s string) uint32 {
	if s == "" {
		return 0
	}
	if c, ok := d.codes[s]; ok {
		return c
	}
	if d.codes == nil {
		d.codes = map[string]uint32{}
		d.names = []string{""}
	}
	c := uint32(len(d.names))
	d.codes[s] = c
	d.names = append(d.names, s)
	return c
}

// lookup is code without adding: noCode for a value never seen.
func (d *dict) lookup(s string) uint32 {
	if s == "" {
		return 0
	}
	if c, ok := d.codes[s]; ok {
		return c
	}
	return noCode
}

// countsBy counts the live slots' values of a column.
func (d *dict) countsBy(col []uint32, live func(int32) bool) map[string]int {
	n := make([]int, len(d.names))
	for i, c := range col {
		if live(int32(i)) {
			n[c]++
		}
	}
	out := map[string]int{}
	for c, k := range n {
		if k > 0 && c > 0 {
			out[d.names[c]] = k
		}
	}
	return out
}
