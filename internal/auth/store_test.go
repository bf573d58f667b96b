package auth_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

func TestCreateValidates(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	ctx := context.Background()
	tests := []struct {
		name, username, password string
		role                     auth.Role
		field                    string // "" when accepted
	}{
		{"plain", "alice", "0123456789", auth.RoleViewer, ""},
		{"normalised", "  Bob@Example.COM ", "0123456789", auth.RoleOperator, ""},
		{"all allowed characters", "a.b_c-d@e9", "0123456789", auth.RoleViewer, ""},
		{"64 characters", strings.Repeat("x", 64), "0123456789", auth.RoleViewer, ""},
		{"empty name", "  ", "0123456789", auth.RoleViewer, "username"},
		{"65 characters", strings.Repeat("y", 65), "0123456789", auth.RoleViewer, "username"},
		{"space inside", "a b", "0123456789", auth.RoleViewer, "username"},
		{"slash", "a/b", "0123456789", auth.RoleViewer, "username"},
		{"non-ASCII letter", "zoë", "0123456789", auth.RoleViewer, "username"},
		{"9 characters", "carol", "012345678", auth.RoleViewer, "password"},
		{"10 runes, more bytes", "dave", "éééééééééé", auth.RoleViewer, ""},
		{"73 bytes", "erin", strings.Repeat("p", 73), auth.RoleViewer, "password"},
		{"no role", "frank", "0123456789", auth.RoleNone, "role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := env.Store.Create(ctx, tt.username, tt.password, tt.role)
			var fe *auth.FieldError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("Create: %v", err)
			case tt.field == "":
				if want := auth.NormalizeUsername(tt.username); u.Username != want || u.Role != tt.role || u.Disabled {
					t.Fatalf("created %+v, want %s, %v, enabled", u, want, tt.role)
				}
				if _, err := env.Store.Verify(ctx, strings.ToUpper(tt.username), tt.password); err != nil {
					t.Fatalf("Verify with the same password: %v", err)
				}
			case !errors.As(err, &fe) || fe.Field != tt.field:
				t.Fatalf("Create: %v, want a message at %s", err, tt.field)
			case strings.Contains(fe.Message, tt.password):
				t.Fatalf("message %q repeats the password", fe.Message)
			}
		})
	}
	if _, err := env.Store.Create(ctx, "ALICE", "0123456789", auth.RoleAdmin); !errors.Is(err, auth.ErrExists) {
		t.Fatalf("second alice: %v, want ErrExists", err)
	}
}

func TestVerify(t *testing.T) {
	env := authtest.New(t, auth.Config{})
	env.AddUser(t, "alice", auth.RoleViewer)
	ctx := context.Background()
	tests := []struct {
		name, user, password string
		ok                   bool
	}{
		{"right", "alice", authtest.Password, true},
		{"name in other case", " Alice", authtest.Password, true},
		{"wrong password", "alice", authtest.Password + "x", false},
		{"unknown name", "mallory", authtest.Password, false},
		{"empty password", "alice", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.Store.Verify(ctx, tt.user, tt.password)
			if tt.ok != (err == nil) || (!tt.ok && !errors.Is(err, auth.ErrBadCredentials)) {
				t.Fatalf("Verify: %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// The last enabled admin can be neither disabled nor demoted, whatever
// the order of changes; other admins can.
func TestLastAdmin(t *testing.T) {
	ctx := context.Background()
	type step struct {
		op      string // disable, enable, role
		user    string
		role    auth.Role
		lastErr bool // the step fails with ErrLastAdmin
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"disable the only admin", []step{{op: "disable", user: "root", lastErr: true}}},
		{"demote the only admin", []step{{op: "role", user: "root", role: auth.RoleOperator, lastErr: true}}},
		{"admin to admin is no demotion", []step{{op: "role", user: "root", role: auth.RoleAdmin}}},
		{"disable a viewer", []step{{op: "disable", user: "viewer"}}},
		{"with a second admin", []step{
			{op: "role", user: "viewer", role: auth.RoleAdmin},
			{op: "disable", user: "root"},
			{op: "role", user: "viewer", role: auth.RoleOperator, lastErr: true},
			{op: "disable", user: "viewer", lastErr: true},
		}},
		{"a disabled admin does not count", []step{
			{op: "role", user: "viewer", role: auth.RoleAdmin},
			{op: "disable", user: "viewer"},
			{op: "disable", user: "root", lastErr: true},
			{op: "role", user: "viewer", role: auth.RoleOperator}, // disabled: demoting it removes no enabled admin
			{op: "enable", user: "viewer"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, auth.Config{})
			env.AddUser(t, "root", auth.RoleAdmin)
			env.AddUser(t, "viewer", auth.RoleViewer)
			for i, s := range tt.steps {
				before, _ := env.Store.Get(ctx, s.user)
				var err error
				switch s.op {
				case "disable", "enable":
					err = env.Store.SetDisabled(ctx, s.user, s.op == "disable")
				case "role":
					err = env.Store.SetRole(ctx, s.user, s.role)
				}
				after, _ := env.Store.Get(ctx, s.user)
				if s.lastErr {
					if !errors.Is(err, auth.ErrLastAdmin) {
						t.Fatalf("step %d (%s %s): %v, want ErrLastAdmin", i, s.op, s.user, err)
					}
					if after.Role != before.Role || after.Disabled != before.Disabled || after.Generation != before.Generation {
						t.Fatalf("step %d: refused change still changed %+v to %+v", i, before, after)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d (%s %s): %v", i, s.op, s.user, err)
				}
				if after.Generation != before.Generation+1 {
					t.Fatalf("step %d: session generation %d -> %d, want one more", i, before.Generation, after.Generation)
				}
			}
		})
	}
	t.Run("unknown user", func(t *testing.T) {
		env := authtest.New(t, auth.Config{})
		if err := env.Store.SetDisabled(ctx, "nobody", true); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("SetDisabled(nobody): %v, want ErrNotFound", err)
		}
	})
}

func TestBootstrap(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		password string // ENIDASH_ADMIN_PASSWORD
		wantErr  bool
	}{
		{"generated password", "", false},
		{"password from the environment", "from-the-environment", false},
		{"too short a password", "short", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, auth.Config{})
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, nil))
			err := env.Store.Bootstrap(ctx, tt.password, logger)
			if tt.wantErr {
				if err == nil || strings.Contains(err.Error(), tt.password) {
					t.Fatalf("Bootstrap: %v, want an error not repeating the password", err)
				}
				if n, _ := env.Store.Count(ctx); n != 0 {
					t.Fatalf("%d users after a refused bootstrap", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			users, _ := env.Store.List(ctx)
			if len(users) != 1 || users[0].Username != "admin" || users[0].Role != auth.RoleAdmin || users[0].Disabled {
				t.Fatalf("users after bootstrap: %+v", users)
			}
			password := tt.password
			if password == "" {
				password = loggedPassword(t, logs.String())
				if !strings.Contains(logs.String(), "level=WARN") {
					t.Errorf("generated password not logged as a warning:\n%s", logs.String())
				}
			} else if strings.Contains(logs.String(), password) {
				t.Fatalf("the configured password was logged:\n%s", logs.String())
			}
			if _, err := env.Store.Verify(ctx, "admin", password); err != nil {
				t.Fatalf("admin cannot sign in with the bootstrap password: %v", err)
			}

			// A second start neither creates nor logs a password again.
			logs.Reset()
			if err := env.Store.Bootstrap(ctx, "", logger); err != nil {
				t.Fatal(err)
			}
			if n, _ := env.Store.Count(ctx); n != 1 {
				t.Fatalf("%d users after a second start, want 1", n)
			}
			if strings.Contains(logs.String(), "password=") {
				t.Fatalf("second start logged a password:\n%s", logs.String())
			}
			if _, err := env.Store.Verify(ctx, "admin", password); err != nil {
				t.Fatalf("second start changed the admin password: %v", err)
			}
		})
	}
}

// loggedPassword finds the password=… attribute of a text log.
func loggedPassword(t *testing.T, logs string) string {
	t.Helper()
	_, after, ok := strings.Cut(logs, "password=")
	if !ok {
		t.Fatalf("no generated password in the log:\n%s", logs)
	}
	return strings.Fields(after)[0]
}
