package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// ShowENI serves GET /enis/{id}?region=…: every attribute of one ENI.
func (h *Handler) ShowENI(c echo.Context) error {
	ctx := c.Request().Context()
	noStore(c)
	id := c.Param("id")
	q := c.QueryParams()
	region := q.Get(eni.KeyRegion)
	if region == "" {
		region = h.DefaultRegion
	}
	var errs eni.FieldErrors
	for k := range q {
		if k != eni.KeyRegion {
			errs = append(errs, eni.FieldError{Field: k, Message: "is not a parameter of this page"})
		}
	}
	if !eni.IsENIID(id) {
		errs = append(errs, eni.FieldError{Field: "id", Value: id, Message: "is not an ENI ID (like eni-bp1…)"})
	}
	if len(errs) == 0 {
		errs = h.regionErrors(ctx, region)
	}
	chrome := h.chrome(c, id, region)
	if len(errs) > 0 {
		return Render(c, http.StatusBadRequest, views.ErrorPageView(views.ErrorPage{
			Chrome: chrome, Status: http.StatusBadRequest, Heading: "This link is not valid",
			Message: errs.Error(), Back: views.ListURL(eni.Filter{Region: region}), BackLabel: "All ENIs of " + region,
		}))
	}
	if canonical := views.DetailURL(region, id); c.Request().URL.RequestURI() != canonical {
		return c.Redirect(http.StatusFound, canonical)
	}

	cctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
	defer cancel()
	asOf := h.liveNow()
	e, err := h.Cloud.GetENI(cctx, region, id)
	switch {
	case errors.Is(err, eni.ErrNotFound):
		page := views.ErrorPage{
			Chrome: chrome, Status: http.StatusNotFound, Heading: "No such ENI",
			Message: id + " does not exist in " + region + ". It may have been deleted, or it lives in another region.",
			Back:    views.ListURL(eni.Filter{Region: region}), BackLabel: "All ENIs of " + region,
		}
		if hist, err := h.eniHistory(ctx, id); err == nil && len(hist) > 0 {
			// Changed through enidash: say what happened to it.
			page.Message = id + " does not exist in " + region + " any more. Its last change here: " +
				hist[0].Action + " by " + hist[0].Actor + " at " + hist[0].Time.UTC().Format("2006-01-02 15:04 UTC") + "."
			page.More, page.MoreLabel = views.AuditURL(audit.Filter{ENIID: id}), "Its history in the audit log"
		}
		return Render(c, http.StatusNotFound, views.ErrorPageView(page))
	case err != nil:
		page := views.DetailPage{Chrome: chrome, Now: h.Now()}
		page.ENI.ID, page.ENI.RegionID = id, region
		var status int
		page.CloudErr, status = describeFailure("DescribeNetworkInterfaces", err)
		h.Logger.WarnContext(ctx, "reading ENI failed", "eni", id, "region", region, "err", err)
		return Render(c, status, views.DetailPageView(page))
	}
	chrome.Title = e.ID
	if e.Name != "" {
		chrome.Title = e.Name + " (" + e.ID + ")"
	}
	page := views.DetailPage{Chrome: chrome, ENI: e, Now: h.Now()}
	if h.Live != nil {
		page.LiveURL = liveDetailURL(region, e.ID, h.Live.Observe(detailView(region, e.ID), []eni.ENI{e}, asOf))
		page.Stuck = h.Live.StuckFor([]eni.ENI{e})[e.ID]
	}
	if hist, err := h.eniHistory(ctx, e.ID); err != nil {
		h.Logger.WarnContext(ctx, "ENI history unavailable", "eni", e.ID, "err", err)
	} else {
		page.History = append([]audit.Entry{}, hist...)
	}
	return Render(c, http.StatusOK, views.DetailPageView(page))
}
