package views

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"enidash/internal/eni"
)

// BulkRun is a bulk action under way: how many of its items are finished,
// for the progress line and the request that waits for the next one.
type BulkRun struct {
	ID       string
	Finished int
	Total    int
}

// ProgressURL asks for the run's state once more than it has finished.
func (r BulkRun) ProgressURL() string {
	return "/enis/bulk/" + url.PathEscape(r.ID) + "?after=" + strconv.Itoa(r.Finished)
}

// BulkCompactAt is how many items a bulk panel lists before folding the
// rest away: a view of a thousand ENIs stays one screen.
const BulkCompactAt = 50

// Thousands writes n with thousands separators: 1,240.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// SkipLabel is the short reason an item is skipped, for the counts of the
// confirmation ("8 skipped: InUse"); the item's own line keeps the full
// reason.
func SkipLabel(it BulkItem) string {
	e := it.ENI
	switch {
	case e == nil:
		return "no longer exists"
	case strings.HasPrefix(it.Blocked, "it has left"):
		return "left the view"
	case e.ServiceManaged:
		return "managed by a cloud service"
	case e.Type == eni.TypePrimary:
		return "primary ENI"
	case e.Status == eni.StatusInUse && e.InstanceID == "":
		return "not attached"
	}
	return string(e.Status)
}

// bulkCount is one part of a bulk's summary.
type bulkCount struct {
	N     int
	Label string // "will be deleted", "skipped: InUse"
	Kind  string // ready or skipped
}

// bulkCounts summarises the items: how many will change, then the skipped
// ones by reason, most first.
func bulkCounts(p BulkPage) []bulkCount {
	out := []bulkCount{{N: p.Eligible(), Label: "will be " + actionVerb(p.Action), Kind: "ready"}}
	at := map[string]int{}
	for _, it := range p.Items {
		if it.Blocked == "" {
			continue
		}
		l := "skipped: " + SkipLabel(it)
		if i, ok := at[l]; ok {
			out[i].N++
			continue
		}
		at[l] = len(out)
		out = append(out, bulkCount{N: 1, Label: l, Kind: "skipped"})
	}
	// Most first; equal counts keep the order they were first seen in.
	slices.SortStableFunc(out[1:], func(a, b bulkCount) int { return b.N - a.N })
	return out
}

// bulkShown splits the items into those listed at once and those folded
// away: the first BulkCompactAt, plus every failed or unsure one, which
// the operator must see.
func bulkShown(p BulkPage) (head, tail []BulkItem) {
	for i, it := range p.Items {
		if i < BulkCompactAt || it.Failure != nil || it.Unknown {
			head = append(head, it)
		} else {
			tail = append(tail, it)
		}
	}
	return head, tail
}
