package database_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"enidash/internal/database"
	"enidash/internal/database/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestIsPostgres(t *testing.T) {
	for loc, want := range map[string]bool{
		"postgres://u:p@h/db": true, "postgresql://h/db": true,
		"enidash.db": false, ":memory:": false, "/var/lib/postgres/x.db": false,
	} {
		if got := database.IsPostgres(loc); got != want {
			t.Errorf("IsPostgres(%q) = %v, want %v", loc, got, want)
		}
	}
}

// Replicas starting at the same moment on a fresh database both start,
// and every migration is applied exactly once.
func TestMigrateConcurrently(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	const replicas = 4
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	pgs := make([]*database.Postgres, replicas)
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pgs[i], errs[i] = database.OpenPostgres(ctx, url)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		defer pgs[i].Close()
	}
	all, err := database.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var n, maxV int
	if err := pgs[0].DB.QueryRow(`SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &maxV); err != nil {
		t.Fatal(err)
	}
	if n != len(all) || maxV != all[len(all)-1].Version {
		t.Fatalf("schema_migrations has %d rows up to %d, want %d up to %d", n, maxV, len(all), all[len(all)-1].Version)
	}
}

// A database migrated by a newer program is refused with a sentence.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	pg, err := database.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pg.DB.Exec(`INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	pg.Close()
	_, err = database.OpenPostgres(ctx, url)
	if err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Fatalf("err = %v, want a refusal naming the newer schema", err)
	}
}

// A failed connection names the database without its password.
func TestOpenPostgresHidesPassword(t *testing.T) {
	srv := pgtest.Shared(t)
	_ = srv
	ctx := context.Background()
	url := "postgres://enidash:s3cret-pw@127.0.0.1:1/nowhere?sslmode=disable&connect_timeout=2"
	_, err := database.OpenPostgres(ctx, url)
	if err == nil {
		t.Fatal("opening a closed port worked")
	}
	if strings.Contains(err.Error(), "s3cret-pw") {
		t.Fatalf("error shows the password: %v", err)
	}
	_, err = database.OpenPostgres(ctx, "postgres://enidash:s3cret-pw@127.0.0.1:99999999/x")
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Fatalf("bad URL: err = %v, want a refusal without the password", err)
	}
}
