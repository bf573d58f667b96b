package handlers

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/views"
)

// bulkKeep is how long a finished bulk's results can still be fetched.
const bulkKeep = 15 * time.Minute

// bulkWait is the longest a progress request waits for the next item:
// the panel then asks again, so a long call never holds a request open
// past proxies' idle timeouts.
const bulkWait = 20 * time.Second

// bulkRun is one confirmed bulk action: its items, which get their results
// as they finish, and who may watch it.
type bulkRun struct {
	id, owner, region string
	op                *eniOp

	mu       sync.Mutex
	page     views.BulkPage
	finished int
	done     bool
	ended    time.Time
	// changed is closed at each finished item, then replaced.
	changed chan struct{}
}

func newBulkRun(owner, region string, op *eniOp, p views.BulkPage) *bulkRun {
	return &bulkRun{id: newBulkID(), owner: owner, region: region, op: op, page: p, changed: make(chan struct{})}
}

// record sets item i's result and wakes those waiting for progress.
func (r *bulkRun) record(i int, set func(*views.BulkItem)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	set(&r.page.Items[i])
	r.page.Items[i].Finished = true
	r.finished++
	r.wakeLocked()
}

// finish marks the run done.
func (r *bulkRun) finish(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done, r.page.Done, r.ended = true, true, now
	r.wakeLocked()
}

func (r *bulkRun) wakeLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// state is a copy of the page as it stands, and the channel closed at its
// next change.
func (r *bulkRun) state() (views.BulkPage, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.page
	p.Items = slices.Clone(r.page.Items)
	if !r.done {
		p.Run = &views.BulkRun{ID: r.id, Finished: r.finished, Total: p.Eligible()}
	}
	return p, r.changed
}

// bulkRuns are the runs started on this server, kept bulkKeep after they
// end so the panel that started one can show its results.
type bulkRuns struct {
	mu   sync.Mutex
	runs map[string]*bulkRun
}

func newBulkRuns() *bulkRuns { return &bulkRuns{runs: map[string]*bulkRun{}} }

// add keeps r, and forgets runs that ended more than bulkKeep before now.
func (b *bulkRuns) add(r *bulkRun, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, o := range b.runs {
		o.mu.Lock()
		old := o.done && now.Sub(o.ended) > bulkKeep
		o.mu.Unlock()
		if old {
			delete(b.runs, id)
		}
	}
	b.runs[r.id] = r
}

func (b *bulkRuns) get(id string) *bulkRun {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.runs[id]
}

// BulkProgress serves GET /enis/bulk/:id: how far a bulk action is, to
// the user who started it. With after=n it answers once more than n items
// are finished (or the run is done, or bulkWait passed), so the panel
// shows "n of N done" as items complete without asking every second.
func (h *Handler) BulkProgress(c echo.Context) error {
	ctx := c.Request().Context()
	run := h.bulks.get(c.Param("id"))
	if run == nil || run.owner != identity(ctx).Username {
		return h.bulkElsewhere(c, c.Param("id"))
	}
	after := -1
	if s := c.QueryParam("after"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "after: "+strconv.Quote(s)+" must be a whole number, 0 or more")
		}
		after = n
	}
	p, changed := run.state()
	if p.Run != nil && p.Run.Finished <= after {
		t := time.NewTimer(bulkWait)
		select {
		case <-changed:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
		p, _ = run.state()
	}
	p.Fragment = IsHTMX(c)
	if p.Fragment {
		p.Chrome = views.Chrome{CSRF: csrfToken(ctx), Region: run.region}
	} else {
		p.Chrome = h.chrome(c, "Selected ENIs", run.region)
	}
	if p.Done && p.Fragment {
		return h.bulkDone(c, run.region, run.op, p)
	}
	return Render(c, http.StatusOK, views.BulkPageView(p))
}

// bulkElsewhere answers for a run this server does not hold: another
// replica runs it, or this one restarted. Every item is an audit entry
// under the run's ID, so its starter is sent to those entries, which any
// replica reads. Anyone else, and an ID with no entries of theirs, gets
// the same 404, so nobody learns of others' bulk actions.
func (h *Handler) bulkElsewhere(c echo.Context, id string) error {
	ctx := c.Request().Context()
	user := identity(ctx).Username
	if audit.IsBulkID(id) {
		qctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
		p, err := h.Audit.Query(qctx, audit.Query{Bulk: id, Actor: user, Limit: 1})
		cancel()
		switch {
		case err != nil:
			h.Logger.ErrorContext(ctx, "reading a bulk action's audit entries failed", "bulk", id, "err", err)
			return echo.NewHTTPError(http.StatusServiceUnavailable, "The audit log, which holds this bulk action's results, "+
				"could not be read. Try again in a moment.")
		case len(p.Entries) > 0:
			to := views.AuditBulkURL(id)
			if IsHTMX(c) {
				c.Response().Header().Set(HeaderHXRedirect, to)
				return c.NoContent(http.StatusOK)
			}
			return c.Redirect(http.StatusSeeOther, to)
		}
	}
	if IsHTMX(c) {
		// The panel asked: show the page in the whole body, as other errors are.
		c.Response().Header().Set("HX-Retarget", "body")
		c.Response().Header().Set("HX-Reswap", "innerHTML")
	}
	chrome := h.chrome(c, "Bulk action not found", h.DefaultRegion)
	return Render(c, http.StatusNotFound, views.ErrorPageView(views.ErrorPage{
		Chrome: chrome, Status: http.StatusNotFound, Heading: "This bulk action is not known here",
		Message: "This server holds no bulk action of yours with this ID, and the audit log has no entry of one yet. " +
			"Each ENI a bulk action of yours acts on is recorded in the audit log, with its outcome, under the bulk's ID.",
		Back: "/", BackLabel: "Back to the ENI list",
		More: views.AuditURL(audit.Filter{Actor: user}), MoreLabel: "Your changes in the audit log",
	}))
}
