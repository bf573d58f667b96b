package handlers

import (
	"encoding/gob"

	"github.com/labstack/echo/v4"

	"enidash/views"
)

// flashSession is the cookie session that carries flash messages across a
// Post/Redirect/Get.
const flashSession = "enidash_flash"

func init() {
	// gorilla/sessions stores values with gob.
	gob.Register(views.Flash{})
}

// addFlash keeps a message for the next page this browser loads. A
// failure to save it is logged: the action itself has happened.
func (h *Handler) addFlash(c echo.Context, f views.Flash) {
	s, err := h.Sessions.Get(c.Request(), flashSession)
	if err == nil {
		s.Options.HttpOnly = true
		s.AddFlash(f)
		err = s.Save(c.Request(), c.Response())
	}
	if err != nil {
		h.Logger.WarnContext(c.Request().Context(), "flash not kept", "err", err)
	}
}

// takeFlashes returns the messages kept for this page and forgets them.
func (h *Handler) takeFlashes(c echo.Context) []views.Flash {
	s, err := h.Sessions.Get(c.Request(), flashSession)
	if err != nil || len(s.Values) == 0 {
		return nil
	}
	var out []views.Flash
	for _, v := range s.Flashes() {
		if f, ok := v.(views.Flash); ok {
			out = append(out, f)
		}
	}
	if err := s.Save(c.Request(), c.Response()); err != nil {
		h.Logger.WarnContext(c.Request().Context(), "flash not cleared", "err", err)
	}
	return out
}
