package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// TestJourneyOperatorEverywhere drives one browser through the pages as an
// operator does on a laptop with the keyboard and on a phone (390×844),
// and holds the six pages to axe-core in both colour schemes.
func TestJourneyOperatorEverywhere(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := webtest.Browser(t)
	axe := axeSource(t)
	list := env.URL + "/enis?region=cn-hangzhou&status=Available"

	// The sign-in page first, while nobody is signed in.
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/login"), chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`))); err != nil {
		t.Fatal(err)
	}
	checkAxe(t, ctx, axe, "sign-in")
	env.SignInBrowser(t, ctx, webtest.Admin)

	t.Run("keyboard", func(t *testing.T) { keyboardJourney(t, ctx, env, list) })
	t.Run("dialog focus", func(t *testing.T) { dialogFocusJourney(t, ctx, list) })
	t.Run("axe", func(t *testing.T) {
		id := firstRowID(t, ctx, list)
		for _, pg := range []struct{ name, path, ready string }{
			{"list", "/enis?region=cn-hangzhou", "#eni-rows"},
			{"ENI", "/enis/" + id + "?region=cn-hangzhou", "#eni-detail"},
			{"create", "/enis/new?region=cn-hangzhou", "#create-form"},
			{"audit", "/audit", "main"},
			{"users", "/admin/users", `[data-page="users"]`},
		} {
			if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready))); err != nil {
				t.Fatalf("%s: %v", pg.name, err)
			}
			checkAxe(t, ctx, axe, pg.name)
		}
	})
	t.Run("phone", func(t *testing.T) { phoneJourney(t, ctx, env, list) })
}

// checkAxe runs axe-core on the page in the light and the dark scheme.
func checkAxe(t *testing.T, ctx context.Context, axe, page string) {
	t.Helper()
	for _, scheme := range []string{"light", "dark"} {
		colorScheme(t, ctx, scheme)
		for _, v := range axeSerious(t, ctx, axe) {
			t.Errorf("%s page, %s: %s %s (%s)\n\t%s", page, scheme, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n\t"))
		}
	}
	colorScheme(t, ctx, "light")
}

func firstRowID(t *testing.T, ctx context.Context, list string) string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS("#eni-rows tr"))); err != nil {
		t.Fatal(err)
	}
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#eni-rows tr").id.slice(4)`))
	if err != nil || id == "" {
		t.Fatalf("no first row: %v", err)
	}
	return id
}

func keys(t *testing.T, ctx context.Context, k string, opts ...chromedp.KeyOption) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(k, opts...)); err != nil {
		t.Fatalf("pressing %q: %v", k, err)
	}
}

// keyboardJourney: / focuses the search, ? shows the help (not while
// typing), j/k move the row cursor, x ticks, Enter opens, g a and g e go.
func keyboardJourney(t *testing.T, ctx context.Context, env *webtest.Env, list string) {
	ids := rowIDs(t, ctx, list)
	if len(ids) < 3 {
		t.Fatalf("the view has %d rows, want 3 or more", len(ids))
	}
	waitSettled(t, ctx)

	keys(t, ctx, "/")
	waitJS(t, ctx, "the search box focused by /", `document.activeElement && document.activeElement.id === "f-q"`)
	keys(t, ctx, "?")
	waitJS(t, ctx, "? typed into the search box", `document.getElementById("f-q").value === "?"`)
	if open, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("shortcuts").open`)); open {
		t.Error("? typed in the search box opened the shortcuts")
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const q = document.getElementById("f-q"); q.value = ""; q.blur(); return true })()`)); err != nil {
		t.Fatal(err)
	}

	keys(t, ctx, "?")
	waitJS(t, ctx, "the shortcuts shown by ?", `document.getElementById("shortcuts").open`)
	keys(t, ctx, kb.Escape)
	waitJS(t, ctx, "the shortcuts closed by Escape", `!document.getElementById("shortcuts").open`)

	cursorAt := func(i int) {
		t.Helper()
		waitJS(t, ctx, fmt.Sprintf("the cursor on row %d", i+1), `(() => {
			const rows = document.querySelectorAll("#eni-rows tr[data-cursor]");
			return rows.length === 1 && rows[0].id === "row-`+ids[i]+`" &&
				document.activeElement === rows[0].querySelector('[data-col="id"] a') })()`)
	}
	keys(t, ctx, "j")
	cursorAt(0)
	keys(t, ctx, "j")
	cursorAt(1)
	keys(t, ctx, "j")
	cursorAt(2)
	keys(t, ctx, "k")
	cursorAt(1)
	keys(t, ctx, "x")
	waitJS(t, ctx, "row 2 ticked by x", `document.querySelector("#row-`+ids[1]+` .row-select").checked &&
		document.getElementById("select-all").indeterminate`)
	keys(t, ctx, "x")
	waitJS(t, ctx, "row 2 unticked by x", `!document.querySelector("#row-`+ids[1]+` .row-select").checked`)

	navigateBy(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitURL(t, ctx, env.URL+"/enis/"+ids[1]+"?region=cn-hangzhou")
	waitJS(t, ctx, "the ENI's page", `!!document.getElementById("eni-detail") && document.readyState === "complete"`)

	navigateBy(t, ctx, chromedp.KeyEvent("ga"))
	waitURL(t, ctx, env.URL+"/audit")
	waitJS(t, ctx, "the audit page loaded", `document.readyState === "complete" && !!window.htmx`)
	navigateBy(t, ctx, chromedp.KeyEvent("ge"))
	waitURL(t, ctx, env.URL+"/enis?region=cn-hangzhou")
}

// dialogFocusJourney: the attach dialog takes focus, keeps Tab inside,
// closes on Escape and gives focus back to the Attach link that opened it.
func dialogFocusJourney(t *testing.T, ctx context.Context, list string) {
	id := rowIDs(t, ctx, list)[0]
	opener := `#row-` + id + ` a[data-action="attach"]`
	click(t, ctx, opener)
	waitJS(t, ctx, "the attach dialog with focus", `!!document.querySelector('#dialog[data-dialog] [data-form="attach"]') &&
		document.getElementById("dialog").contains(document.activeElement) && document.activeElement !== document.body`)
	inside := `document.querySelector('#dialog [role="dialog"]').contains(document.activeElement)`
	for i := range 12 {
		var opts []chromedp.KeyOption
		if i%4 == 3 {
			opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		keys(t, ctx, kb.Tab, opts...)
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](inside)); err != nil || !ok {
			where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "none"`))
			t.Fatalf("Tab %d left the dialog for %s", i+1, where)
		}
	}
	keys(t, ctx, kb.Escape)
	waitJS(t, ctx, "the dialog closed, focus back on its opener", `!document.querySelector("#dialog[data-dialog]") &&
		document.activeElement === document.querySelector(`+jsString(opener)+`)`)
}

// rowIDs opens a list view and returns its rows.
func rowIDs(t *testing.T, ctx context.Context, view string) []string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(view), chromedp.WaitVisible(chromedp.CSS("#eni-rows tr"))); err != nil {
		t.Fatal(err)
	}
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](rowsJS))
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
