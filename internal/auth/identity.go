// Package auth knows who is acting: users, roles, sign-in and sessions.
package auth

import "context"

// Role is what a person may do. Each role includes the ones below it.
type Role int

const (
	RoleNone     Role = iota
	RoleViewer        // read
	RoleOperator      // read and act on ENIs
	RoleAdmin         // operator, plus user management
)

// String is the role's name as forms and the database spell it.
func (r Role) String() string {
	switch r {
	case RoleViewer:
		return "viewer"
	case RoleOperator:
		return "operator"
	case RoleAdmin:
		return "admin"
	}
	return "none"
}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, bool) {
	for _, r := range []Role{RoleViewer, RoleOperator, RoleAdmin} {
		if r.String() == s {
			return r, true
		}
	}
	return RoleNone, false
}

// Allows reports whether the role includes need.
func (r Role) Allows(need Role) bool { return r >= need }

// Identity is the person behind a request.
type Identity struct {
	Username string
	Role     Role
	Method   string // how they were authenticated: "password" or "proxy"
}

type ctxKey struct{}

// WithIdentity returns ctx carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the identity ctx carries, if any.
func FromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok
}
