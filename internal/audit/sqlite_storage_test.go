package audit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"enidash/internal/database"
)

// While the storage monitor says the database cannot be written, Begin
// refuses, even though SQLite would still take the row (here: into a file
// nobody will read again); the entries already begun can be finished.
// Once the monitor passes again, Begin works.
func TestSQLiteBeginRefusedWhileStorageFails(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.db")
	db := openDB(t, path)
	s, err := NewSQLite(ctx, db, 0)
	if err != nil {
		t.Fatal(err)
	}
	mon, err := database.NewMonitor(ctx, db, path, database.MonitorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	s.Writable = mon.Err
	pending, err := s.Begin(ctx, Entry{Actor: "otto", Action: ActionAttach})
	if err != nil {
		t.Fatal(err)
	}

	// The file goes away and comes back: SQLite writes on to the old one
	// meanwhile, unaware.
	if err := os.Rename(path, path+".moved"); err != nil {
		t.Fatal(err)
	}
	mon.Probe(ctx)
	if _, err := s.Begin(ctx, Entry{Actor: "otto", Action: ActionDelete}); !errors.Is(err, database.ErrReplaced) {
		t.Fatalf("Begin with the file gone: %v, want it refused with %v", err, database.ErrReplaced)
	}
	if err := s.Finish(ctx, pending, Finish{Outcome: OutcomeOK}); err != nil {
		t.Fatalf("Finish of an entry begun before: %v", err)
	}
	if err := os.Rename(path+".moved", path); err != nil {
		t.Fatal(err)
	}
	mon.Probe(ctx)
	if _, err := s.Begin(ctx, Entry{Actor: "otto", Action: ActionDelete}); err != nil {
		t.Fatalf("Begin once the file is back: %v", err)
	}
	page, err := s.Query(ctx, Query{})
	if err != nil || len(page.Entries) != 2 {
		t.Fatalf("%d entries (%v), want the two begun while storage was fine", len(page.Entries), err)
	}
}
