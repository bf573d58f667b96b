package views

import "testing"

func TestPasswordView(t *testing.T) {
	tests := []struct {
		name  string
		page  PasswordPage
		form  bool
		field string
	}{
		{"local user", PasswordPage{Local: true}, true, ""},
		{"wrong current password", PasswordPage{Local: true, Errors: AccountErrors{"current": "This is not your current password."}}, true, "current"},
		{"SSO user", PasswordPage{Local: false}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.page.Chrome = chrome()
			tt.page.CSRF, tt.page.User = "tok-9", "alice"
			doc := render(t, PasswordView(tt.page))
			form := doc.Find(`form[method="post"][action="/account/password"]`)
			if (form.Length() == 1) != tt.form {
				t.Fatalf("form shown: %v, want %v", form.Length() == 1, tt.form)
			}
			if !tt.form {
				if got := text(doc.Find("[data-notice]")); got == "" {
					t.Fatal("an SSO user is not told where to change the password")
				}
				return
			}
			if v, _ := form.Find(`input[name="_csrf"]`).Attr("value"); v != "tok-9" {
				t.Errorf("CSRF field %q", v)
			}
			for name, ac := range map[string]string{"current": "current-password", "password": "new-password", "confirm": "new-password"} {
				in := form.Find(`input[name="` + name + `"]`)
				if in.AttrOr("type", "") != "password" || in.AttrOr("autocomplete", "") != ac {
					t.Errorf("%s: type %q autocomplete %q", name, in.AttrOr("type", ""), in.AttrOr("autocomplete", ""))
				}
				if _, has := in.Attr("value"); has {
					t.Errorf("%s carries a value", name)
				}
				if label := doc.Find(`label[for="` + in.AttrOr("id", "?") + `"]`); text(label) == "" {
					t.Errorf("%s has no label", name)
				}
			}
			if tt.field != "" {
				if got := text(doc.Find(`[data-field-error="` + tt.field + `"]`)); got != tt.page.Errors[tt.field] {
					t.Errorf("message at %s: %q", tt.field, got)
				}
			}
		})
	}
}
