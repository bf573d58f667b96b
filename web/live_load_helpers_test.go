package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// The client side of the live-update load benchmarks: many SSE streams,
// each read by one goroutine through a small bufio.Scanner that hands each
// row event to a callback with the time it arrived, without keeping it.

// rowFunc is called, from stream i's goroutine, for each row event (a
// changed or added row) with the ENI it shows, its status and when it
// arrived.
type rowFunc func(i int, id, status string, at time.Time)

// loadStreams are the open streams of one benchmark.
type loadStreams struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// openStreams opens n streams, stream i at urls[i%len(urls)], at most
// parallel at a time, and returns once every one has answered 200.
func openStreams(tb testing.TB, client *http.Client, urls []string, n, parallel int, onRow rowFunc) *loadStreams {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &loadStreams{cancel: cancel}
	next := make(chan int)
	errc := make(chan error, parallel)
	var opening sync.WaitGroup
	for range parallel {
		opening.Go(func() {
			for i := range next {
				if err := s.open(ctx, client, urls[i%len(urls)], i, onRow); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case err = <-errc:
			break feed
		}
	}
	close(next)
	opening.Wait()
	if err == nil && len(errc) > 0 {
		err = <-errc
	}
	if err != nil {
		s.Close()
		tb.Fatalf("opening %d streams: %v", n, err)
	}
	return s
}

func (s *loadStreams) open(ctx context.Context, client *http.Client, u string, i int, onRow rowFunc) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("stream %d: %w", i, err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return fmt.Errorf("stream %d: %s", i, res.Status)
	}
	s.wg.Go(func() { readRows(res.Body, i, onRow) })
	return nil
}

// Close ends every stream from the client's side and waits for their
// readers to return.
func (s *loadStreams) Close() {
	s.cancel()
	s.wg.Wait()
}

var (
	markRow    = []byte(`id="row-`)
	markStatus = []byte(`data-status="`)
)

// readRows reads one stream until it ends, calling onRow at the blank line
// that ends each row event: the first row id in the event, and the first
// data-status after it (the row's own, before its badge's).
func readRows(body io.ReadCloser, i int, onRow rowFunc) {
	defer body.Close()
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var isRow bool
	var id, status string
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case len(line) == 0:
			if isRow && id != "" && status != "" {
				onRow(i, id, status, time.Now())
			}
			isRow, id, status = false, "", ""
		case bytes.HasPrefix(line, []byte("event: ")):
			k := string(line[len("event: "):])
			isRow = k == "row" || k == "added"
		case isRow && status == "" && bytes.HasPrefix(line, []byte("data: ")):
			if id == "" {
				var rest []byte
				if id, rest = attr(line, markRow); id != "" {
					line = rest
				}
			}
			if id != "" {
				status, _ = attr(line, markStatus)
			}
		}
	}
}

// attr finds mark (an attribute's start, through its opening quote) and
// returns its value and what follows it.
func attr(line, mark []byte) (string, []byte) {
	k := bytes.Index(line, mark)
	if k < 0 {
		return "", nil
	}
	rest := line[k+len(mark):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return "", nil
	}
	return string(rest[:end]), rest[end:]
}

// streamURL is the stream the list page at pageURL opens (its sse-connect).
func streamURL(tb testing.TB, client *http.Client, base, pageURL string) string {
	tb.Helper()
	res, err := client.Get(pageURL)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %s", pageURL, res.Status)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	u, ok := doc.Find("[sse-connect]").Attr("sse-connect")
	if !ok {
		tb.Fatalf("%s opens no live stream", pageURL)
	}
	return base + u
}

// htmxPost posts form to u as htmx does from a row of view (back), and
// returns when the answer has been read.
func htmxPost(tb testing.TB, client *http.Client, u string, form url.Values) time.Time {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("HX-Request", "true")
	res, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	done := time.Now()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("POST %s: %s\n%s", u, res.Status, b)
	}
	return done
}

// scrape reads the dashboard's /metrics: each sample by its name and
// labels as written, e.g. `enidash_cloud_calls_total{action="…",outcome="ok"}`.
func scrape(tb testing.TB, base string) map[string]float64 {
	tb.Helper()
	m, err := readMetrics(base)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// readMetrics is scrape for goroutines that may not fail the test.
func readMetrics(base string) (map[string]float64, error) {
	res, err := http.Get(base + "/metrics")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("/metrics: %s", res.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		k := strings.LastIndexByte(line, ' ')
		if v, err := strconv.ParseFloat(line[k+1:], 64); k > 0 && err == nil {
			out[line[:k]] = v
		}
	}
	return out, sc.Err()
}

// cloudCalls sums enidash_cloud_calls_total over every outcome of the
// actions named, or of all actions when none is.
func cloudCalls(m map[string]float64, actions ...string) float64 {
	var n float64
	for k, v := range m {
		rest, ok := strings.CutPrefix(k, "enidash_cloud_calls_total{")
		if !ok {
			continue
		}
		if len(actions) == 0 || slices.ContainsFunc(actions, func(a string) bool {
			return strings.Contains(rest, `action="`+a+`"`)
		}) {
			n += v
		}
	}
	return n
}

// waitMetric waits until the metric reads want, failing after limit.
func waitMetric(tb testing.TB, base, name string, want float64, limit time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for {
		got := scrape(tb, base)[name]
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s = %v after %s, want %v", name, got, limit, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// envDuration reads a duration from the environment, or def.
func envDuration(tb testing.TB, name string, def time.Duration) time.Duration {
	tb.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return d
}

// envInt reads a positive integer from the environment, or def.
func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// percentile of sorted durations, in milliseconds.
func percentileMS(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	k := min(int(float64(len(sorted))*p), len(sorted)-1)
	return float64(sorted[k].Microseconds()) / 1000
}

// loadTransport is a transport of its own for the streams, so closing it
// leaves no connection behind.
func loadTransport() *http.Transport {
	return &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 5 * time.Second, DisableCompression: true}
}
