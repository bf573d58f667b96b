package main

import (
	"bytes"
	"strings"
	"testing"
)

// A database that cannot be opened stops the program with a message that
// names it without its password, in the log and on the way out.
func TestFailedOpenHidesDBPassword(t *testing.T) {
	var out bytes.Buffer
	code := run([]string{"--cloud", "emulator", "--addr", "127.0.0.1:0",
		"--db", "postgres://u:s3cret@127.0.0.1:1/enidash"}, &out)
	if code != 1 {
		t.Fatalf("exit code %d, want 1; output:\n%s", code, &out)
	}
	if !strings.Contains(out.String(), "postgres://u:xxxxx@127.0.0.1:1/enidash") {
		t.Errorf("the output does not name the database:\n%s", &out)
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Errorf("the output shows the database password:\n%s", &out)
	}
}
