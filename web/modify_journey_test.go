package web_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// TestJourneyChangeAnENI: an operator renames an ENI and moves it to two
// other security groups, adds two secondary addresses and removes one,
// then adds, changes and removes tags in one submit, each from the pages
// the row menu opens. A viewer watching the list sees each change in the
// row without a reload; the emulator has each; the audit log lists each
// call with its outcome.
func TestJourneyChangeAnENI(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := context.Background()
	web1 := env.Instance(t, "web-prod-01")
	id := env.CreateBeside(t, web1, "journey-change")
	e, err := env.Cloud.GetENI(ctx, "cn-hangzhou", id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Cloud.TagENI(ctx, "cn-hangzhou", id, []eni.Tag{{Key: "env", Value: "dev"}, {Key: "old", Value: "gone"}}); err != nil {
		t.Fatal(err)
	}
	groups := otherGroups(t, env, e)
	view := env.URL + "/enis?region=cn-hangzhou&id=" + id

	actor, watcher := webtest.Browser(t), webtest.Browser(t)
	env.SignInBrowser(t, actor, webtest.Operator)
	env.SignInBrowser(t, watcher, webtest.Viewer)
	for _, b := range []context.Context{actor, watcher} {
		if err := chromedp.Do(b, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#row-"+id))); err != nil {
			t.Fatal(err)
		}
	}
	waitJS(t, watcher, "the live stream to open", liveOpen)
	if n, _ := chromedp.Run(watcher, chromedp.Evaluate[int](`document.querySelectorAll('#row-`+id+` [data-action="edit"]').length`)); n != 0 {
		t.Fatal("a viewer's row offers Edit")
	}
	cell := func(col string) string {
		return `document.querySelector('#row-` + id + ` [data-col="` + col + `"]').innerText`
	}

	// Edit from the row menu: a new name, two other security groups.
	click(t, actor, `#row-`+id+` a[data-action="edit"]`)
	waitJS(t, actor, "the edit form", `!!document.querySelector('form[data-form="edit"] #edit-name')`)
	shoot(t, actor, "edit")
	// Cleared, then typed as a person types.
	if _, err := chromedp.Run(actor, chromedp.Evaluate[bool](`(document.querySelector('#edit-name').value = "") === ""`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(actor, chromedp.SendKeys(chromedp.CSS(`#edit-name`), "journey-renamed")); err != nil {
		t.Fatal(err)
	}
	for _, g := range e.SecurityGroups {
		click(t, actor, `form[data-form="edit"] input[name="sg"][value="`+g+`"]`)
	}
	for _, g := range groups {
		click(t, actor, `form[data-form="edit"] input[name="sg"][value="`+g+`"]`)
	}
	click(t, actor, `form[data-form="edit"] button[data-action="save"]`)
	waitJS(t, actor, "the ENI's page with the message", `location.pathname === "/enis/`+id+`" &&
		document.querySelector('#flash').innerText.includes("Changed") && document.querySelector('#eni-detail').innerText.includes("journey-renamed")`)
	got := cloudENI(t, env, id)
	if got.Name != "journey-renamed" || !slices.Equal(sortedCopy(got.SecurityGroups), sortedCopy(groups)) {
		t.Fatalf("the cloud has name %q and groups %v, want journey-renamed and %v", got.Name, got.SecurityGroups, groups)
	}
	waitJS(t, watcher, "the new name in the watched row", cell("id")+`.includes("journey-renamed")`)
	waitJS(t, watcher, "the new groups in the watched row", cell("sg")+`.includes("`+groups[0]+`") && `+cell("sg")+`.includes("`+groups[1]+`")`)

	// Addresses: two more by count, then one of them removed. The ENI's
	// page follows the change live and may swap its links at any moment:
	// the pages are opened by their addresses, as a bookmark would.
	ips := env.URL + "/enis/" + id + "/ips?region=cn-hangzhou"
	if err := chromedp.Do(actor, chromedp.Navigate(ips)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actor, "the addresses page", `!!document.querySelector('#ips-count')`)
	waitJS(t, actor, "how many more the ENI may take", `document.querySelector('[data-allowed="ipv4"]').innerText.includes("49 more IPv4 addresses allowed")`)
	if err := chromedp.Do(actor, chromedp.SendKeys(chromedp.CSS(`#ips-count`), "2")); err != nil {
		t.Fatal(err)
	}
	click(t, actor, `button[data-action="assign"]`)
	waitJS(t, actor, "the message naming the addresses", `location.pathname === "/enis/`+id+`" && document.querySelector('#flash').innerText.includes("Added ")`)
	added := cloudENI(t, env, id).SecondaryIPs()
	if len(added) != 2 {
		t.Fatalf("the cloud has secondary addresses %v, want 2", added)
	}
	waitJS(t, watcher, "the new addresses in the watched row", `document.querySelector('#row-`+id+` [data-col="ips"]').textContent.includes("`+added[1]+`")`)

	if err := chromedp.Do(actor, chromedp.Navigate(ips)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actor, "the addresses to remove", `!!document.querySelector('[data-address="`+added[0]+`"] input')`)
	shoot(t, actor, "addresses")
	click(t, actor, `[data-address="`+added[0]+`"] input`)
	click(t, actor, `button[data-action="unassign-ipv4"]`)
	waitJS(t, actor, "the removal's message", `document.querySelector('#flash').innerText.includes("Removed `+added[0]+`")`)
	if left := cloudENI(t, env, id).SecondaryIPs(); !slices.Equal(left, added[1:]) {
		t.Fatalf("the cloud has %v left, want %v", left, added[1:])
	}
	waitJS(t, watcher, "the removed address gone from the watched row", `!document.querySelector('#row-`+id+` [data-col="ips"]').textContent.includes("`+added[0]+`")`)

	// Tags, the whole set: env changed, owner added, old removed.
	if err := chromedp.Do(actor, chromedp.Navigate(env.URL+"/enis/"+id+"/edit?region=cn-hangzhou")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actor, "the tags form", `document.querySelector('#edit-tags').value.includes("old=gone")`)
	if err := chromedp.Do(actor, chromedp.SetValue(chromedp.CSS(`#edit-tags`), "env=prod\nowner=ops")); err != nil {
		t.Fatal(err)
	}
	click(t, actor, `button[data-action="save-tags"]`)
	waitJS(t, actor, "a message for each part", `document.querySelector('#flash').innerText.includes("Set env=prod, owner=ops") &&
		document.querySelector('#flash').innerText.includes("Removed old")`)
	tags := cloudENI(t, env, id).Tags
	slices.SortFunc(tags, func(a, b eni.Tag) int { return strings.Compare(a.Key, b.Key) })
	if want := []eni.Tag{{Key: "env", Value: "prod"}, {Key: "owner", Value: "ops"}}; !slices.Equal(tags, want) {
		t.Fatalf("the cloud has tags %v, want %v", tags, want)
	}
	waitJS(t, watcher, "the new tags in the watched row", `(() => { const c = document.querySelector('#row-`+id+` [data-col="tags"]').textContent;
		return c.includes("prod") && c.includes("owner") && !c.includes("gone") })()`)

	// The audit log has each call, with its outcome.
	if err := chromedp.Do(actor, chromedp.Navigate(env.URL+"/audit?eni="+id), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{audit.ActionModify, audit.ActionAssignIPs, audit.ActionUnassignIPs, audit.ActionTag, audit.ActionUntag} {
		waitJS(t, actor, a+" in the audit log with its outcome", `[...document.querySelectorAll('tr[data-outcome="ok"]')].filter(r => r.innerText.includes("`+a+`")).length === 1`)
	}
	if n, _ := chromedp.Run(actor, chromedp.Evaluate[int](`document.querySelectorAll('tr[data-outcome]:not([data-outcome="ok"])').length`)); n != 0 {
		t.Fatalf("%d audit entries of this ENI are not ok", n)
	}
}

// otherGroups are two basic security groups of e's VPC it is not in.
func otherGroups(t *testing.T, env *webtest.Env, e eni.ENI) []string {
	t.Helper()
	all, err := env.Cloud.SecurityGroups(context.Background(), "cn-hangzhou", e.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range all {
		if g.Kind == eni.SGBasic && !slices.Contains(e.SecurityGroups, g.ID) && len(out) < 2 {
			out = append(out, g.ID)
		}
	}
	if len(out) != 2 {
		t.Fatalf("the seed has %d other basic groups in %s, want 2", len(out), e.VpcID)
	}
	return out
}

func cloudENI(t *testing.T, env *webtest.Env, id string) eni.ENI {
	t.Helper()
	e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// shoot saves a screenshot of the page in $ENIDASH_SHOTS, when set, to
// look at how a page reads.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ENIDASH_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
