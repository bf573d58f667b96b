package auth

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Password rules. bcrypt reads only the first 72 bytes, so longer
// passwords are refused rather than silently cut.
const (
	MinPasswordLen   = 10 // characters
	MaxPasswordBytes = 72
	MaxUsernameLen   = 64
)

// ErrBadCredentials is a wrong user name or password; which of the two is
// never said.
var ErrBadCredentials = errors.New("wrong user name or password")

// FieldError is invalid input, with the form field at fault. Its message
// is written for the person filling in the form and never holds a secret.
type FieldError struct {
	Field   string // the form field: username, password, role, current …
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// NormalizeUsername is how names are stored and compared: ASCII spaces
// trimmed and ASCII letters in lower case, so "Alice " signs in as alice.
// Nothing else is folded: Unicode case mapping and space trimming would
// make other names equal to an account's (the Kelvin sign lower-cases to
// k, U+0130 to i, a no-break space trims away), and a name from an SSO
// proxy must never become a local account it is not. Such names stay
// themselves, which ValidateUsername refuses.
func NormalizeUsername(s string) string {
	s = strings.Trim(s, " \t\r\n\v\f")
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// ValidateUsername checks a normalised name: 1 to 64 characters of
// a-z, 0-9 and . _ @ -.
func ValidateUsername(s string) error {
	if s == "" {
		return &FieldError{Field: "username", Message: "Enter a user name."}
	}
	if len(s) > MaxUsernameLen {
		return &FieldError{Field: "username", Message: "Use at most 64 characters."}
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._@-", r)) {
			return &FieldError{Field: "username", Message: "Use only lower-case letters a-z, digits and . _ @ -"}
		}
	}
	return nil
}

// ValidatePassword checks a new password against the rules.
func ValidatePassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLen {
		return &FieldError{Field: "password", Message: "Use at least 10 characters."}
	}
	if len(p) > MaxPasswordBytes {
		return &FieldError{Field: "password", Message: "Use at most 72 bytes (fewer characters if they are not plain ASCII)."}
	}
	return nil
}
