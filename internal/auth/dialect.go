package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// dialect is what differs between the store's databases; the statements
// themselves are written once, in SQLite's spelling, and rebound.
type dialect struct {
	name string
	// dollar: placeholders are $1, $2 … rather than ?.
	dollar bool
	// lockAdmins is run first, in the same transaction, by a change that
	// must not leave zero enabled admins, when the database does not
	// serialise writers by itself: it locks the enabled admins' rows, so
	// two admins demoting each other take turns and the second sees the
	// first's change.
	lockAdmins string
	// byName orders users by name, byte by byte whatever the database's
	// collation, as SQLite does.
	byName string
}

var (
	sqliteDialect   = dialect{name: "SQLite", byName: `username`}
	postgresDialect = dialect{name: "PostgreSQL", dollar: true, byName: `username COLLATE "C"`,
		lockAdmins: `SELECT username FROM users WHERE role = 'admin' AND NOT disabled ORDER BY username COLLATE "C" FOR UPDATE`}
)

// q rebinds a statement's ? placeholders for the dialect. The store's
// statements hold no ? in literals.
func (d dialect) q(stmt string) string {
	if !d.dollar {
		return stmt
	}
	var b strings.Builder
	n := 0
	for _, r := range stmt {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NewPostgresStore returns the store over a PostgreSQL database shared by
// several replicas. Its tables come from the embedded migrations, which
// database.OpenPostgres applies: they are checked here, not created.
func NewPostgresStore(ctx context.Context, db *sql.DB, opts ...StoreOption) (*Store, error) {
	s := newStore(db, postgresDialect, opts)
	for _, table := range []string{"users", "auth_settings", "signin_attempts", "signin_reports"} {
		if _, err := db.ExecContext(ctx, `SELECT 1 FROM `+table+` LIMIT 1`); err != nil {
			return nil, fmt.Errorf("auth: PostgreSQL table %s cannot be read (open the database with database.OpenPostgres, which applies the migrations): %w", table, err)
		}
	}
	return s, s.makeDummy()
}

func newStore(db *sql.DB, d dialect, opts []StoreOption) *Store {
	s := &Store{db: db, d: d, cost: bcrypt.DefaultCost, now: time.Now, ended: map[string]int64{}, confirmed: map[string]confirmation{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// makeDummy makes the hash unknown names are compared against.
func (s *Store) makeDummy() error {
	dummy, err := bcrypt.GenerateFromPassword([]byte("not a password of anyone"), s.cost)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	s.dummy = dummy
	return nil
}

// exec runs one write and says how many rows it changed. A guarded one
// (see lastAdminGuard) runs in a transaction after dialect.lockAdmins
// where the database needs it.
func (s *Store) exec(ctx context.Context, guard bool, q string, args ...any) (int64, error) {
	if !guard || s.d.lockAdmins == "" {
		res, err := s.db.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.d.lockAdmins); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}
