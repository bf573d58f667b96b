// Package dbtest breaks and mends the storage under an open database, for
// tests of how the program behaves when it can no longer write: a full
// disk, a read-only one. (A lost file is os.Remove of its path.)
package dbtest

import (
	"context"
	"database/sql"
	"strconv"
	"testing"
)

// pool is how many connections the pool keeps once pinned: each must
// carry the setting, and none may be closed and replaced by a fresh one
// that would not.
const pool = 4

// SQLite's own default for max_page_count.
const defaultMaxPages = 1073741823

// Full makes db behave as on a full disk: a write that needs a new page
// fails with SQLITE_FULL ("database or disk is full"). Writes that fit in
// the pages already there still succeed, as on a real disk whose files
// have room left in their last blocks.
func Full(t testing.TB, db *sql.DB) {
	t.Helper()
	each(t, db, func(ctx context.Context, c *sql.Conn) error {
		var pages int
		if err := c.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
			return err
		}
		_, err := c.ExecContext(ctx, `PRAGMA max_page_count = `+strconv.Itoa(pages))
		return err
	})
}

// ReadOnly makes every write to db fail, as on a file system remounted
// read-only.
func ReadOnly(t testing.TB, db *sql.DB) {
	t.Helper()
	each(t, db, func(ctx context.Context, c *sql.Conn) error {
		_, err := c.ExecContext(ctx, `PRAGMA query_only = 1`)
		return err
	})
}

// Heal undoes Full and ReadOnly.
func Heal(t testing.TB, db *sql.DB) {
	t.Helper()
	each(t, db, func(ctx context.Context, c *sql.Conn) error {
		_, err := c.ExecContext(ctx, `PRAGMA query_only = 0; PRAGMA max_page_count = `+strconv.Itoa(defaultMaxPages))
		return err
	})
}

// each pins db's pool to a few connections that stay open, and runs set
// on every one of them (the pragmas above hold per connection).
func each(t testing.TB, db *sql.DB, set func(context.Context, *sql.Conn) error) {
	t.Helper()
	ctx := context.Background()
	db.SetMaxOpenConns(pool)
	db.SetMaxIdleConns(pool)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	conns := make([]*sql.Conn, 0, pool)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range pool {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if err := set(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
}
