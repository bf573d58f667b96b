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
	// Client addresses (logs, audit, sign-in limits) are the peer's,
	// or what a trusted proxy says they are.
	e.IPExtractor = h.Auth.ClientAddr
	useMiddleware(e, h.Auth, logger)
	routes(e, h)
	return e
}
