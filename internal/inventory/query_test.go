package inventory

import (
	"cmp"
	"math/rand/v2"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"enidash/internal/eni"
)

// reference answers a view the slow, obvious way: the cloud's filters by
// the matcher the parity test holds to the cloud, the view's own keys by
// hand, then a stable sort of the cloud's order.
func reference(all []eni.ENI, v eni.View, now time.Time) []eni.ENI {
	m := NewMatcher(eni.View{Filter: v.Filter}, now, nil, "rg-acfmdefault")
	var out []eni.ENI
	for _, e := range all {
		if !m.Match(&e) || v.Zone != "" && e.ZoneID != v.Zone {
			continue
		}
		if v.Older > 0 && (e.CreatedAt.IsZero() || now.Sub(e.CreatedAt) <= v.Older) {
			continue
		}
		text := strings.ToLower(strings.Join([]string{e.ID, e.Name, e.Description, e.InstanceID,
			synthNames(e.InstanceID), tagText(e.Tags), addrText(e)}, "\n"))
		if !slices.ContainsFunc(v.SearchWords(), func(w string) bool { return !strings.Contains(text, w) }) {
			out = append(out, e)
		}
	}
	if v.Sort == "" {
		return out
	}
	slices.SortStableFunc(out, func(a, b eni.ENI) int {
		c := refCompare(v.Sort, a, b)
		if v.Desc {
			return -c
		}
		return c
	})
	return out
}

func tagText(tags []eni.Tag) string {
	var s []string
	for _, t := range tags {
		s = append(s, t.Key+"="+t.Value)
	}
	return strings.Join(s, "\n")
}

func addrText(e eni.ENI) string {
	s := slices.Clone(e.IPv6)
	for _, p := range e.PrivateIPs {
		s = append(s, p.Address)
	}
	return strings.Join(s, "\n")
}

func refCompare(k eni.SortKey, a, b eni.ENI) int {
	switch k {
	case eni.SortCreated:
		return a.CreatedAt.Compare(b.CreatedAt)
	case eni.SortName:
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	case eni.SortStatus:
		return cmp.Compare(slices.Index(eni.Statuses, a.Status), slices.Index(eni.Statuses, b.Status))
	case eni.SortType:
		return strings.Compare(string(a.Type), string(b.Type))
	case eni.SortInstance:
		return strings.Compare(a.InstanceID, b.InstanceID)
	case eni.SortVSwitch:
		return strings.Compare(a.VSwitchID, b.VSwitchID)
	case eni.SortZone:
		return strings.Compare(a.ZoneID, b.ZoneID)
	case eni.SortIP:
		return netip.MustParseAddr(a.PrimaryIP).Compare(netip.MustParseAddr(b.PrimaryIP))
	case eni.SortID:
		return strings.Compare(a.ID, b.ID)
	}
	return 0
}

var viewQueries = []string{
	"", "sort=created", "sort=-created", "sort=name", "sort=-name", "sort=status", "sort=-type", "sort=instance",
	"sort=-vswitch", "sort=zone", "sort=ip", "sort=-ip", "sort=id",
	"status=Available&older=30d&sort=created", "zone=cn-hangzhou-i&sort=-created", "q=web", "q=WEB+terway",
	"q=node-0", "q=nginx-12", "q=10.3.", "q=env=prod", "q=élan", "older=200d", "older=4000h&status=InUse",
	"vswitch=vsw-bp1vsw0003&sort=name", "vpc=vpc-bp1vpc0001&q=cache&sort=-ip", "tag=env:staging&sort=zone",
	"tag=k8s.aliyun.com&older=100d&sort=-created", "rg=rg-acfmprod&sort=status", "type=Primary&zone=cn-hangzhou-k",
	"instance=i-bp1inst000100", "sg=sg-bp1sg0004&sort=created", "managed=true&sort=-name",
}

// Every view, on every page, is the reference's answer cut into pages.
func TestQueryMatchesReference(t *testing.T) {
	s, all := synthStore(3000, 1)
	now := synthBase
	for _, names := range []InstanceNames{synthNames, synthNameTable(all)} {
		testQueryMatchesReference(t, s, all, now, names)
	}
}

func testQueryMatchesReference(t *testing.T, s *Store, all []eni.ENI, now time.Time, names InstanceNames) {
	t.Helper()
	for _, q := range viewQueries {
		for _, size := range []int{20, 500} {
			v, errs := eni.ParseView(mustQuery(t, q+"&region="+testRegion))
			if len(errs) > 0 {
				t.Fatalf("%s: %v", q, errs)
			}
			v.Size = size
			want := reference(all, v, now)
			got := s.Select(v, Options{Now: now, Names: names})
			if !slices.Equal(idsOf(got), idsOf(want)) {
				t.Errorf("%s: Select gave %d ENIs, reference %d (first %v vs %v)", q, len(got), len(want), head(idsOf(got)), head(idsOf(want)))
				continue
			}
			pages := max(1, (len(want)+size-1)/size)
			for _, page := range []int{1, 2, pages, pages + 1} {
				v.Page = page
				res := s.Query(v, Options{Now: now, Names: names})
				lo, hi := min((page-1)*size, len(want)), min(page*size, len(want))
				if res.Total != len(want) || res.Pages != pages || !slices.Equal(idsOf(res.ENIs), idsOf(want[lo:hi])) {
					t.Errorf("%s size %d page %d: total %d pages %d, %d ENIs; want total %d pages %d, %d ENIs",
						q, size, page, res.Total, res.Pages, len(res.ENIs), len(want), pages, hi-lo)
				}
				if res.PastEnd() != (page > pages) {
					t.Errorf("%s page %d: PastEnd %v", q, page, res.PastEnd())
				}
			}
		}
	}
}

// Counts by status leave the status filter out, and counts by type the
// type filter, so each count is what choosing it would show.
func TestQueryFacets(t *testing.T) {
	s, all := synthStore(2000, 2)
	v, _ := eni.ParseView(mustQuery(t, "region=cn-hangzhou&status=InUse&type=Secondary&vpc=vpc-bp1vpc0002"))
	res := s.Query(v, Options{Now: synthBase})
	for _, st := range eni.Statuses {
		w := v
		w.Status = st
		if got, want := res.Statuses[st], len(reference(all, w, synthBase)); got != want {
			t.Errorf("count of %s = %d, want %d", st, got, want)
		}
	}
	for _, ty := range eni.Types {
		w := v
		w.Type = ty
		if got, want := res.Types[ty], len(reference(all, w, synthBase)); got != want {
			t.Errorf("count of %s = %d, want %d", ty, got, want)
		}
	}
	if res.Statuses[eni.StatusInUse] != res.Total || res.Total == 0 {
		t.Errorf("InUse count %d, total %d", res.Statuses[eni.StatusInUse], res.Total)
	}
}

// Changes keep the cached orders right: a status change re-sorts by
// status, a new ENI joins every order, a removed one leaves them.
func TestQueryAfterChanges(t *testing.T) {
	s, all := synthStore(1500, 3)
	opts := Options{Now: synthBase}
	views := []string{"sort=status", "sort=-created", "sort=name", ""}
	for _, q := range views {
		v, _ := eni.ParseView(mustQuery(t, q))
		s.Select(v, opts) // build the orders
	}
	rng := rand.New(rand.NewPCG(5, 6))
	later := synthBase.Add(time.Minute)
	var changed []eni.ENI
	for range 40 {
		e := all[rng.IntN(len(all))]
		e.Status = eni.Statuses[rng.IntN(len(eni.Statuses))]
		e.Name = "renamed"
		changed = append(changed, e)
	}
	s.Upsert(changed, later)
	byID := map[string]eni.ENI{}
	for _, e := range changed {
		byID[e.ID] = e
	}
	var now []eni.ENI
	for _, e := range all {
		if c, ok := byID[e.ID]; ok {
			e = c
		}
		now = append(now, e)
	}
	check := func(when string) {
		t.Helper()
		for _, q := range views {
			v, _ := eni.ParseView(mustQuery(t, q))
			if got, want := idsOf(s.Select(v, opts)), idsOf(reference(now, v, synthBase)); !slices.Equal(got, want) {
				t.Errorf("%q after %s: %d ENIs %v, want %d %v", q, when, len(got), head(got), len(want), head(want))
			}
		}
	}
	check("status and name changes")

	// New ENIs come last in the cloud's order.
	fresh := synthENIs(5, 77)
	s.Upsert(append([]eni.ENI(nil), fresh...), later)
	s.Remove([]string{all[0].ID, all[10].ID}, later)
	now = slices.DeleteFunc(now, func(e eni.ENI) bool { return e.ID == all[0].ID || e.ID == all[10].ID })
	now = append(now, fresh...)
	check("adding and removing")
}

func mustQuery(t testing.TB, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
