// Package database opens the embedded SQLite database that holds users,
// sessions' keys and the audit log. The driver is pure Go (no cgo).
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Memory is the path of a private in-memory database.
const Memory = ":memory:"

// Open opens the SQLite database at path, creating it if it does not
// exist; Memory gives a private in-memory database. WAL lets readers run
// beside the one writer, and busy_timeout makes a writer wait instead of
// failing. synchronous=FULL syncs the WAL on every commit: an audit entry
// that was acknowledged survives a power cut, not only a crash, and the
// dashboard writes seldom enough for the cost not to matter.
//
// The file is created here only: the pool's later connections open it
// without creating it, so a file deleted while the program runs is never
// silently replaced by an empty database (see Monitor).
func Open(ctx context.Context, path string) (*sql.DB, error) {
	if path != Memory {
		if err := create(ctx, path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", dsn(path, "rw"))
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", Redact(path), err)
	}
	if path == Memory {
		// Each connection would get its own empty database.
		db.SetMaxOpenConns(1)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: open %s: %w", Redact(path), err)
	}
	return db, nil
}

// create makes an empty database file at path when there is none.
func create(ctx context.Context, path string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or an error the real open will report
	}
	// Owner only: the file holds password hashes and maybe the session
	// key. SQLite gives its -wal and -shm files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // its text repeats the path, password and all
		}
		return fmt.Errorf("database: creating %s: %w", Redact(path), err)
	}
	if f != nil {
		f.Close()
	}
	db, err := sql.Open("sqlite", dsn(path, "rwc"))
	if err == nil {
		err = db.PingContext(ctx)
		db.Close()
	}
	if err != nil {
		return fmt.Errorf("database: creating %s: %w", Redact(path), err)
	}
	return nil
}

func dsn(path, mode string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(5000)", "foreign_keys(1)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	if path == Memory {
		return "file:" + path + "?" + q.Encode()
	}
	q.Set("mode", mode)
	// A URI: the path's own ?, # and % must not read as its syntax.
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}
