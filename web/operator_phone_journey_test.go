package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"enidash/web/webtest"
)

// phoneJourney: at 390×844 no page scrolls sideways (the table scrolls in
// its own box), the header's menu and the filter fields fold and unfold,
// and the attach dialog shows its buttons.
func phoneJourney(t *testing.T, ctx context.Context, env *webtest.Env, list string) {
	viewport(t, ctx, 390, 844, true)
	defer viewport(t, ctx, 1440, 900, false)
	id := rowIDs(t, ctx, list)[0]

	noSideScroll := func(what string) {
		t.Helper()
		scroll, inner := layoutWidths(t, ctx)
		if inner != 390 || scroll > inner {
			t.Errorf("%s: the page lays out %d px wide in a %d px viewport, want 390 and no sideways scroll", what, scroll, inner)
		}
	}
	for _, pg := range []struct{ name, path, ready string }{
		{"list", "/enis?region=cn-hangzhou", "#eni-rows"},
		{"ENI", "/enis/" + id + "?region=cn-hangzhou", "#eni-detail"},
		{"create form", "/enis/new?region=cn-hangzhou", "#create-form"},
		{"audit", "/audit", "main"},
		{"users", "/admin/users", `[data-page="users"]`},
		{"refused view", "/enis?region=cn-hangzhou&vpc=nope&status=Sleeping", `[data-banner="field-errors"]`},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready))); err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		noSideScroll(pg.name)
	}

	// The region and the account are in the header's menu.
	rowIDs(t, ctx, list)
	visible := func(sel string) string {
		// checkVisibility: a folded details keeps its content laid out.
		return `(() => { const el = document.querySelector(` + jsString(sel) + `); if (!el || !el.checkVisibility()) return false;
			const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight })()`
	}
	if shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](visible("#region-select"))); shown {
		t.Error("the region selector shows in the header before the menu is opened")
	}
	click(t, ctx, `#account-menu summary`)
	waitJS(t, ctx, "the menu's region selector and sign-out on screen", visible("#region-select")+" && "+visible(`[data-action="logout"]`))
	keys(t, ctx, kb.Escape)
	waitJS(t, ctx, "the menu closed by Escape", `!document.getElementById("account-menu").open`)

	// The filter fields fold behind "Filters", the search stays.
	if shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](visible("#f-vpc"))); shown {
		t.Error("the filter fields show before Filters is opened")
	}
	waitJS(t, ctx, "the search box", visible("#f-q"))
	click(t, ctx, `#filter-fields summary`)
	waitJS(t, ctx, "the filter fields unfolded", visible("#f-vpc"))
	waitSettled(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#filters select[name="size"]`), "10")); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, list+"&size=10")
	waitSettled(t, ctx)
	waitJS(t, ctx, "the filter fields still unfolded in the next view", visible("#f-vpc"))
	noSideScroll("list with the filters unfolded")

	// The ID column stays in view while the table scrolls in its box.
	waitJS(t, ctx, "the table scrolled sideways in its box", `(() => { const box = document.getElementById("eni-table").parentElement;
		box.scrollLeft = box.scrollWidth; return box.scrollLeft > 0 })()`)
	// The page scrolls down to the row (the list's head is taller than a
	// phone's screen with the filters open); only the box scrolls sideways.
	waitJS(t, ctx, "the row scrolled into the screen", `(() => { const r = document.getElementById("row-`+id+`").getBoundingClientRect();
		window.scrollBy(0, r.top - innerHeight / 3); return true })()`)
	waitJS(t, ctx, "the ID column kept in view", visible(`#row-`+id+` [data-col="id"] a`))
	noSideScroll("list with the table scrolled")

	// The attach dialog fits, with its buttons on screen.
	waitJS(t, ctx, "the table scrolled back", `(() => { const box = document.getElementById("eni-table").parentElement;
		box.scrollLeft = 0; return box.scrollLeft === 0 })()`)
	click(t, ctx, `#row-`+id+` a[data-action="attach"]`)
	waitJS(t, ctx, "the attach dialog", `!!document.querySelector('#dialog[data-dialog] [data-form="attach"]')`)
	waitJS(t, ctx, "the dialog's buttons on screen", `(() => { const bs = document.querySelectorAll("#dialog button");
		return bs.length >= 2 && Array.from(bs).every(b => { const r = b.getBoundingClientRect();
			return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight }) })()`)
	noSideScroll("attach dialog")
	keys(t, ctx, kb.Escape)
}
