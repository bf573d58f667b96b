package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// waitJS polls a JavaScript expression until it is true, or fails with
// what the page says.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ""`))
	t.Fatalf("waiting for %s; the page shows:\n%s", what, body)
}

// click clicks the first element matching sel once it is visible and, if
// htmx drives it (it or its form has an hx- verb), once htmx has wired it:
// content swapped in a moment ago is wired as it settles, and a person is
// never faster than that.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	wired := `(() => { const el = document.querySelector(` + jsString(sel) + `); if (!el) return false;
		const h = el.closest('[hx-get],[hx-post]') || (el.form && el.form.matches('[hx-get],[hx-post]') ? el.form : null);
		return !h || !window.htmx || !!(h['htmx-internal-data'] || {}).initHash })()`
	waitJS(t, ctx, sel+" ready", wired)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// waitCloud waits until the emulator reports the ENI in want ("" = gone).
func waitCloud(t *testing.T, env *webtest.Env, id string, want eni.Status) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id)
		if want == "" && err != nil || err == nil && e.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is %s in the cloud (err %v), want %q", id, e.Status, err, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func rowStatus(id string) string {
	return `(document.querySelector('#row-` + id + `') || {dataset: {}}).dataset.status`
}

// TestJourneyENILifecycle drives one ENI through attach, detach and delete
// from its row, each in the dialog with its confirmation, each checked in
// the page and in the cloud; then deletes three ENIs in one bulk action.
func TestJourneyENILifecycle(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := webtest.Browser(t)
	env.SignInBrowser(t, ctx, webtest.Operator)
	web1 := env.Instance(t, "web-prod-01")
	id := createThroughForm(t, ctx, env, web1)
	view := env.URL + "/enis?region=cn-hangzhou&id=" + id

	// Attach: the picker offers web-prod-01; choose it and confirm.
	if err := chromedp.Do(ctx, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#row-"+id))); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, `#row-`+id+` a[data-action="attach"]`)
	click(t, ctx, `#dialog [data-instance="`+web1.ID+`"] input[type="radio"]`)
	click(t, ctx, `#dialog button[data-action="confirm"]`)
	waitJS(t, ctx, "the row to show Attaching", rowStatus(id)+` === "Attaching"`)
	waitJS(t, ctx, "the flash", `document.querySelector('#flash').innerText.includes("Attaching `+id+`")`)
	waitJS(t, ctx, "the dialog to close", `document.querySelector('#dialog').children.length === 0`)
	waitCloud(t, env, id, eni.StatusInUse)
	if e, _ := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id); e.InstanceID != web1.ID {
		t.Fatalf("attached to %q", e.InstanceID)
	}

	// Detach, after a reload shows it InUse.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the row to show InUse", rowStatus(id)+` === "InUse"`)
	click(t, ctx, `#row-`+id+` a[data-action="detach"]`)
	click(t, ctx, `#dialog button[data-action="confirm"]`)
	waitJS(t, ctx, "the row to show Detaching", rowStatus(id)+` === "Detaching"`)
	waitCloud(t, env, id, eni.StatusAvailable)

	// Delete: the confirmation names the ENI.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the row to show Available", rowStatus(id)+` === "Available"`)
	click(t, ctx, `#row-`+id+` a[data-action="delete"]`)
	waitJS(t, ctx, "a confirmation naming the ENI", `document.querySelector('#dialog form[data-form="delete"]').innerText.includes("`+id+`")`)
	click(t, ctx, `#dialog button[data-action="confirm"]`)
	waitJS(t, ctx, "the row to show Deleting", rowStatus(id)+` === "Deleting"`)
	waitCloud(t, env, id, "")

	// Bulk: three new ENIs, select all, delete, confirm.
	ids := []string{env.CreateBeside(t, web1, "bulk-1"), env.CreateBeside(t, web1, "bulk-2"), env.CreateBeside(t, web1, "bulk-3")}
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/enis?region=cn-hangzhou&id="+strings.Join(ids, ",")),
		chromedp.WaitVisible(chromedp.CSS("#row-"+ids[2]))); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, `#select-all`)
	click(t, ctx, `button[data-action="bulk-delete"]`)
	waitJS(t, ctx, "the bulk confirmation", `document.querySelectorAll('#dialog [data-outcome="ready"]').length === 3`)
	click(t, ctx, `#dialog button[data-action="confirm"]`)
	waitJS(t, ctx, "three results", `document.querySelectorAll('#dialog [data-outcome="ok"]').length === 3`)
	for _, id := range ids {
		// Deleting, or already gone: live updates replace the row with a
		// note once the cloud has deleted it.
		waitJS(t, ctx, id+" Deleting", rowStatus(id)+` === "Deleting" || !!document.querySelector('#row-`+id+`[data-gone]')`)
	}
	for _, id := range ids {
		waitCloud(t, env, id, "")
		waitJS(t, ctx, id+" noted deleted", `(() => { const r = document.querySelector('#row-`+id+`');
			return !r || r.hasAttribute('data-gone') && r.innerText.includes('deleted') })()`)
	}
	click(t, ctx, `#dialog button[data-dismiss]`)
	waitJS(t, ctx, "the dialog to close", `document.querySelector('#dialog').children.length === 0`)
}

// createThroughForm creates an ENI beside inst with the create form: the
// zone and vSwitch pickers, the instance's security groups, a name the
// cloud would refuse (corrected in place after the 422), then the new
// ENI's page with its flash. It returns the new ENI's ID.
func createThroughForm(t *testing.T, ctx context.Context, env *webtest.Env, inst eni.Instance) string {
	t.Helper()
	before := len(listAll(t, env))
	primary, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", InstanceID: inst.ID, Type: eni.TypePrimary}})
	if err != nil || len(primary.ENIs) != 1 {
		t.Fatalf("primary ENI of %s: %v", inst.ID, err)
	}
	vsw := primary.ENIs[0].VSwitchID
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/enis?region=cn-hangzhou")); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, `a[data-action="create"]`)
	waitJS(t, ctx, "the create form", `!!document.querySelector('#create-form select[name="zone"]')`)
	// Choosing the zone reloads the form's choices (htmx), then the vSwitch
	// reloads the security groups of its VPC.
	pick := func(name, value string) {
		// One step in the page, so a swap cannot come between finding the
		// select and changing it; a failure is retried by choose.
		chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.querySelector('#create-form select[name="`+name+`"]');
			if (!s) return false; s.value = "`+value+`"; s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`))
	}
	// The server marks the choice selected when it re-renders the form.
	chosen := func(name, value string) string {
		return `(document.querySelector('#create-form select[name="` + name + `"] option[selected]') || {}).value === "` + value + `"`
	}
	// A picker swapped in a moment ago may not listen yet (htmx wires new
	// content as it settles): choose again until the form follows, as a
	// person would.
	choose := func(name, value string) {
		t.Helper()
		for range 20 {
			pick(name, value)
			for range 10 {
				if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](chosen(name, value))); err == nil && ok {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		waitJS(t, ctx, "the form for "+name+" "+value, chosen(name, value))
	}
	choose("zone", inst.ZoneID)
	choose("vswitch", vsw)
	for _, sg := range primary.ENIs[0].SecurityGroups {
		waitJS(t, ctx, "the security groups of the VPC", `!!document.querySelector('#create-form input[name="sg"][value="`+sg+`"]')`)
		click(t, ctx, `#create-form input[name="sg"][value="`+sg+`"]`)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#create-form input[name="name"]`), "http://journey")); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, `#create-form button[data-action="create"]`)
	waitJS(t, ctx, "the message at the name", `!!document.querySelector('[data-field-error="name"]')`)
	if got := len(listAll(t, env)); got != before {
		t.Fatalf("the refused form created %d ENIs", got-before)
	}
	// Correct it in place: the other choices are still there.
	waitJS(t, ctx, "the typed name kept", `document.querySelector('#create-form input[name="name"]').value === "http://journey"`)
	waitJS(t, ctx, "the name corrected", `(() => { const n = document.querySelector('#create-form input[name="name"]');
		n.select(); return document.execCommand('insertText', false, 'journey-life') && n.value === 'journey-life' })()`)
	click(t, ctx, `#create-form button[data-action="create"]`)
	waitJS(t, ctx, "the new ENI's page", `location.pathname.startsWith("/enis/eni-") && document.querySelector('#flash').innerText.includes("journey-life")`)
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname.slice("/enis/".length)`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", loc)
	if err != nil || e.Name != "journey-life" || e.Status != eni.StatusAvailable || e.VSwitchID != vsw {
		t.Fatalf("in the cloud: %+v, %v", e, err)
	}
	if got := len(listAll(t, env)); got != before+1 {
		t.Fatalf("%d ENIs created, want 1", got-before)
	}
	return e.ID
}

func listAll(t *testing.T, env *webtest.Env) []eni.ENI {
	t.Helper()
	p, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", Size: 500}})
	if err != nil {
		t.Fatal(err)
	}
	return p.ENIs
}
