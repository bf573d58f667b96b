package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

func TestUsersList(t *testing.T) {
	srv, _ := accountsServer(t, auth.Config{})
	b := newBrowser(t, srv.URL)
	b.signIn(t, "admin")
	p := b.get(t, "/admin/users")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	want := map[string]string{"admin": "admin", "olga": "operator", "vera": "viewer"}
	rows := p.doc.Find("tr[data-user]")
	if rows.Length() != len(want) {
		t.Fatalf("%d rows, want %d", rows.Length(), len(want))
	}
	for user, role := range want {
		row := p.doc.Find(`tr[data-user="` + user + `"]`)
		if got, _ := row.Find(`select[name="role"] option[selected]`).Attr("value"); got != role {
			t.Errorf("%s: role %q, want %q", user, got, role)
		}
		if got := strings.TrimSpace(row.Find("[data-state]").Text()); got != "enabled" {
			t.Errorf("%s: state %q", user, got)
		}
		if user == "admin" {
			if row.Find("[data-last-signin] time").Length() != 1 {
				t.Errorf("admin's last sign-in not shown")
			}
			if row.Find(`[data-action="disable"]`).Length() != 0 {
				t.Errorf("admins are offered to disable themselves")
			}
		} else if got := strings.TrimSpace(row.Find("[data-last-signin]").Text()); got != "never" {
			t.Errorf("%s: last sign-in %q, want never", user, got)
		}
	}
	if n := p.doc.Find(`form[method="post"]`).Length(); n != p.doc.Find(`form[method="post"] input[name="_csrf"]`).Length() {
		t.Fatalf("%d POST forms, not all with a CSRF field", n)
	}
}

func TestUserChangesThroughPages(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		path   string
		form   url.Values
		status int
		// for a refused change: where the message is and what it says
		at, msg string
		check   func(t *testing.T, env *authtest.Env)
	}{
		{"add", "/admin/users", url.Values{"username": {"New.Person"}, "role": {"operator"}, "password": {"Tr0ub4dor-3x!"}},
			http.StatusSeeOther, "", "", func(t *testing.T, env *authtest.Env) {
				if u, err := env.Store.Get(ctx, "new.person"); err != nil || u.Role != auth.RoleOperator {
					t.Fatalf("new user: %+v, %v", u, err)
				}
			}},
		{"add with a bad name", "/admin/users", url.Values{"username": {"new person"}, "role": {"viewer"}, "password": {"Tr0ub4dor-3x!"}},
			http.StatusUnprocessableEntity, `[data-field-error="username"]`, "Use only lower-case letters a-z, digits and . _ @ -", nil},
		{"add an existing name", "/admin/users", url.Values{"username": {"olga"}, "role": {"viewer"}, "password": {"Tr0ub4dor-3x!"}},
			http.StatusUnprocessableEntity, `[data-field-error="username"]`, "A user with this name already exists.", nil},
		{"add with a short password", "/admin/users", url.Values{"username": {"pat"}, "role": {"viewer"}, "password": {"Sh0rt!pw"}},
			http.StatusUnprocessableEntity, `[data-field-error="password"]`, "Use at least 10 characters.", nil},
		{"add with no role", "/admin/users", url.Values{"username": {"pat"}, "role": {"root"}, "password": {"Tr0ub4dor-3x!"}},
			http.StatusUnprocessableEntity, `[data-field-error="role"]`, "Choose a role: viewer, operator or admin.", nil},
		{"set role", "/admin/users/vera/role", url.Values{"role": {"operator"}}, http.StatusSeeOther, "", "",
			func(t *testing.T, env *authtest.Env) {
				if u, _ := env.Store.Get(ctx, "vera"); u.Role != auth.RoleOperator {
					t.Fatalf("vera is %v", u.Role)
				}
			}},
		{"demote the last admin", "/admin/users/admin/role", url.Values{"role": {"viewer"}}, http.StatusConflict,
			`tr[data-user="admin"] [data-row-error="role"]`, "This is the last enabled admin: make another user admin first.", nil},
		{"disable oneself", "/admin/users/admin/disable", url.Values{}, http.StatusConflict,
			`tr[data-user="admin"] [data-row-error="state"]`, "You cannot disable your own account; ask another admin.", nil},
		{"reset a password", "/admin/users/vera/password", url.Values{"password": {"reset password"}}, http.StatusSeeOther, "", "",
			func(t *testing.T, env *authtest.Env) {
				if _, err := env.Store.Verify(ctx, "vera", "reset password"); err != nil {
					t.Fatal(err)
				}
			}},
		{"reset to a short password", "/admin/users/vera/password", url.Values{"password": {"Sh0rt!pw"}}, http.StatusUnprocessableEntity,
			`tr[data-user="vera"] [data-row-error="password"]`, "Use at least 10 characters.", nil},
		{"disable", "/admin/users/vera/disable", url.Values{}, http.StatusSeeOther, "", "",
			func(t *testing.T, env *authtest.Env) {
				if u, _ := env.Store.Get(ctx, "vera"); !u.Disabled {
					t.Fatal("vera is still enabled")
				}
			}},
		{"unknown user", "/admin/users/nobody/enable", url.Values{}, http.StatusNotFound, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, env := accountsServer(t, auth.Config{})
			b := newBrowser(t, srv.URL)
			b.signIn(t, "admin")
			p := b.post(t, tt.path, tt.form)
			if p.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.status, tt.status, p.body)
			}
			if tt.status == http.StatusSeeOther {
				if p.header.Get("Location") != "/admin/users" {
					t.Fatalf("redirect to %q", p.header.Get("Location"))
				}
				after := b.get(t, "/admin/users")
				if after.doc.Find(`[data-flash="ok"]`).Length() != 1 {
					t.Fatalf("no message after the change:\n%s", after.body)
				}
			}
			if tt.at != "" {
				if got := strings.TrimSpace(p.doc.Find(tt.at).Text()); got != tt.msg {
					t.Fatalf("message at %s: %q, want %q", tt.at, got, tt.msg)
				}
			}
			if pw := tt.form.Get("password"); pw != "" && strings.Contains(p.body, pw) {
				t.Fatal("the page repeats the password")
			}
			if tt.check != nil {
				tt.check(t, env)
			}
		})
	}
}

// Disabling or demoting someone ends their sessions at once.
func TestUserChangeEndsTheirSessions(t *testing.T) {
	for _, change := range []string{"/admin/users/olga/disable", "/admin/users/olga/role"} {
		t.Run(change, func(t *testing.T) {
			srv, _ := accountsServer(t, auth.Config{})
			admin, olga := newBrowser(t, srv.URL), newBrowser(t, srv.URL)
			admin.signIn(t, "admin")
			olga.signIn(t, "olga")
			if p := admin.post(t, change, url.Values{"role": {"viewer"}}); p.status != http.StatusSeeOther {
				t.Fatalf("%s: %d", change, p.status)
			}
			if p := olga.get(t, "/enis"); p.status != http.StatusFound {
				t.Fatalf("olga's session after %s: %d", change, p.status)
			}
			if p := admin.get(t, "/enis"); p.status != http.StatusOK {
				t.Fatalf("the admin's own session ended: %d", p.status)
			}
		})
	}
}

// An admin demoting themselves (another admin remains) keeps a session,
// now with the new role, and leaves the users page.
func TestAdminDemotesThemselves(t *testing.T) {
	srv, env := accountsServer(t, auth.Config{})
	env.AddUser(t, "second", auth.RoleAdmin)
	b := newBrowser(t, srv.URL)
	b.signIn(t, "admin")
	p := b.post(t, "/admin/users/admin/role", url.Values{"role": {"operator"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
		t.Fatalf("%d to %q", p.status, p.header.Get("Location"))
	}
	if got := b.get(t, "/enis"); got.status != http.StatusOK {
		t.Fatalf("signed out by their own change: %d", got.status)
	}
	if got := b.get(t, "/admin/users"); got.status != http.StatusForbidden {
		t.Fatalf("users page for a former admin: %d", got.status)
	}
}

// Non-admins are refused by the service even on a route without
// RequireRole.
func TestUsersNeedAdmin(t *testing.T) {
	srv, env := accountsServer(t, auth.Config{})
	b := newBrowser(t, srv.URL)
	b.signIn(t, "olga")
	if p := b.post(t, "/admin/users/olga/role", url.Values{"role": {"admin"}}); p.status != http.StatusForbidden {
		t.Fatalf("operator making themselves admin: %d", p.status)
	}
	if u, _ := env.Store.Get(context.Background(), "olga"); u.Role != auth.RoleOperator {
		t.Fatalf("olga became %v", u.Role)
	}
}
