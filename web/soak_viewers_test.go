//go:build soak

package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// The viewers of the soak: browsers that open a list view and its live
// stream, keep it a while, and reload; a tenth of them stop reading their
// stream and then drop it, as a frozen or closed tab does.

// viewerStats are the viewers' counts, shared by all of them.
type viewerStats struct {
	pages, abandoned, streams, rows, stalls atomic.Int64
	// refused counts answers other than 200 to a page or a stream, by
	// what and status, e.g. "stream 429".
	mu      sync.Mutex
	refused map[string]int
	failed  map[string]int // transport errors, by what
}

func (s *viewerStats) refuse(what string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[fmt.Sprintf("%s %d", what, status)]++
}

func (s *viewerStats) fail(what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed[what]++
}

// viewer is one browser tab on one view, signed in through its account's
// client (several tabs share a session, as they do in a browser).
type viewer struct {
	who     string
	base    string
	view    string // the page's path and query
	client  *http.Client
	rng     *rand.Rand
	stats   *viewerStats
	errs    *serverErrors
	minLife time.Duration
	maxLife time.Duration
}

func (v *viewer) run(ctx context.Context) {
	for ctx.Err() == nil {
		stream, ok := v.load(ctx)
		if !ok {
			// A browser shows the error; its person reloads a bit later.
			sleepCtx(ctx, time.Duration(2000+v.rng.IntN(3000))*time.Millisecond)
			continue
		}
		life := v.minLife + time.Duration(v.rng.Int64N(int64(v.maxLife-v.minLife)+1))
		v.watch(ctx, stream, life, v.rng.IntN(10) == 0)
		sleepCtx(ctx, time.Duration(200+v.rng.IntN(800))*time.Millisecond)
	}
}

// load GETs the page and returns the stream it opens.
func (v *viewer) load(ctx context.Context) (string, bool) {
	limit := 30 * time.Second
	abandon := v.rng.IntN(20) == 0 // one load in twenty is left while the page is on its way
	if abandon {
		limit = time.Duration(1+v.rng.IntN(100)) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.base+v.view, nil)
	if err != nil {
		panic(err)
	}
	req.Header.Set("User-Agent", "enidash-soak ("+v.who+")")
	res, err := v.client.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	switch {
	case abandon && err != nil:
		v.stats.abandoned.Add(1)
		return "", false
	case err != nil:
		if ctx.Err() == nil {
			v.stats.fail("page")
		}
		return "", false
	}
	v.stats.pages.Add(1)
	v.errs.note(v.who, http.MethodGet, v.view, res.StatusCode, body)
	if res.StatusCode != http.StatusOK {
		v.stats.refuse("page", res.StatusCode)
		return "", false
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return "", false
	}
	u, ok := doc.Find("[sse-connect]").Attr("sse-connect")
	return u, ok
}

// watch holds the stream for life, reading it (or, stalled, not reading it
// at all) until then or until the server ends it.
func (v *viewer) watch(ctx context.Context, stream string, life time.Duration, stall bool) {
	ctx, cancel := context.WithTimeout(ctx, life)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.base+stream, nil)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("User-Agent", "enidash-soak ("+v.who+")")
	res, err := v.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			v.stats.fail("stream")
		}
		return
	}
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		res.Body.Close()
		v.errs.note(v.who, http.MethodGet, stream, res.StatusCode, body)
		v.stats.refuse("stream", res.StatusCode)
		// An EventSource retries after a few seconds.
		sleepCtx(ctx, time.Duration(3000+v.rng.IntN(2000))*time.Millisecond)
		return
	}
	v.stats.streams.Add(1)
	if stall {
		v.stats.stalls.Add(1)
		<-ctx.Done()
		res.Body.Close()
		return
	}
	done := make(chan struct{})
	go func() {
		readRows(res.Body, 0, func(int, string, string, time.Time) { v.stats.rows.Add(1) })
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		<-done
	}
}

// serverErrors are the dashboard's 5xx answers, each classified: an
// honest relay names the cloud's failure (its error code, or that it did
// not answer in time) with 502, 503 or 504; anything else is the
// dashboard's own failure.
type serverErrors struct {
	mu   sync.Mutex
	list []serverError
}

type serverError struct {
	Who, Method, Path string
	Status            int
	Code              string // the cloud's error code the page names, if any
	Honest            bool
	Message           string
}

// relayedCodes are the failures the faulty cloud produces.
var relayedCodes = regexp.MustCompile(`\b(Throttling(\.[A-Za-z]+)?|InternalError|ServiceUnavailable|Timeout)\b`)

func (s *serverErrors) note(who, method, path string, status int, body []byte) {
	if status < 500 {
		return
	}
	e := serverError{Who: who, Method: method, Path: path, Status: status, Message: pageMessage(body)}
	e.Code = relayedCodes.FindString(string(body))
	e.Honest = e.Code != "" && (status == http.StatusBadGateway || status == http.StatusServiceUnavailable ||
		status == http.StatusGatewayTimeout)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, e)
}

func (s *serverErrors) snapshot() []serverError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]serverError(nil), s.list...)
}

// pageMessage is the gist of an error page: its main text, shortened.
func pageMessage(body []byte) string {
	text := string(body)
	if doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body)); err == nil {
		if m := doc.Find("main"); m.Length() > 0 {
			text = m.Text()
		} else {
			text = doc.Text()
		}
	}
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > 160 {
		text = text[:160] + "…"
	}
	return text
}
