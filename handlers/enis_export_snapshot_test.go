package handlers_test

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// TestExportFollowsTheViewsSortAndSearch: warm, an export is the whole view
// from the snapshot, filtered, searched and in the view's order.
func TestExportFollowsTheViewsSortAndSearch(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	env.Warm(t, "cn-hangzhou")
	for _, q := range []string{"region=cn-hangzhou&status=InUse&sort=-created", "region=cn-hangzhou&q=web&sort=id"} {
		t.Run(q, func(t *testing.T) {
			list := get(t, env.URL+"/enis?"+q+"&size=500")
			want := list.rowIDs()
			if len(want) < 2 {
				t.Fatalf("the view holds %d ENIs; the test would prove little", len(want))
			}
			p := get(t, env.URL+"/enis.csv?"+q)
			if p.status != http.StatusOK {
				t.Fatalf("status %d: %s", p.status, p.body)
			}
			rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows[1:] {
				got = append(got, r[0])
			}
			if !slices.Equal(got, want) {
				t.Errorf("export = %v\nwant the list's %v", got, want)
			}
		})
	}
	if p := get(t, env.URL+"/enis.json?region=cn-hangzhou&page=2"); p.status != http.StatusBadRequest || !strings.Contains(p.body, "page") {
		t.Errorf("page in an export: status %d", p.status)
	}
}
