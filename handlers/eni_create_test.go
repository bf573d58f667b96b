package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// A valid form creates the ENI as asked, answers 303 to its page, where a
// flash names it, and the audit log has the intent and the outcome.
func TestCreateENISuccess(t *testing.T) {
	env := startCreate(t, nil)
	web, db := env.sg["prod-web"].ID, env.sg["prod-db"].ID
	sent := env.form(map[string][]string{
		eni.FormSG: {web, db}, eni.FormName: {"web-eth1"}, eni.FormDescription: {"second NIC of web"},
		eni.FormSecondaryCount: {"2"}, eni.FormIPv6Count: {"1"}, eni.FormTags: {"env=test\r\nteam = net"},
		eni.FormRG: {"rg-aek2mbbv6sgwtmq"}, eni.FormDeleteOnRelease: {"false"}, eni.FormQueueNumber: {"2"},
		eni.FormSourceDestCheck: {"true"},
	})
	p := post(t, env.url+"/enis", sent)
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %s", p.status, p.doc.Find("[data-failure], [data-banner]").Text())
	}
	created := env.enisNamed(t, "web-eth1")
	if len(created) != 1 {
		t.Fatalf("%d ENIs named web-eth1, want 1", len(created))
	}
	e := created[0]
	if loc := p.header.Get("Location"); loc != views.DetailURL("cn-hangzhou", e.ID) {
		t.Errorf("Location %q, want the new ENI's page", loc)
	}
	slices.Sort(e.SecurityGroups)
	wantSG := []string{web, db}
	slices.Sort(wantSG)
	switch {
	case e.VSwitchID != env.vsw["prod-app-h"].ID || e.Description != "second NIC of web" || !slices.Equal(e.SecurityGroups, wantSG):
		t.Errorf("placement: %+v", e)
	case len(e.SecondaryIPs()) != 2 || len(e.IPv6) != 1:
		t.Errorf("addresses: secondary %v, IPv6 %v", e.SecondaryIPs(), e.IPv6)
	case !slices.Contains(e.Tags, eni.Tag{Key: "env", Value: "test"}) || !slices.Contains(e.Tags, eni.Tag{Key: "team", Value: "net"}):
		t.Errorf("tags %v", e.Tags)
	case e.ResourceGroupID != "rg-aek2mbbv6sgwtmq" || e.DeleteOnRelease || e.QueueNumber != 2:
		t.Errorf("rg %s, delete on release %v, queues %d", e.ResourceGroupID, e.DeleteOnRelease, e.QueueNumber)
	}

	// The flash waits in the session for the page the browser goes to.
	var cookies []string
	for _, c := range p.header.Values("Set-Cookie") {
		cookies = append(cookies, strings.SplitN(c, ";", 2)[0])
	}
	detail := get(t, env.url+p.header.Get("Location"), "Cookie", strings.Join(cookies, "; "))
	flash := detail.doc.Find(`[data-flash="ok"]`)
	if want := "Created " + e.ID + " (web-eth1)."; !strings.Contains(flash.Text(), want) {
		t.Errorf("flash %q, want %q", flash.Text(), want)
	}
	// It stands on the ENI's own page: no link to where the person is.
	if links := flash.Find("a"); links.Length() != 0 {
		t.Errorf("flash on the ENI's page links to %q (%q)", links.AttrOr("href", ""), links.Text())
	}

	page, err := env.audit.Query(context.Background(), audit.Query{Action: audit.ActionCreate})
	if err != nil || len(page.Entries) != 1 {
		t.Fatalf("audit: %d entries (%v)", len(page.Entries), err)
	}
	a := page.Entries[0]
	if a.Outcome != audit.OutcomeOK || a.ENIID != e.ID || a.RequestID == "" || a.Actor != "olga" || a.API != "CreateNetworkInterface" ||
		a.Params["VSwitchId"] != e.VSwitchID || a.Params["ClientToken"] != sent.Get(eni.FormClientToken) || a.Params["Tags"] != "env=test,team=net" {
		t.Errorf("audit entry %+v", a)
	}
}

// htmx is told where to go with HX-Redirect instead of a 303.
func TestCreateENIHTMXRedirect(t *testing.T) {
	env := startCreate(t, nil)
	p := post(t, env.url+"/enis", env.form(map[string][]string{eni.FormName: {"by-htmx"}}), htmx()...)
	created := env.enisNamed(t, "by-htmx")
	if p.status != http.StatusOK || len(created) != 1 || p.header.Get("HX-Redirect") != views.DetailURL("cn-hangzhou", created[0].ID) {
		t.Errorf("status %d, HX-Redirect %q, %d created", p.status, p.header.Get("HX-Redirect"), len(created))
	}
	// A refused form comes back as the form alone, for htmx to swap.
	p = post(t, env.url+"/enis", env.form(map[string][]string{eni.FormName: {"x"}}), htmx()...)
	if p.status != http.StatusUnprocessableEntity || p.doc.Find("html header").Length() != 0 || p.doc.Find("form#create-form").Length() != 1 {
		t.Errorf("status %d; want the form fragment: %.200s", p.status, p.body)
	}
}

// Twenty identical submits at once (a double click, a retrying proxy)
// create one ENI, and every answer leads to it.
func TestCreateENIIdempotent(t *testing.T) {
	env := startCreate(t, nil)
	sent := env.form(map[string][]string{eni.FormName: {"idem-once"}})
	const n = 20
	type answer struct {
		status   int
		location string
		err      error
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, env.url+"/enis", strings.NewReader(sent.Encode()))
			if err != nil {
				answers[i].err = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := plainClient.Do(req)
			if err != nil {
				answers[i].err = err
				return
			}
			res.Body.Close()
			answers[i] = answer{status: res.StatusCode, location: res.Header.Get("Location")}
		})
	}
	wg.Wait()
	created := env.enisNamed(t, "idem-once")
	if len(created) != 1 {
		t.Fatalf("%d ENIs created, want 1", len(created))
	}
	want := views.DetailURL("cn-hangzhou", created[0].ID)
	for i, a := range answers {
		if a.err != nil || a.status != http.StatusSeeOther || a.location != want {
			t.Errorf("submit %d: %d %q %v, want 303 to %s", i, a.status, a.location, a.err, want)
		}
	}
}

// A viewer may neither see the form nor create.
func TestCreateENIViewerForbidden(t *testing.T) {
	env := startCreate(t, nil)
	if p := get(t, env.url+"/enis/new?region=cn-hangzhou", viewer()...); p.status != http.StatusForbidden {
		t.Errorf("GET: status %d, want 403", p.status)
	}
	p := post(t, env.url+"/enis", env.form(map[string][]string{eni.FormName: {"by-viewer"}}), viewer()...)
	if p.status != http.StatusForbidden || !strings.Contains(p.body, "operator role") {
		t.Errorf("POST: status %d %q, want 403 naming the operator role", p.status, p.body)
	}
	if got := env.enisNamed(t, "by-viewer"); len(got) != 0 {
		t.Errorf("a viewer created %s", got[0].ID)
	}
}

// What a person typed is shown as text, never as markup.
func TestCreateENIEscapesWhatWasTyped(t *testing.T) {
	env := startCreate(t, nil)
	name := `<script>alert(1)</script>`
	desc := `"><img src=x onerror=alert(2)>`
	p := post(t, env.url+"/enis", env.form(map[string][]string{eni.FormName: {name}, eni.FormDescription: {desc},
		eni.FormTags: {"</textarea><script>alert(3)</script>=x"}}))
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", p.status)
	}
	if strings.Contains(p.body, "<script>alert") || p.doc.Find("script:not([src]), img").Length() != 0 {
		t.Errorf("markup from the form reached the page")
	}
	if !strings.Contains(p.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the name is not shown escaped")
	}
	got := submitted(p.doc)
	if got.Get(eni.FormName) != name || got.Get(eni.FormDescription) != desc {
		t.Errorf("values not kept as typed: %q %q", got.Get(eni.FormName), got.Get(eni.FormDescription))
	}
}

// The form keeps its ClientToken when refused, so the corrected submit
// and any repeat of it create one ENI.
func TestCreateENIKeepsClientToken(t *testing.T) {
	env := startCreate(t, nil)
	bad := env.form(map[string][]string{eni.FormName: {"x"}})
	p := post(t, env.url+"/enis", bad)
	again := submitted(p.doc)
	if again.Get(eni.FormClientToken) != bad.Get(eni.FormClientToken) {
		t.Fatalf("token %q, want %q", again.Get(eni.FormClientToken), bad.Get(eni.FormClientToken))
	}
	again.Set(eni.FormName, "token-kept")
	again.Set("_csrf", "test-csrf-token")
	var locations []string
	for range 2 {
		p := post(t, env.url+"/enis", again)
		locations = append(locations, fmt.Sprint(p.status, " ", p.header.Get("Location")))
	}
	if n := len(env.enisNamed(t, "token-kept")); n != 1 || locations[0] != locations[1] {
		t.Errorf("%d ENIs; answers %v", n, locations)
	}
	// A form sent without a token still gets one for the cloud call.
	noToken := env.form(map[string][]string{eni.FormName: {"no-token"}, eni.FormClientToken: nil})
	if p := post(t, env.url+"/enis", noToken); p.status != http.StatusSeeOther {
		t.Errorf("without a token: status %d", p.status)
	}
	page, _ := env.audit.Query(context.Background(), audit.Query{Action: audit.ActionCreate})
	for _, a := range page.Entries {
		if len(a.Params["ClientToken"]) != 32 {
			t.Errorf("audit entry without a minted token: %v", a.Params)
		}
	}
}
