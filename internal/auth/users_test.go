package auth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/auth/authtest"
)

func TestUserChanges(t *testing.T) {
	ctx := context.Background()
	admin := auth.Actor{Identity: auth.Identity{Username: "root", Role: auth.RoleAdmin, Method: "password"}, Addr: "198.51.100.7"}
	operator := auth.Actor{Identity: auth.Identity{Username: "olga", Role: auth.RoleOperator, Method: "password"}, Addr: "198.51.100.8"}
	const secret = "s3cret password"
	tests := []struct {
		name    string
		actor   auth.Actor
		do      func(s *auth.Service, a auth.Actor) error
		wantErr error             // nil: done
		params  map[string]string // of the audit entry; nil: no entry
		check   func(t *testing.T, env *authtest.Env)
	}{
		{"add", admin, func(s *auth.Service, a auth.Actor) error {
			return s.AddUser(ctx, a, "New.User", secret, auth.RoleOperator)
		},
			nil, map[string]string{"user": "new.user", "change": "add", "role": "operator"},
			func(t *testing.T, env *authtest.Env) {
				if _, err := env.Store.Verify(ctx, "new.user", secret); err != nil {
					t.Fatal(err)
				}
			}},
		{"add an existing name", admin, func(s *auth.Service, a auth.Actor) error { return s.AddUser(ctx, a, "olga", secret, auth.RoleViewer) },
			&auth.FieldError{}, map[string]string{"user": "olga", "change": "add", "role": "viewer"}, nil},
		{"add with a bad name is not attempted", admin, func(s *auth.Service, a auth.Actor) error { return s.AddUser(ctx, a, "a b", secret, auth.RoleViewer) },
			&auth.FieldError{}, nil, nil},
		{"add a lookalike of a name is not attempted", admin, func(s *auth.Service, a auth.Actor) error {
			return s.AddUser(ctx, a, "\u212Aate", secret, auth.RoleViewer) // KELVIN SIGN, not K
		}, &auth.FieldError{}, nil, nil},
		{"set role", admin, func(s *auth.Service, a auth.Actor) error { return s.SetRole(ctx, a, "olga", auth.RoleViewer) },
			nil, map[string]string{"user": "olga", "change": "role", "role": "viewer"},
			func(t *testing.T, env *authtest.Env) {
				if u, _ := env.Store.Get(ctx, "olga"); u.Role != auth.RoleViewer {
					t.Fatalf("role %v", u.Role)
				}
			}},
		{"reset password", admin, func(s *auth.Service, a auth.Actor) error { return s.ResetPassword(ctx, a, "olga", secret) },
			nil, map[string]string{"user": "olga", "change": "password"},
			func(t *testing.T, env *authtest.Env) {
				if _, err := env.Store.Verify(ctx, "olga", secret); err != nil {
					t.Fatal(err)
				}
			}},
		{"reset to a short password", admin, func(s *auth.Service, a auth.Actor) error { return s.ResetPassword(ctx, a, "olga", "short") },
			&auth.FieldError{}, map[string]string{"user": "olga", "change": "password"}, nil},
		{"disable", admin, func(s *auth.Service, a auth.Actor) error { return s.SetDisabled(ctx, a, "olga", true) },
			nil, map[string]string{"user": "olga", "change": "disable"}, nil},
		{"disable oneself", admin, func(s *auth.Service, a auth.Actor) error { return s.SetDisabled(ctx, a, "root", true) },
			auth.ErrSelf, map[string]string{"user": "root", "change": "disable"}, nil},
		{"demote the last admin", admin, func(s *auth.Service, a auth.Actor) error { return s.SetRole(ctx, a, "root", auth.RoleOperator) },
			auth.ErrLastAdmin, map[string]string{"user": "root", "change": "role", "role": "operator"}, nil},
		{"unknown user", admin, func(s *auth.Service, a auth.Actor) error { return s.SetDisabled(ctx, a, "nobody", false) },
			auth.ErrNotFound, map[string]string{"user": "nobody", "change": "enable"}, nil},
		{"not an admin", operator, func(s *auth.Service, a auth.Actor) error { return s.SetRole(ctx, a, "olga", auth.RoleAdmin) },
			auth.ErrForbidden, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := authtest.New(t, auth.Config{})
			env.AddUser(t, "root", auth.RoleAdmin)
			env.AddUser(t, "olga", auth.RoleOperator)
			err := tt.do(env.Service, tt.actor)
			var fe *auth.FieldError
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("error %v", err)
			case tt.wantErr != nil && errors.As(tt.wantErr, &fe):
				if !errors.As(err, &fe) {
					t.Fatalf("error %v, want a field error", err)
				}
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			page, _ := env.Audit.Query(ctx, audit.Query{Action: audit.ActionUserChange})
			if tt.params == nil {
				if len(page.Entries) != 0 {
					t.Fatalf("audited %+v, want nothing", page.Entries)
				}
			} else {
				if len(page.Entries) != 1 {
					t.Fatalf("%d audit entries, want 1", len(page.Entries))
				}
				e := page.Entries[0]
				if fmt.Sprint(e.Params) != fmt.Sprint(tt.params) || e.Actor != tt.actor.Username || e.SourceIP != tt.actor.Addr {
					t.Fatalf("audit entry %+v, want params %v by %s", e, tt.params, tt.actor.Username)
				}
				if want := map[bool]audit.Outcome{true: audit.OutcomeOK, false: audit.OutcomeError}[err == nil]; e.Outcome != want {
					t.Fatalf("outcome %s, want %s", e.Outcome, want)
				}
				if strings.Contains(fmt.Sprint(e), secret) {
					t.Fatal("the audit entry holds the password")
				}
			}
			if tt.check != nil {
				tt.check(t, env)
			}
		})
	}
}

// failingLog cannot write.
type failingLog struct{ audit.Log }

func (failingLog) Begin(context.Context, audit.Entry) (string, error) {
	return "", errors.New("disk full")
}

// A change the audit log cannot record is not made.
func TestUserChangeNeedsAudit(t *testing.T) {
	env := authtest.New(t, auth.Config{Audit: failingLog{}})
	env.AddUser(t, "root", auth.RoleAdmin)
	env.AddUser(t, "olga", auth.RoleOperator)
	admin := auth.Actor{Identity: auth.Identity{Username: "root", Role: auth.RoleAdmin, Method: "password"}}
	if err := env.Service.SetDisabled(context.Background(), admin, "olga", true); !errors.Is(err, auth.ErrAuditUnavailable) {
		t.Fatalf("SetDisabled: %v, want ErrAuditUnavailable", err)
	}
	if u, _ := env.Store.Get(context.Background(), "olga"); u.Disabled {
		t.Fatal("olga was disabled without an audit record")
	}
}
