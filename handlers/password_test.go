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

func TestChangePassword(t *testing.T) {
	const fresh = "a brand new passphrase"
	tests := []struct {
		name                   string
		current, next, confirm string
		status                 int
		field, msg             string
	}{
		{"changed", authtest.Password, fresh, fresh, http.StatusSeeOther, "", ""},
		{"wrong current password", "not my password", fresh, fresh, http.StatusUnprocessableEntity, "current", "This is not your current password."},
		{"no current password", "", fresh, fresh, http.StatusUnprocessableEntity, "current", "Enter your current password."},
		{"confirmation differs", authtest.Password, fresh, fresh + "!", http.StatusUnprocessableEntity, "confirm", "The two new passwords differ; type the same one twice."},
		{"too short", authtest.Password, "Sh0rt!pw", "Sh0rt!pw", http.StatusUnprocessableEntity, "password", "Use at least 10 characters."},
		{"same as before", authtest.Password, authtest.Password, authtest.Password, http.StatusUnprocessableEntity, "password", "Choose a password different from the current one."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, env := accountsServer(t, auth.Config{})
			here, elsewhere := newBrowser(t, srv.URL), newBrowser(t, srv.URL)
			here.signIn(t, "olga")
			elsewhere.signIn(t, "olga")
			form := here.get(t, "/account/password")
			if form.status != http.StatusOK || form.doc.Find(`form[action="/account/password"] input[name="_csrf"]`).Length() != 1 {
				t.Fatalf("form: %d\n%s", form.status, form.body)
			}
			p := here.post(t, "/account/password", url.Values{"current": {tt.current}, "password": {tt.next}, "confirm": {tt.confirm}})
			if p.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", p.status, tt.status, p.body)
			}
			if tt.status != http.StatusSeeOther {
				if got := p.fieldError(tt.field); got != tt.msg {
					t.Fatalf("message at %s: %q, want %q", tt.field, got, tt.msg)
				}
				for _, secret := range []string{tt.current, tt.next} {
					if len(secret) >= 5 && strings.Contains(p.body, secret) {
						t.Fatalf("the page repeats a password")
					}
				}
				if _, err := env.Store.Verify(context.Background(), "olga", authtest.Password); err != nil {
					t.Fatal("a refused change changed the password")
				}
				if elsewhere.get(t, "/enis").status != http.StatusOK {
					t.Fatal("a refused change ended the other session")
				}
				return
			}
			// This browser stays signed in with a new session; the other is out.
			after := here.get(t, p.header.Get("Location"))
			if got := strings.TrimSpace(after.doc.Find(`[data-flash="ok"]`).Text()); !strings.HasPrefix(got, "Your password has been changed") {
				t.Fatalf("after the change: %d, flash %q", after.status, got)
			}
			if got := here.get(t, "/enis"); got.status != http.StatusOK {
				t.Fatalf("the browser that changed it was signed out: %d", got.status)
			}
			if got := elsewhere.get(t, "/enis"); got.status != http.StatusFound {
				t.Fatalf("the other session still works: %d", got.status)
			}
			if _, err := env.Store.Verify(context.Background(), "olga", fresh); err != nil {
				t.Fatalf("new password: %v", err)
			}
		})
	}
}

// Someone the SSO proxy signed in has no password here to change.
func TestChangePasswordProxyUser(t *testing.T) {
	srv, _ := accountsServer(t, auth.Config{ProxyHeader: "X-Forwarded-Email"})
	b := newBrowser(t, srv.URL)
	get := b.do(t, http.MethodGet, "/account/password", nil, "X-Forwarded-Email", "dana@example.com")
	if get.status != http.StatusOK || get.doc.Find("form[action='/account/password']").Length() != 0 ||
		!strings.Contains(get.doc.Find("[data-notice]").Text(), "Change it there") {
		t.Fatalf("page for a proxy user: %d\n%s", get.status, get.body)
	}
	post := b.do(t, http.MethodPost, "/account/password", url.Values{"current": {"x"}, "password": {"0123456789"}, "confirm": {"0123456789"}},
		"X-Forwarded-Email", "dana@example.com")
	if post.status != http.StatusForbidden {
		t.Fatalf("POST by a proxy user: %d", post.status)
	}
}
