package database_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"enidash/internal/database"
	"enidash/internal/database/pgtest"
)

// A replica that loses PostgreSQL says so at its next probe, and the
// error names the cause, not the URL's password.
func TestPostgresMonitorSeesServerGone(t *testing.T) {
	pgtest.Shared(t) // skips where PostgreSQL cannot start
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	ctx := context.Background()
	// Without sslmode, pgx tries TLS then plain text: a refused
	// connection reads as one line per attempt, as with a default URL.
	pg, err := database.OpenPostgres(ctx, strings.TrimSuffix(srv.Admin, "?sslmode=disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	m := database.NewPostgresMonitor(ctx, pg.DB, srv.Admin, "replica-a", database.MonitorConfig{})
	if err := m.Err(); err != nil {
		t.Fatalf("healthy database: %v", err)
	}
	var at int
	if err := pg.DB.QueryRow(`SELECT count(*) FROM storage_heartbeat WHERE replica = 'replica-a'`).Scan(&at); err != nil || at != 1 {
		t.Fatalf("heartbeat rows: %d, %v", at, err)
	}
	srv.Stop()
	err = m.Probe(ctx)
	var ue *database.UnreachableError
	if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), "database: PostgreSQL unreachable: ") {
		t.Fatalf("probe after the server stopped: %v, want an UnreachableError", err)
	}
	// The next probe dials anew: pgx says why for each attempt.
	err = m.Probe(ctx)
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("second probe: %v, want the refused connection named", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("the answer spans lines (it goes on one /healthz line and in a banner): %q", err)
	}
	if m.Err() != err {
		t.Fatalf("Err() = %v, want the last probe's answer", m.Err())
	}
}
