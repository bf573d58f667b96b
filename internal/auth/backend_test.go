package auth_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
	"enidash/internal/database"
	"enidash/internal/database/pgtest"
)

// backend is one kind of database sign-in can keep its records in; the
// shared suites run against each.
type backend struct {
	name string
	// env is sign-in on a fresh database of this kind. Reopen on it gives
	// a second store and service on the same database, as a restart (or,
	// on PostgreSQL, another replica) would.
	env func(t *testing.T, cfg auth.Config) *authtest.Env
	// attempts is where the sign-in limits of env's replicas are counted.
	attempts func(env *authtest.Env) auth.Attempts
	// unreachable makes env's database unreadable, as an outage does.
	unreachable func(t *testing.T, env *authtest.Env)
}

var (
	sqliteBackend = backend{
		name: "SQLite",
		env:  func(t *testing.T, cfg auth.Config) *authtest.Env { return authtest.New(t, cfg) },
		// One replica: its own memory is enough.
		attempts: func(*authtest.Env) auth.Attempts { return auth.NewMemoryAttempts() },
		unreachable: func(t *testing.T, env *authtest.Env) {
			if err := os.Remove(env.Path); err != nil {
				t.Fatal(err)
			}
			env.DB.SetMaxIdleConns(0) // each read opens the deleted file anew, and fails
		},
	}
	postgresBackend = backend{
		name: "PostgreSQL",
		env: func(t *testing.T, cfg auth.Config) *authtest.Env {
			db := openPostgres(t).DB
			if cfg.Attempts == nil {
				cfg.Attempts = auth.NewPostgresAttempts(db)
			}
			return authtest.NewPostgres(t, db, cfg)
		},
		attempts: func(env *authtest.Env) auth.Attempts { return auth.NewPostgresAttempts(env.DB) },
		unreachable: func(t *testing.T, env *authtest.Env) {
			// The database goes away under the open pool: its connections
			// are closed and new ones are refused.
			var name string
			if err := env.DB.QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
				t.Fatal(err)
			}
			admin, err := sql.Open("pgx", pgtest.Shared(t).Admin)
			if err != nil {
				t.Fatal(err)
			}
			defer admin.Close()
			if _, err := admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
				t.Fatal(err)
			}
		},
	}
)

// openPostgres is a fresh, migrated PostgreSQL database for one test.
func openPostgres(t testing.TB) *database.Postgres {
	t.Helper()
	pg, err := database.OpenPostgres(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	return pg
}
