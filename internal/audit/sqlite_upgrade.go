package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// allowUnknown upgrades an audit table made before unknown outcomes
// existed: its CHECK refuses them, and SQLite cannot alter a CHECK. The
// table is rebuilt under the current schema with the same rows, seq and
// its AUTOINCREMENT high-water mark included, in one transaction, so the
// log is never seen half-copied and the append-only triggers are back
// before anyone can write.
func allowUnknown(ctx context.Context, db *sql.DB) error {
	var def string
	if err := db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'`).Scan(&def); err != nil {
		return fmt.Errorf("audit: reading the table's definition: %w", err)
	}
	if strings.Contains(def, "'unknown'") {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit: upgrading the table: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	steps := []string{
		`DROP TRIGGER IF EXISTS audit_log_append_only`,
		// Made on the old table by the schema just run; it would go with it.
		`DROP TRIGGER IF EXISTS audit_log_delete_by_retention`,
		`DROP INDEX IF EXISTS audit_log_time`,
		`DROP INDEX IF EXISTS audit_log_eni`,
		`DROP INDEX IF EXISTS audit_log_actor`,
		`DROP INDEX IF EXISTS audit_log_outcome`,
		`ALTER TABLE audit_log RENAME TO audit_log_before_unknown`,
		schema,
		`INSERT INTO audit_log SELECT * FROM audit_log_before_unknown`,
		`UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM sqlite_sequence
			WHERE name IN ('audit_log', 'audit_log_before_unknown')) WHERE name = 'audit_log'`,
		`DROP TABLE audit_log_before_unknown`,
	}
	for _, s := range steps {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("audit: upgrading the table for unknown outcomes: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit: upgrading the table for unknown outcomes: %w", err)
	}
	return nil
}
