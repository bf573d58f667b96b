package handlers

import (
	"context"

	"github.com/labstack/echo/v4"

	"enidash/internal/auth"
)

type csrfKey struct{}

// WithCSRFToken returns ctx carrying the request's CSRF token, so every
// page's forms can embed it.
func WithCSRFToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey{}, token)
}

func csrfToken(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

// identity is who is acting. Every route but the public ones runs after
// sign-in; a request without an identity has no rights at all.
func identity(ctx context.Context) auth.Identity {
	if id, ok := auth.FromContext(ctx); ok {
		return id
	}
	return auth.Identity{Username: "anonymous", Role: auth.RoleNone, Method: "none"}
}

// canAct reports whether the request's identity may change ENIs.
func canAct(c echo.Context) bool {
	return identity(c.Request().Context()).Role.Allows(auth.RoleOperator)
}
