package handlers

import (
	"bytes"
	"net/url"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render writes a component with a status. It renders into a pooled buffer
// first, so a failing component still leaves the status free to change.
func Render(c echo.Context, status int, t templ.Component) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// HTMX request and response headers.
const (
	HeaderHXRequest    = "HX-Request"
	HeaderHXPushURL    = "HX-Push-Url"
	HeaderHXReplaceURL = "HX-Replace-Url"
	HeaderHXRedirect   = "HX-Redirect"
	HeaderHXCurrentURL = "HX-Current-URL"
	HeaderHXTarget     = "HX-Target"
	HeaderHXHistory    = "HX-History-Restore-Request"
)

// IsHTMX reports whether the request came from htmx and wants a fragment.
// A history restore asks for the whole page.
func IsHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get(HeaderHXRequest) == "true" && h.Get(HeaderHXHistory) != "true"
}

// noStore marks responses that show live cloud state, and tells caches
// that fragment and full page differ for the same URL.
func noStore(c echo.Context) {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", HeaderHXRequest)
}

// setHistory tells htmx which URL the swapped view has: a new history
// entry when it differs from the page's current URL, else the same entry
// replaced, so applying the view that is already shown (twice in a row,
// or a change and a submit racing) never leaves a Back that goes nowhere.
func setHistory(c echo.Context, canonical string) {
	header := HeaderHXPushURL
	if cur, err := url.Parse(c.Request().Header.Get(HeaderHXCurrentURL)); err == nil && cur.RequestURI() == canonical {
		header = HeaderHXReplaceURL
	}
	c.Response().Header().Set(header, canonical)
}
