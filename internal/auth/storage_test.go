package auth_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"testing"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
	"enidash/internal/database/dbtest"
)

// A session whose user cannot be read, and was last read auth.StaleGrace
// ago, is not let in (fail closed), and is not an error page either; its
// cookie is kept, for when reading works again.
func TestSessionUnreadableFailsClosed(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "olga", auth.RoleOperator)
	c := signIn(t, env.Service, "olga")
	env.Clock.Advance(auth.StaleGrace)
	if err := os.Remove(env.Path); err != nil {
		t.Fatal(err)
	}
	env.DB.SetMaxIdleConns(0) // each read opens the deleted file anew, and fails
	w := httptest.NewRecorder()
	_, st, err := env.Service.Identify(w, request("198.51.100.7:5000", c, nil))
	if err != nil || st == auth.Authenticated {
		t.Fatalf("Identify with the user unreadable: status %v, err %v; want not signed in, no error", st, err)
	}
	if sc := sessionCookie(w); sc != nil {
		t.Fatalf("the cookie was rewritten (%v): a read failure is not a sign-out", sc)
	}
}

// Sign-out with a read-only database still ends the session: the cookie
// is cleared, a copy of it is refused, and the end reaches the database
// once it takes writes again, so the copy stays refused.
func TestSignOutWithoutStorage(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "olga", auth.RoleOperator)
	c := signIn(t, env.Service, "olga")
	id, _, _ := identify(t, env.Service, c)
	before, err := env.Store.Get(context.Background(), "olga")
	if err != nil {
		t.Fatal(err)
	}

	dbtest.ReadOnly(t, env.DB)
	w := httptest.NewRecorder()
	err = env.Service.SignOut(w, request("198.51.100.7:5000", c, &id))
	var se *auth.StorageError
	if !errors.As(err, &se) {
		t.Fatalf("SignOut on read-only storage: %v, want a *auth.StorageError", err)
	}
	if sc := sessionCookie(w); sc == nil || sc.MaxAge >= 0 {
		t.Fatalf("SignOut on read-only storage did not clear the cookie: %v", sc)
	}
	if _, st, _ := identify(t, env.Service, c); st == auth.Authenticated {
		t.Fatal("a copy of the signed-out cookie still works while storage is read-only")
	}

	dbtest.Heal(t, env.DB)
	env.Clock.Advance(2 * 1e9) // past the store's pause between retries
	if _, st, _ := identify(t, env.Service, c); st == auth.Authenticated {
		t.Fatal("a copy of the signed-out cookie works again after storage healed")
	}
	var gen int64
	if err := env.DB.QueryRow(`SELECT session_gen FROM users WHERE username = 'olga'`).Scan(&gen); err != nil {
		t.Fatal(err)
	}
	if gen != before.Generation+1 {
		t.Fatalf("stored session generation %d, want %d: the sign-out was not written once storage healed", gen, before.Generation+1)
	}
	fresh := signIn(t, env.Service, "olga")
	if _, st, _ := identify(t, env.Service, fresh); st != auth.Authenticated {
		t.Fatalf("a new sign-in after healing: %v", st)
	}
}
