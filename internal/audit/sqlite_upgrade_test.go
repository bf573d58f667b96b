package audit

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// A database made before unknown outcomes existed takes them after
// opening, and keeps its entries, their order and its append-only rule.
func TestSQLiteUpgradeTakesUnknown(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openDB(t, path)
	if _, err := db.Exec(schemaBeforeUnknown); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO audit_log (event_id, time_ns, actor, outcome) VALUES ('old1', 1, 'erin', 'ok'), ('old2', 2, 'erin', 'pending')`); err != nil {
		t.Fatal(err)
	}
	s, err := NewSQLite(ctx, db, 1<<62)
	if err != nil {
		t.Fatal(err)
	}
	finish(t, s, "old2", Finish{Outcome: OutcomeUnknown, ErrorCode: "Timeout"})
	id := begin(t, s, Entry{Actor: "erin"})
	if got := ids(query(t, s, Query{Actor: "erin"}).Entries); !slices.Equal(got, []string{id, "old2", "old1"}) {
		t.Fatalf("entries after the upgrade: %v", got)
	}
	if _, err := s.db.Exec(`UPDATE audit_log SET outcome = 'error' WHERE event_id = 'old1'`); err == nil {
		t.Error("the upgraded table is no longer append-only")
	}
	if _, err := s.db.Exec(`DELETE FROM audit_log WHERE event_id = 'old1'`); err == nil {
		t.Error("the upgraded table lets entries be deleted")
	}
	// Opening again changes nothing.
	if _, err := NewSQLite(ctx, db, 1<<62); err != nil {
		t.Fatal(err)
	}
	if got := ids(query(t, s, Query{Actor: "erin"}).Entries); len(got) != 3 {
		t.Fatalf("entries after opening again: %v", got)
	}
}

// schemaBeforeUnknown is the audit table as first released.
const schemaBeforeUnknown = `
CREATE TABLE audit_log (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	event_id    TEXT    NOT NULL UNIQUE,
	time_ns     INTEGER NOT NULL,
	actor       TEXT    NOT NULL DEFAULT '',
	auth_method TEXT    NOT NULL DEFAULT '',
	source_ip   TEXT    NOT NULL DEFAULT '',
	user_agent  TEXT    NOT NULL DEFAULT '',
	action      TEXT    NOT NULL DEFAULT '',
	api         TEXT    NOT NULL DEFAULT '',
	region      TEXT    NOT NULL DEFAULT '',
	eni_id      TEXT    NOT NULL DEFAULT '',
	instance_id TEXT    NOT NULL DEFAULT '',
	bulk_id     TEXT    NOT NULL DEFAULT '',
	params      TEXT    NOT NULL DEFAULT '{}',
	outcome     TEXT    NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'ok', 'error')),
	error_code  TEXT    NOT NULL DEFAULT '',
	error_msg   TEXT    NOT NULL DEFAULT '',
	request_id  TEXT    NOT NULL DEFAULT '',
	duration_ns INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_log_time    ON audit_log (time_ns);
CREATE INDEX audit_log_eni     ON audit_log (eni_id, seq);
CREATE INDEX audit_log_actor   ON audit_log (actor, seq);
CREATE INDEX audit_log_outcome ON audit_log (outcome, seq);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
WHEN OLD.outcome <> 'pending'
	OR NEW.seq IS NOT OLD.seq OR NEW.event_id IS NOT OLD.event_id OR NEW.time_ns IS NOT OLD.time_ns
	OR NEW.actor IS NOT OLD.actor OR NEW.auth_method IS NOT OLD.auth_method
	OR NEW.source_ip IS NOT OLD.source_ip OR NEW.user_agent IS NOT OLD.user_agent
	OR NEW.action IS NOT OLD.action OR NEW.api IS NOT OLD.api OR NEW.region IS NOT OLD.region
	OR NEW.instance_id IS NOT OLD.instance_id OR NEW.bulk_id IS NOT OLD.bulk_id OR NEW.params IS NOT OLD.params
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
`
