package web

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"enidash/handlers"
	"enidash/internal/auth"
)

// contentSecurityPolicy allows only the server's own scripts and styles:
// htmx is configured (allowEval false, no indicator styles) to need no
// inline code or eval.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// useMiddleware installs the stack, outermost first.
func useMiddleware(e *echo.Echo, a *auth.Service, logger *slog.Logger) {
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 301}))
	e.Use(middleware.RequestID())
	e.Use(requestLogger(logger))
	e.Use(middleware.Recover())
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "same-origin",
	}))
	e.Use(middleware.BodyLimit("1M"))
	e.Use(csrf(a.Secure))
	e.Use(Authenticate(a))
	// Fastest compression: a 100-row page shrinks about as much, for a
	// fraction of the CPU.
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		Level:   1,
		Skipper: func(c echo.Context) bool { return strings.HasPrefix(c.Path(), "/events") },
	}))
}

// requestLogger writes one structured line per request.
func requestLogger(logger *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true,
		LogRemoteIP: true, LogError: true, HandleError: true,
		BeforeNextFunc: watchAnswer,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			left := clientLeft(c)
			if left {
				v.Status = statusClientClosed
			} else if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("method", v.Method), slog.String("uri", v.URI), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency.Round(time.Microsecond)), slog.String("request_id", v.RequestID),
				slog.String("remote", v.RemoteIP),
			}
			if left {
				attrs = append(attrs, slog.String("reason", "client closed request"))
			}
			if v.Error != nil {
				attrs = append(attrs, slog.String("err", v.Error.Error()))
			}
			logger.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

// csrf guards every state-changing request. Browsers that send
// Sec-Fetch-Site are checked by it (same-origin only); other clients must
// send the token of the _csrf cookie back, as the _csrf form field or the
// X-CSRF-Token header (app.js adds it to htmx requests). Any refusal is a
// 403 that says what happened.
func csrf(secure func(*http.Request) bool) echo.MiddlewareFunc {
	// Echo's cookie flags are fixed per middleware: one for browsers on
	// HTTPS (Secure, like the session cookie), one for plain HTTP.
	guards := [2]echo.MiddlewareFunc{}
	for i, tls := range []bool{false, true} {
		guards[i] = middleware.CSRFWithConfig(middleware.CSRFConfig{
			TokenLookup:    "header:" + echo.HeaderXCSRFToken + ",form:_csrf",
			CookieName:     handlers.CSRFCookie,
			CookiePath:     "/",
			CookieHTTPOnly: true,
			CookieSecure:   tls,
			CookieSameSite: http.SameSiteLaxMode,
			// Static files and the probes of load balancers and Prometheus
			// change nothing and show no form: no token, no cookie.
			Skipper: func(c echo.Context) bool {
				p := c.Path()
				return strings.HasPrefix(p, "/static") || p == "/healthz" || p == "/metrics"
			},
			ErrorHandler: func(err error, c echo.Context) error {
				return echo.NewHTTPError(http.StatusForbidden,
					"This form could not be accepted: it did not come from an enidash page of this site (missing or stale security token). "+
						"Reload the page and try again.").SetInternal(err)
			},
		})
	}
	guard := func(next echo.HandlerFunc) echo.HandlerFunc {
		plain, tls := guards[0](next), guards[1](next)
		return func(c echo.Context) error {
			if secure(c.Request()) {
				return tls(c)
			}
			return plain(c)
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return guard(func(c echo.Context) error {
			if tok, ok := c.Get("csrf").(string); ok {
				r := c.Request()
				c.SetRequest(r.WithContext(handlers.WithCSRFToken(r.Context(), tok)))
			}
			return next(c)
		})
	}
}
