package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// schema is created on open; every statement is idempotent. session_gen is
// part of every session cookie: bumping it ends all of the user's sessions.
const schema = `
CREATE TABLE IF NOT EXISTS users (
	username       TEXT PRIMARY KEY,
	password_hash  TEXT NOT NULL,
	role           TEXT NOT NULL,
	disabled       INTEGER NOT NULL DEFAULT 0,
	session_gen    INTEGER NOT NULL DEFAULT 1,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	last_signin_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS auth_settings (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
);`

// Errors the store answers with; callers match them with errors.Is.
var (
	ErrNotFound  = errors.New("no such user")
	ErrExists    = errors.New("a user with this name already exists")
	ErrLastAdmin = errors.New("this is the last enabled admin: make another user admin first")
)

// User is a local account. The password hash never leaves the package.
type User struct {
	Username   string
	Role       Role
	Disabled   bool
	Generation int64 // session generation; a session of an older one has ended
	Created    time.Time
	LastSignIn time.Time // zero: never signed in
	hash       []byte
}

// Store keeps the local accounts: in the embedded SQLite database
// (NewStore), or in PostgreSQL shared by replicas (NewPostgresStore).
type Store struct {
	db    *sql.DB
	d     dialect
	cost  int
	now   func() time.Time
	dummy []byte // a hash compared against for unknown names, so they take as long
	// writable says whether storage takes writes (the storage monitor's
	// last answer); nil when nothing watches it.
	writable func() error

	// ended holds sign-outs the database could not take: the sessions of
	// each user up to this generation have ended. Get reports a newer
	// generation, so those sessions stay refused, and the end is written
	// as soon as storage takes writes again.
	endedMu   sync.Mutex
	ended     map[string]int64
	nextFlush time.Time

	// confirmed is each user's last successful reading, for sessions to
	// outlive a short outage of the database (see recall).
	confirmedMu sync.Mutex
	confirmed   map[string]confirmation
	lastPrune   time.Time
}

// StoreOption changes a Store's defaults.
type StoreOption func(*Store)

// WithBcryptCost sets the bcrypt cost of new hashes (tests use bcrypt.MinCost).
func WithBcryptCost(cost int) StoreOption { return func(s *Store) { s.cost = cost } }

// WithClock sets the store's clock.
func WithClock(now func() time.Time) StoreOption { return func(s *Store) { s.now = now } }

// WithWritable makes sign-ins refuse, with a *StorageError, while
// writable returns an error (database.Monitor.Err).
func WithWritable(writable func() error) StoreOption { return func(s *Store) { s.writable = writable } }

// NewStore creates the tables if needed and returns the store over the
// SQLite database db.
func NewStore(ctx context.Context, db *sql.DB, opts ...StoreOption) (*Store, error) {
	s := newStore(db, sqliteDialect, opts)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return nil, fmt.Errorf("auth: creating tables: %w", err)
	}
	return s, s.makeDummy()
}

const userColumns = `username, password_hash, role, disabled, session_gen, created_at, last_signin_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var role string
	var hash string
	var created, last int64
	if err := row.Scan(&u.Username, &hash, &role, &u.Disabled, &u.Generation, &created, &last); err != nil {
		return User{}, err
	}
	u.Role, _ = ParseRole(role)
	u.hash = []byte(hash)
	u.Created = time.Unix(created, 0).UTC()
	if last != 0 {
		u.LastSignIn = time.Unix(last, 0).UTC()
	}
	return u, nil
}

// Get returns one user, or ErrNotFound.
func (s *Store) Get(ctx context.Context, username string) (User, error) {
	s.flushEnded(ctx)
	u, err := scanUser(s.db.QueryRowContext(ctx, s.d.q(`SELECT `+userColumns+` FROM users WHERE username = ?`), username))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("auth: reading user: %w", err)
	}
	s.confirm(u)
	s.applyEnded(&u)
	return u, nil
}

// List returns every user by name.
func (s *Store) List(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY `+s.d.byName)
	if err != nil {
		return nil, fmt.Errorf("auth: listing users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("auth: listing users: %w", err)
		}
		s.applyEnded(&u)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: listing users: %w", err)
	}
	return out, nil
}

// Count is the number of users.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("auth: counting users: %w", err)
	}
	return n, nil
}

// Create adds an enabled user. The name is normalised (see
// NormalizeUsername); invalid input is a *FieldError.
func (s *Store) Create(ctx context.Context, username, password string, role Role) (User, error) {
	username = NormalizeUsername(username)
	if err := ValidateUsername(username); err != nil {
		return User{}, err
	}
	if role == RoleNone {
		return User{}, &FieldError{Field: "role", Message: "Choose a role: viewer, operator or admin."}
	}
	hash, err := s.hash(password)
	if err != nil {
		return User{}, err
	}
	now := s.now().Unix()
	res, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO users (username, password_hash, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`), username, string(hash), role.String(), now, now)
	if err != nil {
		return User{}, fmt.Errorf("auth: adding user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return User{}, ErrExists
	}
	return s.Get(ctx, username)
}

// lastAdminGuard is true when the row may stop being an enabled admin: it
// is not one, or another enabled admin remains. Checked inside the UPDATE,
// so two admins demoting each other at once cannot both succeed: SQLite
// runs one writer at a time, PostgreSQL first locks the admins' rows
// (dialect.lockAdmins). disabled is 0/1 in SQLite, a boolean in
// PostgreSQL: both read it as a truth value.
const lastAdminGuard = `(role <> 'admin' OR disabled OR
	(SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled) > 1)`

// SetRole changes a user's role and ends their sessions.
func (s *Store) SetRole(ctx context.Context, username string, role Role) error {
	if role == RoleNone {
		return &FieldError{Field: "role", Message: "Choose a role: viewer, operator or admin."}
	}
	return s.update(ctx, username, `role = ?`, []any{role.String()}, role != RoleAdmin)
}

// SetDisabled disables or enables a user; both end their sessions.
func (s *Store) SetDisabled(ctx context.Context, username string, disabled bool) error {
	return s.update(ctx, username, `disabled = ?`, []any{disabled}, disabled)
}

// SetPassword replaces a user's password and ends their sessions. It
// returns the new session generation, for the caller's own new session.
func (s *Store) SetPassword(ctx context.Context, username, password string) (int64, error) {
	hash, err := s.hash(password)
	if err != nil {
		return 0, err
	}
	if err := s.update(ctx, username, `password_hash = ?`, []any{string(hash)}, false); err != nil {
		return 0, err
	}
	u, err := s.Get(ctx, username)
	return u.Generation, err
}

// EndSessions ends every session of a user (sign-out everywhere).
func (s *Store) EndSessions(ctx context.Context, username string) error {
	return s.update(ctx, username, "", nil, false)
}

// update sets one thing (or nothing) on a user and bumps their session
// generation.
// With guard, it refuses to leave no enabled admin.
func (s *Store) update(ctx context.Context, username, set string, args []any, guard bool) error {
	if set != "" {
		set += ", "
	}
	q := `UPDATE users SET ` + set + `session_gen = session_gen + 1, updated_at = ? WHERE username = ?`
	args = append(args, s.now().Unix(), username)
	if guard {
		q += ` AND ` + lastAdminGuard
	}
	n, err := s.exec(ctx, guard, s.d.q(q), args...)
	if err != nil {
		return fmt.Errorf("auth: updating user: %w", err)
	}
	if n == 1 {
		return nil
	}
	if _, err := s.Get(ctx, username); err != nil {
		return err
	}
	return ErrLastAdmin
}

// RecordSignIn notes when a user last signed in. A sign-in is refused
// with a *StorageError while the database cannot take writes: nothing it
// does would be recorded, its own audit entry included.
func (s *Store) RecordSignIn(ctx context.Context, username string, t time.Time) error {
	if err := s.checkWritable(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, s.d.q(`UPDATE users SET last_signin_at = ? WHERE username = ?`), t.Unix(), username); err != nil {
		return &StorageError{Err: err}
	}
	return nil
}

// Verify checks a password. Unknown names cost a bcrypt comparison too, so
// timing does not tell which names exist. It does not look at Disabled.
func (s *Store) Verify(ctx context.Context, username, password string) (User, error) {
	u, err := s.Get(ctx, NormalizeUsername(username))
	if errors.Is(err, ErrNotFound) {
		_ = bcrypt.CompareHashAndPassword(s.dummy, []byte(password))
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	if bcrypt.CompareHashAndPassword(u.hash, []byte(password)) != nil {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

func (s *Store) hash(password string) ([]byte, error) {
	if err := ValidatePassword(password); err != nil {
		return nil, err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return nil, fmt.Errorf("auth: hashing password: %w", err)
	}
	return h, nil
}

// setting returns a stored value, first storing generate()'s when there is
// none. Replicas sharing the database agree on the first one written.
func (s *Store) setting(ctx context.Context, name string, generate func() ([]byte, error)) ([]byte, error) {
	v, err := generate()
	if err != nil {
		return nil, err
	}
	if _, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO auth_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`), name, v); err != nil {
		return nil, fmt.Errorf("auth: storing %s: %w", name, err)
	}
	var out []byte
	if err := s.db.QueryRowContext(ctx, s.d.q(`SELECT value FROM auth_settings WHERE name = ?`), name).Scan(&out); err != nil {
		return nil, fmt.Errorf("auth: reading %s: %w", name, err)
	}
	return out, nil
}
