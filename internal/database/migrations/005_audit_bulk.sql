-- A bulk action's items (the audit page's bulk filter, and a bulk's
-- results followed from any replica), newest first.
CREATE INDEX audit_log_bulk ON audit_log (bulk_id, seq);
