package inventory

import (
	"testing"

	"enidash/internal/eni"
)

// The store's matcher says of each ENI what a query of the whole view
// says: in it or not, with the default resource group and instance names
// as the query has them.
func TestMatcherAgreesWithQuery(t *testing.T) {
	s, all := synthStore(2000, 3)
	now := synthBase
	views := append([]string{"rg=rg-acfmprod", "q=node-0", "older=30d&status=Available"}, viewQueries...)
	for _, q := range views {
		v, errs := eni.ParseView(mustQuery(t, q+"&region="+testRegion))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", q, errs)
		}
		in := map[string]bool{}
		for _, e := range s.Select(v, Options{Now: now, Names: synthNames}) {
			in[e.ID] = true
		}
		m := s.Matcher(v, now, synthNames)
		for i := range all {
			if got := m.Match(&all[i]); got != in[all[i].ID] {
				t.Errorf("%s: %s matches %t, the query says %t", q, all[i].ID, got, in[all[i].ID])
				break
			}
		}
	}
}
