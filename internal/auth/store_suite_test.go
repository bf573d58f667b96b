package auth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

func TestStoreSQLite(t *testing.T)   { storeSuite(t, sqliteBackend) }
func TestStorePostgres(t *testing.T) { storeSuite(t, postgresBackend) }

// storeSuite is the store's behaviour, the same on every database.
func storeSuite(t *testing.T, b backend) {
	ctx := context.Background()
	t.Run("create and get", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		u, err := env.Store.Create(ctx, " Alice@Example.com ", authtest.Password, auth.RoleOperator)
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "alice@example.com" || u.Role != auth.RoleOperator || u.Disabled || u.Generation != 1 ||
			!u.Created.Equal(env.Clock.Now()) || !u.LastSignIn.IsZero() {
			t.Fatalf("created %+v; want alice@example.com, operator, enabled, generation 1, created now, never signed in", u)
		}
		if g, err := env.Store.Get(ctx, "alice@example.com"); err != nil || g.Username != u.Username || g.Role != u.Role {
			t.Fatalf("Get: %+v, %v", g, err)
		}
		if _, err := env.Store.Get(ctx, "nobody"); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("Get(nobody): %v, want ErrNotFound", err)
		}
		if _, err := env.Store.Verify(ctx, "ALICE@example.com", authtest.Password); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	})
	t.Run("duplicate", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "alice", auth.RoleViewer)
		if _, err := env.Store.Create(ctx, "ALICE", authtest.Password, auth.RoleAdmin); !errors.Is(err, auth.ErrExists) {
			t.Fatalf("second alice: %v, want ErrExists", err)
		}
		// At once, from two stores: exactly one is created.
		other := env.Reopen(t, auth.Config{}).Store
		errs := concurrently(func() error {
			_, err := env.Store.Create(ctx, "bob", authtest.Password, auth.RoleViewer)
			return err
		}, func() error {
			_, err := other.Create(ctx, "bob", authtest.Password, auth.RoleAdmin)
			return err
		})
		if n := countNil(errs); n != 1 || !slices.ContainsFunc(errs, func(err error) bool { return errors.Is(err, auth.ErrExists) }) {
			t.Fatalf("two creates of bob at once: %v, want one created and one ErrExists", errs)
		}
	})
	t.Run("list and count", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		// Byte order whatever the database's collation: - . @ _ then letters.
		for _, name := range []string{"ab", "a_b", "a.b", "a-b", "a@b", "zed", "b"} {
			env.AddUser(t, name, auth.RoleViewer)
		}
		users, err := env.Store.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range users {
			names = append(names, u.Username)
		}
		if want := []string{"a-b", "a.b", "a@b", "a_b", "ab", "b", "zed"}; !slices.Equal(names, want) {
			t.Fatalf("List: %v, want %v", names, want)
		}
		if n, err := env.Store.Count(ctx); err != nil || n != 7 {
			t.Fatalf("Count: %d, %v", n, err)
		}
	})
	t.Run("changes end sessions", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "root", auth.RoleAdmin)
		env.AddUser(t, "alice", auth.RoleOperator)
		gen := func() int64 {
			u, err := env.Store.Get(ctx, "alice")
			if err != nil {
				t.Fatal(err)
			}
			return u.Generation
		}
		steps := []struct {
			name   string
			change func() error
			check  func(u auth.User) bool
		}{
			{"role", func() error { return env.Store.SetRole(ctx, "alice", auth.RoleViewer) },
				func(u auth.User) bool { return u.Role == auth.RoleViewer }},
			{"disable", func() error { return env.Store.SetDisabled(ctx, "alice", true) },
				func(u auth.User) bool { return u.Disabled }},
			{"enable", func() error { return env.Store.SetDisabled(ctx, "alice", false) },
				func(u auth.User) bool { return !u.Disabled }},
			{"password", func() error {
				g, err := env.Store.SetPassword(ctx, "alice", "another good passphrase")
				if err == nil && g != gen() {
					t.Errorf("SetPassword returned generation %d, the store holds %d", g, gen())
				}
				return err
			}, func(auth.User) bool {
				_, errOld := env.Store.Verify(ctx, "alice", authtest.Password)
				_, errNew := env.Store.Verify(ctx, "alice", "another good passphrase")
				return errors.Is(errOld, auth.ErrBadCredentials) && errNew == nil
			}},
			{"end sessions", func() error { return env.Store.EndSessions(ctx, "alice") }, func(auth.User) bool { return true }},
		}
		for _, s := range steps {
			before := gen()
			if err := s.change(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			u, _ := env.Store.Get(ctx, "alice")
			if u.Generation != before+1 || !s.check(u) {
				t.Fatalf("%s: %+v, generation %d before; want the change and one generation more", s.name, u, before)
			}
		}
		for name, err := range map[string]error{
			"SetRole":     env.Store.SetRole(ctx, "nobody", auth.RoleViewer),
			"SetDisabled": env.Store.SetDisabled(ctx, "nobody", true),
			"EndSessions": env.Store.EndSessions(ctx, "nobody"),
		} {
			if !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("%s(nobody): %v, want ErrNotFound", name, err)
			}
		}
		if _, err := env.Store.SetPassword(ctx, "nobody", "another good passphrase"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("SetPassword(nobody): %v, want ErrNotFound", err)
		}
	})
	t.Run("last admin", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "root", auth.RoleAdmin)
		for name, err := range map[string]error{
			"disable": env.Store.SetDisabled(ctx, "root", true),
			"demote":  env.Store.SetRole(ctx, "root", auth.RoleOperator),
		} {
			if !errors.Is(err, auth.ErrLastAdmin) {
				t.Fatalf("%s the only admin: %v, want ErrLastAdmin", name, err)
			}
		}
		if u, _ := env.Store.Get(ctx, "root"); u.Generation != 1 || u.Disabled || u.Role != auth.RoleAdmin {
			t.Fatalf("refused changes changed root: %+v", u)
		}
	})
	t.Run("last admin under concurrency", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		other := env.Reopen(t, auth.Config{}).Store
		// Two admins demote or disable each other at the same moment, from
		// two stores (replicas), round after round: one of each pair must
		// be refused, so an enabled admin always remains.
		for round := range 20 {
			a, c := "a"+string(rune('a'+round)), "c"+string(rune('a'+round))
			env.AddUser(t, a, auth.RoleAdmin)
			env.AddUser(t, c, auth.RoleAdmin)
			if round > 0 {
				// Only this round's pair are enabled admins.
				prev := []string{"a" + string(rune('a'+round-1)), "c" + string(rune('a'+round-1))}
				for _, p := range prev {
					if err := env.Store.SetDisabled(ctx, p, true); err != nil && !errors.Is(err, auth.ErrLastAdmin) {
						t.Fatal(err)
					}
				}
			}
			errs := concurrently(
				func() error { return env.Store.SetRole(ctx, c, auth.RoleViewer) },
				func() error { return other.SetDisabled(ctx, a, true) },
			)
			if countNil(errs) != 1 {
				t.Fatalf("round %d: %v; want exactly one change to pass and one ErrLastAdmin", round, errs)
			}
			for _, err := range errs {
				if err != nil && !errors.Is(err, auth.ErrLastAdmin) {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if n := enabledAdmins(t, env.Store); n != 1 {
				t.Fatalf("round %d: %d enabled admins left, want 1", round, n)
			}
		}
	})
	t.Run("session key shared by stores starting at once", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "alice", auth.RoleViewer)
		// Both services derive their cookie keys from the one stored key,
		// written by whichever started first.
		var svcs [2]*auth.Service
		errs := concurrently(func() (err error) {
			svcs[0], err = auth.New(ctx, env.Store, auth.Config{Audit: env.Audit, Now: env.Clock.Now})
			return err
		}, func() (err error) {
			svcs[1], err = auth.New(ctx, env.Reopen(t, auth.Config{}).Store, auth.Config{Audit: env.Audit, Now: env.Clock.Now})
			return err
		})
		if countNil(errs) != 2 {
			t.Fatal(errs)
		}
		for i := range svcs {
			c := signIn(t, svcs[i], "alice")
			if id, st, _ := identify(t, svcs[1-i], c); st != auth.Authenticated || id.Username != "alice" {
				t.Fatalf("a session signed in on service %d is %v on the other", i, st)
			}
		}
	})
	t.Run("record sign-in", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "alice", auth.RoleViewer)
		when := time.Date(2026, 4, 5, 6, 7, 8, 0, time.UTC)
		if err := env.Store.RecordSignIn(ctx, "alice", when); err != nil {
			t.Fatal(err)
		}
		users, err := env.Store.List(ctx)
		if err != nil || len(users) != 1 || !users[0].LastSignIn.Equal(when) {
			t.Fatalf("List after RecordSignIn: %+v, %v; want last sign-in %v", users, err, when)
		}
		env.Clock.Advance(time.Minute)
		signIn(t, env.Service, "alice")
		if u, _ := env.Store.Get(ctx, "alice"); !u.LastSignIn.Equal(env.Clock.Now()) {
			t.Fatalf("last sign-in %v after signing in at %v", u.LastSignIn, env.Clock.Now())
		}
	})
	t.Run("bootstrap at once", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		other := env.Reopen(t, auth.Config{}).Store
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		errs := concurrently(
			func() error { return env.Store.Bootstrap(ctx, "", quiet) },
			func() error { return other.Bootstrap(ctx, "", quiet) },
		)
		if countNil(errs) != 2 {
			t.Fatal(errs)
		}
		if n, _ := env.Store.Count(ctx); n != 1 {
			t.Fatalf("%d users after two replicas bootstrapped at once, want 1", n)
		}
	})
	t.Run("sign-out ends the session", func(t *testing.T) {
		env := b.env(t, auth.Config{})
		env.AddUser(t, "alice", auth.RoleViewer)
		c := signIn(t, env.Service, "alice")
		id, _, _ := identify(t, env.Service, c)
		must(t, env.Service.SignOut(httptest.NewRecorder(), request("198.51.100.7:1", c, &id)))
		if _, st, _ := identify(t, env.Service, c); st != auth.Ended {
			t.Fatalf("a copy of the signed-out cookie: %v, want ended", st)
		}
	})
}

// concurrently runs fns at the same moment and returns their errors.
func concurrently(fns ...func() error) []error {
	errs := make([]error, len(fns))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() {
			<-start
			errs[i] = fn()
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func countNil(errs []error) int {
	n := 0
	for _, err := range errs {
		if err == nil {
			n++
		}
	}
	return n
}

func enabledAdmins(t *testing.T, s *auth.Store) int {
	t.Helper()
	users, err := s.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, u := range users {
		if u.Role == auth.RoleAdmin && !u.Disabled {
			n++
		}
	}
	return n
}
