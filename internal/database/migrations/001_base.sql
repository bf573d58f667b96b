-- Each concern adds its own numbered file: 002 sign-in (users, settings,
-- sign-in limits), 003 the audit log, 004 the inventory's coordination
-- between replicas.

-- The storage probe's row: a replica proves it can write by updating it.
CREATE TABLE storage_heartbeat (
	replica text PRIMARY KEY,
	at      timestamptz NOT NULL
);
