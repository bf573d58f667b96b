package database

import (
	"context"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"enidash.db", "enidash.db"},
		{"/var/lib/enidash/enidash.db", "/var/lib/enidash/enidash.db"},
		{":memory:", ":memory:"},
		{"postgres://u:s3cret@db.internal:5432/enidash", "postgres://u:xxxxx@db.internal:5432/enidash"},
		{"postgresql://u@db/enidash?sslmode=require", "postgresql://u@db/enidash?sslmode=require"},
		{"postgres://u:s3cret@db/enidash?sslmode=require", "postgres://u:xxxxx@db/enidash?sslmode=require"},
		{"postgres://db/enidash?user=u&password=s3cret", "postgres://db/enidash?password=xxxxx&user=u"},
		// A password that is not valid URL escaping still goes.
		{"postgres://u:s3%zz@cret@db/enidash", "postgres://u:xxxxx@db/enidash"},
		{"host=db user=u password=s3cret dbname=enidash", "host=db user=u password=xxxxx dbname=enidash"},
		{"host=db password = 's3 cret\\'x' dbname=enidash", "host=db password=xxxxx dbname=enidash"},
		{"host=db PASSWORD=s3cret", "host=db PASSWORD=xxxxx"},
	}
	for _, tt := range tests {
		got := Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, "s3") || strings.Contains(got, "cret") {
			t.Errorf("Redact(%q) = %q still holds the password", tt.in, got)
		}
	}
}

// An open that fails names the location without its password.
func TestOpenErrorHidesPassword(t *testing.T) {
	for _, loc := range []string{
		"postgres://u:s3cret@127.0.0.1/enidash",
		t.TempDir() + "/no/such/dir/x.db?password=s3cret",
	} {
		db, err := Open(context.Background(), loc)
		if err == nil {
			db.Close()
			t.Fatalf("Open(%q) succeeded", loc)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open error shows the password: %v", err)
		}
	}
}
