package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"enidash/internal/auth"
	"enidash/views"
)

// Logout serves POST /logout: every session of the user ends, this one
// and any copy of its cookie, and the browser goes to the sign-in page.
// Someone signed in by the company's SSO proxy stays signed in there.
// Signing out always works: when the database cannot record it, the
// cookie is gone all the same, the server refuses copies of it from
// memory, and the page says so.
func (a *Accounts) Logout(c echo.Context) error {
	id, _ := auth.FromContext(c.Request().Context())
	err := a.svc.SignOut(c.Response(), c.Request())
	var se *auth.StorageError
	switch {
	case errors.As(err, &se):
		a.addFlash(c, views.Flash{Kind: "error", Message: "You have signed out of this browser, but " + se.Error() +
			": until it can, this server alone refuses copies of your session."})
		return c.Redirect(http.StatusSeeOther, auth.LoginPath)
	case err != nil:
		return err
	case id.Method == auth.MethodProxy:
		a.addFlash(c, views.Flash{Kind: "info", Message: "You are signed in through your company's sign-in; sign out there."})
		return c.Redirect(http.StatusSeeOther, "/")
	}
	a.addFlash(c, views.Flash{Kind: "ok", Message: "You have signed out."})
	return c.Redirect(http.StatusSeeOther, auth.LoginPath)
}
