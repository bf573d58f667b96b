package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/database"
	"enidash/internal/invsync"
)

// openTeam opens the database and builds the audit log, the storage
// monitor and sign-in over it: SQLite for one replica, PostgreSQL for
// several. Everything above the stores is the same code either way.
func (a *App) openTeam(ctx context.Context, cfg Config) (err error) {
	var store *auth.Store
	ac := cfg.Auth
	if database.IsPostgres(cfg.DB) {
		store, err = a.openPostgres(ctx, cfg, &ac)
	} else {
		store, err = a.openSQLite(ctx, cfg)
	}
	if err != nil {
		return err
	}
	users, err := store.Count(ctx)
	if err != nil {
		return err
	}
	a.FirstStart = users == 0
	if err := cfg.Seed(ctx, store); err != nil {
		return err
	}
	ac.Audit, ac.Logger = a.Audit, cfg.Logger
	if ac.OnRateLimited == nil {
		ac.OnRateLimited = cfg.Metrics.SignInRateLimited
	}
	a.Auth, err = auth.New(ctx, store, ac)
	return err
}

// openSQLite opens (creating if need be) the SQLite file of one replica.
func (a *App) openSQLite(ctx context.Context, cfg Config) (_ *auth.Store, err error) {
	_, statErr := os.Stat(cfg.DB)
	fresh := cfg.DB != database.Memory && errors.Is(statErr, fs.ErrNotExist)
	if a.DB, err = database.Open(ctx, cfg.DB); err != nil {
		return nil, err
	}
	if fresh {
		// Said loudly: on a first start it is expected, but after a lost or
		// moved file it is the only sign that users and the audit log
		// start over.
		cfg.Logger.Warn("the database file did not exist: created a new, empty one (users, session key and audit log start empty)",
			"db", database.Redact(cfg.DB))
	}
	log, err := audit.NewSQLite(ctx, a.DB, cfg.AuditRetention)
	if err != nil {
		return nil, err
	}
	log.Logger = cfg.Logger
	a.Audit = log
	if a.Storage, err = database.NewMonitor(ctx, a.DB, cfg.DB, database.MonitorConfig{Logger: cfg.Logger}); err != nil {
		return nil, err
	}
	log.Writable = a.Storage.Err
	return auth.NewStore(ctx, a.DB, append([]auth.StoreOption{auth.WithWritable(a.Storage.Err)}, cfg.StoreOptions...)...)
}

// openPostgres connects to the database the replicas share (migrating it
// if this replica is the first of a new version) and joins the inventory's
// coordination; sign-in limits are shared too, so more replicas do not
// mean more guesses.
func (a *App) openPostgres(ctx context.Context, cfg Config, ac *auth.Config) (_ *auth.Store, err error) {
	if cfg.Replica == "" {
		return nil, errors.New("app: Replica (this replica's name) is required with PostgreSQL")
	}
	if a.PG, err = database.OpenPostgres(ctx, cfg.DB); err != nil {
		return nil, err
	}
	a.DB = a.PG.DB
	a.Storage = database.NewPostgresMonitor(ctx, a.DB, cfg.DB, cfg.Replica, database.MonitorConfig{Logger: cfg.Logger})
	log, err := audit.NewPostgres(ctx, a.DB, cfg.AuditRetention)
	if err != nil {
		return nil, err
	}
	log.Logger, log.Writable = cfg.Logger, a.Storage.Err
	a.Audit = log
	if ac.Attempts == nil {
		ac.Attempts = auth.NewPostgresAttempts(a.DB)
	}
	if a.Coordinator, err = invsync.New(ctx, a.PG.Pool, cfg.Replica, cfg.Logger); err != nil {
		return nil, fmt.Errorf("app: joining the inventory's coordination: %w", err)
	}
	return auth.NewPostgresStore(ctx, a.DB, append([]auth.StoreOption{auth.WithWritable(a.Storage.Err)}, cfg.StoreOptions...)...)
}
