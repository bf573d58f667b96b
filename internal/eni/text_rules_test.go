package eni

import (
	"net/url"
	"strings"
	"testing"
)

// Names, descriptions and tag values are one line of text: a line break
// or a NUL would break every place that shows or exports them. Each form
// that takes one refuses it at the field, saying which character and where.
func TestFormsRefuseControlCharacters(t *testing.T) {
	tests := []struct {
		name    string
		set     map[string][]string
		field   string
		message string
	}{
		{"name with a line feed", map[string][]string{FormName: {"web\nfront"}}, FormName, "line break (character 4)"},
		{"name with a carriage return", map[string][]string{FormName: {"web\rfront"}}, FormName, "line break (character 4)"},
		{"name with a NUL", map[string][]string{FormName: {"web\x00front"}}, FormName, "NUL character (character 4)"},
		{"description with a line feed", map[string][]string{FormDescription: {"first line\nsecond line"}}, FormDescription, "line break (character 11)"},
		{"description with a carriage return", map[string][]string{FormDescription: {"a\rb"}}, FormDescription, "line break (character 2)"},
		{"description with a NUL", map[string][]string{FormDescription: {"ab\x00"}}, FormDescription, "NUL character (character 3)"},
		{"description with an escape", map[string][]string{FormDescription: {"a\x1b[31mred"}}, FormDescription, "control character U+001B (character 2)"},
		{"tag value with a carriage return", map[string][]string{FormTags: {"env=pr\rod"}}, FormTags, "value that contains a line break (character 3)"},
		{"tag value with a NUL", map[string][]string{FormTags: {"env=prod\x00"}}, FormTags, "value that contains a NUL character (character 5)"},
		{"tag key with a NUL", map[string][]string{FormTags: {"e\x00nv=prod"}}, FormTags, "key that contains a NUL character (character 2)"},
	}
	for _, tt := range tests {
		t.Run("create: "+tt.name, func(t *testing.T) {
			v := baseForm()
			for k, vs := range tt.set {
				v[k] = vs
			}
			_, errs := ParseCreateForm(v)
			if !hasFieldError(errs, tt.field, tt.message) {
				t.Errorf("want %s: …%s…; got %v", tt.field, tt.message, errs)
			}
		})
	}
	// The list filter takes an ENI name and tag values too.
	filters := []struct {
		name    string
		query   url.Values
		field   string
		message string
	}{
		{"name with a NUL", url.Values{KeyName: {"web\x00"}}, KeyName, "NUL character (character 4)"},
		{"name with a line feed", url.Values{KeyName: {"we\nb"}}, KeyName, "line break (character 3)"},
		{"tag value with a carriage return", url.Values{KeyTag: {"env:pr\rod"}}, KeyTag, "value that contains a line break (character 3)"},
		{"tag key with a NUL", url.Values{KeyTag: {"e\x00nv"}}, KeyTag, "key that contains a NUL character (character 2)"},
	}
	for _, tt := range filters {
		t.Run("filter: "+tt.name, func(t *testing.T) {
			_, errs := ParseFilter(tt.query)
			if !hasFieldError(errs, tt.field, tt.message) {
				t.Errorf("want %s: …%s…; got %v", tt.field, tt.message, errs)
			}
		})
	}
}

// Tabs and ordinary text pass; so does a textarea's CRLF between tags.
func TestFormsAcceptPlainText(t *testing.T) {
	v := baseForm()
	v.Set(FormDescription, "tab\tseparated, ünïcode, emoji 🚀")
	v.Set(FormTags, "env=prod\r\nteam=net\r\n")
	if _, errs := ParseCreateForm(v); len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
	if _, errs := ParseFilter(url.Values{KeyName: {"web-1"}, KeyTag: {"env:prod"}}); len(errs) > 0 {
		t.Errorf("filter errors: %v", errs)
	}
}

func TestScrubControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"tab\tkept", "tab\tkept"},
		{"nul\x00", "nul␀"},
		{"crlf\r\n", "crlf␍␊"},
		{"esc\x1b[0m", "esc␛[0m"},
		{"ünï", "ünï"},
	}
	for _, tt := range tests {
		if got := ScrubControls(tt.in); got != tt.want {
			t.Errorf("ScrubControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func hasFieldError(errs FieldErrors, field, message string) bool {
	for _, e := range errs {
		if e.Field == field && strings.Contains(e.Message, message) {
			return true
		}
	}
	return false
}
