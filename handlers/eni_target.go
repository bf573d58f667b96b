package handlers

import (
	"context"
	"net/url"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
)

// This file says, once for every page and action about one ENI, which
// ENI and which region: the ID from the path, the region from the query
// or form (the default region when absent), both checked the same way.

// requestRegion is the region a request names, or the default one.
func (h *Handler) requestRegion(c echo.Context) string {
	if r := c.FormValue(eni.KeyRegion); r != "" {
		return r
	}
	return h.DefaultRegion
}

// refErrors checks an ENI ID and a region: the ID's shape, the region's
// shape and then that the account has the region.
func (h *Handler) refErrors(ctx context.Context, region, id string) eni.FieldErrors {
	var errs eni.FieldErrors
	if !eni.IsENIID(id) {
		errs = append(errs, eni.FieldError{Field: "id", Value: id, Message: "is not an ENI ID (like eni-bp1…)"})
	}
	errs = append(errs, h.regionErrors(ctx, region)...)
	return errs
}

// regionErrors checks a region's shape, then that the account has it.
func (h *Handler) regionErrors(ctx context.Context, region string) eni.FieldErrors {
	if _, fe := eni.ParseFilter(url.Values{eni.KeyRegion: {region}}); len(fe) > 0 {
		return fe
	}
	if h.Lookups == nil {
		return nil
	}
	return regionError(ctx, h.Lookups, region)
}
