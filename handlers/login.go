package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"enidash/internal/auth"
	"enidash/views"
)

// Accounts serves sign-in, sign-out, the own-password page and user
// management, over the sign-in service.
type Accounts struct {
	*Handler
	svc *auth.Service
}

// Accounts returns the account handlers of h over the sign-in service.
func (h *Handler) Accounts(svc *auth.Service) *Accounts { return &Accounts{Handler: h, svc: svc} }

// LoginForm serves GET /login. Someone already signed in goes straight
// on to next.
func (a *Accounts) LoginForm(c echo.Context) error {
	next := auth.SafeNext(c.QueryParam("next"))
	if _, ok := auth.FromContext(c.Request().Context()); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	p := views.LoginPage{Chrome: a.publicChrome(c, "Sign in"), Next: next}
	if c.QueryParam("ended") != "" {
		p.Notice = "Your session has ended; sign in again to continue."
	}
	return a.renderLogin(c, http.StatusOK, p)
}

// Login serves POST /login: a new session and back to next, or the form
// again with what went wrong.
func (a *Accounts) Login(c echo.Context) error {
	username, password := c.FormValue("username"), c.FormValue("password")
	next := auth.SafeNext(c.FormValue("next"))
	_, err := a.svc.SignIn(c.Response(), c.Request(), username, password)
	if err == nil {
		expireCSRFCookie(c)
		return c.Redirect(http.StatusSeeOther, next)
	}
	p := views.LoginPage{Chrome: a.publicChrome(c, "Sign in"), Next: next, Username: strings.TrimSpace(username)}
	var fe *auth.FieldError
	var rl *auth.RateLimitError
	var se *auth.StorageError
	status := http.StatusUnauthorized
	switch {
	case errors.As(err, &fe):
		status, p.Errors = http.StatusUnprocessableEntity, views.AccountErrors{fe.Field: fe.Message}
	case errors.As(err, &rl):
		status, p.Error = http.StatusTooManyRequests, accountSentence(rl.Error())
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
	case errors.Is(err, auth.ErrBadCredentials):
		p.Error = "Wrong user name or password."
	case errors.Is(err, auth.ErrDisabled):
		status, p.Error = http.StatusForbidden, accountSentence(err.Error())
	case errors.As(err, &se):
		status, p.Error = http.StatusServiceUnavailable, "Sign-in is unavailable: "+se.Error()+"."
		a.Logger.WarnContext(c.Request().Context(), "sign-in refused: storage cannot be written", "user", p.Username, "err", err)
	default:
		return err
	}
	return a.renderLogin(c, status, p)
}

// CSRFCookie is the cookie that holds the CSRF token (web's CSRF
// middleware).
const CSRFCookie = "_csrf"

// expireCSRFCookie drops the CSRF token of the response in favour of an
// expired cookie, so that the next page, the first of the new session,
// mints a new token: one learnt before sign-in is worth nothing after.
func expireCSRFCookie(c echo.Context) {
	h := c.Response().Header()
	var kept []string
	for _, v := range h.Values(echo.HeaderSetCookie) {
		if !strings.HasPrefix(v, CSRFCookie+"=") {
			kept = append(kept, v)
		}
	}
	h[echo.HeaderSetCookie] = kept
	c.SetCookie(&http.Cookie{Name: CSRFCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func (a *Accounts) renderLogin(c echo.Context, status int, p views.LoginPage) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, status, views.LoginView(p))
}

// publicChrome is the frame of a page shown before sign-in: no region
// list, so an anonymous visitor never causes a cloud call.
func (a *Accounts) publicChrome(c echo.Context, title string) views.Chrome {
	ch := views.Chrome{Title: title, Region: a.DefaultRegion, CSRF: csrfToken(c.Request().Context())}
	if c.Request().Method == http.MethodGet {
		ch.Flashes = a.takeFlashes(c)
	}
	return ch
}

// accountSentence turns an error's text into a sentence for a page.
func accountSentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
