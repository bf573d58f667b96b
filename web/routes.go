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

	// Actions on ENIs: a GET page (the confirmation or picker, which also
	// serves as the htmx panel) and the POST that acts.
	e.GET("/enis/:id/attach", h.AttachForm)
	e.POST("/enis/:id/attach", h.AttachENI)
	e.GET("/enis/:id/detach", h.DetachForm)
	e.POST("/enis/:id/detach", h.DetachENI)
	e.GET("/enis/:id/delete", h.DeleteForm)
	e.POST("/enis/:id/delete", h.DeleteENI)
	e.POST("/enis/bulk", h.BulkENIs)

	// The audit log.
	e.GET("/audit", h.AuditList)
	e.GET("/audit.csv", h.AuditExport)

	// Exports of a whole view.
	e.GET("/enis.csv", h.ExportENIs("csv"))
	e.GET("/enis.json", h.ExportENIs("json"))

	// Operations.
	e.GET("/healthz", h.Healthz)

	// Embedded assets.
	e.GET("/static/*", staticHandler())
}
