package web

import (
	"github.com/labstack/echo/v4"

	"enidash/handlers"
)

// routes is every route of the dashboard, in one table (DESIGN §4a).
func routes(e *echo.Echo, h *handlers.Handler) {
	// Pages.
	e.GET("/", h.Root)
	e.GET("/enis", h.ListENIs)
	e.GET("/enis/:id", h.ShowENI)

	// Exports of a whole view.
	e.GET("/enis.csv", h.ExportENIs("csv"))
	e.GET("/enis.json", h.ExportENIs("json"))

	// Operations.
	e.GET("/healthz", h.Healthz)

	// Embedded assets.
	e.GET("/static/*", staticHandler())
}
