package audit

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"enidash/internal/database"
	"enidash/internal/database/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestStorePostgres(t *testing.T) {
	runStoreSuite(t, backend{
		fresh: func(t *testing.T) func(t *testing.T) *sql.DB {
			url := pgtest.URL(t)
			return func(t *testing.T) *sql.DB {
				pg, err := database.OpenPostgres(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { pg.Close() })
				return pg.DB
			}
		},
		open: func(ctx context.Context, db *sql.DB, retention time.Duration) (Store, error) {
			return NewPostgres(ctx, db, retention)
		},
		sql:         rebind,
		pruneCutoff: pgPruneCutoff,
	})
}

// TRUNCATE bypasses row triggers, so the table has a statement trigger
// of its own for it.
func TestPostgresRefusesTruncate(t *testing.T) {
	pg := openPostgres(t)
	s, err := NewPostgres(context.Background(), pg.DB, 0)
	if err != nil {
		t.Fatal(err)
	}
	begin(t, s, Entry{Actor: "tess", Action: ActionAttach})
	if _, err := pg.DB.Exec(`TRUNCATE audit_log`); err == nil {
		t.Error("the audit log was truncated")
	}
	if n := len(query(t, s, Query{}).Entries); n != 1 {
		t.Errorf("%d entries left, want 1", n)
	}
}

// A database the migrations have not reached is named as such, not
// left to fail at the first entry.
func TestNewPostgresWithoutMigrations(t *testing.T) {
	db, err := sql.Open("pgx", pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = NewPostgres(context.Background(), db, 0)
	if err == nil || !strings.Contains(err.Error(), "no audit_log table") {
		t.Errorf("NewPostgres on an empty database: %v, want it to say the table is missing", err)
	}
}

func openPostgres(t testing.TB) *database.Postgres {
	t.Helper()
	pg, err := database.OpenPostgres(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	return pg
}
