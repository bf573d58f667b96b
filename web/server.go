// Package web is the Echo server: the middleware stack, the route table,
// static files and the rendering of errors.
package web

import (
	"log/slog"

	"github.com/labstack/echo/v4"

	"enidash/handlers"
)

// New builds the HTTP server of the dashboard.
func New(h *handlers.Handler, logger *slog.Logger) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(h, logger)
	useMiddleware(e, logger)
	routes(e, h)
	return e
}
