package database

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// IsPostgres reports whether loc names a PostgreSQL database
// (postgres://… or postgresql://…) rather than a SQLite file.
func IsPostgres(loc string) bool {
	return strings.HasPrefix(loc, "postgres://") || strings.HasPrefix(loc, "postgresql://")
}

// Postgres is an open PostgreSQL database shared by the replicas: Pool for
// what needs pgx itself (LISTEN, a held connection for advisory locks), DB
// the same pool through database/sql for the stores.
type Postgres struct {
	Pool *pgxpool.Pool
	DB   *sql.DB
}

// OpenPostgres connects to url and applies the embedded migrations (under
// an advisory lock, so replicas starting together take turns). Errors
// never carry the URL's password.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's parse errors quote the connection string: say only where.
		return nil, fmt.Errorf("database: %s is not a valid PostgreSQL URL", Redact(url))
	}
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "enidash"
	if !strings.Contains(url, "pool_max_conns") {
		// pgx's default is the number of CPUs (at least 4): too few for
		// many open streams re-checking their sessions at once. The URL's
		// pool_max_conns overrides this.
		cfg.MaxConns = 16
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// A host that drops packets would otherwise hold each request for
		// the kernel's TCP timeout (minutes); connect_timeout in the URL
		// overrides this.
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", Redact(url), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: open %s: %w", Redact(url), scrub(err, cfg.ConnConfig.Password))
	}
	pg := &Postgres{Pool: pool, DB: stdlib.OpenDBFromPool(pool)}
	if err := Migrate(ctx, pg.DB); err != nil {
		pg.Close()
		return nil, fmt.Errorf("database: migrating %s: %w", Redact(url), scrub(err, cfg.ConnConfig.Password))
	}
	return pg, nil
}

// Close closes the database/sql handle and the pool under it.
func (p *Postgres) Close() error {
	err := p.DB.Close()
	p.Pool.Close()
	return err
}

// scrub hides password in err's text should a driver ever quote it.
func scrub(err error, password string) error {
	if err == nil || password == "" || !strings.Contains(err.Error(), password) {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), password, "xxxxx"))
}
