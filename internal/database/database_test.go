package database

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenPersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "enidash.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')`); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	db.Close()

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, `SELECT v FROM t`).Scan(&v); err != nil || v != "kept" {
		t.Fatalf("after reopening: %q, %v", v, err)
	}
}

// A file deleted under the open database is not created again when the
// pool opens a new connection: that connection fails instead.
func TestOpenDoesNotRecreateDeletedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "enidash.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	db.SetMaxIdleConns(0) // every query on a new connection
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n); err == nil {
		t.Fatalf("a new connection to the deleted file worked (%d tables)", n)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the deleted file was created again (%v)", err)
	}
}

func TestOpenSyncsFully(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "enidash.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sync int
	if err := db.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Fatalf("synchronous = %d, %v; want 2 (FULL)", sync, err)
	}
}

// A path with characters that mean something in a URL (# ? %) opens the
// file it names, not a truncated one beside it.
func TestOpenPathWithURLCharacters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "team#1?x=%41.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (v TEXT)`); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at %s; the folder holds %v", path, names)
	}
}

// A new database file is readable by its owner only: it holds password
// hashes and may hold the session key.
func TestOpenCreatesPrivateFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "enidash.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (v TEXT)`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group and others", filepath.Base(p), perm)
		}
	}
}
