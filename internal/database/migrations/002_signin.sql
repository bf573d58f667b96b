-- Sign-in (internal/auth): the same tables as its SQLite store, times in
-- seconds since 1970 as there, so both stores share their code but for
-- the statements. session_gen is part of every session cookie: bumping it
-- ends all of the user's sessions, on every replica.
CREATE TABLE users (
	username       text PRIMARY KEY,
	password_hash  text    NOT NULL,
	role           text    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
	disabled       boolean NOT NULL DEFAULT false,
	session_gen    bigint  NOT NULL DEFAULT 1,
	created_at     bigint  NOT NULL,
	updated_at     bigint  NOT NULL,
	last_signin_at bigint  NOT NULL DEFAULT 0
);

-- The generated session key lives here: the first replica to start writes
-- it, every other one reads that one.
CREATE TABLE auth_settings (
	name  text PRIMARY KEY,
	value bytea NOT NULL
);

-- Sign-in limits shared by the replicas (auth.NewPostgresAttempts): one
-- row per attempt still counting against a key (an account or an
-- address), times in nanoseconds so an attempt given back is found
-- exactly. Rows older than the window are swept.
CREATE TABLE signin_attempts (
	id    bigserial PRIMARY KEY,
	scope text   NOT NULL,
	key   text   NOT NULL,
	at_ns bigint NOT NULL
);
CREATE INDEX signin_attempts_key ON signin_attempts (scope, key, at_ns);
CREATE INDEX signin_attempts_at ON signin_attempts (at_ns);

-- When a refusal of a key was last reported, so a refused flood is
-- recorded once per window whichever replica it reaches.
CREATE TABLE signin_reports (
	scope text   NOT NULL,
	key   text   NOT NULL,
	at_ns bigint NOT NULL,
	PRIMARY KEY (scope, key)
);
