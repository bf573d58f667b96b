// Package app builds the dashboard from its parts, in one place for the
// program and its tests: the database with the audit log and sign-in, the
// regions' inventory, the live-update hub, the handlers and the server.
// Every dependency is passed in; nothing is made up when one is missing.
package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/handlers"
	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/database"
	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/internal/invsync"
	"enidash/internal/live"
	"enidash/internal/lookup"
	"enidash/internal/metrics"
	"enidash/web"
)

// Config is everything the dashboard is built from.
type Config struct {
	// DB is the database's location: a SQLite file, created if missing,
	// database.Memory, or a postgres:// URL shared by several replicas.
	DB string
	// Replica names this replica among those sharing PostgreSQL.
	Replica string
	// AuditRetention is how long audit entries are kept; 0: audit.DefaultRetention.
	AuditRetention time.Duration
	// Auth configures sign-in; its Audit and Logger are this app's, and
	// OnRateLimited counts in Metrics when unset.
	Auth auth.Config
	// StoreOptions tune the user store (the tests' cheap hashing).
	StoreOptions []auth.StoreOption
	// Seed makes the first users once the store is open: the program's
	// first admin, the tests' one user per role.
	Seed func(ctx context.Context, users *auth.Store) error

	Cloud   eni.Cloud
	Logger  *slog.Logger
	Metrics *metrics.Registry
	// DefaultRegion is the region shown first.
	DefaultRegion string
	// CallTimeout bounds each page's cloud calls and the inventory's.
	CallTimeout time.Duration
	// LookupTTL is how long region, VPC, vSwitch, security group and
	// instance lists are cached.
	LookupTTL time.Duration
	// Inventory tunes the regions' snapshots (Logger and CallTimeout are
	// this app's); Linger is how long one outlives its last view.
	Inventory inventory.Config
	Linger    time.Duration
	// Live tunes the hub (Logger and Metrics are this app's; Names are the
	// look-ups' instance names when unset).
	Live      live.Config
	Heartbeat time.Duration
	Streams   handlers.StreamCaps
	BulkMax   int
	// HTTP are the server's timeouts and limits.
	HTTP web.HTTPLimits
}

// App is the built dashboard. Serve Server (its Handler is Echo); Close
// releases the rest.
type App struct {
	Echo      *echo.Echo
	Server    *http.Server
	Hub       *live.Hub
	Inventory *inventory.Manager
	Lookups   *lookup.Cache
	Storage   *database.Monitor
	Audit     audit.Store
	Auth      *auth.Service
	DB        *sql.DB
	// PG is set when the database is PostgreSQL (DB is then its pool
	// through database/sql); Coordinator shares the inventory with the
	// other replicas.
	PG          *database.Postgres
	Coordinator *invsync.Coordinator
	// FirstStart is set when the database had no users before Seed.
	FirstStart bool
}

// check names every missing dependency at once.
func (c Config) check() error {
	var errs []error
	missing := func(cond bool, what string) {
		if cond {
			errs = append(errs, fmt.Errorf("app: %s is required", what))
		}
	}
	missing(c.DB == "", "DB (the database's location)")
	missing(c.Seed == nil, "Seed (the first users)")
	missing(c.Cloud == nil, "Cloud")
	missing(c.Logger == nil, "Logger")
	missing(c.Metrics == nil, "Metrics")
	missing(c.DefaultRegion == "", "DefaultRegion")
	missing(c.CallTimeout <= 0, "CallTimeout (more than zero)")
	missing(c.LookupTTL <= 0, "LookupTTL (more than zero)")
	return errors.Join(errs...)
}

// New builds the dashboard. On error, whatever was opened is closed.
func New(ctx context.Context, cfg Config) (*App, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	a := &App{}
	if err := a.openTeam(ctx, cfg); err != nil {
		a.Close()
		return nil, err
	}
	ic := cfg.Inventory
	ic.Logger, ic.CallTimeout = cfg.Logger, cfg.CallTimeout
	if a.Coordinator != nil {
		ic.Coordinator = a.Coordinator
	}
	a.Inventory = inventory.NewManager(cfg.Cloud, ic, cfg.Linger)
	a.Lookups = lookup.New(cfg.Cloud, cfg.LookupTTL)
	lc := cfg.Live
	lc.Logger, lc.Metrics = cfg.Logger, cfg.Metrics.Live
	if lc.Names == nil {
		lc.Names = a.Lookups.InstanceNames
	}
	a.Hub = live.New(a.Inventory, lc)
	h, err := handlers.New(handlers.Deps{
		Cloud:         cfg.Cloud,
		Lookups:       a.Lookups,
		DefaultRegion: cfg.DefaultRegion,
		CallTimeout:   cfg.CallTimeout,
		Logger:        cfg.Logger,
		Audit:         a.Audit,
		Sessions:      a.Auth.Sessions(),
		Auth:          a.Auth,
		Live:          a.Hub,
		Inventory:     a.Inventory,
		Heartbeat:     cfg.Heartbeat,
		Streams:       cfg.Streams,
		Metrics:       cfg.Metrics.Handler(),
		Storage:       a.Storage,
		BulkMax:       cfg.BulkMax,
	})
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Echo = web.New(h, cfg.Logger)
	a.Server = web.NewHTTPServer(a.Echo, cfg.HTTP)
	// Live streams never end by themselves: closing the hub ends them, so
	// shutting down does not wait for them.
	a.Server.RegisterOnShutdown(a.Hub.Close)
	return a, nil
}

// RunBackground starts the upkeep a serving program needs until ctx ends:
// the audit log's retention and the storage probe every probeEvery.
func (a *App) RunBackground(ctx context.Context, probeEvery time.Duration) {
	go a.Audit.RunRetention(ctx, 6*time.Hour)
	go a.Storage.Run(ctx, probeEvery)
}

// Close ends the live streams and the regions' snapshots, then closes the
// database. It may be called more than once.
func (a *App) Close() error {
	if a.Hub != nil {
		a.Hub.Close()
	}
	if a.Inventory != nil {
		a.Inventory.Close()
	}
	if a.Coordinator != nil {
		a.Coordinator.Close()
	}
	switch {
	case a.PG != nil:
		return a.PG.Close()
	case a.DB != nil:
		return a.DB.Close()
	}
	return nil
}
