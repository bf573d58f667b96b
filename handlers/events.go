package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/auth"
	"enidash/internal/eni"
	"enidash/internal/live"
	"enidash/views"
)

// Parameters of /events besides the view's own.
const (
	keyAfter     = "after" // the cursor the page was rendered at
	keyDetailENI = "eni"   // the ENI of a detail page
)

// writeWait is how long one event may take to reach a browser before the
// stream is given up; the browser reconnects and catches up.
const writeWait = 10 * time.Second

// HeaderLiveProbe asks /events whether a stream would be served, without
// opening one: 204, or the refusal a stream would get. The page asks when
// its stream failed, since EventSource does not say why.
const HeaderLiveProbe = "X-Live-Probe"

// EventSignedOut is the last event of a stream whose session has ended.
const EventSignedOut = "signedout"

// Events serves GET /events?<view>&after=<cursor>: the live updates of one
// list view, or with eni=<id> of one ENI's page, as Server-Sent Events.
// Each event carries the HTML the page swaps in, rendered for the viewer's
// role; its ID is the cursor a reconnecting browser resumes from. Streams
// are capped per session and overall (429), and end when the session
// does.
func (h *Handler) Events(c echo.Context) error {
	if h.Live == nil {
		return echo.NewHTTPError(http.StatusNotFound, "live updates are off")
	}
	q := c.QueryParams()
	after := q.Get(keyAfter)
	if last := c.Request().Header.Get("Last-Event-ID"); last != "" {
		after = last
	}
	vw, detail, errs := eventsView(q, h.DefaultRegion)
	f := vw.Filter
	if len(errs) == 0 {
		errs = regionError(c.Request().Context(), h.Lookups, f.Region)
	}
	if len(errs) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "/events: "+errs.Error())
	}
	grant, ok := h.Auth.GrantOf(c.Request())
	if !ok {
		return echo.NewHTTPError(http.StatusUnauthorized, "Sign in to continue.")
	}
	slot, err := h.slots.take(grant.Key())
	if err != nil {
		h.Logger.InfoContext(c.Request().Context(), "live stream refused", "user", grant.Username, "why", err)
		return c.String(http.StatusTooManyRequests, err.Error())
	}
	if c.Request().Header.Get(HeaderLiveProbe) != "" {
		slot.release()
		return c.NoContent(http.StatusNoContent)
	}
	run := streamRun{grant: grant, slot: slot, variant: eventVariant{detail: detail, canAct: canAct(c), filter: f, view: vw}}

	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	w.Header().Set(echo.HeaderCacheControl, "no-store")
	// Proxies such as nginx must pass each event on at once.
	w.Header().Set("X-Accel-Buffering", "no")
	if conn, err := hijack(w); err == nil {
		// Over HTTP/1.1 the stream leaves the server's request machinery:
		// an idle stream then costs a small goroutine and its socket.
		slot.watch(func() bool { return peerGone(conn) })
		run.send, run.sub, run.end = connSender(conn), h.Live.SubscribeView(vw, after), conn.Close
		go h.stream(run)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w.Writer)
	// The server's read deadline is for reading requests; this response
	// outlives it.
	if err := rc.SetReadDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		slot.release()
		return nil
	}
	run.send = func(b []byte) error {
		if err := rc.SetWriteDeadline(time.Now().Add(writeWait)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		return rc.Flush()
	}
	run.done, run.sub, run.end = c.Request().Context().Done(), h.Live.SubscribeView(vw, after), func() error { return nil }
	h.stream(run)
	return nil
}

// streamRun is one open stream: where its bytes go, what it watches, for
// whom, and its place among the open streams.
type streamRun struct {
	send    func([]byte) error
	done    <-chan struct{} // the request's end, when the stream runs in the handler
	sub     *live.Subscription
	variant eventVariant
	grant   auth.Grant
	slot    *streamSlot
	end     func() error
}

// stream sends a subscription's events until done, the subscription ends,
// the session ends or the browser stops taking them: the retry interval,
// what the browser missed, then each event and a heartbeat comment when
// idle. Before each event and heartbeat the session is checked again.
func (h *Handler) stream(r streamRun) {
	defer r.end()
	defer r.slot.release()
	defer r.sub.Close()
	// A browser that loses the stream retries after 3 s.
	if err := r.send([]byte("retry: 3000\n\n")); err != nil {
		return
	}
	for _, ev := range r.sub.Backlog() {
		if err := h.sendEvent(r.send, ev, r.variant); err != nil {
			return
		}
	}
	heartbeat := time.NewTicker(h.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.done:
			return
		case <-r.slot.ended:
			// Its browser was found gone.
			return
		case ev, ok := <-r.sub.Events():
			if !ok {
				// Dropped for lagging, or shutting down: the browser
				// reconnects and is brought up to date.
				return
			}
			if !h.granted(r) {
				return
			}
			if err := h.sendEvent(r.send, ev, r.variant); err != nil {
				return
			}
		case <-heartbeat.C:
			if !h.granted(r) {
				return
			}
			// Also how a browser that went away is noticed.
			if err := r.send([]byte(": heartbeat\n\n")); err != nil {
				return
			}
		}
	}
}

// granted reports whether the stream's session still holds. When it was
// ended (signed out, disabled, password or role changed, too old) the
// browser is told, and stops; when it only went idle here, the stream
// just ends, and the browser's reconnection decides with the session as
// it is now. Storage that cannot be read ends the stream too.
func (h *Handler) granted(r streamRun) bool {
	err := h.grants.Check(context.Background(), r.grant)
	if err == nil {
		return true
	}
	var rv *auth.Revoked
	if !errors.As(err, &rv) {
		h.Logger.Warn("live stream ended: its session could not be checked", "user", r.grant.Username, "err", err)
		return false
	}
	h.Logger.Info("live stream ended with its session", "user", r.grant.Username, "why", rv.Why)
	if rv.Idle {
		return false
	}
	page := views.ViewURL(r.variant.view)
	if r.variant.detail {
		page = views.DetailURL(r.variant.filter.Region, r.variant.filter.IDs[0])
	}
	var b bytes.Buffer
	if err := views.LiveSignedOut(endedLoginURL(page)).Render(context.Background(), &b); err == nil {
		_ = r.send(encodeEvent("", EventSignedOut, b.Bytes()))
	}
	return false
}

// endedLoginURL is the sign-in page that says the session ended and
// returns to page.
func endedLoginURL(page string) string {
	u := auth.LoginURL(page)
	if strings.Contains(u, "?") {
		return u + "&ended=1"
	}
	return u + "?ended=1"
}

// eventsView reads the view a stream is for: a list view (the list's own
// query, with the keys only the inventory serves, checked as strictly), or
// one ENI.
func eventsView(q url.Values, defaultRegion string) (eni.View, bool, eni.FieldErrors) {
	rest := url.Values{}
	for k, v := range q {
		if k != keyAfter && k != keyDetailENI {
			rest[k] = v
		}
	}
	if !q.Has(keyDetailENI) {
		vw, errs := eni.ParseView(rest)
		if vw.Region == "" {
			vw.Region = defaultRegion
		}
		return vw, false, errs
	}
	id := q.Get(keyDetailENI)
	var errs eni.FieldErrors
	if !eni.IsENIID(id) {
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
	return eni.View{Filter: detailView(region, id)}, true, errs
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
	if v.detail && ev.Kind == live.Counts {
		return nil // an ENI's page counts nothing
	}
	name := ev.Kind
	if v.detail && name == live.Added {
		// An ENI's page has no rows to place: it swaps its body.
		name = live.Changed
	}
	return send(encodeEvent(ev.ID, string(name), html))
}

// encodeEvent is one event in the SSE format. A browser ends a line at
// CR, LF or CRLF, so the data is split at each of them: text from the
// cloud (a description holding "\revent: reset") can never start a field
// of its own. NUL, which no page should hold, becomes U+FFFD as the HTML
// parser would make it. The ID and name are the server's own, kept to
// one line all the same.
func encodeEvent(id, name string, data []byte) []byte {
	// A line end closing the HTML would only add an empty line.
	data = bytes.TrimRight(data, "\r\n")
	var b bytes.Buffer
	b.Grow(len(data) + len(id) + len(name) + 32)
	if id != "" {
		b.WriteString("id: ")
		b.WriteString(oneLine(id))
		b.WriteByte('\n')
	}
	b.WriteString("event: ")
	b.WriteString(oneLine(name))
	b.WriteString("\ndata: ")
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			b.WriteString("\ndata: ")
		case '\n':
			b.WriteString("\ndata: ")
		case 0:
			b.WriteString("\uFFFD")
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString("\n\n")
	return b.Bytes()
}

// oneLine drops what would end an SSE line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return -1
		}
		return r
	}, s)
}
