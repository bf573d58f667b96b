package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/views"
	"enidash/web/webtest"
)

// The rows of a list page name the instance, VPC, vSwitch and security
// groups beside their IDs, from the region's look-ups.
func TestListRowsNameWhatTheyLinkTo(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: time.Hour})
	inst := env.Instance(t, "web-prod-01")
	p := get(t, listURL(env, url.Values{"region": {"cn-hangzhou"}, "instance": {inst.ID}, "type": {"Primary"}}))
	row := p.doc.Find(`tr[id^="row-"]`).First()
	if row.Length() == 0 {
		t.Fatalf("no row for %s:\n%s", inst.ID, p.body)
	}
	for col, want := range map[string]string{"instance": "web-prod-01", "vpc": "prod-vpc", "vswitch": "prod-"} {
		got := row.Find(`td[data-col="` + col + `"] [data-name]`).Text()
		if !strings.Contains(got, want) {
			t.Errorf("%s cell names %q, want %q", col, got, want)
		}
	}
	if got := strings.TrimSpace(row.Find(`td[data-col="sg"] [data-name]`).First().Text()); got == "" {
		t.Errorf("the security group is not named: %q", row.Find(`td[data-col="sg"]`).Text())
	}
}

// A live-updated row names what it links to, as the page's rows do, and
// its actions come back to the whole view it was shown in: search, sort
// and page kept.
func TestLiveRowsKeepTheViewAndNames(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: time.Hour})
	inst := env.Instance(t, "web-prod-01")
	var ids []string
	for i := range 12 {
		ids = append(ids, env.CreateBeside(t, inst, fmt.Sprintf("backpage-%02d", i)))
	}
	env.Warm(t, "cn-hangzhou")
	vw, errs := eni.ParseView(url.Values{"region": {"cn-hangzhou"}, "q": {"backpage"}, "sort": {"name"}, "size": {"10"}, "page": {"2"}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	p := get(t, env.URL+views.ViewURL(vw))
	if got := p.rowIDs(); len(got) != 2 || got[0] != ids[10] {
		t.Fatalf("page 2 shows %v, want the last two of %v\n%s", got, ids, p.body)
	}
	s := webtest.OpenSSE(t, env.Client, liveURL(t, env, p), "")
	if _, err := env.Cloud.AttachENI(context.Background(), eni.AttachRequest{Region: "cn-hangzhou", ENIID: ids[10], InstanceID: inst.ID}); err != nil {
		t.Fatal(err)
	}
	ev := s.Next(t, wait, isRow(ids[10], eni.StatusInUse))
	if got, want := backOf(t, ev.Data), views.ViewURL(vw); got != want {
		t.Errorf("the row's actions come back to %q, want the view %q", got, want)
	}
	if !strings.Contains(ev.Data, "web-prod-01") || !strings.Contains(ev.Data, "prod-vpc") {
		t.Errorf("the live row does not name its instance and VPC:\n%s", ev.Data)
	}
}

// backOf is where the first action link of a rendered row comes back to.
func backOf(t *testing.T, html string) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<table>" + html + "</table>"))
	if err != nil {
		t.Fatal(err)
	}
	href, ok := doc.Find(`a[href*="back="]`).First().Attr("href")
	if !ok {
		t.Fatalf("no action link with a way back in:\n%s", html)
	}
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("back")
}

// A live view searched by an instance's name takes in an ENI another
// client attaches to that instance.
func TestLiveSearchFindsInstanceNames(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: time.Hour})
	inst := env.Instance(t, "web-prod-01")
	id := env.CreateBeside(t, inst, "a-stranger")
	env.Warm(t, "cn-hangzhou")
	p := get(t, env.URL+"/enis?region=cn-hangzhou&q=web-prod-01")
	if strings.Contains(p.body, `id="row-`+id+`"`) {
		t.Fatalf("the view shows %s before it is attached", id)
	}
	s := webtest.OpenSSE(t, env.Client, liveURL(t, env, p), "")
	if _, err := env.Cloud.AttachENI(context.Background(), eni.AttachRequest{Region: "cn-hangzhou", ENIID: id, InstanceID: inst.ID}); err != nil {
		t.Fatal(err)
	}
	ev := s.Next(t, wait, func(ev webtest.SSEEvent) bool {
		return (ev.Event == "added" || ev.Event == "row") && strings.Contains(ev.Data, `id="row-`+id+`"`)
	})
	if !strings.Contains(ev.Data, "web-prod-01") {
		t.Errorf("the added row does not name its instance:\n%s", ev.Data)
	}
}
