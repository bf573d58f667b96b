package views

import (
	"testing"
)

func TestLoginView(t *testing.T) {
	tests := []struct {
		name   string
		page   LoginPage
		alert  string // form message
		field  string // field with a message
		notice string
		focus  string // the field with autofocus
	}{
		{"empty", LoginPage{Next: "/"}, "", "", "", "username"},
		{"wrong password", LoginPage{Username: "alice", Next: "/enis?region=cn-hangzhou", Error: "Wrong user name or password."},
			"Wrong user name or password.", "", "", "password"},
		{"field message", LoginPage{Errors: AccountErrors{"username": "Enter your user name."}}, "", "username", "", "username"},
		{"session ended", LoginPage{Notice: "Your session has ended; sign in again to continue."}, "", "",
			"Your session has ended; sign in again to continue.", "username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.page.Chrome = chrome()
			tt.page.CSRF = "tok-123"
			doc := render(t, LoginView(tt.page))
			form := doc.Find(`form[method="post"][action="/login"]`)
			if form.Length() != 1 {
				t.Fatal("no sign-in form")
			}
			if v, _ := form.Find(`input[type="hidden"][name="_csrf"]`).Attr("value"); v != "tok-123" {
				t.Errorf("CSRF field %q", v)
			}
			if v, _ := form.Find(`input[type="hidden"][name="next"]`).Attr("value"); v != tt.page.Next {
				t.Errorf("next field %q, want %q", v, tt.page.Next)
			}
			user := form.Find(`input[name="username"]`)
			if v, _ := user.Attr("value"); v != tt.page.Username {
				t.Errorf("user name %q, want %q", v, tt.page.Username)
			}
			if ac, _ := user.Attr("autocomplete"); ac != "username" {
				t.Errorf("user name autocomplete %q", ac)
			}
			pw := form.Find(`input[name="password"]`)
			if typ, _ := pw.Attr("type"); typ != "password" {
				t.Errorf("password input type %q", typ)
			}
			if _, has := pw.Attr("value"); has {
				t.Error("the password input carries a value")
			}
			if got := text(doc.Find("[data-form-error]")); got != tt.alert {
				t.Errorf("form message %q, want %q", got, tt.alert)
			}
			if got := text(doc.Find("[data-notice]")); got != tt.notice {
				t.Errorf("notice %q, want %q", got, tt.notice)
			}
			if tt.field != "" {
				in := form.Find(`input[name="` + tt.field + `"]`)
				if in.HasClass("input-invalid") == false || in.AttrOr("aria-invalid", "") != "true" {
					t.Errorf("%s is not marked invalid", tt.field)
				}
				msg := doc.Find("#" + in.AttrOr("aria-describedby", "none"))
				if text(msg) != tt.page.Errors[tt.field] {
					t.Errorf("message of %s: %q", tt.field, text(msg))
				}
			}
			if got := form.Find("input[autofocus]").First().AttrOr("name", ""); got != tt.focus {
				t.Errorf("focus on %q, want %q", got, tt.focus)
			}
		})
	}
}
