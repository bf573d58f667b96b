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
	"enidash/internal/app"
	"enidash/internal/auth"
	"enidash/internal/config"
	"enidash/internal/database"
	"enidash/internal/ecsemu"
	"enidash/internal/inventory"
	"enidash/internal/live"
	"enidash/internal/metrics"
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
		err = serveEmulator(ctx, cfg, logger, stderr)
	} else {
		err = serveDashboard(ctx, cfg, logger, stderr)
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

// serveDashboard builds the dashboard and serves it until ctx ends.
func serveDashboard(ctx context.Context, cfg config.Config, logger *slog.Logger, stderr io.Writer) error {
	reg := metrics.New()
	cloud, where, err := openCloud(ctx, cfg, logger, reg.CloudCall)
	if err != nil {
		return err
	}
	acfg, err := appConfig(cfg, cloud, logger, reg)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, acfg)
	if err != nil {
		return err
	}
	defer a.Close()
	a.RunBackground(ctx, storageProbeEvery)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	logger.Info("enidash is serving", "url", "http://"+ln.Addr().String()+"/", "cloud", where, "db", database.Redact(cfg.Team.DB))
	fmt.Fprintf(stderr, "\n  enidash: open http://%s/  (cloud: %s)\n", ln.Addr(), where)
	if a.FirstStart {
		how := "the password logged above (shown only this once)"
		if os.Getenv("ENIDASH_ADMIN_PASSWORD") != "" {
			how = "the password in ENIDASH_ADMIN_PASSWORD"
		}
		fmt.Fprintf(stderr, "  first start: sign in as admin with %s, then change it under your name\n", how)
	}
	fmt.Fprintln(stderr)
	return serve(ctx, a.Server, ln, logger)
}

// appConfig turns the settings into the dashboard's parts. Secrets come
// from the environment only.
func appConfig(cfg config.Config, cloud *aliyun.Client, logger *slog.Logger, reg *metrics.Registry) (app.Config, error) {
	t := cfg.Team
	keys, err := auth.ParseSessionKeys(os.Getenv("ENIDASH_SESSION_KEYS"))
	if err != nil {
		return app.Config{}, fmt.Errorf("ENIDASH_SESSION_KEYS: %w", err)
	}
	proxies, err := auth.ParseProxies(t.TrustedProxies)
	if err != nil {
		return app.Config{}, fmt.Errorf("--trusted-proxies: %w", err)
	}
	role, _ := auth.ParseRole(t.AuthProxyRole) // checked by config.Parse
	replica := t.Replica
	if replica == "" {
		host, _ := os.Hostname()
		replica = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	return app.Config{
		DB:             t.DB,
		Replica:        replica,
		AuditRetention: t.AuditRetention,
		Auth: auth.Config{SessionKeys: keys, IdleTimeout: t.SessionIdle, MaxAge: t.SessionMaxAge,
			Proxies: proxies, ProxyHeader: t.AuthProxyHeader, ProxyRole: role},
		Seed: func(ctx context.Context, users *auth.Store) error {
			return users.Bootstrap(ctx, os.Getenv("ENIDASH_ADMIN_PASSWORD"), logger)
		},
		Cloud:         cloud,
		Logger:        logger,
		Metrics:       reg,
		DefaultRegion: cfg.Region,
		CallTimeout:   cfg.CallTimeout,
		LookupTTL:     cfg.LookupTTL,
		// One snapshot per watched region, the only source of live changes.
		Inventory: inventory.Config{Budget: cfg.Inventory.Budget, Slow: cfg.Live.Slow, Fast: cfg.Live.Fast,
			StuckAfter: cfg.Live.StuckAfter},
		Linger:    cfg.Inventory.Linger,
		Live:      live.Config{StuckAfter: cfg.Live.StuckAfter, MaxPollers: cfg.Live.MaxPollers},
		Heartbeat: cfg.Live.Heartbeat,
		Streams:   handlers.StreamCaps{PerSession: cfg.Live.MaxStreamsPerSession, Total: cfg.Live.MaxStreams},
		BulkMax:   cfg.BulkMax,
	}, nil
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
func serveEmulator(ctx context.Context, cfg config.Config, logger *slog.Logger, stderr io.Writer) error {
	emu := ecsemu.New(emulatorConfig(cfg, logger))
	defer emu.Close()
	ln, err := net.Listen("tcp", cfg.Emulator.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Emulator.Addr, err)
	}
	id, secret := emu.AccessKey()
	fmt.Fprintf(stderr, "\n  ECS emulator (API version %s) at http://%s/\n  AccessKeyId:     %s\n  AccessKeySecret: %s\n  Faults:          http://%s/_emulator/faults\n\n",
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
