package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"enidash/internal/auth"
	"enidash/views"
)

// passwordPath is the own-password page.
const passwordPath = "/account/password"

// PasswordForm serves GET /account/password.
func (a *Accounts) PasswordForm(c echo.Context) error {
	return a.renderPassword(c, http.StatusOK, a.passwordPage(c))
}

// ChangePassword serves POST /account/password: the current password,
// then the new one twice. On success this browser gets a new session and
// every other one ends.
func (a *Accounts) ChangePassword(c echo.Context) error {
	p := a.passwordPage(c)
	if !p.Local {
		return a.renderPassword(c, http.StatusForbidden, p)
	}
	current, next, confirm := c.FormValue("current"), c.FormValue("password"), c.FormValue("confirm")
	var err error
	if next != confirm {
		err = &auth.FieldError{Field: "confirm", Message: "The two new passwords differ; type the same one twice."}
	} else {
		err = a.svc.ChangePassword(c.Response(), c.Request(), current, next)
	}
	if err == nil {
		a.addFlash(c, views.Flash{Kind: "ok", Message: "Your password has been changed; your other sessions were signed out."})
		return c.Redirect(http.StatusSeeOther, passwordPath)
	}
	var fe *auth.FieldError
	var rl *auth.RateLimitError
	status := http.StatusUnprocessableEntity
	switch {
	case errors.As(err, &fe):
		p.Errors = views.AccountErrors{fe.Field: fe.Message}
	case errors.As(err, &rl):
		status, p.Error = http.StatusTooManyRequests, "Too many wrong passwords; try again later."
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
	case errors.Is(err, auth.ErrAuditUnavailable):
		status, p.Error = http.StatusServiceUnavailable, accountSentence(err.Error())
	default:
		return err
	}
	return a.renderPassword(c, status, p)
}

func (a *Accounts) passwordPage(c echo.Context) views.PasswordPage {
	id, _ := auth.FromContext(c.Request().Context())
	ch := a.chrome(c, "Change password", a.DefaultRegion)
	ch.Nav = "account"
	return views.PasswordPage{Chrome: ch, Local: id.Method == auth.MethodPassword}
}

func (a *Accounts) renderPassword(c echo.Context, status int, p views.PasswordPage) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, status, views.PasswordView(p))
}
