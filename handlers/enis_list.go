package handlers

import (
	"context"
	"net/http"
	"net/url"
	"sync"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// ListENIs serves GET /enis: one page of one view, the full page or, for
// htmx, the results fragment. The URL is the view (DESIGN §4): anything
// not canonical is redirected to (or, for htmx, pushed as) its canonical
// form, and any bad parameter is answered 400 with the field named.
func (h *Handler) ListENIs(c echo.Context) error {
	ctx := c.Request().Context()
	noStore(c)
	raw := c.QueryParams()
	search := raw.Get(views.KeySearch)
	rest := url.Values{}
	for k, v := range raw {
		if k != views.KeySearch {
			rest[k] = v
		}
	}
	f, errs := eni.ParseFilter(rest)
	if len(errs) == 0 && search != "" {
		f, errs = f.ApplySearch(search)
	}
	if f.Region == "" {
		f.Region = h.DefaultRegion
	}
	if len(errs) == 0 {
		errs = regionError(ctx, h.Lookups, f.Region)
	}
	page := views.ListPage{Filter: f, Raw: raw, Now: h.Now()}
	if !IsHTMX(c) {
		page.Chrome = h.chrome(c, "ENIs", f.Region)
	}
	// The results offer actions whether whole or swapped in by htmx.
	page.CanAct, page.CSRF = canAct(c), csrfToken(ctx)
	if len(errs) > 0 {
		page.Errors, page.Search = errs, search
		if IsHTMX(c) {
			// The address bar shows what was typed, not every empty field.
			setHistory(c, "/enis?"+eni.TypedQuery(raw, views.KeySearch))
		}
		return h.renderList(c, http.StatusBadRequest, page)
	}

	canonical := views.ListURL(f)
	switch {
	case IsHTMX(c) && search != "":
		// The search became filters the form does not show yet: load the
		// canonical view whole.
		c.Response().Header().Set(HeaderHXRedirect, canonical)
		return c.NoContent(http.StatusOK)
	case IsHTMX(c):
		setHistory(c, canonical)
	case c.Request().URL.RequestURI() != canonical:
		return c.Redirect(http.StatusFound, canonical)
	}

	ctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
	defer cancel()
	var wg sync.WaitGroup
	if !IsHTMX(c) {
		wg.Go(func() { page.Pickers = h.pickers(ctx, f) })
	}
	asOf := h.liveNow()
	res, err := h.Cloud.ListENIs(ctx, eni.ListQuery{Filter: f, NextToken: f.CloudToken()})
	wg.Wait()
	status := http.StatusOK
	if err != nil {
		page.CloudErr, status = describeFailure("DescribeNetworkInterfaces", err)
		if page.CloudErr.InvalidToken() && f.CloudToken() != "" {
			page.TokenExpired, status = true, http.StatusBadRequest
		}
		h.Logger.WarnContext(ctx, "listing ENIs failed", "view", f.Query(), "err", err)
	} else {
		page.ENIs, page.NextToken, page.TotalCount = res.ENIs, res.NextToken, res.TotalCount
		if h.Live != nil {
			// The page subscribes from what it shows, so nothing that
			// changes before its stream opens is missed.
			page.LiveURL = liveListURL(f, h.Live.Observe(f, res.ENIs, asOf))
			page.Stuck = h.Live.StuckFor(res.ENIs)
		}
	}
	return h.renderList(c, status, page)
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
