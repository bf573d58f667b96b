package web

import (
	"github.com/labstack/echo/v4"

	"enidash/handlers"
	"enidash/internal/auth"
)

// routes is every route of the dashboard, in one table (DESIGN §4a). Every
// route but /login, /static, /healthz and /metrics needs a signed-in user
// (Authenticate); reading needs the viewer role, acting the operator role,
// managing users the admin role.
func routes(e *echo.Echo, h *handlers.Handler) {
	operator, admin := RequireRole(auth.RoleOperator), RequireRole(auth.RoleAdmin)
	acc := h.Accounts(h.Auth)

	// Pages.
	e.GET("/", h.Root)
	e.GET("/enis", h.ListENIs)
	e.GET("/enis/counts", h.ListCounts) // a view's counts now, for a live page
	e.GET("/enis/new", h.NewENI, operator)
	e.GET("/enis/:id", h.ShowENI)

	// Create: the form above, and the POST that creates.
	e.POST("/enis", h.CreateENI, operator)
	e.POST("/enis/new", h.NewENI, operator) // "Refresh choices" without script

	// Actions on ENIs: a GET page (the confirmation or picker, which also
	// serves as the htmx panel) and the POST that acts.
	e.GET("/enis/:id/attach", h.AttachForm, operator)
	e.POST("/enis/:id/attach", h.AttachENI, operator)
	e.GET("/enis/:id/detach", h.DetachForm, operator)
	e.POST("/enis/:id/detach", h.DetachENI, operator)
	e.GET("/enis/:id/delete", h.DeleteForm, operator)
	e.POST("/enis/:id/delete", h.DeleteENI, operator)
	e.POST("/enis/bulk", h.BulkENIs, operator)
	e.GET("/enis/bulk/:id", h.BulkProgress, operator) // a bulk's progress, then its results
	// Changes to an ENI after it exists.
	e.GET("/enis/:id/edit", h.EditForm, operator)
	e.POST("/enis/:id/edit", h.EditENI, operator)
	e.GET("/enis/:id/ips", h.IPsForm, operator)
	e.POST("/enis/:id/ips", h.AssignIPs, operator)
	e.POST("/enis/:id/tags", h.TagENI, operator)

	// The audit log.
	e.GET("/audit", h.AuditList)
	e.GET("/audit.csv", h.AuditExport)

	// "Refresh now": a view listed from the cloud at once (readers too).
	e.POST("/enis/refresh", h.RefreshENIs)

	// Exports of a whole view.
	e.GET("/enis.csv", h.ExportENIs("csv"))
	e.GET("/enis.json", h.ExportENIs("json"))

	// Sign-in and one's own account.
	e.GET("/login", acc.LoginForm)
	e.POST("/login", acc.Login)
	e.POST("/logout", acc.Logout)
	e.GET("/account/password", acc.PasswordForm)
	e.POST("/account/password", acc.ChangePassword)

	// User management.
	e.GET("/admin/users", acc.Users, admin)
	e.POST("/admin/users", acc.AddUser, admin)
	e.POST("/admin/users/:name/role", acc.SetUserRole, admin)
	e.POST("/admin/users/:name/password", acc.ResetUserPassword, admin)
	e.POST("/admin/users/:name/disable", acc.DisableUser, admin)
	e.POST("/admin/users/:name/enable", acc.EnableUser, admin)

	// Live updates of a list view or an ENI's page (Server-Sent Events).
	e.GET("/events", h.Events)

	// Operations.
	e.GET("/healthz", h.Healthz)
	if h.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(h.Metrics))
	}

	// Embedded assets.
	e.GET("/static/*", staticHandler())
}
