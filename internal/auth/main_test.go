package auth_test

import (
	"testing"

	"enidash/internal/database/pgtest"
)

// TestMain stops the PostgreSQL server the tests started, if any.
func TestMain(m *testing.M) { pgtest.Main(m) }
