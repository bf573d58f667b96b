package web

import (
	"net/http"
	"time"
)

// HTTPLimits bound what a client may hold of the server; zero fields take
// the defaults below.
type HTTPLimits struct {
	// ReadHeaderTimeout bounds reading a request's head (10 s).
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included (30 s):
	// a slow-body POST cannot hold a connection. Live streams take their
	// connection over and leave it behind.
	ReadTimeout time.Duration
	// IdleTimeout closes a kept-alive connection with no request (120 s).
	IdleTimeout time.Duration
	// MaxHeaderBytes caps a request's head (64 KiB).
	MaxHeaderBytes int
}

// Defaults of HTTPLimits. There is no write timeout for the whole server:
// a live stream sets a deadline on each write, and other pages are bounded
// by their cloud calls' deadline.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
)

// NewHTTPServer is the http.Server of the dashboard, for main and for
// tests alike, so both run with the same limits.
func NewHTTPServer(h http.Handler, l HTTPLimits) *http.Server {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&l.ReadTimeout, DefaultReadTimeout)
	def(&l.IdleTimeout, DefaultIdleTimeout)
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}
