package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// TestListFilters checks each filter of the page end to end: the URL
// parameter reaches the cloud through the SDK, and the rows shown are
// exactly the ENIs of the region the filter selects.
func TestListFilters(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	all := allENIs(t, env, "cn-hangzhou")
	if len(all) < 30 {
		t.Fatalf("the demo account has %d ENIs in cn-hangzhou; want enough to page", len(all))
	}
	pick := func(pred func(eni.ENI) bool) eni.ENI {
		for _, e := range all {
			if pred(e) {
				return e
			}
		}
		t.Fatal("the demo account lacks an ENI for this test")
		return eni.ENI{}
	}
	tagged := pick(func(e eni.ENI) bool { return len(e.Tags) > 0 && e.Tags[0].Value != "" })
	withSecondary := pick(func(e eni.ENI) bool { return len(e.SecondaryIPs()) > 0 })
	withIPv6 := pick(func(e eni.ENI) bool { return len(e.IPv6) > 0 })
	attached := pick(func(e eni.ENI) bool { return e.InstanceID != "" && e.Type == eni.TypeSecondary })
	named := pick(func(e eni.ENI) bool { return e.Name != "" })
	secondary := pick(func(e eni.ENI) bool { return e.Type == eni.TypeSecondary && len(e.SecurityGroups) > 0 })
	// The cloud lists ENIs of the account's default resource group whatever
	// group is asked for: ask for a group that does not exist to see them.
	defaultGroup := map[string]bool{}
	for _, id := range get(t, listURL(env, url.Values{"region": {"cn-hangzhou"}, "rg": {"rg-doesnotexist"}, "size": {"500"}})).rowIDs() {
		defaultGroup[id] = true
	}
	grouped := pick(func(e eni.ENI) bool { return e.ResourceGroupID != "" && !defaultGroup[e.ID] })

	tests := []struct {
		name  string
		query url.Values
		want  func(eni.ENI) bool
	}{
		{"vpc", url.Values{"vpc": {attached.VpcID}}, func(e eni.ENI) bool { return e.VpcID == attached.VpcID }},
		{"vswitch", url.Values{"vswitch": {attached.VSwitchID}}, func(e eni.ENI) bool { return e.VSwitchID == attached.VSwitchID }},
		{"sg", url.Values{"sg": {secondary.SecurityGroups[0]}}, func(e eni.ENI) bool {
			return e.Type == eni.TypeSecondary && slices.Contains(e.SecurityGroups, secondary.SecurityGroups[0])
		}},
		{"instance", url.Values{"instance": {attached.InstanceID}}, func(e eni.ENI) bool { return e.InstanceID == attached.InstanceID }},
		{"type", url.Values{"type": {"Primary"}}, func(e eni.ENI) bool { return e.Type == eni.TypePrimary }},
		{"status", url.Values{"status": {"Available"}}, func(e eni.ENI) bool { return e.Status == eni.StatusAvailable }},
		{"name", url.Values{"name": {named.Name}}, func(e eni.ENI) bool { return e.Name == named.Name }},
		{"id", url.Values{"id": {all[0].ID + "," + all[1].ID}}, func(e eni.ENI) bool { return e.ID == all[0].ID || e.ID == all[1].ID }},
		{"ip", url.Values{"ip": {withSecondary.SecondaryIPs()[0]}}, func(e eni.ENI) bool {
			return slices.ContainsFunc(e.PrivateIPs, func(p eni.PrivateIP) bool { return p.Address == withSecondary.SecondaryIPs()[0] })
		}},
		{"pip", url.Values{"pip": {withSecondary.PrimaryIP}}, func(e eni.ENI) bool { return e.PrimaryIP == withSecondary.PrimaryIP }},
		{"ipv6", url.Values{"ipv6": {withIPv6.IPv6[0]}}, func(e eni.ENI) bool { return slices.Contains(e.IPv6, withIPv6.IPv6[0]) }},
		{"tag key:value", url.Values{"tag": {tagged.Tags[0].String()}}, func(e eni.ENI) bool { return slices.Contains(e.Tags, tagged.Tags[0]) }},
		{"tag key", url.Values{"tag": {tagged.Tags[0].Key}}, func(e eni.ENI) bool {
			return slices.ContainsFunc(e.Tags, func(t eni.Tag) bool { return t.Key == tagged.Tags[0].Key })
		}},
		{"rg", url.Values{"rg": {grouped.ResourceGroupID}}, func(e eni.ENI) bool {
			return e.ResourceGroupID == grouped.ResourceGroupID || defaultGroup[e.ID]
		}},
		{"managed", url.Values{"managed": {"true"}}, func(e eni.ENI) bool { return e.ServiceManaged }},
		{"three filters", url.Values{"vpc": {attached.VpcID}, "status": {"InUse"}, "type": {"Secondary"}}, func(e eni.ENI) bool {
			return e.VpcID == attached.VpcID && e.Status == eni.StatusInUse && e.Type == eni.TypeSecondary
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.query.Set("region", "cn-hangzhou")
			tt.query.Set("size", "500")
			p := get(t, listURL(env, tt.query))
			if p.status != http.StatusOK {
				t.Fatalf("status %d: %s", p.status, p.body)
			}
			var want []string
			for _, e := range all {
				if tt.want(e) {
					want = append(want, e.ID)
				}
			}
			got := p.rowIDs()
			if len(want) == 0 {
				t.Fatal("the filter selects nothing in the demo account; the test would prove little")
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("rows = %v\nwant %v", got, want)
			}
		})
	}
}

// TestListPagingBothWays walks a view forward with Next, then back with
// Previous, and checks every ENI is seen exactly once and pages repeat.
func TestListPagingBothWays(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	all := allENIs(t, env, "cn-hangzhou")
	u := env.URL + "/enis?region=cn-hangzhou&size=10"
	var pages [][]string
	seen := map[string]bool{}
	for {
		p := get(t, u)
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", u, p.status)
		}
		ids := p.rowIDs()
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("ENI %s shown on two pages", id)
			}
			seen[id] = true
		}
		pages = append(pages, ids)
		if p.doc.Find(`a[rel="next"]`).Length() == 0 {
			break
		}
		if len(pages) > 1 && p.doc.Find(`a:contains("Previous")`).Length() == 0 {
			t.Fatalf("page %d has no Previous link", len(pages))
		}
		u = env.URL + p.link(t, `a[rel="next"]`)
	}
	if len(seen) != len(all) {
		t.Fatalf("walked %d ENIs over %d pages; the region has %d", len(seen), len(pages), len(all))
	}
	for i := len(pages) - 1; i > 0; i-- {
		p := get(t, u)
		if got := p.rowIDs(); !slices.Equal(got, pages[i]) {
			t.Fatalf("page %d on the way back = %v, want %v", i+1, got, pages[i])
		}
		u = env.URL + p.link(t, `a:contains("Previous")`)
	}
	if got := get(t, u).rowIDs(); !slices.Equal(got, pages[0]) {
		t.Fatalf("first page on the way back = %v, want %v", got, pages[0])
	}
}

func TestListBookmarks(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	t.Run("canonical URL is served as is", func(t *testing.T) {
		p := get(t, env.URL+"/enis?region=cn-hangzhou&status=InUse&size=50")
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
	})
	redirects := []struct{ from, to string }{
		{"/enis", "/enis?region=cn-hangzhou"},
		{"/", "/enis?region=cn-hangzhou"},
		{"/enis?status=inuse&region=cn-hangzhou&vpc=&size=20", "/enis?region=cn-hangzhou&status=InUse"},
		{"/enis?region=cn-hangzhou&q=10.0.0.5", "/enis?region=cn-hangzhou&ip=10.0.0.5"},
		{"/enis?region=cn-hangzhou&q=env%3Dprod", "/enis?region=cn-hangzhou&tag=env:prod"},
	}
	for _, r := range redirects {
		t.Run(r.from, func(t *testing.T) {
			p := get(t, env.URL+r.from)
			if p.status != http.StatusFound || p.header.Get("Location") != r.to {
				t.Fatalf("status %d Location %q, want 302 to %q", p.status, p.header.Get("Location"), r.to)
			}
		})
	}
	t.Run("htmx gets the canonical URL pushed and only the results", func(t *testing.T) {
		p := get(t, env.URL+"/enis?region=cn-hangzhou&status=InUse&vpc=&name=", "HX-Request", "true")
		if p.status != http.StatusOK || p.header.Get("HX-Push-Url") != "/enis?region=cn-hangzhou&status=InUse" {
			t.Fatalf("status %d HX-Push-Url %q", p.status, p.header.Get("HX-Push-Url"))
		}
		if p.doc.Find("html head title").Length() != 0 || p.doc.Find("#results").Length() != 1 {
			t.Fatal("an htmx request should get the results fragment, not a page")
		}
		if len(p.rowIDs()) == 0 {
			t.Fatal("the fragment has no rows")
		}
		// Swapped in by htmx, the rows still offer an operator's actions.
		if p.doc.Find(`#eni-rows a[data-action="detach"]`).Length() == 0 || p.doc.Find(`#select-all`).Length() != 1 {
			t.Fatal("the fragment offers the operator no action")
		}
		if tok, _ := p.doc.Find(`#bulk-form input[name="_csrf"]`).Attr("value"); tok == "" {
			t.Fatal("the fragment's bulk form has no CSRF token")
		}
	})
}

// Applying the view the page already shows must not add a history entry,
// or Back would seem to do nothing.
func TestListHTMXReplacesHistoryForTheSameView(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	view := "/enis?region=cn-hangzhou&status=InUse"
	p := get(t, env.URL+view+"&vpc=", "HX-Request", "true", "HX-Current-URL", env.URL+view)
	if p.header.Get("HX-Replace-Url") != view || p.header.Get("HX-Push-Url") != "" {
		t.Errorf("same view: HX-Replace-Url %q, HX-Push-Url %q", p.header.Get("HX-Replace-Url"), p.header.Get("HX-Push-Url"))
	}
	p = get(t, env.URL+view+"&vpc=", "HX-Request", "true", "HX-Current-URL", env.URL+"/enis?region=cn-hangzhou")
	if p.header.Get("HX-Push-Url") != view || p.header.Get("HX-Replace-Url") != "" {
		t.Errorf("new view: HX-Push-Url %q, HX-Replace-Url %q", p.header.Get("HX-Push-Url"), p.header.Get("HX-Replace-Url"))
	}
}

func TestListRejectsBadParameters(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	tests := []struct{ query, field, message string }{
		{"region=cn-hangzhou&vpc=nope", "vpc", "not a valid ID"},
		{"region=cn-hangzhou&status=Sleeping", "status", "one of Available"},
		{"region=cn-hangzhou&type=Tertiary", "type", "Primary or Secondary"},
		{"region=cn-hangzhou&size=7", "size", "one of 10, 20"},
		{"region=cn-hangzhou&ip=300.1.1.1", "ip", "not an IPv4 address"},
		{"region=cn-hangzhou&managed=maybe", "managed", "true or false"},
		{"region=cn-hangzhou&token=***", "token", "page position"},
		{"region=cn-hangzhou&colour=blue", "colour", "not a parameter"},
		{"region=xx-nowhere-1", "region", "not a region of this account"},
		{"region=cn-hangzhou&q=" + strings.Repeat("n", 257), "q", "at most 256"},
		{"region=cn-hangzhou&sort=size", "sort", "not a column to sort by"},
		{"region=cn-hangzhou&sort=-", "sort", "not a column to sort by"},
		{"region=cn-hangzhou&older=7w", "older", "whole number of hours or days"},
		{"region=cn-hangzhou&older=0d", "older", "at least 1h"},
		{"region=cn-hangzhou&page=0", "page", "1 or more"},
		{"region=cn-hangzhou&zone=Hangzhou+H", "zone", "not a zone ID"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			for _, hx := range []string{"", "true"} {
				p := get(t, env.URL+"/enis?"+tt.query, "HX-Request", hx)
				if p.status != http.StatusBadRequest {
					t.Fatalf("htmx=%q: status %d, want 400", hx, p.status)
				}
				text := strings.ToLower(p.doc.Find("#results").Text())
				if !strings.Contains(text, strings.ToLower(tt.message)) {
					t.Errorf("htmx=%q: page does not say %q about %s", hx, tt.message, tt.field)
				}
				if len(p.rowIDs()) != 0 {
					t.Errorf("htmx=%q: rows shown for an invalid view", hx)
				}
			}
		})
	}
}

func TestListExpiredTokenOffersFirstPage(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	f := eni.Filter{Region: "cn-hangzhou", Status: eni.StatusInUse}.Next("not-a-token-the-cloud-wrote")
	p := get(t, env.URL+"/enis?"+f.Query())
	if p.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", p.status)
	}
	first := "/enis?region=cn-hangzhou&status=InUse"
	if p.doc.Find(`a[href="`+first+`"]`).Length() == 0 {
		t.Fatalf("no link to the first page of the same view (%s)", first)
	}
}

// TestListShowsCloudFailure: a region not indexed yet is listed from the
// cloud, whose failure the page explains.
func TestListShowsCloudFailure(t *testing.T) {
	opts, release := holdListings(t)
	env := webtest.StartWith(t, ecsemu.Config{}, opts)
	t.Cleanup(release)
	get(t, env.URL+"/enis?region=cn-hangzhou") // warm the region list
	env.Emulator.SetFaults(ecsemu.Faults{ErrorRate: 1})
	p := get(t, env.URL+"/enis?region=cn-hangzhou&status=Available")
	if p.status < 500 {
		t.Fatalf("status %d, want a 5xx for a failing cloud", p.status)
	}
	text := p.doc.Text()
	if !strings.Contains(text, "InternalError") && !strings.Contains(text, "ServiceUnavailable") {
		t.Errorf("banner lacks the cloud's code: %s", text)
	}
	if !strings.Contains(text, "RequestId") {
		t.Error("banner lacks the RequestId")
	}
	if p.doc.Find(`a[href="/enis?region=cn-hangzhou&status=Available"]`).Length() == 0 {
		t.Error("no retry link to the same view")
	}
}
