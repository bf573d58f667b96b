package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/internal/live"
)

// Parameters of /events besides the view's own.
const (
	keyAfter     = "after" // the cursor the page was rendered at
	keyDetailENI = "eni"   // the ENI of a detail page
)

// writeWait is how long one event may take to reach a browser before the
// stream is given up; the browser reconnects and catches up.
const writeWait = 10 * time.Second

// Events serves GET /events?<view>&after=<cursor>: the live updates of one
// list view, or with eni=<id> of one ENI's page, as Server-Sent Events.
// Each event carries the HTML the page swaps in, rendered for the viewer's
// role; its ID is the cursor a reconnecting browser resumes from.
func (h *Handler) Events(c echo.Context) error {
	if h.Live == nil {
		return echo.NewHTTPError(http.StatusNotFound, "live updates are off")
	}
	q := c.QueryParams()
	after := q.Get(keyAfter)
	if last := c.Request().Header.Get("Last-Event-ID"); last != "" {
		after = last
	}
	f, detail, errs := eventsView(q, h.DefaultRegion)
	if len(errs) == 0 {
		errs = regionError(c.Request().Context(), h.Lookups, f.Region)
	}
	if len(errs) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "/events: "+errs.Error())
	}
	variant := eventVariant{detail: detail, canAct: canAct(c), filter: f}

	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	w.Header().Set(echo.HeaderCacheControl, "no-store")
	// Proxies such as nginx must pass each event on at once.
	w.Header().Set("X-Accel-Buffering", "no")
	if conn, err := hijack(w); err == nil {
		// Over HTTP/1.1 the stream leaves the server's request machinery:
		// an idle stream then costs a small goroutine and its socket.
		go h.stream(nil, connSender(conn), h.Live.Subscribe(f, after), variant, conn.Close)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w.Writer)
	send := func(b []byte) error {
		if err := rc.SetWriteDeadline(time.Now().Add(writeWait)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		return rc.Flush()
	}
	h.stream(c.Request().Context().Done(), send, h.Live.Subscribe(f, after), variant, func() error { return nil })
	return nil
}

// stream sends a subscription's events until done, the subscription ends
// or the browser stops taking them: the retry interval, what the browser
// missed, then each event and a heartbeat comment when idle.
func (h *Handler) stream(done <-chan struct{}, send func([]byte) error, sub *live.Subscription, v eventVariant, end func() error) {
	defer end()
	defer sub.Close()
	// A browser that loses the stream retries after 3 s.
	if err := send([]byte("retry: 3000\n\n")); err != nil {
		return
	}
	for _, ev := range sub.Backlog() {
		if err := h.sendEvent(send, ev, v); err != nil {
			return
		}
	}
	heartbeat := time.NewTicker(h.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-done:
			return
		case ev, ok := <-sub.Events():
			if !ok {
				// Dropped for lagging, or shutting down: the browser
				// reconnects and is brought up to date.
				return
			}
			if err := h.sendEvent(send, ev, v); err != nil {
				return
			}
		case <-heartbeat.C:
			// Also how a browser that went away is noticed.
			if err := send([]byte(": heartbeat\n\n")); err != nil {
				return
			}
		}
	}
}

// eventsView reads the view a stream is for: a list view (the list's own
// query, checked as strictly), or one ENI.
func eventsView(q url.Values, defaultRegion string) (eni.Filter, bool, eni.FieldErrors) {
	rest := url.Values{}
	for k, v := range q {
		if k != keyAfter && k != keyDetailENI {
			rest[k] = v
		}
	}
	if !q.Has(keyDetailENI) {
		f, errs := eni.ParseFilter(rest)
		if f.Region == "" {
			f.Region = defaultRegion
		}
		return f, false, errs
	}
	id := q.Get(keyDetailENI)
	var errs eni.FieldErrors
	if !reENIID.MatchString(id) {
		errs = append(errs, eni.FieldError{Field: keyDetailENI, Value: id, Message: "is not an ENI ID (like eni-bp1…)"})
	}
	for k := range rest {
		if k != eni.KeyRegion {
			errs = append(errs, eni.FieldError{Field: k, Message: "is not a parameter of an ENI's live updates"})
		}
	}
	region := q.Get(eni.KeyRegion)
	if region == "" {
		region = defaultRegion
	}
	if _, fe := eni.ParseFilter(url.Values{eni.KeyRegion: {region}}); len(fe) > 0 {
		errs = append(errs, fe...)
	}
	return detailView(region, id), true, errs
}

// detailView is the view an ENI's page watches.
func detailView(region, id string) eni.Filter {
	return eni.Filter{Region: region, IDs: []string{id}}
}

// sendEvent writes ev in the SSE format: its ID, its kind as the event
// name, and its HTML, one data line per line.
func (h *Handler) sendEvent(send func([]byte) error, ev *live.Event, v eventVariant) error {
	html, err := ev.Render(v.key(), func(ev *live.Event) ([]byte, error) { return h.renderEvent(ev, v) })
	if err != nil {
		h.Logger.Error("rendering a live event failed", "kind", ev.Kind, "err", err)
		return nil
	}
	var b bytes.Buffer
	b.WriteString("id: ")
	b.WriteString(ev.ID)
	name := ev.Kind
	if v.detail && name == live.Added {
		// An ENI's page has no rows to place: it swaps its body.
		name = live.Changed
	}
	b.WriteString("\nevent: ")
	b.WriteString(string(name))
	b.WriteByte('\n')
	for line := range bytes.Lines(html) {
		b.WriteString("data: ")
		b.Write(bytes.TrimRight(line, "\r\n"))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return send(b.Bytes())
}
