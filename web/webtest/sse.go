package webtest

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// SSEEvent is one Server-Sent Event as read off a stream; a comment line
// (a heartbeat) comes as an event with only Comment set.
type SSEEvent struct {
	ID, Event, Data, Comment string
}

// SSEStream reads a text/event-stream response.
type SSEStream struct {
	Resp   *http.Response
	events chan SSEEvent
	cancel context.CancelFunc
}

// OpenSSE opens url with client, sending lastEventID when set. The stream
// is closed when the test ends, or by Close.
func OpenSSE(t testing.TB, client *http.Client, url, lastEventID string) *SSEStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := client.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	s := &SSEStream{Resp: resp, events: make(chan SSEEvent, 1024), cancel: cancel}
	go s.read()
	t.Cleanup(s.Close)
	return s
}

func (s *SSEStream) read() {
	defer close(s.events)
	defer s.Resp.Body.Close()
	sc := bufio.NewScanner(s.Resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var ev SSEEvent
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Event != "" || len(data) > 0 || ev.ID != "" {
				ev.Data = strings.Join(data, "\n")
				s.events <- ev
			}
			ev, data = SSEEvent{}, nil
		case strings.HasPrefix(line, ":"):
			s.events <- SSEEvent{Comment: strings.TrimSpace(line[1:])}
		default:
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimPrefix(v, " ")
			switch k {
			case "id":
				ev.ID = v
			case "event":
				ev.Event = v
			case "data":
				data = append(data, v)
			}
		}
	}
}

// Next returns the next event (not comment) for which match is true,
// skipping others; the test fails if none comes within wait.
func (s *SSEStream) Next(t testing.TB, wait time.Duration, match func(SSEEvent) bool) SSEEvent {
	t.Helper()
	return s.next(t, wait, func(ev SSEEvent) bool { return ev.Comment == "" && match(ev) })
}

// NextComment returns the next comment line, skipping events.
func (s *SSEStream) NextComment(t testing.TB, wait time.Duration) string {
	t.Helper()
	return s.next(t, wait, func(ev SSEEvent) bool { return ev.Comment != "" }).Comment
}

func (s *SSEStream) next(t testing.TB, wait time.Duration, match func(SSEEvent) bool) SSEEvent {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatal("the stream ended")
			}
			if match(ev) {
				return ev
			}
		case <-deadline:
			t.Fatalf("nothing matching within %s", wait)
		}
	}
}

// Close ends the stream from the client's side.
func (s *SSEStream) Close() { s.cancel() }
