package auth_test

import (
	"errors"
	"testing"

	"enidash/internal/auth"
)

// Names are compared after lower-casing ASCII letters and trimming ASCII
// spaces only: a character that Unicode folds onto an ASCII letter (the
// Kelvin sign onto k) or trims (a no-break space) makes another name, which
// validation then refuses, never an existing account's name.
func TestUsernameNormalisation(t *testing.T) {
	tests := []struct {
		in, want string
		valid    bool
	}{
		{" Bob@Example.COM\t", "bob@example.com", true},
		{"kate", "kate", true},
		{"\u212Aate", "\u212Aate", false},                          // KELVIN SIGN
		{"kate\u00a0", "kate\u00a0", false},                        // NO-BREAK SPACE
		{"\u3000kate", "\u3000kate", false},                        // IDEOGRAPHIC SPACE
		{"ka\u0301te", "ka\u0301te", false},                        // combining accent
		{"\uff4bate", "\uff4bate", false},                          // FULLWIDTH k
		{"K\u0130M", "k\u0130m", false},                            // dotted capital I stays
		{"s\u017fam", "s\u017fam", false},                          // long s
		{"\u0041\u030a", "a\u030a", false},                         // A + ring, not U+00E5
		{"x" + string(rune(0x1d5c4)) + "y", "x\U0001d5c4y", false}, // math sans k
	}
	for _, tt := range tests {
		got := auth.NormalizeUsername(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeUsername(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
		err := auth.ValidateUsername(got)
		var fe *auth.FieldError
		if tt.valid != (err == nil) || (err != nil && (!errors.As(err, &fe) || fe.Field != "username")) {
			t.Errorf("ValidateUsername(%+q) = %v, want valid %v", got, err, tt.valid)
		}
	}
}
