package audit

import (
	"context"
	"database/sql"
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
		sql: rebind,
	})
}
