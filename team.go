package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/config"
	"enidash/internal/database"
)

// team is what makes enidash a team tool: the database, the audit log and
// sign-in.
type team struct {
	db    *sql.DB
	audit *audit.SQLite
	auth  *auth.Service
	// storage watches the database's file and disk; ENI changes and
	// sign-ins are refused while it fails.
	storage *database.Monitor
	// firstStart is set when this start created the first admin.
	firstStart bool
}

// openTeam opens the database and builds the audit log and the sign-in
// service over it. Secrets come from the environment only. onRateLimited
// counts sign-ins refused by the limits.
func openTeam(ctx context.Context, cfg config.Config, logger *slog.Logger, onRateLimited func()) (*team, error) {
	t := cfg.Team
	_, statErr := os.Stat(t.DB)
	fresh := t.DB != database.Memory && errors.Is(statErr, fs.ErrNotExist)
	db, err := database.Open(ctx, t.DB)
	if err != nil {
		return nil, err
	}
	if fresh {
		// Said loudly: on a first start it is expected, but after a lost or
		// moved file it is the only sign that users and the audit log
		// start over.
		logger.Warn("the database file did not exist: created a new, empty one (users, session key and audit log start empty)",
			"db", database.Redact(t.DB))
	}
	fail := func(err error) (*team, error) {
		db.Close()
		return nil, err
	}
	log, err := audit.NewSQLite(ctx, db, t.AuditRetention)
	if err != nil {
		return fail(err)
	}
	log.Logger = logger
	storage, err := database.NewMonitor(ctx, db, t.DB, database.MonitorConfig{Logger: logger})
	if err != nil {
		return fail(err)
	}
	log.Writable = storage.Err
	store, err := auth.NewStore(ctx, db, auth.WithWritable(storage.Err))
	if err != nil {
		return fail(err)
	}
	users, err := store.Count(ctx)
	if err != nil {
		return fail(err)
	}
	if err := store.Bootstrap(ctx, os.Getenv("ENIDASH_ADMIN_PASSWORD"), logger); err != nil {
		return fail(err)
	}
	keys, err := auth.ParseSessionKeys(os.Getenv("ENIDASH_SESSION_KEYS"))
	if err != nil {
		return fail(fmt.Errorf("ENIDASH_SESSION_KEYS: %w", err))
	}
	proxies, err := auth.ParseProxies(t.TrustedProxies)
	if err != nil {
		return fail(fmt.Errorf("--trusted-proxies: %w", err))
	}
	role, _ := auth.ParseRole(t.AuthProxyRole) // checked by config.Parse
	svc, err := auth.New(ctx, store, auth.Config{
		SessionKeys: keys, IdleTimeout: t.SessionIdle, MaxAge: t.SessionMaxAge,
		Proxies: proxies, ProxyHeader: t.AuthProxyHeader, ProxyRole: role,
		Audit: log, Logger: logger, OnRateLimited: onRateLimited,
	})
	if err != nil {
		return fail(err)
	}
	return &team{db: db, audit: log, auth: svc, storage: storage, firstStart: users == 0}, nil
}
