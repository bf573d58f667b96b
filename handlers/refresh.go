package handlers

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// RefreshEvery is how often one person may list a view from the cloud
// with "Refresh now".
const RefreshEvery = 10 * time.Second

// RefreshENIs serves POST /enis/refresh?<view>: "Refresh now". It lists
// the view from the cloud with the view's own filters (one call for a view
// of up to 500 ENIs), merges the answer into the region's snapshot and
// shows the view again. Anyone who may read may ask, once per RefreshEvery
// (429 past it, with when to try again).
func (h *Handler) RefreshENIs(c echo.Context) error {
	ctx := c.Request().Context()
	vw, errs := eni.ParseView(c.QueryParams())
	if vw.Region == "" {
		vw.Region = h.DefaultRegion
	}
	if len(errs) == 0 {
		errs = regionError(ctx, h.Lookups, vw.Region)
	}
	if len(errs) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, errs.Error())
	}
	vw.Trail = nil
	to := views.ViewURL(vw)
	if wait := h.refreshes.take(identity(ctx).Username, h.Now()); wait > 0 {
		return h.refreshAnswer(c, vw, http.StatusTooManyRequests, views.Flash{Kind: "error",
			Message: "This view was refreshed from the cloud a moment ago; try again in " + strconv.Itoa(int(wait.Round(time.Second)/time.Second)) + " s."})
	}
	if h.Inventory == nil {
		return c.Redirect(http.StatusSeeOther, to)
	}
	region, release := h.Inventory.Acquire(vw.Region)
	defer release()
	cctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
	defer cancel()
	cs, err := region.Relist(cctx, vw.Filter)
	if err != nil {
		h.Logger.WarnContext(ctx, "refreshing a view failed", "view", vw.Query(), "err", err)
		ce, status := describeFailure("DescribeNetworkInterfaces", err)
		msg := "The cloud could not list this view now (" + ce.Code + ", RequestId " + ce.RequestID + "); what is shown is the last snapshot."
		return h.refreshAnswer(c, vw, status, views.Flash{Kind: "error", Message: msg})
	}
	n := len(cs.Added) + len(cs.Changed) + len(cs.Removed)
	msg := "Listed this view from the cloud just now: nothing had changed."
	if n > 0 {
		msg = "Listed this view from the cloud just now: " + plural(n, "ENI") + " changed."
	}
	return h.refreshAnswer(c, vw, http.StatusOK, views.Flash{Kind: "ok", Message: msg})
}

// refreshAnswer shows the view with the outcome: in place for htmx, after
// a redirect (the message kept in the session) without script, except for
// a refusal, which keeps its status.
func (h *Handler) refreshAnswer(c echo.Context, vw eni.View, status int, notice views.Flash) error {
	if !IsHTMX(c) && status == http.StatusOK {
		h.addFlash(c, notice)
		return c.Redirect(http.StatusSeeOther, views.ViewURL(vw))
	}
	page := h.listPage(c, vw)
	page.Notice = notice
	if IsHTMX(c) {
		setHistory(c, views.ViewURL(vw))
	}
	if s, last := h.fillList(c, &page); last == 0 && s != http.StatusOK {
		status = s
	}
	return h.renderList(c, status, page)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// refreshGate remembers when each person last refreshed, to let them once
// per interval.
type refreshGate struct {
	every time.Duration
	mu    sync.Mutex
	last  map[string]time.Time
}

func newRefreshGate(every time.Duration) *refreshGate {
	return &refreshGate{every: every, last: map[string]time.Time{}}
}

// take records a refresh by who at now, or returns how long they must
// still wait.
func (g *refreshGate) take(who string, now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.last[who]; ok && now.Sub(t) < g.every {
		return g.every - now.Sub(t)
	}
	for k, t := range g.last {
		if now.Sub(t) >= g.every {
			delete(g.last, k) // nobody waits on it any more
		}
	}
	g.last[who] = now
	return 0
}
