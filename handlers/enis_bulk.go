package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// bulkParallel bounds the cloud calls one bulk request makes at once, so a
// large selection does not run into the cloud's rate limit by itself.
const bulkParallel = 4

// BulkENIs serves POST /enis/bulk: detach or delete the ticked ENIs, or
// every ENI of a view (view=<the list's query>). Without confirm=yes it
// answers the confirmation: what will happen to each ENI, which are not
// eligible and why, with counts. With it, each eligible ENI is changed on
// its own: htmx gets a panel that shows the items as they finish, a page
// without script the results once all are done.
func (h *Handler) BulkENIs(c echo.Context) error {
	if !canAct(c) {
		return errNotOperator
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read: "+err.Error())
	}
	p := views.BulkPage{Action: form.Get("action"), Fragment: IsHTMX(c)}
	confirm := form.Get("confirm") == "yes"
	region := h.requestRegion(c)
	var vw eni.View
	if form.Has(keyBulkView) {
		var be *bulkError
		if vw, be = parseBulkView(form.Get(keyBulkView), h.DefaultRegion); be != nil {
			return echo.NewHTTPError(be.status, be.msg)
		}
		region, p.View = vw.Region, bulkViewQuery(vw)
	}
	if fe := h.regionErrors(c.Request().Context(), region); len(fe) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, fe.Error())
	}
	p.Back = safeBack(form.Get("back"), views.ListURL(eni.Filter{Region: region}))
	if p.Fragment {
		p.Chrome = views.Chrome{CSRF: csrfToken(c.Request().Context()), Region: region}
	} else {
		p.Chrome = h.chrome(c, "Selected ENIs", region)
	}
	op, ok := bulkOps[p.Action]
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("action: %q is not a bulk action; use detach or delete", p.Action))
	}
	if p.View != "" {
		var be *bulkError
		if p.Items, be = h.viewItems(vw, op, form["id"], confirm); be != nil {
			p.Message = be.msg
			return Render(c, be.status, views.BulkPageView(p))
		}
	} else {
		ids, msg := bulkIDs(form["id"], h.BulkMax)
		if msg != "" {
			p.Message = msg
			return Render(c, http.StatusUnprocessableEntity, views.BulkPageView(p))
		}
		if p.Items, err = h.bulkItems(c, region, op, ids); err != nil {
			f, status := explainFailure("DescribeNetworkInterfaces", err)
			p.Message = "The selected ENIs could not be read: " + f.Summary + " (" + f.Cloud.Code + ")"
			return Render(c, status, views.BulkPageView(p))
		}
	}
	if !confirm {
		return Render(c, http.StatusOK, views.BulkPageView(p))
	}
	a := actorOf(c)
	run := newBulkRun(a.user, region, op, p)
	if !p.Fragment {
		h.runBulk(a, run)
		p, _ = run.state()
		return h.bulkDone(c, region, op, p)
	}
	h.bulks.add(run, h.Now())
	go h.runBulk(a, run)
	p, _ = run.state()
	return Render(c, http.StatusOK, views.BulkPageView(p))
}

// bulkIDs checks the selection: at least one, at most max, each an ENI
// ID; repeats are dropped.
func bulkIDs(raw []string, most int) ([]string, string) {
	var ids []string
	seen := map[string]bool{}
	for _, id := range raw {
		id = strings.TrimSpace(id)
		if !eni.IsENIID(id) {
			return nil, fmt.Sprintf("%q is not an ENI ID (like eni-bp1…).", id)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		return nil, "No ENI was selected: tick the rows to act on first."
	case len(ids) > most:
		return nil, fmt.Sprintf("%s ENIs were selected; at most %s can be changed at once.", views.Thousands(len(ids)), views.Thousands(most))
	}
	return ids, ""
}

// bulkItems reads the selected ENIs in one call and says which the action
// applies to.
func (h *Handler) bulkItems(c echo.Context, region string, op *eniOp, ids []string) ([]views.BulkItem, error) {
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	found, err := h.Cloud.ENIsByID(ctx, region, ids)
	if err != nil {
		return nil, err
	}
	stuck := h.stuckSet(found)
	items := make([]views.BulkItem, len(ids))
	for i, id := range ids {
		items[i].ID = id
		k := slices.IndexFunc(found, func(e eni.ENI) bool { return e.ID == id })
		if k < 0 {
			items[i].Blocked = "it no longer exists in " + region
			continue
		}
		items[i].ENI = &found[k]
		items[i].Blocked = op.blocked(found[k], stuck[id])
	}
	return items, nil
}

// bulkDeadline is how long a bulk action may go on starting items: a
// round of bulkParallel items takes at most CallTimeout each (act bounds
// every call by it), so this leaves every round its time plus one round's
// slack; an item still waiting for a slot then is reported as not started,
// rather than run into the night. Items started finish within CallTimeout.
func bulkDeadline(items int, callTimeout time.Duration) time.Duration {
	rounds := (items + bulkParallel - 1) / bulkParallel
	return time.Duration(rounds+1) * callTimeout
}

// runBulk changes every eligible item of run, a few at a time, each
// recorded in the audit log as its own entry tied to the run's ID, each
// result recorded in run as it comes. A confirmed bulk runs to its end
// even if the browser leaves: it waits on no context of the request,
// only on its own deadline.
func (h *Handler) runBulk(a actor, run *bulkRun) {
	defer func() { run.finish(h.Now()) }()
	p, _ := run.state()
	ctx, cancel := context.WithTimeout(a.ctx, bulkDeadline(p.Eligible(), h.CallTimeout))
	defer cancel()
	sem := make(chan struct{}, bulkParallel)
	var wg sync.WaitGroup
	for i, it := range p.Items {
		if it.Blocked != "" {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			run.record(i, func(it *views.BulkItem) { it.Failure = notStarted(p.Action) })
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			_, err := h.runOp(a, run.op, *it.ENI, opInput{}, run.id)
			run.record(i, func(it *views.BulkItem) {
				switch {
				case eni.OutcomeUnknown(err):
					it.Unknown = true
				case err != nil:
					it.Failure, _ = explainFailure(run.op.api, err)
				}
			})
		}()
	}
	wg.Wait()
}

// bulkDone answers a finished bulk action: htmx gets the per-ENI results
// in the dialog, and the changed rows and a summary out of band. Without
// script, each result becomes a flash on the page the request came from.
func (h *Handler) bulkDone(c echo.Context, region string, op *eniOp, p views.BulkPage) error {
	var okIDs []string
	failed, unknown := 0, 0
	for _, it := range p.Items {
		switch {
		case it.Blocked != "":
		case it.Failure != nil:
			failed++
		case it.Unknown:
			// Its row shows the state the cloud reports now.
			unknown++
			okIDs = append(okIDs, it.ID)
		default:
			okIDs = append(okIDs, it.ID)
		}
	}
	of := "selected ENIs"
	if p.View != "" {
		of = "ENIs of the view"
	}
	summary := views.Flash{Kind: "ok", Message: fmt.Sprintf("%s %s of %s %s.", op.verb, views.Thousands(len(okIDs)-unknown), views.Thousands(len(p.Items)), of)}
	if unknown > 0 {
		summary.Kind = "info"
		summary.Message += fmt.Sprintf(" For %d the outcome is not known yet, as the cloud did not answer in time; watch their state.", unknown)
	}
	if failed > 0 {
		summary.Kind = "error"
		summary.Message += fmt.Sprintf(" %d failed; see each ENI's result.", failed)
	}
	if !p.Fragment {
		h.addFlash(c, summary)
		shown := 0
		for _, it := range p.Items {
			// The flashes live in a cookie: a few failures are named, the
			// audit log has every one.
			if it.Failure != nil && shown < bulkFlashFailures {
				shown++
				h.addFlash(c, views.Flash{Kind: "error", Message: fmt.Sprintf("%s: %s %s (%s, RequestId %s)",
					it.ID, it.Failure.Summary, it.Failure.Next, it.Failure.Cloud.Code, it.Failure.Cloud.RequestID)})
			}
		}
		if failed > shown {
			h.addFlash(c, views.Flash{Kind: "error", Message: fmt.Sprintf("%d more failed; the audit log has each, with the cloud's reason.", failed-shown)})
		}
		return c.Redirect(http.StatusSeeOther, p.Back)
	}
	var rows []eni.ENI
	if p.View == "" {
		// A view's ENIs are mostly on other pages: its live updates move
		// the rows shown.
		rows = h.changedRows(c, region, op, okIDs, p)
	}
	rc := views.RowContext{Region: region, Now: h.Now(), CanAct: true, Back: p.Back, Names: h.Lookups.CachedNames(region).Of}
	return Render(c, http.StatusOK, views.BulkDoneOOB(p, summary, rows, rc))
}

// changedRows are the changed ENIs as the cloud now reports them, or in
// the state the accepted change gives them when they cannot be read.
func (h *Handler) changedRows(c echo.Context, region string, op *eniOp, ids []string, p views.BulkPage) []eni.ENI {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	fresh, err := h.Cloud.ENIsByID(ctx, region, ids)
	var rows []eni.ENI
	for _, it := range p.Items {
		if !slices.Contains(ids, it.ID) {
			continue
		}
		e := *it.ENI
		k := slices.IndexFunc(fresh, func(f eni.ENI) bool { return f.ID == it.ID })
		switch {
		case err == nil && k >= 0:
			e = fresh[k]
		case it.Unknown:
			// Shown as it was; the live view catches up.
		default:
			e.Status = op.pending
		}
		rows = append(rows, e)
	}
	return rows
}

// bulkFlashFailures is how many failures a page without script names.
const bulkFlashFailures = 5

// notStarted is the result of an item the bulk had no time left for.
func notStarted(action string) *views.Failure {
	return &views.Failure{Summary: "Not started: the bulk action ran out of time before reaching this ENI, so nothing was done to it.",
		Next: "Select it again to " + action + " it.", Cloud: &eni.CloudError{Action: action, Code: "NotStarted",
			Message: "the bulk action's deadline passed first"}}
}

func newBulkID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "bulk-" + hex.EncodeToString(b)
}
