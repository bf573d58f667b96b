package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// sameSet compares two ID lists as sets.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func idsOf(all []eni.ENI, keep func(eni.ENI) bool) []string {
	var out []string
	for _, e := range all {
		if keep(e) {
			out = append(out, e.ID)
		}
	}
	return out
}

// TestListFromSnapshot: once the region is listed, the page answers the
// keys only the inventory serves, and says so (snapshot age, numbered pages).
func TestListFromSnapshot(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	all := allENIs(t, env, "cn-hangzhou")
	env.Warm(t, "cn-hangzhou")
	named := slices.IndexFunc(all, func(e eni.ENI) bool { return len(e.Name) > 6 })
	if named < 0 {
		t.Fatal("the demo account has no named ENI")
	}
	part := strings.ToUpper(all[named].Name[1:5])
	withIP := all[slices.IndexFunc(all, func(e eni.ENI) bool { return len(e.SecondaryIPs()) > 0 })]
	tagged := all[slices.IndexFunc(all, func(e eni.ENI) bool { return len(e.Tags) > 0 && e.Tags[0].Value != "" })]
	zone := all[len(all)/2].ZoneID
	now := time.Now()
	// An age in whole hours that splits the region, from its newest ENI.
	newest := slices.MaxFunc(all, func(a, b eni.ENI) int { return a.CreatedAt.Compare(b.CreatedAt) })
	hours := int(now.Sub(newest.CreatedAt)/time.Hour) + 1
	older := time.Duration(hours) * time.Hour
	old := idsOf(all, func(e eni.ENI) bool { return now.Sub(e.CreatedAt) > older })
	if len(old) == 0 || len(old) == len(all) {
		t.Fatalf("%d of %d demo ENIs are older than %dh; the older test would prove little", len(old), len(all), hours)
	}
	insts := map[string]string{}
	if list, err := env.Cloud.Instances(context.Background(), "cn-hangzhou", ""); err == nil {
		for _, in := range list {
			insts[in.ID] = in.Name
		}
	}
	hay := func(e eni.ENI) string {
		parts := []string{e.ID, e.Name, e.Description, e.InstanceID, insts[e.InstanceID], e.PrimaryIP}
		for _, p := range e.PrivateIPs {
			parts = append(parts, p.Address)
		}
		parts = append(parts, e.IPv6...)
		for _, tg := range e.Tags {
			parts = append(parts, tg.Key, tg.Value)
		}
		return strings.ToLower(strings.Join(parts, "\x00"))
	}
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"q part of a name, any case", "q=" + url.QueryEscape(part), idsOf(all, func(e eni.ENI) bool { return strings.Contains(hay(e), strings.ToLower(part)) })},
		{"q several IDs pasted", "q=" + url.QueryEscape(all[3].ID+", "+all[7].ID+" "+all[1].ID), []string{all[1].ID, all[3].ID, all[7].ID}},
		{"q an address", "q=" + withIP.SecondaryIPs()[0], idsOf(all, func(e eni.ENI) bool {
			return slices.ContainsFunc(e.PrivateIPs, func(p eni.PrivateIP) bool { return p.Address == withIP.SecondaryIPs()[0] })
		})},
		{"q key=value", "q=" + url.QueryEscape(tagged.Tags[0].Key+"="+tagged.Tags[0].Value), idsOf(all, func(e eni.ENI) bool { return slices.Contains(e.Tags, tagged.Tags[0]) })},
		{"zone", "zone=" + zone, idsOf(all, func(e eni.ENI) bool { return e.ZoneID == zone })},
		{"older", "older=" + strconv.Itoa(hours) + "h", old},
		{"older and status", "older=" + strconv.Itoa(hours) + "h&status=Available", idsOf(all, func(e eni.ENI) bool {
			return now.Sub(e.CreatedAt) > older && e.Status == eni.StatusAvailable
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := get(t, env.URL+"/enis?region=cn-hangzhou&size=500&"+tt.query)
			if p.status == http.StatusFound {
				p = get(t, env.URL+p.header.Get("Location"))
			}
			if p.status != http.StatusOK {
				t.Fatalf("status %d", p.status)
			}
			if len(tt.want) == 0 {
				t.Fatal("the view selects nothing in the demo account; the test would prove little")
			}
			if got := p.rowIDs(); !sameSet(got, tt.want) {
				t.Errorf("rows = %v\nwant %v", got, tt.want)
			}
			if got := p.doc.Find("[data-total]").AttrOr("data-total", ""); got != strconv.Itoa(len(tt.want)) {
				t.Errorf("total = %s, want %d", got, len(tt.want))
			}
			if p.doc.Find("#snapshot [data-as-of]").Length() != 1 || p.doc.Find("#indexing").Length() != 0 {
				t.Error("a page from the snapshot should say its age and no indexing note")
			}
		})
	}
}

func TestListSortBothWays(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	all := allENIs(t, env, "cn-hangzhou")
	created := map[string]time.Time{}
	for _, e := range all {
		created[e.ID] = e.CreatedAt
	}
	env.Warm(t, "cn-hangzhou")
	for _, tt := range []struct {
		sort, aria, toggle string
		less               func(a, b string) bool
	}{
		{"created", "ascending", "sort=-created", func(a, b string) bool { return !created[b].Before(created[a]) }},
		{"-created", "descending", "sort=created", func(a, b string) bool { return !created[a].Before(created[b]) }},
		{"id", "ascending", "sort=-id", func(a, b string) bool { return a <= b }},
		{"-id", "descending", "sort=id", func(a, b string) bool { return a >= b }},
	} {
		t.Run(tt.sort, func(t *testing.T) {
			p := get(t, env.URL+"/enis?region=cn-hangzhou&status=InUse&sort="+tt.sort+"&size=500")
			if p.status != http.StatusOK {
				t.Fatalf("status %d", p.status)
			}
			ids := p.rowIDs()
			if len(ids) < 5 {
				t.Fatalf("only %d rows", len(ids))
			}
			if !sameSet(ids, idsOf(all, func(e eni.ENI) bool { return e.Status == eni.StatusInUse })) {
				t.Fatal("sorting changed which ENIs are shown")
			}
			for i := 1; i < len(ids); i++ {
				if !tt.less(ids[i-1], ids[i]) {
					t.Fatalf("rows %d and %d out of order: %s, %s", i-1, i, ids[i-1], ids[i])
				}
			}
			col := strings.TrimPrefix(tt.sort, "-")
			th := p.doc.Find(`#eni-table th[data-col="` + col + `"]`)
			if got := th.AttrOr("aria-sort", ""); got != tt.aria {
				t.Errorf("aria-sort = %q, want %q", got, tt.aria)
			}
			if href := th.Find("a").First().AttrOr("href", ""); !strings.Contains(href, tt.toggle) {
				t.Errorf("heading links to %q, want the other direction (%s)", href, tt.toggle)
			}
		})
	}
}

func TestListPageNumbers(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	all := allENIs(t, env, "cn-hangzhou")
	env.Warm(t, "cn-hangzhou")
	pages := (len(all) + 9) / 10
	if pages < 4 {
		t.Fatalf("%d ENIs make %d pages; want at least 4", len(all), pages)
	}
	p := get(t, env.URL+"/enis?region=cn-hangzhou&size=10&page=2")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	// Without a sort the snapshot keeps the cloud's order.
	want := make([]string, 0, 10)
	for _, e := range all[10:20] {
		want = append(want, e.ID)
	}
	if got := p.rowIDs(); !slices.Equal(got, want) {
		t.Errorf("page 2 = %v, want %v", got, want)
	}
	if got := p.doc.Find("#pager [data-pages]").AttrOr("data-pages", ""); got != strconv.Itoa(pages) {
		t.Errorf("pages = %s, want %d", got, pages)
	}
	if got := p.doc.Find(`#pager [aria-current="page"]`).Text(); got != "2" {
		t.Errorf("current page = %q", got)
	}
	links := map[string]string{}
	p.doc.Find("#pager a").Each(func(_ int, s *goquery.Selection) {
		links[strings.Join(strings.Fields(s.Text()), " ")] = s.AttrOr("href", "")
	})
	base := "/enis?region=cn-hangzhou&size=10"
	for text, href := range map[string]string{"« First": base, "‹ Previous": base, "1": base, "3": base + "&page=3",
		strconv.Itoa(pages): base + "&page=" + strconv.Itoa(pages), "Next ›": base + "&page=3", "Last »": base + "&page=" + strconv.Itoa(pages)} {
		if links[text] != href {
			t.Errorf("link %q = %q, want %q", text, links[text], href)
		}
	}
	t.Run("past the last page goes to the last", func(t *testing.T) {
		p := get(t, env.URL+"/enis?region=cn-hangzhou&size=10&page=999")
		last := base + "&page=" + strconv.Itoa(pages)
		if p.status != http.StatusFound || p.header.Get("Location") != last {
			t.Fatalf("status %d Location %q, want 302 to %s", p.status, p.header.Get("Location"), last)
		}
		p = get(t, env.URL+last)
		if !strings.Contains(p.doc.Find("#flash").Text(), "page 999 is past the last page") {
			t.Error("the last page does not say why it is shown")
		}
		h := get(t, env.URL+"/enis?region=cn-hangzhou&size=10&page=999", "HX-Request", "true")
		if h.status != http.StatusOK || h.header.Get("HX-Push-Url") != last || len(h.rowIDs()) == 0 {
			t.Errorf("htmx: status %d HX-Push-Url %q rows %d", h.status, h.header.Get("HX-Push-Url"), len(h.rowIDs()))
		}
	})
}

// TestListCounts: the counts by status and type are those of the view
// without that filter, and each links to the view narrowed to it.
func TestListCounts(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	all := allENIs(t, env, "cn-hangzhou")
	env.Warm(t, "cn-hangzhou")
	vpc := all[0].VpcID
	inVPC := func(e eni.ENI) bool { return e.VpcID == vpc }
	p := get(t, env.URL+"/enis?region=cn-hangzhou&vpc="+vpc+"&type=Secondary")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	checked := 0
	p.doc.Find(`#facets [data-facet]`).Each(func(_ int, s *goquery.Selection) {
		key, value := s.AttrOr("data-facet", ""), s.AttrOr("data-value", "")
		var want int
		switch key {
		case "status":
			want = len(idsOf(all, func(e eni.ENI) bool {
				return inVPC(e) && e.Type == eni.TypeSecondary && string(e.Status) == value
			}))
		case "type":
			want = len(idsOf(all, func(e eni.ENI) bool { return inVPC(e) && string(e.Type) == value }))
		}
		if got := s.AttrOr("data-count", ""); got != strconv.Itoa(want) {
			t.Errorf("%s %s: count %s, want %d", key, value, got, want)
		}
		if key == "status" && want > 0 {
			href := s.Find("a").AttrOr("href", "")
			q := get(t, env.URL+href)
			if got := q.doc.Find("[data-total]").AttrOr("data-total", ""); got != strconv.Itoa(want) {
				t.Errorf("%s: its link %s shows %s ENIs, want %d", value, href, got, want)
			}
			checked++
		}
	})
	if checked < 2 {
		t.Fatalf("only %d status counts to follow", checked)
	}
	if !strings.Contains(p.doc.Find("#facets").Text(), "In use") {
		t.Errorf("counts read %q", p.doc.Find("#facets").Text())
	}
}

func TestListEmptyResultSaysWhatWasSearched(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	env.Warm(t, "cn-hangzhou")
	p := get(t, env.URL+"/enis?region=cn-hangzhou&q=zzqqxx&status=Available&older=7d")
	if p.status != http.StatusOK || len(p.rowIDs()) != 0 {
		t.Fatalf("status %d rows %d", p.status, len(p.rowIDs()))
	}
	empty := p.doc.Find("[data-empty]")
	if !strings.Contains(empty.Text(), "“zzqqxx”") {
		t.Errorf("the empty result does not say what was searched: %q", empty.Text())
	}
	for key, href := range map[string]string{
		"q":      "/enis?region=cn-hangzhou&status=Available&older=7d",
		"status": "/enis?region=cn-hangzhou&q=zzqqxx&older=7d",
		"older":  "/enis?region=cn-hangzhou&q=zzqqxx&status=Available",
	} {
		if got := empty.Find(`[data-clear="`+key+`"] a`).AttrOr("href", ""); got != href {
			t.Errorf("clear %s links to %q, want %q", key, got, href)
		}
	}
}
