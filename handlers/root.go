package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// Root serves GET /: the list of the default region.
func (h *Handler) Root(c echo.Context) error {
	return c.Redirect(http.StatusFound, views.ListURL(eni.Filter{Region: h.DefaultRegion}))
}

// Healthz serves GET /healthz. It never calls the cloud: it says the
// process serves requests, nothing more.
func (h *Handler) Healthz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.String(http.StatusOK, "ok\n")
}
