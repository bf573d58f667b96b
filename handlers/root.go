package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// StorageChecker says whether the database can be written
// (database.Monitor): nil, or what is wrong, e.g. "database: unwritable: …".
type StorageChecker interface {
	Check(ctx context.Context) error
	// Err is the last probe's answer, cheap enough for every page.
	Err() error
}

// Root serves GET /: the list of the default region.
func (h *Handler) Root(c echo.Context) error {
	return c.Redirect(http.StatusFound, views.ListURL(eni.Filter{Region: h.DefaultRegion}))
}

// Healthz serves GET /healthz. It never calls the cloud: it says the
// process serves requests and its database can be written (a probe at
// most once a second, however often it is asked), nothing more. A
// dashboard that cannot record what is done refuses to do it, so it is
// not healthy.
func (h *Handler) Healthz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if h.Storage != nil {
		if err := h.Storage.Check(c.Request().Context()); err != nil {
			return c.String(http.StatusServiceUnavailable, err.Error()+"\n")
		}
	}
	return c.String(http.StatusOK, "ok\n")
}
