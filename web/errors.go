package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/handlers"
	"enidash/internal/auth"
	"enidash/views"
)

// errorHandler renders every error that reaches Echo as a page (or plain
// text for non-HTML clients), with an honest status. Internal details go to
// the log, not to the page.
func errorHandler(h *handlers.Handler, logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		if clientGone(c) {
			// Nobody is there to read a page, and nothing failed here: the
			// request log says 499.
			c.NoContent(statusClientClosed)
			return
		}
		status, message := http.StatusInternalServerError, "Something went wrong on our side; it has been logged."
		var he *echo.HTTPError
		if errors.As(err, &he) {
			status = he.Code
			message = fmt.Sprint(he.Message)
			// Echo's own 404 (no route) says only "Not Found"; a handler's
			// says what is missing and is kept.
			if status == http.StatusNotFound && he.Message == echo.ErrNotFound.Message {
				message = "There is no page at " + c.Request().URL.Path + "."
			}
		}
		if status >= 500 && he == nil {
			logger.ErrorContext(c.Request().Context(), "request failed", "uri", c.Request().RequestURI, "err", err)
		}
		if c.Request().Method == http.MethodHead {
			c.NoContent(status)
			return
		}
		chrome := views.Chrome{Title: http.StatusText(status), Region: h.DefaultRegion}
		if id, ok := auth.FromContext(c.Request().Context()); ok {
			// Signed in: keep the navigation and sign-out.
			chrome.User, chrome.IsAdmin = id.Username, id.Role.Allows(auth.RoleAdmin)
			if tok, ok := c.Get("csrf").(string); ok {
				chrome.CSRF = tok
			}
		}
		page := views.ErrorPage{
			Chrome: chrome, Status: status,
			Heading: http.StatusText(status), Message: message, Back: "/", BackLabel: "Back to the ENI list",
		}
		if handlers.IsHTMX(c) {
			// htmx would swap the page into the fragment's place: have it
			// replace the whole body instead.
			c.Response().Header().Set("HX-Retarget", "body")
			c.Response().Header().Set("HX-Reswap", "innerHTML")
		}
		if rerr := handlers.Render(c, status, views.ErrorPageView(page)); rerr != nil {
			logger.ErrorContext(c.Request().Context(), "rendering error page", "err", rerr)
			c.String(status, message)
		}
	}
}
