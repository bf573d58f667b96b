package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"enidash/internal/auth"
	"enidash/views"
)

// usersPath is the user management page.
const usersPath = "/admin/users"

// Users serves GET /admin/users.
func (a *Accounts) Users(c echo.Context) error {
	return a.renderUsers(c, http.StatusOK, views.UsersPage{})
}

// AddUser serves POST /admin/users (username, role, password).
func (a *Accounts) AddUser(c echo.Context) error {
	name, roleName := c.FormValue("username"), c.FormValue("role")
	role, ok := auth.ParseRole(roleName)
	var err error
	if !ok {
		err = &auth.FieldError{Field: "role", Message: "Choose a role: viewer, operator or admin."}
	} else {
		err = a.svc.AddUser(c.Request().Context(), a.svc.ActorOf(c.Request()), name, c.FormValue("password"), role)
	}
	if err == nil {
		name = auth.NormalizeUsername(name)
		a.addFlash(c, views.Flash{Kind: "ok", Message: "Added " + name + " as " + role.String() + ". Pass the first password on to them."})
		return c.Redirect(http.StatusSeeOther, usersPath)
	}
	form := views.AddUserForm{Username: name, Role: roleName}
	var fe *auth.FieldError
	status := http.StatusUnprocessableEntity
	switch {
	case errors.As(err, &fe):
		form.Errors = views.AccountErrors{fe.Field: fe.Message}
	case errors.Is(err, auth.ErrAuditUnavailable):
		status, form.Error = http.StatusServiceUnavailable, accountSentence(err.Error())
	case errors.Is(err, auth.ErrForbidden):
		return echo.NewHTTPError(http.StatusForbidden, accountSentence(err.Error()))
	default:
		return err
	}
	return a.renderUsers(c, status, views.UsersPage{Add: form})
}

// SetUserRole serves POST /admin/users/:name/role (role).
func (a *Accounts) SetUserRole(c echo.Context) error {
	name := userParam(c)
	role, ok := auth.ParseRole(c.FormValue("role"))
	if !ok {
		return a.userChangeFailed(c, name, "role", &auth.FieldError{Field: "role", Message: "Choose a role: viewer, operator or admin."})
	}
	err := a.svc.SetRole(c.Request().Context(), a.svc.ActorOf(c.Request()), name, role)
	if err != nil {
		return a.userChangeFailed(c, name, "role", err)
	}
	return a.userChanged(c, name, name+" is now "+role.String()+"; their sessions were ended so the role applies at once.")
}

// ResetUserPassword serves POST /admin/users/:name/password (password).
func (a *Accounts) ResetUserPassword(c echo.Context) error {
	name := userParam(c)
	err := a.svc.ResetPassword(c.Request().Context(), a.svc.ActorOf(c.Request()), name, c.FormValue("password"))
	if err != nil {
		return a.userChangeFailed(c, name, "password", err)
	}
	return a.userChanged(c, name, name+"'s password has been reset and their sessions ended. Pass the new password on to them.")
}

// DisableUser serves POST /admin/users/:name/disable.
func (a *Accounts) DisableUser(c echo.Context) error { return a.setDisabled(c, true) }

// EnableUser serves POST /admin/users/:name/enable.
func (a *Accounts) EnableUser(c echo.Context) error { return a.setDisabled(c, false) }

func (a *Accounts) setDisabled(c echo.Context, disabled bool) error {
	name := userParam(c)
	err := a.svc.SetDisabled(c.Request().Context(), a.svc.ActorOf(c.Request()), name, disabled)
	if err != nil {
		return a.userChangeFailed(c, name, "state", err)
	}
	if disabled {
		return a.userChanged(c, name, name+" is disabled and signed out everywhere.")
	}
	return a.userChanged(c, name, name+" is enabled again.")
}

// userChanged answers a change that was made: a flash and back to the
// list. A change to one's own account ended one's own session too, so
// this browser gets a new one; without the admin role any more, the list
// is no longer theirs to see.
func (a *Accounts) userChanged(c echo.Context, name, msg string) error {
	a.addFlash(c, views.Flash{Kind: "ok", Message: msg})
	actor := a.svc.ActorOf(c.Request())
	if name != actor.Username {
		return c.Redirect(http.StatusSeeOther, usersPath)
	}
	if err := a.svc.Reissue(c.Response(), c.Request()); err != nil {
		return err
	}
	if u, err := a.svc.Store().Get(c.Request().Context(), name); err == nil && !u.Role.Allows(auth.RoleAdmin) {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return c.Redirect(http.StatusSeeOther, usersPath)
}

// userChangeFailed shows the list again with the reason in the user's
// row, beside the form that was sent.
func (a *Accounts) userChangeFailed(c echo.Context, name, field string, err error) error {
	var fe *auth.FieldError
	status, msg := http.StatusUnprocessableEntity, ""
	switch {
	case errors.As(err, &fe):
		msg = fe.Message
	case errors.Is(err, auth.ErrLastAdmin), errors.Is(err, auth.ErrSelf):
		status, msg = http.StatusConflict, accountSentence(err.Error())
	case errors.Is(err, auth.ErrAuditUnavailable):
		status, msg = http.StatusServiceUnavailable, accountSentence(err.Error())
	case errors.Is(err, auth.ErrNotFound):
		return echo.NewHTTPError(http.StatusNotFound, "There is no user named "+name+".")
	case errors.Is(err, auth.ErrForbidden):
		return echo.NewHTTPError(http.StatusForbidden, accountSentence(err.Error()))
	default:
		return err
	}
	return a.renderUsers(c, status, views.UsersPage{RowError: &views.RowError{Username: name, Field: field, Message: msg}})
}

// renderUsers fills the list into p and renders the page.
func (a *Accounts) renderUsers(c echo.Context, status int, p views.UsersPage) error {
	ctx := c.Request().Context()
	actor := a.svc.ActorOf(c.Request())
	if !actor.Role.Allows(auth.RoleAdmin) {
		// RequireRole guards the route; this guards the list if it is not.
		return echo.NewHTTPError(http.StatusForbidden, accountSentence(auth.ErrForbidden.Error()))
	}
	users, err := a.svc.Users(ctx)
	if err != nil {
		return err
	}
	self := actor.Username
	p.Chrome = a.chrome(c, "Users", a.DefaultRegion)
	p.Chrome.Nav = "users"
	p.Now = a.Now()
	for _, u := range users {
		p.Users = append(p.Users, views.UserRow{Username: u.Username, Role: u.Role.String(), Disabled: u.Disabled,
			Created: u.Created, LastSignIn: u.LastSignIn, Self: u.Username == self})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, status, views.UsersView(p))
}

// userParam is the :name of the route, normalised as names are stored.
func userParam(c echo.Context) string {
	name, err := url.PathUnescape(c.Param("name"))
	if err != nil {
		name = c.Param("name")
	}
	return auth.NormalizeUsername(name)
}
