// Package authtest sets up sign-in for tests: a real SQLite database in
// the test's temporary directory (or a PostgreSQL one from pgtest), cheap
// password hashing, an in-memory audit log and a clock the test moves.
package authtest

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/database"
)

// Clock is a settable time source.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Env is a sign-in service with what it stands on.
type Env struct {
	Service *auth.Service
	Store   *auth.Store
	Audit   *audit.Memory
	Clock   *Clock
	Path    string  // the database file; "" on PostgreSQL
	DB      *sql.DB // open on Path, or the PostgreSQL database
}

// Password is the password of the users Env.AddUser creates.
const Password = "correct horse battery"

// New opens a fresh database and a service over it. cfg's Audit and Now
// are filled in when unset.
func New(t testing.TB, cfg auth.Config) *Env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "enidash.db")
	env := &Env{Audit: audit.NewMemory(), Clock: &Clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}, Path: path}
	env.open(t, cfg)
	return env
}

// NewPostgres is New on db, a migrated PostgreSQL database
// (database.OpenPostgres), with the sign-in limits kept there too unless
// cfg names others.
func NewPostgres(t testing.TB, db *sql.DB, cfg auth.Config) *Env {
	t.Helper()
	env := &Env{Audit: audit.NewMemory(), Clock: &Clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}, DB: db}
	env.open(t, cfg)
	return env
}

// Reopen starts a new service on the same database, as a restart would;
// on PostgreSQL it is another replica, with its own store and service
// sharing the database, the clock and the audit log.
func (e *Env) Reopen(t testing.TB, cfg auth.Config) *Env {
	t.Helper()
	n := &Env{Audit: e.Audit, Clock: e.Clock, Path: e.Path}
	if e.Path == "" {
		n.DB = e.DB
	}
	n.open(t, cfg)
	return n
}

func (e *Env) open(t testing.TB, cfg auth.Config) {
	t.Helper()
	ctx := context.Background()
	opts := []auth.StoreOption{auth.WithBcryptCost(bcrypt.MinCost), auth.WithClock(e.Clock.Now)}
	var err error
	if e.Path == "" {
		e.Store, err = auth.NewPostgresStore(ctx, e.DB, opts...)
	} else {
		var db *sql.DB
		if db, err = database.Open(ctx, e.Path); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		e.DB = db
		e.Store, err = auth.NewStore(ctx, db, opts...)
	}
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Audit == nil {
		cfg.Audit = e.Audit
	}
	if cfg.Now == nil {
		cfg.Now = e.Clock.Now
	}
	e.Service, err = auth.New(ctx, e.Store, cfg)
	if err != nil {
		t.Fatal(err)
	}
}

// AddUser creates an enabled user with Password.
func (e *Env) AddUser(t testing.TB, name string, role auth.Role) {
	t.Helper()
	if _, err := e.Store.Create(context.Background(), name, Password, role); err != nil {
		t.Fatal(err)
	}
}
