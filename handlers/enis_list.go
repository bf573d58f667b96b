package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/internal/lookup"
	"enidash/views"
)

// ListENIs serves GET /enis: one page of one view, the full page or, for
// htmx, the results fragment. The URL is the view (DESIGN §4): anything
// not canonical is redirected to (or, for htmx, pushed as) its canonical
// form, and any bad parameter is answered 400 with the field named. Once
// the region's inventory has listed it whole, the view is answered from
// the snapshot; until then from the cloud, as are old token bookmarks.
func (h *Handler) ListENIs(c echo.Context) error {
	ctx := c.Request().Context()
	noStore(c)
	raw := c.QueryParams()
	vw, errs := eni.ParseView(raw)
	if vw.Region == "" {
		vw.Region = h.DefaultRegion
	}
	if len(errs) == 0 {
		errs = regionError(ctx, h.Lookups, vw.Region)
	}
	page := h.listPage(c, vw)
	if len(errs) > 0 {
		page.Errors, page.Raw = errs, raw
		page.Search = raw.Get(eni.KeySearch)
		if IsHTMX(c) {
			// The address bar shows what was typed, not every empty field.
			setHistory(c, "/enis?"+eni.TypedQuery(raw, views.KeySearch))
		}
		return h.renderList(c, http.StatusBadRequest, page)
	}

	canonical := views.ViewURL(vw)
	switch {
	case IsHTMX(c) && movedOutOfSearch(raw.Get(eni.KeySearch), vw):
		// The search became filters the form does not show yet: load the
		// canonical view whole.
		c.Response().Header().Set(HeaderHXRedirect, canonical)
		return c.NoContent(http.StatusOK)
	case IsHTMX(c):
		setHistory(c, canonical)
	case c.Request().URL.RequestURI() != canonical:
		return c.Redirect(http.StatusFound, canonical)
	}
	status, last := h.fillList(c, &page)
	if last > 0 {
		// Past the last page: the last one, saying so.
		asked := vw.Page
		vw = onPage(vw, last)
		to := views.ViewURL(vw)
		if IsHTMX(c) {
			page = h.listPage(c, vw)
			setHistory(c, to)
			status, _ = h.fillList(c, &page)
			return h.renderList(c, status, page)
		}
		h.addFlash(c, views.Flash{Kind: "info", Message: "page " + strconv.Itoa(asked) +
			" is past the last page of this view (" + strconv.Itoa(last) + "): here is the last one."})
		return c.Redirect(http.StatusFound, to)
	}
	return h.renderList(c, status, page)
}

// movedOutOfSearch reports whether the search box's text became exact
// filters rather than staying free text.
func movedOutOfSearch(q string, vw eni.View) bool {
	return strings.TrimSpace(q) != "" && vw.Search != strings.Join(strings.Fields(q), " ")
}

// listPage is the frame of a list page for vw, before its rows.
func (h *Handler) listPage(c echo.Context, vw eni.View) views.ListPage {
	page := views.ListPage{View: vw, Filter: vw.Filter, Raw: c.QueryParams(), Now: h.Now()}
	if !IsHTMX(c) {
		page.Chrome = h.chrome(c, "ENIs", vw.Region)
	}
	// The results offer actions whether whole or swapped in by htmx.
	page.CanAct, page.CSRF = canAct(c), csrfToken(c.Request().Context())
	return page
}

// fillList answers the page's view: from the snapshot when the region's is
// ready (and the view is not a position in the cloud's own paging), else
// from the cloud. It returns the status, and the number of the last page
// when the page asked for is past it (else 0).
func (h *Handler) fillList(c echo.Context, page *views.ListPage) (int, int) {
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	vw := page.View
	var region *inventory.Region
	if h.Inventory != nil {
		// Held for this request; the Manager keeps it warm a while after,
		// so the next view of the region is answered from memory.
		r, release := h.Inventory.Acquire(vw.Region)
		defer release()
		region = r
	}
	var wg sync.WaitGroup
	if !IsHTMX(c) {
		wg.Go(func() { page.Pickers = h.pickers(ctx, vw.Filter) })
	}
	var names *lookup.Names
	wg.Go(func() { names = h.Lookups.Names(ctx, vw.Region) })
	wg.Wait()
	page.Names = names.Of

	if region != nil {
		prog := region.Progress()
		if prog.Ready && len(vw.Trail) == 0 {
			h.fetchUnknownIDs(ctx, region, vw)
			return h.fromSnapshot(page, region, prog, names)
		}
		if !prog.Ready {
			page.Indexing = &views.Indexing{Region: vw.Region, Listed: prog.Listed, Total: prog.Total, NeedsIndex: needsIndex(vw)}
			if page.Indexing.NeedsIndex {
				return http.StatusOK, 0
			}
		}
	} else if needsIndex(vw) {
		page.Indexing = &views.Indexing{Region: vw.Region, NeedsIndex: true}
		return http.StatusOK, 0
	}
	return h.fromCloud(ctx, page), 0
}

// needsIndex reports whether a view asks for what only the inventory
// answers.
func needsIndex(vw eni.View) bool {
	return vw.Search != "" || vw.Zone != "" || vw.Older > 0 || vw.Sort != "" || vw.Page > 1
}

// fromSnapshot answers the page from the region's inventory.
func (h *Handler) fromSnapshot(page *views.ListPage, region *inventory.Region, prog inventory.Progress, names *lookup.Names) (int, int) {
	vw := page.View
	asOf := h.liveNow()
	opts := inventory.Options{Now: h.Now()}
	if names != nil {
		opts.Names = names.Instances
	}
	res := region.Store().Query(vw, opts)
	if res.PastEnd() && vw.Page > 1 {
		return http.StatusFound, res.Pages
	}
	page.ENIs, page.TotalCount = res.ENIs, res.Total
	page.Snapshot = &views.Snapshot{AsOf: prog.AsOf, Pages: res.Pages, Statuses: res.Statuses, Types: res.Types}
	if h.Live != nil {
		// The page subscribes from what it shows, so nothing that changes
		// before its stream opens is missed.
		page.LiveURL = liveViewURL(vw, h.Live.ObserveView(vw, res.ENIs, asOf))
		page.Stuck = h.Live.StuckFor(res.ENIs)
	}
	return http.StatusOK, 0
}

// fromCloud answers the page with one DescribeNetworkInterfaces call, the
// cloud's filters and paging.
func (h *Handler) fromCloud(ctx context.Context, page *views.ListPage) int {
	f := page.Filter
	asOf := h.liveNow()
	res, err := h.Cloud.ListENIs(ctx, eni.ListQuery{Filter: f, NextToken: f.CloudToken()})
	if err != nil {
		status := http.StatusOK
		page.CloudErr, status = describeFailure("DescribeNetworkInterfaces", err)
		if page.CloudErr.InvalidToken() && f.CloudToken() != "" {
			page.TokenExpired, status = true, http.StatusBadRequest
		}
		h.Logger.WarnContext(ctx, "listing ENIs failed", "view", f.Query(), "err", err)
		return status
	}
	page.ENIs, page.NextToken, page.TotalCount = res.ENIs, res.NextToken, res.TotalCount
	if h.Live != nil {
		page.LiveURL = liveListURL(f, h.Live.Observe(f, res.ENIs, asOf))
		page.Stuck = h.Live.StuckFor(res.ENIs)
	}
	return http.StatusOK
}

// liveViewURL is the stream of a view answered from the snapshot.
func liveViewURL(vw eni.View, cursor string) string {
	q := vw.Query()
	if q != "" {
		q += "&"
	}
	return "/events?" + q + keyAfter + "=" + url.QueryEscape(cursor)
}

func (h *Handler) renderList(c echo.Context, status int, page views.ListPage) error {
	if IsHTMX(c) {
		return Render(c, status, views.ListResults(page))
	}
	return Render(c, status, views.ListPageView(page))
}

// pickers fetches the values the filter inputs offer, narrowed to the VPC
// in view. They help but are not essential: a failure leaves them empty.
func (h *Handler) pickers(ctx context.Context, f eni.Filter) views.Pickers {
	var p views.Pickers
	var wg sync.WaitGroup
	wg.Go(func() { p.VPCs = orNone[eni.VPC](h, ctx, "vpcs", f.Region)(h.Lookups.VPCs(ctx, f.Region)) })
	wg.Go(func() {
		p.VSwitches = orNone[eni.VSwitch](h, ctx, "vswitches", f.Region)(h.Lookups.VSwitches(ctx, f.Region, f.VpcID))
	})
	wg.Go(func() {
		p.SecurityGroups = orNone[eni.SecurityGroup](h, ctx, "security groups", f.Region)(h.Lookups.SecurityGroups(ctx, f.Region, f.VpcID))
	})
	wg.Go(func() {
		p.Instances = orNone[eni.Instance](h, ctx, "instances", f.Region)(h.Lookups.Instances(ctx, f.Region, f.VpcID))
	})
	wg.Wait()
	return p
}

// orNone passes a lookup's values through, or logs its failure and gives
// none: pickers help but a page does not need them.
func orNone[T any](h *Handler, ctx context.Context, what, region string) func([]T, error) []T {
	return func(values []T, err error) []T {
		if err != nil {
			h.Logger.WarnContext(ctx, "picker values unavailable", "what", what, "region", region, "err", err)
			return nil
		}
		return values
	}
}

// onPage is vw on page n (page 1 has no page key).
func onPage(vw eni.View, n int) eni.View {
	vw.Page = n
	if n <= 1 {
		vw.Page = 0
	}
	return vw
}
