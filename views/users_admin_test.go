package views

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func usersPage() UsersPage {
	p := UsersPage{Chrome: chrome(), Now: testNow, Users: []UserRow{
		{Username: "admin", Role: "admin", LastSignIn: testNow.Add(-2 * time.Hour), Self: true},
		{Username: "bob@example.com", Role: "operator"},
		{Username: "carol", Role: "viewer", Disabled: true, LastSignIn: testNow.Add(-48 * time.Hour)},
	}}
	p.CSRF = "tok-7"
	return p
}

func TestUsersView(t *testing.T) {
	doc := render(t, UsersView(usersPage()))
	tests := []struct {
		user, role, state, last string
		actions                 []string // data-action buttons in the row
	}{
		{"admin", "admin", "enabled", "2025-11-20 07:30 UTC", []string{"set-role", "reset-password"}},
		{"bob@example.com", "operator", "enabled", "never", []string{"set-role", "reset-password", "disable"}},
		{"carol", "viewer", "disabled", "2025-11-18 09:30 UTC", []string{"set-role", "reset-password", "enable"}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			row := doc.Find(`tr[data-user="` + tt.user + `"]`)
			if row.Length() != 1 {
				t.Fatal("no row")
			}
			if got := row.Find(`select[name="role"] option[selected]`).AttrOr("value", ""); got != tt.role {
				t.Errorf("role %q, want %q", got, tt.role)
			}
			if got := text(row.Find("[data-state]")); got != tt.state {
				t.Errorf("state %q, want %q", got, tt.state)
			}
			if got := text(row.Find("[data-last-signin]")); got != tt.last {
				t.Errorf("last sign-in %q, want %q", got, tt.last)
			}
			var actions []string
			row.Find("button[data-action]").Each(func(_ int, b *goquery.Selection) {
				actions = append(actions, b.AttrOr("data-action", ""))
			})
			if fmt.Sprint(actions) != fmt.Sprint(tt.actions) {
				t.Errorf("actions %v, want %v", actions, tt.actions)
			}
			row.Find("form").Each(func(_ int, f *goquery.Selection) {
				action := f.AttrOr("action", "")
				if f.AttrOr("method", "") != "post" || !strings.HasPrefix(action, "/admin/users/"+tt.user+"/") {
					t.Errorf("form %s %s", f.AttrOr("method", ""), action)
				}
				if f.Find(`input[name="_csrf"]`).AttrOr("value", "") != "tok-7" {
					t.Errorf("form %s has no CSRF field", action)
				}
			})
		})
	}
	add := doc.Find(`form[action="/admin/users"][method="post"]`)
	if add.Length() != 1 || add.Find(`input[name="_csrf"]`).AttrOr("value", "") != "tok-7" {
		t.Fatal("no add-user form with its CSRF field")
	}
	for _, name := range []string{"username", "role", "password"} {
		if add.Find(`[name="`+name+`"]`).Length() != 1 {
			t.Errorf("add-user form has no %s", name)
		}
	}
	if got := add.Find(`select[name="role"] option[selected]`).AttrOr("value", ""); got != "viewer" {
		t.Errorf("new users default to %q, want viewer", got)
	}
}

func TestUsersViewMessages(t *testing.T) {
	t.Run("row", func(t *testing.T) {
		p := usersPage()
		p.RowError = &RowError{Username: "admin", Field: "role", Message: "This is the last enabled admin."}
		doc := render(t, UsersView(p))
		if got := text(doc.Find(`tr[data-user="admin"] [data-row-error="role"]`)); got != "This is the last enabled admin." {
			t.Errorf("row message %q", got)
		}
		if n := doc.Find("[data-row-error]").Length(); n != 1 {
			t.Errorf("%d row messages, want 1", n)
		}
	})
	t.Run("add form", func(t *testing.T) {
		p := usersPage()
		p.Add = AddUserForm{Username: "Bad Name", Role: "operator", Errors: AccountErrors{"username": "Use only lower-case letters a-z, digits and . _ @ -"}}
		doc := render(t, UsersView(p))
		add := doc.Find(`form[data-form="add-user"]`)
		if got := add.Find(`input[name="username"]`).AttrOr("value", ""); got != "Bad Name" {
			t.Errorf("typed name %q not kept", got)
		}
		if got := add.Find(`select[name="role"] option[selected]`).AttrOr("value", ""); got != "operator" {
			t.Errorf("chosen role %q not kept", got)
		}
		if got := text(add.Find(`[data-field-error="username"]`)); got != p.Add.Errors["username"] {
			t.Errorf("message %q", got)
		}
	})
}
