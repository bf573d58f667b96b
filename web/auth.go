package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/handlers"
	"enidash/internal/auth"
)

// publicPath reports the paths served to anyone, without looking for a
// session: assets, liveness and metrics (scrapers cannot sign in; the
// metrics hold counts, no names or secrets).
func publicPath(p string) bool {
	return strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/metrics"
}

// Authenticate puts the identity of each request in its context
// (auth.FromContext). Without one, pages redirect to the sign-in page,
// which returns to them afterwards; htmx requests and the event stream,
// which cannot follow such a redirect, get 401 (htmx also gets
// HX-Redirect to the sign-in page, which it follows).
func Authenticate(a *auth.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if publicPath(r.URL.Path) {
				return next(c)
			}
			id, status, err := a.Identify(c.Response(), r)
			if err != nil {
				return err
			}
			if status == auth.Authenticated {
				c.SetRequest(r.WithContext(auth.WithIdentity(r.Context(), id)))
				return next(c)
			}
			if r.URL.Path == auth.LoginPath {
				return next(c)
			}
			return challenge(c, status == auth.Ended)
		}
	}
}

// challenge answers a request that needs a sign-in.
func challenge(c echo.Context, ended bool) error {
	r := c.Request()
	msg := "Sign in to continue."
	if ended {
		msg = "Your session has ended; sign in again to continue."
	}
	switch {
	case r.Header.Get(handlers.HeaderHXRequest) == "true":
		c.Response().Header().Set(handlers.HeaderHXRedirect, loginURL(htmxPage(r), ended))
		return echo.NewHTTPError(http.StatusUnauthorized, msg)
	case r.URL.Path == "/events":
		// A stream cannot follow a redirect.
		return echo.NewHTTPError(http.StatusUnauthorized, msg)
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		// Coming back would be a GET of a POST-only route.
		return c.Redirect(http.StatusSeeOther, loginURL("", ended))
	}
	return c.Redirect(http.StatusFound, loginURL(r.URL.RequestURI(), ended))
}

// loginURL is the sign-in page returning to next, saying why it is shown.
func loginURL(next string, ended bool) string {
	u := auth.LoginURL(next)
	if !ended {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&ended=1"
	}
	return u + "?ended=1"
}

// htmxPage is the page an htmx request was made from, to come back to
// after signing in; the request's own URL (a fragment) otherwise.
func htmxPage(r *http.Request) string {
	if cur, err := url.Parse(r.Header.Get(handlers.HeaderHXCurrentURL)); err == nil && cur.Path != "" {
		return cur.RequestURI()
	}
	return r.URL.RequestURI()
}

// RequireRole lets only identities whose role includes need through; the
// others get 403 with a page saying what is missing. It runs after
// Authenticate.
func RequireRole(need auth.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id, ok := auth.FromContext(c.Request().Context())
			if !ok {
				return echo.NewHTTPError(http.StatusUnauthorized, "Sign in to continue.")
			}
			if !id.Role.Allows(need) {
				return echo.NewHTTPError(http.StatusForbidden, "You are signed in as "+id.Username+" with the "+id.Role.String()+
					" role; this needs the "+need.String()+" role. Ask an admin if you need it.")
			}
			return next(c)
		}
	}
}
