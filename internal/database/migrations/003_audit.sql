-- The audit log (internal/audit.Postgres): the same columns as SQLite's
-- table, times in nanoseconds since 1970 so both stores give back the
-- instant they were given. seq orders the entries and is the paging key;
-- event_id is the random public ID.
CREATE TABLE audit_log (
	seq         bigserial PRIMARY KEY,
	event_id    text   NOT NULL UNIQUE,
	time_ns     bigint NOT NULL,
	actor       text   NOT NULL DEFAULT '',
	auth_method text   NOT NULL DEFAULT '',
	source_ip   text   NOT NULL DEFAULT '',
	user_agent  text   NOT NULL DEFAULT '',
	action      text   NOT NULL DEFAULT '',
	api         text   NOT NULL DEFAULT '',
	region      text   NOT NULL DEFAULT '',
	eni_id      text   NOT NULL DEFAULT '',
	instance_id text   NOT NULL DEFAULT '',
	bulk_id     text   NOT NULL DEFAULT '',
	params      jsonb  NOT NULL DEFAULT '{}',
	outcome     text   NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'ok', 'error', 'unknown')),
	error_code  text   NOT NULL DEFAULT '',
	error_msg   text   NOT NULL DEFAULT '',
	request_id  text   NOT NULL DEFAULT '',
	duration_ns bigint NOT NULL DEFAULT 0
);

-- The audit page filters by one of these and reads newest first (seq
-- descending); retention and the date range go by time.
CREATE INDEX audit_log_time    ON audit_log (time_ns);
CREATE INDEX audit_log_eni     ON audit_log (eni_id, seq);
CREATE INDEX audit_log_actor   ON audit_log (actor, seq);
CREATE INDEX audit_log_action  ON audit_log (action, seq);
CREATE INDEX audit_log_outcome ON audit_log (outcome, seq);

-- Append-only for every writer of the database, not only for enidash: an
-- entry's outcome fields (and the ENI ID a create learns) are written once,
-- while it is pending, and nothing else ever changes. Rows go only by
-- retention, which names its cutoff for its own transaction with
-- set_config('enidash.audit_prune_before', <ns>, true): rows older than
-- that may be deleted, no others.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF OLD.time_ns < COALESCE(NULLIF(current_setting('enidash.audit_prune_before', true), '')::bigint, -9223372036854775808) THEN
			RETURN OLD;
		END IF;
		RAISE EXCEPTION 'audit_log is append-only: entry % may only be deleted by retention', OLD.event_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION 'audit_log is append-only: it cannot be truncated' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF OLD.outcome <> 'pending' THEN
		RAISE EXCEPTION 'audit_log is append-only: entry % already has its outcome', OLD.event_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF (NEW.seq, NEW.event_id, NEW.time_ns, NEW.actor, NEW.auth_method, NEW.source_ip, NEW.user_agent,
		NEW.action, NEW.api, NEW.region, NEW.instance_id, NEW.bulk_id, NEW.params)
		IS DISTINCT FROM
		(OLD.seq, OLD.event_id, OLD.time_ns, OLD.actor, OLD.auth_method, OLD.source_ip, OLD.user_agent,
		OLD.action, OLD.api, OLD.region, OLD.instance_id, OLD.bulk_id, OLD.params) THEN
		RAISE EXCEPTION 'audit_log is append-only: only the outcome of entry % may be written', OLD.event_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
