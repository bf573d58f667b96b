package web_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"enidash/internal/database/pgtest"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// The replica journeys share one PostgreSQL server per test binary; it
// stops with the tests.
func TestMain(m *testing.M) { pgtest.Main(m) }

// TestJourneyReplicasOneBrowser: one person, one browser, two dashboards
// behind no load balancer (A and B, on one PostgreSQL database and one
// cloud). Signed in on A, B's list opens without asking again (the browser
// sends the same cookie to both ports); an attach made in A's tab moves
// the row to In use in B's tab without a reload; signing out in B's tab
// stops A's open page from updating, and A's next navigation lands on the
// sign-in page.
func TestJourneyReplicasOneBrowser(t *testing.T) {
	a, b := startReplicaPair(t)
	inst := a.Instance(t, "web-prod-01")
	id := a.CreateBeside(t, inst, "seen-from-two-replicas")
	a.Warm(t, "cn-hangzhou")
	b.Warm(t, "cn-hangzhou")
	view := "/enis?region=cn-hangzhou&q=seen-from-two-replicas"

	tabA := webtest.Browser(t)
	a.SignInBrowser(t, tabA, webtest.Operator)
	tabB := newTab(t, tabA)

	// B takes A's session: its list, not its sign-in page.
	if err := chromedp.Do(tabB, chromedp.Navigate(b.URL+view)); err != nil {
		t.Fatal(err)
	}
	waitURL(t, tabB, b.URL+view)
	if err := chromedp.Do(tabB, chromedp.WaitVisible(chromedp.CSS(`[data-user="`+webtest.Operator+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#row-"+id))); err != nil {
		t.Fatalf("replica B with the session made on A: %v", err)
	}
	if err := chromedp.Do(tabA, chromedp.Navigate(a.URL+view), chromedp.WaitVisible(chromedp.CSS("#row-"+id))); err != nil {
		t.Fatal(err)
	}
	for _, tab := range []context.Context{tabA, tabB} {
		waitJS(t, tab, "the live stream to open", liveOpen)
	}
	waitJS(t, tabB, "B's counts: Available 1", facetCount("status", "Available")+` === 1 && `+facetCount("status", "InUse")+` === 0`)
	// Marks B's page: a reload would lose it.
	if _, err := chromedp.Run(tabB, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}

	// The attach goes through A; B's page follows it.
	click(t, tabA, `#row-`+id+` a[data-action="attach"]`)
	click(t, tabA, `#dialog [data-instance="`+inst.ID+`"] input[type="radio"]`)
	click(t, tabA, `#dialog button[data-action="confirm"]`)
	waitJS(t, tabB, "In use on replica B", rowStatus(id)+` === "InUse" && document.querySelector('#row-`+id+` [data-col="status"]').innerText.includes("In use")`)
	waitJS(t, tabB, "the instance in B's row", `document.querySelector('#row-`+id+` [data-col="instance"]').innerText.includes("`+inst.ID+`")`)
	// The counts above B's table follow the row.
	waitJS(t, tabB, "B's counts: In use 1, no Available", facetCount("status", "InUse")+` === 1 && `+facetCount("status", "Available")+` === 0`)
	waitJS(t, tabB, "B's page not reloaded", `window.notReloaded === true`)
	waitCloud(t, a, id, eni.StatusInUse)
	saveShot(t, tabB, "replica-b-live")

	// Sign out on B: B's tab goes to the sign-in page...
	navigateBy(t, tabB, chromedp.Click(chromedp.CSS(`[data-action="logout"]`)))
	waitJS(t, tabB, "B's sign-in page", `location.pathname === "/login" && !!document.querySelector('input[name="username"]')`)
	// ...A's open page stops updating, since its session is over...
	waitJS(t, tabA, "A's live view stopped", `!!document.querySelector('#live[data-live-stopped]')`)
	// ...and A's next navigation asks to sign in, then comes back there.
	detail := `#row-` + id + ` [data-col="id"] a[href^="/enis/` + id + `"]`
	navigateBy(t, tabA, chromedp.Click(chromedp.CSS(detail)))
	waitJS(t, tabA, "A's sign-in page", `location.pathname === "/login" && !!document.querySelector('input[name="username"]')`)
	loc, err := chromedp.Run(tabA, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != mustHost(t, a.URL) || u.Query().Get("next") == "" {
		t.Errorf("A sent the browser to %s, want A's sign-in page returning to the ENI", loc)
	}
}

// startReplicaPair starts two dashboards on one fresh PostgreSQL database
// and one emulator. A stream learns that its session ended elsewhere when
// it next checks, at its heartbeat: a short one keeps that step quick
// (the production 15s would take most of waitJS's deadline).
func startReplicaPair(t *testing.T) (a, b *webtest.Env) {
	t.Helper()
	db := pgtest.URL(t)
	cfg := ecsemu.Config{}
	cfg.World.AttachDelay, cfg.World.DetachDelay, cfg.World.DeleteDelay = time.Second, time.Second, time.Second
	emu := ecsemu.New(cfg)
	t.Cleanup(emu.Close)
	const hb = 300 * time.Millisecond
	a = webtest.StartWith(t, cfg, webtest.Options{DB: db, Replica: "replica-a", Emulator: emu, Heartbeat: hb})
	b = webtest.StartWith(t, cfg, webtest.Options{DB: db, Replica: "replica-b", Emulator: emu, Heartbeat: hb})
	return a, b
}

// newTab opens another tab in the browser of ctx; it shares the cookies.
func newTab(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("opening a second tab: %v", err)
	}
	return tab
}

// saveShot saves a screenshot of the page in the test's temporary folder
// and logs where (and in $ENIDASH_SHOTS too, when set, to keep it).
func saveShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	shoot(t, ctx, name)
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
