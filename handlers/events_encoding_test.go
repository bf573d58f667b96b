package handlers_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// browserEvent is one event as a browser's EventSource dispatches it.
type browserEvent struct {
	Type, Data, ID string
	// Fields are the names of the fields that made it up, in order.
	Fields []string
}

// readLikeABrowser parses an event stream as the HTML standard says a
// browser does: a line ends at CRLF, at a lone CR or at a lone LF; a line
// starting with a colon is a comment; otherwise the field name runs to
// the first colon, and one space after it is dropped.
func readLikeABrowser(r io.Reader, events chan<- browserEvent) {
	defer close(events)
	br := bufio.NewReader(r)
	var ev browserEvent
	var data []string
	line := []byte{}
	dispatch := func() {
		if len(data) > 0 {
			ev.Data = strings.Join(data, "\n")
			if ev.Type == "" {
				ev.Type = "message"
			}
			events <- ev
		}
		ev, data = browserEvent{}, nil
	}
	field := func(l string) {
		switch {
		case l == "":
			dispatch()
			return
		case strings.HasPrefix(l, ":"):
			return
		}
		name, value, _ := strings.Cut(l, ":")
		value = strings.TrimPrefix(value, " ")
		ev.Fields = append(ev.Fields, name)
		switch name {
		case "event":
			ev.Type = value
		case "data":
			data = append(data, value)
		case "id":
			ev.ID = value
		}
	}
	for {
		b, err := br.ReadByte()
		if err != nil {
			return
		}
		switch b {
		case '\r':
			if next, err := br.Peek(1); err == nil && next[0] == '\n' {
				br.ReadByte()
			}
			field(string(line))
			line = line[:0]
		case '\n':
			field(string(line))
			line = line[:0]
		default:
			line = append(line, b)
		}
	}
}

// Text the cloud holds is sent as data whatever it contains: a carriage
// return, CRLF, a line feed or NUL in an ENI's description can neither
// start a field of its own (an "event: reset" made pages reload) nor end
// the event early. A browser reassembles exactly the page's HTML, its
// line ends made LF and NUL replaced.
func TestEventsEncodeEveryLineEnd(t *testing.T) {
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: time.Hour})
	inst := env.Instance(t, "web-prod-01")
	beside := newENI(t, env, inst, "live-encoding-template")
	const desc = "normal text\revent: reset\rdata: \r\nretry: 1\nid: x\x00after nul\r\rend"
	res, err := env.Cloud.CreateENI(context.Background(), eni.CreateRequest{Region: "cn-hangzhou", VSwitchID: beside.VSwitchID,
		SecurityGroupIDs: beside.SecurityGroups, Name: "live-encoding", Description: desc})
	if err != nil {
		t.Fatal(err)
	}
	if got := mustENI(t, env, res.ENIID).Description; got != desc {
		t.Fatalf("the cloud holds description %q, want %q", got, desc)
	}

	p := get(t, env.URL+"/enis/"+res.ENIID+"?region=cn-hangzhou")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, liveURL(t, env, p), nil)
	resp, err := env.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan browserEvent, 64)
	go readLikeABrowser(resp.Body, events)

	post(t, actionPost(env, "attach", res.ENIID), url.Values{"region": {"cn-hangzhou"}, "instance": {inst.ID}}, "HX-Request", "true")
	want := "normal text\nevent: reset\ndata: \nretry: 1\nid: x\uFFFDafter nul\n\nend"
	deadline := time.After(wait)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the stream ended")
			}
			for _, f := range ev.Fields {
				if f != "id" && f != "event" && f != "data" && f != "retry" {
					t.Fatalf("event %q has a field %q: %q", ev.Type, f, ev.Data)
				}
			}
			if ev.Type != "row" || strings.Count(ev.Data, `id="eni-detail"`) == 0 {
				t.Fatalf("an event of type %q (fields %v) came: %q", ev.Type, ev.Fields, ev.Data)
			}
			if strings.Contains(ev.Data, "\x00") || !strings.Contains(ev.Data, want) {
				t.Fatalf("the description reached the page as something else:\n%q\nwant it to contain %q", ev.Data, want)
			}
			if strings.Contains(ev.Data, "Attaching") {
				return
			}
		case <-deadline:
			t.Fatal("no event of the attach came")
		}
	}
}
