package web_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"enidash/internal/ecsemu"
	"enidash/web"
	"enidash/web/webtest"
)

// guard bounds how long a test waits for the server to close a
// connection; it is a guard against hanging, not a measure.
const guard = 15 * time.Second

// closedByServer reads conn until the server closes it and returns what
// it sent first; the test fails if it is still open after guard.
func closedByServer(t *testing.T, conn net.Conn) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(guard))
	b, err := io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server still holds the connection after %s (read %q)", guard, b)
	}
	return string(b)
}

func dial(t *testing.T, env *webtest.Env) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(env.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// A client that sends its body slowly, or opens a connection and sends
// nothing, or keeps one open after its request, does not hold it: the
// server's read, header and idle timeouts close each. A live stream
// outlives the read timeout.
func TestServerClosesSlowAndIdleConnections(t *testing.T) {
	const short = 200 * time.Millisecond
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Heartbeat: 50 * time.Millisecond,
		HTTP: web.HTTPLimits{ReadHeaderTimeout: short, ReadTimeout: short, IdleTimeout: short}})

	slow := dial(t, env)
	fmt.Fprintf(slow, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: 100\r\nSec-Fetch-Site: same-origin\r\n\r\nusername=", strings.TrimPrefix(env.URL, "http://"))
	closedByServer(t, slow)

	silent := dial(t, env)
	closedByServer(t, silent)

	kept := dial(t, env)
	fmt.Fprintf(kept, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", strings.TrimPrefix(env.URL, "http://"))
	if got := closedByServer(t, kept); !strings.HasPrefix(got, "HTTP/1.1 200") {
		t.Fatalf("the kept-alive connection answered %q", got)
	}

	p := do(t, env.Client, http.MethodGet, env.URL+"/enis?region=cn-hangzhou", nil)
	p.Body.Close()
	s := webtest.OpenSSE(t, env.Client, env.URL+"/events?region=cn-hangzhou", "")
	if s.Resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: %d", s.Resp.StatusCode)
	}
	// Ten heartbeats 50 ms apart cannot come before the read timeout.
	for range 10 {
		s.NextComment(t, guard)
	}
}

// The server built for production has the documented limits; a request
// head past 64 KiB is refused (431) rather than read.
func TestServerLimitsRequestHeads(t *testing.T) {
	srv := web.NewHTTPServer(http.NotFoundHandler(), web.HTTPLimits{})
	if srv.ReadHeaderTimeout != 10*time.Second || srv.ReadTimeout != 30*time.Second || srv.WriteTimeout != 0 ||
		srv.IdleTimeout != 120*time.Second || srv.MaxHeaderBytes != 64<<10 {
		t.Fatalf("server limits: header %s, read %s, write %s, idle %s, head %d bytes",
			srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
	env := webtest.Start(t, ecsemu.Config{})
	conn := dial(t, env)
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\nX-Padding: %s\r\n\r\n", strings.TrimPrefix(env.URL, "http://"), strings.Repeat("a", 100<<10))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("a 100 KiB head: %d, want 431", res.StatusCode)
	}
}
