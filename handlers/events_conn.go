package handlers

import (
	"bytes"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// hijack takes an HTTP/1.1 connection over from the server and writes the
// head of the event-stream response on it, with the headers set so far
// (security headers, a refreshed session cookie). The body then runs
// until the connection closes. HTTP/2 cannot be taken over: the error
// says to stream within the handler instead.
func hijack(w *echo.Response) (net.Conn, error) {
	if w.Committed {
		return nil, http.ErrNotSupported
	}
	conn, _, err := http.NewResponseController(w.Writer).Hijack()
	if err != nil {
		return nil, err
	}
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	hdr := w.Header().Clone()
	hdr.Set("Connection", "close")
	hdr.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if err := hdr.Write(&head); err != nil {
		conn.Close()
		return nil, err
	}
	head.WriteString("\r\n")
	if err := connSender(conn)(head.Bytes()); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// connSender writes to a taken-over connection, giving up on a browser
// that does not take the bytes within writeWait.
func connSender(conn net.Conn) func([]byte) error {
	return func(b []byte) error {
		if err := conn.SetWriteDeadline(time.Now().Add(writeWait)); err != nil {
			return err
		}
		_, err := conn.Write(b)
		return err
	}
}
