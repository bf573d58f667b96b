package web

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/labstack/echo/v4"
)

// statusClientClosed is how the request log reports a request whose
// client went away before the answer began (a closed tab, a canceled
// fetch): nginx's 499 "client closed request". It is no failure of the
// server, whatever status the handler chose once it was alone.
const statusClientClosed = 499

const answerBeganKey = "web.answerBegan"

// watchAnswer notes, for clientLeft, whether the answer began while the
// client was still there. It runs before the handler.
func watchAnswer(c echo.Context) {
	began := new(atomic.Bool) // the hook may run on the handler's goroutines
	ctx := c.Request().Context()
	c.Set(answerBeganKey, began)
	c.Response().Before(func() {
		if ctx.Err() == nil {
			began.Store(true)
		}
	})
}

// clientLeft reports whether the client went away before the answer
// began. A stream the client closes after it began (a live page) ended
// normally.
func clientLeft(c echo.Context) bool {
	if !clientGone(c) {
		return false
	}
	began, _ := c.Get(answerBeganKey).(*atomic.Bool)
	return began == nil || !began.Load()
}

// clientGone reports whether the request's client has gone away.
func clientGone(c echo.Context) bool {
	return errors.Is(c.Request().Context().Err(), context.Canceled)
}
