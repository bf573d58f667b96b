package web_test

import (
	"context"
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

// click clicks the first element matching sel once it is visible.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
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
	web1 := instanceByName(t, env, "web-prod-01")
	id := createBeside(t, env, web1, "journey-life")
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
	ids := []string{createBeside(t, env, web1, "bulk-1"), createBeside(t, env, web1, "bulk-2"), createBeside(t, env, web1, "bulk-3")}
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
		waitJS(t, ctx, id+" Deleting", rowStatus(id)+` === "Deleting"`)
		waitCloud(t, env, id, "")
	}
	click(t, ctx, `#dialog button[data-dismiss]`)
	waitJS(t, ctx, "the dialog to close", `document.querySelector('#dialog').children.length === 0`)
}

func instanceByName(t *testing.T, env *webtest.Env, name string) eni.Instance {
	t.Helper()
	all, err := env.Cloud.Instances(context.Background(), "cn-hangzhou", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range all {
		if in.Name == name {
			return in
		}
	}
	t.Fatalf("no instance %s", name)
	return eni.Instance{}
}

// createBeside creates an ENI in the instance's zone and VPC, with its
// security groups, straight in the cloud.
func createBeside(t *testing.T, env *webtest.Env, inst eni.Instance, name string) string {
	t.Helper()
	ctx := context.Background()
	vsws, err := env.Cloud.VSwitches(ctx, "cn-hangzhou", inst.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	var vsw string
	for _, v := range vsws {
		if v.ZoneID == inst.ZoneID && v.AvailableIP > 10 {
			vsw = v.ID
		}
	}
	p, err := env.Cloud.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", InstanceID: inst.ID, Type: eni.TypePrimary}})
	if err != nil || len(p.ENIs) != 1 {
		t.Fatalf("primary ENI of %s: %v", inst.ID, err)
	}
	res, err := env.Cloud.CreateENI(ctx, eni.CreateRequest{Region: "cn-hangzhou", VSwitchID: vsw,
		SecurityGroupIDs: p.ENIs[0].SecurityGroups, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return res.ENIID
}
