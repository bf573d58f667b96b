package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/auth"
	"enidash/views"
)

// Logout serves POST /logout: every session of the user ends, this one
// and any copy of its cookie, and the browser goes to the sign-in page.
// Someone signed in by the company's SSO proxy stays signed in there.
func (a *Accounts) Logout(c echo.Context) error {
	id, _ := auth.FromContext(c.Request().Context())
	if err := a.svc.SignOut(c.Response(), c.Request()); err != nil {
		return err
	}
	if id.Method == auth.MethodProxy {
		a.addFlash(c, views.Flash{Kind: "info", Message: "You are signed in through your company's sign-in; sign out there."})
		return c.Redirect(http.StatusSeeOther, "/")
	}
	a.addFlash(c, views.Flash{Kind: "ok", Message: "You have signed out."})
	return c.Redirect(http.StatusSeeOther, auth.LoginPath)
}
