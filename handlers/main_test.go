package handlers_test

import (
	"testing"

	"enidash/internal/database/pgtest"
)

// TestMain stops the PostgreSQL server the replica tests start.
func TestMain(m *testing.M) { pgtest.Main(m) }
