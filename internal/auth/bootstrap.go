package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
)

// BootstrapUser is the account created when there is none.
const BootstrapUser = "admin"

// Bootstrap creates the first account, admin with the admin role, when the
// database has no users. Its password is password (ENIDASH_ADMIN_PASSWORD)
// when set, else a generated one, written once to the log so whoever
// started the program can sign in. With users present it does nothing.
func (s *Store) Bootstrap(ctx context.Context, password string, logger *slog.Logger) error {
	n, err := s.Count(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		if password != "" {
			logger.InfoContext(ctx, "ENIDASH_ADMIN_PASSWORD is ignored: users already exist; change passwords on the Users page")
		}
		return nil
	}
	generated := password == ""
	if generated {
		password = rand.Text() // 26 base32 characters, 130 bits
	} else if err := ValidatePassword(password); err != nil {
		var fe *FieldError
		errors.As(err, &fe)
		return fmt.Errorf("ENIDASH_ADMIN_PASSWORD: %s", fe.Message)
	}
	_, err = s.Create(ctx, BootstrapUser, password, RoleAdmin)
	if errors.Is(err, ErrExists) {
		return nil // another replica was first
	}
	if err != nil {
		return fmt.Errorf("auth: creating the first admin: %w", err)
	}
	if generated {
		// The one log line that holds a secret, on purpose: it is the only
		// way in on a first start without configuration.
		logger.WarnContext(ctx, "no users yet: created user \"admin\" with a generated password, shown only this once; "+
			"sign in and change it on the Account page (set ENIDASH_ADMIN_PASSWORD to choose it instead)",
			"username", BootstrapUser, "password", password)
	} else {
		logger.InfoContext(ctx, "no users yet: created user \"admin\" with the password from ENIDASH_ADMIN_PASSWORD", "username", BootstrapUser)
	}
	return nil
}
