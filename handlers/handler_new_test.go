package handlers_test

import (
	"strings"
	"testing"

	"enidash/handlers"
)

// The handlers refuse to start without what they stand on, naming each
// missing part, instead of making up an audit log or a cookie store.
func TestNewRequiresDependencies(t *testing.T) {
	h, err := handlers.New(handlers.Deps{})
	if err == nil || h != nil {
		t.Fatalf("New(Deps{}) = %v, %v; want an error", h, err)
	}
	for _, name := range []string{"Cloud", "Lookups", "Audit", "Sessions", "Auth"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}
