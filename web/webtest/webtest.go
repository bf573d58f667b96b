// Package webtest starts the whole dashboard for tests: the embedded
// emulator, the real SDK client over HTTP, the handlers and the Echo
// server, each on its own loopback port.
package webtest

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"enidash/handlers"
	"enidash/internal/aliyun"
	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/lookup"
	"enidash/web"
)

// Env is a running dashboard on an emulator.
type Env struct {
	URL      string // the dashboard, e.g. http://127.0.0.1:41234
	Endpoint string // the emulator's host:port
	Emulator *ecsemu.Emulator
	Cloud    *aliyun.Client // a client of the emulator, for setting up and checking state
	Audit    audit.Log      // the dashboard's audit log
}

// Options adjust what Start builds.
type Options struct {
	// Intercept sees every request to the emulator first and may answer it
	// itself (returning true), to play a cloud failure the emulator has no
	// fault for.
	Intercept func(w http.ResponseWriter, r *http.Request) bool
}

// Start runs a dashboard on a fresh emulator configured by cfg; everything
// stops when the test ends. The emulator's delays default to short ones.
func Start(t testing.TB, cfg ecsemu.Config) *Env {
	return StartWith(t, cfg, Options{})
}

// StartWith is Start with options.
func StartWith(t testing.TB, cfg ecsemu.Config, opts Options) *Env {
	t.Helper()
	if cfg.World.AttachDelay == 0 {
		cfg.World.AttachDelay, cfg.World.DetachDelay, cfg.World.DeleteDelay = 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond
	}
	emu := ecsemu.New(cfg)
	var upstream http.Handler = emu
	if opts.Intercept != nil {
		upstream = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !opts.Intercept(w, r) {
				emu.ServeHTTP(w, r)
			}
		})
	}
	emuSrv := httptest.NewServer(upstream)
	t.Cleanup(func() {
		emuSrv.Close()
		emu.Close()
	})
	endpoint := emuSrv.Listener.Addr().String()
	id, secret := emu.AccessKey()
	cloud, err := aliyun.New(aliyun.Config{Endpoint: endpoint, Protocol: "http", AccessKeyID: id, AccessKeySecret: secret,
		CallTimeout: 10 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	log := audit.NewMemory()
	h := handlers.New(handlers.Deps{
		Cloud:         cloud,
		Lookups:       lookup.New(cloud, time.Minute),
		DefaultRegion: "cn-hangzhou",
		Logger:        logger,
		Audit:         log,
	})
	srv := httptest.NewServer(web.New(h, logger))
	t.Cleanup(srv.Close)
	return &Env{URL: srv.URL, Endpoint: endpoint, Emulator: emu, Cloud: cloud, Audit: log}
}
