package auth

import (
	"context"
	"errors"
)

// Errors of user management.
var (
	ErrForbidden = errors.New("only admins manage users")
	ErrSelf      = errors.New("you cannot disable your own account; ask another admin")
)

// Users lists every account.
func (s *Service) Users(ctx context.Context) ([]User, error) { return s.store.List(ctx) }

// AddUser creates an account with a first password the admin passes on.
func (s *Service) AddUser(ctx context.Context, a Actor, username, password string, role Role) error {
	if !a.Role.Allows(RoleAdmin) {
		return ErrForbidden
	}
	name := NormalizeUsername(username)
	if err := ValidateUsername(name); err != nil {
		return err // not audited: nothing was attempted
	}
	return s.change(ctx, a, name, "add", map[string]string{"role": role.String()}, func() error {
		_, err := s.store.Create(ctx, name, password, role)
		if errors.Is(err, ErrExists) {
			return &FieldError{Field: "username", Message: "A user with this name already exists."}
		}
		return err
	})
}

// SetRole changes a user's role; their sessions end, so the new role
// applies at once. The last enabled admin cannot be demoted.
func (s *Service) SetRole(ctx context.Context, a Actor, username string, role Role) error {
	if !a.Role.Allows(RoleAdmin) {
		return ErrForbidden
	}
	return s.change(ctx, a, username, "role", map[string]string{"role": role.String()}, func() error {
		return s.store.SetRole(ctx, username, role)
	})
}

// ResetPassword sets a user's password (one they forgot); their sessions end.
func (s *Service) ResetPassword(ctx context.Context, a Actor, username, password string) error {
	if !a.Role.Allows(RoleAdmin) {
		return ErrForbidden
	}
	return s.change(ctx, a, username, "password", nil, func() error {
		_, err := s.store.SetPassword(ctx, username, password)
		return err
	})
}

// SetDisabled disables (ending their sessions) or enables a user. Admins
// cannot disable themselves, nor the last enabled admin.
func (s *Service) SetDisabled(ctx context.Context, a Actor, username string, disabled bool) error {
	if !a.Role.Allows(RoleAdmin) {
		return ErrForbidden
	}
	what := "enable"
	if disabled {
		what = "disable"
	}
	return s.change(ctx, a, username, what, nil, func() error {
		if disabled && username == a.Username {
			return ErrSelf
		}
		return s.store.SetDisabled(ctx, username, disabled)
	})
}
