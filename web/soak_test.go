//go:build soak

package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// TestSoak is the bounded adversarial soak of the whole dashboard (`make
// soak`): enidash and `enidash emulator` built from this tree and run as
// processes of their own, on loopback only; SSE viewers spread over views
// and accounts; operators creating, attaching, detaching and deleting
// ENIs through the forms; the cloud failing in bursts. It prints a report
// and fails when an invariant breaks. Settings (environment):
//
//	SOAK_DURATION   how long the load lasts (default 8m)
//	SOAK_VIEWERS    SSE viewers (default 200), 10 to an account
//	SOAK_VIEWS      views they are spread over (default 20)
//	SOAK_OPERATORS  operators acting at once (default 3, at most 4)
func TestSoak(t *testing.T) {
	dur := envDuration(t, "SOAK_DURATION", 8*time.Minute)
	nViewers := envInt(t, "SOAK_VIEWERS", 200)
	nViews := envInt(t, "SOAK_VIEWS", 20)
	nOps := envInt(t, "SOAK_OPERATORS", 3)
	const perAccount = 10 // under the dashboard's default of 12 live streams per session
	if dl, ok := t.Deadline(); ok && time.Until(dl) < dur+5*time.Minute {
		t.Fatalf("SOAK_DURATION=%s needs a test timeout of at least %s more (go test -timeout)", dur, 5*time.Minute)
	}
	raiseNoFile(t, 8192)

	dir := t.TempDir()
	bin := buildEnidash(t, dir)
	emu := startEmulatorProcess(t, bin, dir)
	rec := startRecorder(t, emu.addr)
	const password = "soak-admin-password-1"
	p := runDashboard(t, bin, dir, []string{"ENIDASH_ADMIN_PASSWORD=" + password,
		"ALIBABA_CLOUD_ACCESS_KEY_ID=" + ecsemu.DefaultAccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + ecsemu.DefaultAccessKeySecret},
		"--ecs-endpoint", rec.addr)
	admin := p.signIn(t, "admin", password)
	orc := newOracle(t, emu.addr)
	setup, cancelSetup := context.WithTimeout(context.Background(), time.Minute)
	defer cancelSetup()
	targets := findTargets(setup, t, orc, nOps)
	views := soakViews(t, targets, nViews)

	accounts := (nViewers + perAccount - 1) / perAccount
	var opNames []string
	for i := range nOps {
		opNames = append(opNames, fmt.Sprintf("soak-op%d", i+1))
		addUser(t, admin, p.base, opNames[i], "operator", password)
	}
	for i := range accounts {
		addUser(t, admin, p.base, fmt.Sprintf("soak-viewer%02d", i+1), "viewer", password)
	}

	errs := &serverErrors{}
	stats := &viewerStats{refused: map[string]int{}, failed: map[string]int{}}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var viewers []*viewer
	var clients []*http.Client
	for a := range accounts {
		name := fmt.Sprintf("soak-viewer%02d", a+1)
		client := p.signIn(t, name, password)
		clients = append(clients, client)
		for k := a * perAccount; k < min(nViewers, (a+1)*perAccount); k++ {
			viewers = append(viewers, &viewer{who: name, base: p.base, view: views[k%len(views)], client: client,
				rng: rand.New(rand.NewPCG(rng.Uint64(), uint64(k))), stats: stats, errs: errs,
				minLife: time.Minute, maxLife: 4 * time.Minute})
		}
	}
	var ops []*operator
	for i, name := range opNames {
		client := p.signIn(t, name, password)
		clients = append(clients, client)
		ops = append(ops, &operator{name: name, base: p.base, client: client, target: targets[i], oracle: orc,
			rng: rand.New(rand.NewPCG(rng.Uint64(), uint64(i))), errs: errs, giveUp: 0.2,
			back: "/enis?" + eni.Filter{Region: soakRegion, VSwitchID: targets[i].vsw.ID}.Query()})
	}

	time.Sleep(3 * time.Second)
	start, err := readResources(p)
	if err != nil {
		t.Fatal(err)
	}
	before := scrape(t, p.base)
	period := min(30*time.Second, dur/6)
	plan := &burstPlan{calm: period, faulty: period}
	fmt.Printf("soak: %s with %d viewers over %d views, %d operators; dashboard %s, emulator %s behind the recorder %s\n",
		dur, len(viewers), len(views), len(ops), p.base, emu.addr, rec.addr)

	ctx, stop := context.WithTimeout(context.Background(), dur)
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() { plan.run(ctx, t, emu) })
	smp := &sampler{}
	wg.Go(func() { smp.run(ctx, p, 2*time.Second) })
	for _, o := range ops {
		wg.Go(func() { o.run(ctx) })
	}
	for i, v := range viewers {
		// Browsers arrive over the first ten seconds.
		delay := time.Duration(i) * 10 * time.Second / time.Duration(len(viewers))
		wg.Go(func() {
			if sleepCtx(ctx, delay) {
				v.run(ctx)
			}
		})
	}
	<-ctx.Done()
	wg.Wait()
	// The browsers have gone, and with them their idle connections.
	for _, c := range clients {
		c.CloseIdleConnections()
	}
	after := scrape(t, p.base)
	if _, err := emu.faults(context.Background(), http.MethodPut, &faultsBody{Latency: "0s"}); err != nil {
		t.Fatalf("turning the faults off: %v", err)
	}
	peak, samples, sampleFails := smp.result()

	// Everyone has left: what the dashboard holds a minute later.
	time.Sleep(time.Minute)
	later, err := readResources(p)
	if err != nil {
		t.Fatal(err)
	}

	var reqs []opRequest
	cycles := 0
	var formErrs []string
	for _, o := range ops {
		reqs = append(reqs, o.requests...)
		cycles += o.cycles
		formErrs = append(formErrs, o.formErrs...)
	}
	writes, emuCalls := rec.snapshot()
	rows := fetchAudit(t, admin, p.base)
	v := verifyAudit(rows, writes, reqs, opNames)
	final, cancelFinal := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancelFinal()
	verifyFinal(final, v, rows, writes, orc, opNames)

	r := &soakReport{duration: dur, viewers: len(viewers), accounts: accounts, views: len(views), operators: len(ops),
		plan: plan, start: start, peak: peak, after: later, samples: samples, sampleFails: sampleFails,
		calls: callsByAction(before, after), emulatorCalls: emuCalls, reqs: reqs, cycles: cycles, formErrs: formErrs,
		stats: stats, errs: errs.snapshot(), verdict: v}
	r.print(os.Stdout)
	if f := r.failures(); len(f) > 0 {
		t.Errorf("soak invariants broken: %s\n(dashboard log: %s)", strings.Join(f, "; "), p.log)
		t.Logf("dashboard log tail:\n%s", p.logTail())
	}
}

// findTargets picks an instance for each operator, each with room for one
// more ENI, and a vSwitch of its zone with free addresses.
func findTargets(ctx context.Context, tb testing.TB, o *oracle, n int) []opTarget {
	tb.Helper()
	names := []string{"db-prod-01", "default-jump-01", "web-prod-01", "staging-app-01"}
	if n > len(names) {
		tb.Fatalf("SOAK_OPERATORS=%d: the demo account has room for %d operators' ENIs", n, len(names))
	}
	insts, err := o.c.Instances(ctx, soakRegion, "")
	if err != nil {
		tb.Fatal(err)
	}
	var out []opTarget
	for _, name := range names[:n] {
		k := slices.IndexFunc(insts, func(in eni.Instance) bool { return in.Name == name })
		if k < 0 {
			tb.Fatalf("no instance %s in %s", name, soakRegion)
		}
		in := insts[k]
		if in.Status != "Running" || in.ENILimit > 0 && in.ENICount >= in.ENILimit {
			tb.Fatalf("%s (%s, %d of %d ENIs) cannot take another ENI", name, in.Status, in.ENICount, in.ENILimit)
		}
		vsws, err := o.c.VSwitches(ctx, soakRegion, in.VpcID)
		if err != nil {
			tb.Fatal(err)
		}
		v := slices.IndexFunc(vsws, func(vs eni.VSwitch) bool { return vs.ZoneID == in.ZoneID && vs.AvailableIP > 20 })
		if v < 0 {
			tb.Fatalf("no vSwitch with room beside %s", name)
		}
		pg, err := o.c.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: soakRegion, InstanceID: in.ID, Type: eni.TypePrimary}})
		if err != nil || len(pg.ENIs) != 1 {
			tb.Fatalf("the primary ENI of %s: %v", name, err)
		}
		out = append(out, opTarget{inst: in, vsw: vsws[v], sgs: pg.ENIs[0].SecurityGroups})
	}
	return out
}

// soakViews are n list views, canonical: the operators' vSwitches and
// instances, the cn-hangzhou list cut several ways, the other regions.
func soakViews(tb testing.TB, targets []opTarget, n int) []string {
	tb.Helper()
	var qs []string
	for _, t := range targets {
		qs = append(qs, "vswitch="+t.vsw.ID, "instance="+t.inst.ID)
	}
	qs = append(qs, "", "status=Available", "status=InUse", "status=Attaching", "status=Detaching",
		"type=Secondary", "size=50", "size=100", "status=Available&type=Secondary", "status=InUse&type=Secondary",
		"region=cn-shanghai", "region=cn-beijing", "region=ap-southeast-1", "vpc="+targets[0].inst.VpcID,
		"type=Primary", "status=Deleting", "size=10", "region=cn-shanghai&status=InUse", "region=cn-beijing&size=50",
		"status=InUse&size=50", "status=Available&size=100", "type=Secondary&size=100")
	var out []string
	for _, q := range qs {
		if !strings.HasPrefix(q, "region=") {
			q = strings.TrimSuffix("region="+soakRegion+"&"+q, "&")
		}
		vals, err := url.ParseQuery(q)
		if err != nil {
			tb.Fatal(err)
		}
		f, errs := eni.ParseFilter(vals)
		if len(errs) > 0 {
			tb.Fatalf("view %q: %v", q, errs)
		}
		if u := "/enis?" + f.Query(); !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	if n > len(out) {
		tb.Fatalf("SOAK_VIEWS=%d: at most %d views", n, len(out))
	}
	return out[:n]
}

// addUser adds an account through the admin's form.
func addUser(tb testing.TB, admin *http.Client, base, name, role, password string) {
	tb.Helper()
	res, err := admin.Get(base + "/admin/users")
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil {
		tb.Fatal(err)
	}
	token, _ := doc.Find(`meta[name="csrf-token"]`).Attr("content")
	form := url.Values{"username": {name}, "role": {role}, "password": {password}, "_csrf": {token}}
	req, err := http.NewRequest(http.MethodPost, base+"/admin/users", strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err = admin.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		tb.Fatalf("adding %s as %s: %s", name, role, res.Status)
	}
}

// callsByAction is the dashboard's cloud calls between two scrapes, by
// API action.
func callsByAction(before, after map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range after {
		rest, ok := strings.CutPrefix(k, `enidash_cloud_calls_total{action="`)
		if !ok {
			continue
		}
		action, _, _ := strings.Cut(rest, `"`)
		if d := v - before[k]; d > 0 {
			out[action] += d
		}
	}
	return out
}
