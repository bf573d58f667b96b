// Command enidash serves a dashboard for Alibaba Cloud ECS elastic network
// interfaces. With no cloud credentials it runs on an embedded ECS
// emulator; `enidash emulator` runs that emulator alone.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"enidash/handlers"
	"enidash/internal/aliyun"
	"enidash/internal/config"
	"enidash/internal/database"
	"enidash/internal/ecsemu"
	"enidash/internal/inventory"
	"enidash/internal/live"
	"enidash/internal/lookup"
	"enidash/internal/metrics"
	"enidash/web"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run is the program, writing its log and messages to stderr.
func run(args []string, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	alone := len(args) > 0 && args[0] == "emulator"
	if alone {
		args = args[1:]
	}
	cfg, err := config.Parse(args, os.Getenv, stderr, alone)
	if err != nil {
		fmt.Fprintln(stderr, "enidash:", err)
		return 2
	}
	if cfg.ShowedHelp {
		return 0
	}
	logger := newLogger(cfg.LogLevel, stderr)
	if alone {
		err = serveEmulator(ctx, cfg, logger)
	} else {
		err = serveDashboard(ctx, cfg, logger)
	}
	if err != nil {
		logger.Error("enidash stopped", "err", err)
		return 1
	}
	return 0
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level)) // validated by config.Parse
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// storageProbeEvery is how often the database's storage is probed in the
// background: a lost file or a full disk stops ENI changes within this.
const storageProbeEvery = 5 * time.Second

// serveDashboard wires the parts together and serves until ctx ends.
func serveDashboard(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	reg := metrics.New()
	cloud, where, err := openCloud(ctx, cfg, logger, reg.CloudCall)
	if err != nil {
		return err
	}
	team, err := openTeam(ctx, cfg, logger, reg.SignInRateLimited)
	if err != nil {
		return err
	}
	defer team.db.Close()
	go team.audit.RunRetention(ctx, 6*time.Hour)
	go team.storage.Run(ctx, storageProbeEvery)
	// One snapshot per watched region, the only source of live changes.
	inv := inventory.NewManager(cloud, inventory.Config{Budget: cfg.Inventory.Budget, Slow: cfg.Live.Slow,
		Fast: cfg.Live.Fast, StuckAfter: cfg.Live.StuckAfter, CallTimeout: cfg.CallTimeout, Logger: logger}, cfg.Inventory.Linger)
	defer inv.Close()
	lookups := lookup.New(cloud, cfg.LookupTTL)
	hub := live.New(inv, live.Config{StuckAfter: cfg.Live.StuckAfter, MaxPollers: cfg.Live.MaxPollers,
		Names: lookups.InstanceNames, Logger: logger, Metrics: reg.Live})
	defer hub.Close()
	h := handlers.New(handlers.Deps{
		Cloud:         cloud,
		Lookups:       lookups,
		DefaultRegion: cfg.Region,
		CallTimeout:   cfg.CallTimeout,
		Logger:        logger,
		Audit:         team.audit,
		Sessions:      team.auth.Sessions(),
		Auth:          team.auth,
		Live:          hub,
		Inventory:     inv,
		Heartbeat:     cfg.Live.Heartbeat,
		Streams:       handlers.StreamCaps{PerSession: cfg.Live.MaxStreamsPerSession, Total: cfg.Live.MaxStreams},
		Metrics:       reg.Handler(),
		Storage:       team.storage,
		BulkMax:       cfg.BulkMax,
	})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	logger.Info("enidash is serving", "url", "http://"+ln.Addr().String()+"/", "cloud", where, "db", database.Redact(cfg.Team.DB))
	fmt.Fprintf(os.Stderr, "\n  enidash: open http://%s/  (cloud: %s)\n", ln.Addr(), where)
	if team.firstStart {
		how := "the password logged above (shown only this once)"
		if os.Getenv("ENIDASH_ADMIN_PASSWORD") != "" {
			how = "the password in ENIDASH_ADMIN_PASSWORD"
		}
		fmt.Fprintf(os.Stderr, "  first start: sign in as admin with %s, then change it under your name\n", how)
	}
	fmt.Fprintln(os.Stderr)
	srv := web.NewHTTPServer(web.New(h, logger), web.HTTPLimits{})
	// Live streams never end by themselves: closing the hub ends them, so
	// shutting down does not wait for them.
	srv.RegisterOnShutdown(hub.Close)
	return serve(ctx, srv, ln, logger)
}

// openCloud decides which cloud to talk to. Deciding never contacts
// anything: it looks only at flags, environment and profile files.
func openCloud(ctx context.Context, cfg config.Config, logger *slog.Logger, onCall func(action, outcome string)) (*aliyun.Client, string, error) {
	mode := cfg.Cloud
	if mode == config.CloudAuto {
		home, _ := os.UserHomeDir()
		mode = config.CloudEmulator
		if cfg.ECSEndpoint != "" || aliyun.CredentialsConfigured(os.Getenv, home) {
			mode = config.CloudAliyun
		}
	}
	acfg := aliyun.Config{CallTimeout: cfg.CallTimeout, Logger: logger, OnCall: onCall}
	where := "Alibaba Cloud"
	switch {
	case mode == config.CloudEmulator:
		emu, addr, err := startEmulator(ctx, cfg, logger)
		if err != nil {
			return nil, "", err
		}
		acfg.Endpoint, acfg.Protocol = addr, "http"
		acfg.AccessKeyID, acfg.AccessKeySecret = emu.AccessKey()
		where = "embedded emulator at http://" + addr
	case cfg.ECSEndpoint != "":
		endpoint, protocol, err := parseEndpoint(cfg.ECSEndpoint)
		if err != nil {
			return nil, "", err
		}
		acfg.Endpoint, acfg.Protocol = endpoint, protocol
		acfg.AccessKeyID = os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID")
		acfg.AccessKeySecret = os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
		if acfg.AccessKeyID == "" || acfg.AccessKeySecret == "" {
			return nil, "", errors.New("--ecs-endpoint needs ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (for `enidash emulator`, the pair it prints)")
		}
		where = protocol + "://" + endpoint
	}
	c, err := aliyun.New(acfg)
	if err != nil {
		return nil, "", fmt.Errorf("setting up the ECS client: %w", err)
	}
	return c, where, nil
}

// parseEndpoint accepts host:port or a URL. Without a scheme, loopback
// endpoints are taken as plain HTTP (an emulator), others as HTTPS.
func parseEndpoint(s string) (host, protocol string, err error) {
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return "", "", fmt.Errorf("--ecs-endpoint %q: want host:port or http(s)://host:port", s)
		}
		return u.Host, u.Scheme, nil
	}
	h, _, err := net.SplitHostPort(s)
	if err != nil {
		h = s
	}
	if ip := net.ParseIP(h); h == "localhost" || (ip != nil && ip.IsLoopback()) {
		return s, "http", nil
	}
	return s, "https", nil
}

// startEmulator runs the embedded emulator on a free loopback port for the
// life of ctx.
func startEmulator(ctx context.Context, cfg config.Config, logger *slog.Logger) (*ecsemu.Emulator, string, error) {
	emu := ecsemu.New(emulatorConfig(cfg, logger))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("starting the emulator: %w", err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	context.AfterFunc(ctx, func() {
		srv.Close()
		emu.Close()
	})
	return emu, ln.Addr().String(), nil
}

func emulatorConfig(cfg config.Config, logger *slog.Logger) ecsemu.Config {
	e := cfg.Emulator
	return ecsemu.Config{
		AccessKeyID:     os.Getenv("ENIDASH_EMULATOR_ACCESS_KEY_ID"),
		AccessKeySecret: os.Getenv("ENIDASH_EMULATOR_ACCESS_KEY_SECRET"),
		World: ecsemu.WorldConfig{
			ExtraENIs:   e.ExtraENIs,
			AttachDelay: e.AttachDelay, DetachDelay: e.DetachDelay, DeleteDelay: e.DeleteDelay,
		},
		Faults: ecsemu.Faults{
			ThrottleRate: e.ThrottleRate, ErrorRate: e.ErrorRate, Latency: e.Latency, StuckTransitions: e.Stuck,
		},
		Logger: logger.With("component", "emulator"),
	}
}

// serveEmulator is `enidash emulator`: the emulator alone on --addr.
func serveEmulator(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	emu := ecsemu.New(emulatorConfig(cfg, logger))
	defer emu.Close()
	ln, err := net.Listen("tcp", cfg.Emulator.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Emulator.Addr, err)
	}
	id, secret := emu.AccessKey()
	fmt.Fprintf(os.Stderr, "\n  ECS emulator (API version %s) at http://%s/\n  AccessKeyId:     %s\n  AccessKeySecret: %s\n  Faults:          http://%s/_emulator/faults\n\n",
		ecsemu.APIVersion, ln.Addr(), id, secret, ln.Addr())
	return serve(ctx, &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}, ln, logger)
}

// serve runs srv on ln until ctx ends, then shuts it down gracefully.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}
