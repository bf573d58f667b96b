-- The inventory's coordination between replicas (DESIGN §8). The replica
-- that leads a region (it holds the session advisory lock
-- hashtextextended('enidash.inventory:' || region, 0)) writes every ENI it
-- finds changed and its progress; any replica writes what its own polls
-- after an action found. Each write takes a new version from one sequence
-- under the region's row lock, so a region's versions commit in order and
-- the others read the rows above the last version they saw, woken by
-- NOTIFY enidash_inventory '<region>'.

CREATE SEQUENCE inventory_version AS bigint;

-- One row per region: the leader's progress, and how far removals were
-- forgotten.
CREATE TABLE inventory_regions (
	region      text PRIMARY KEY,
	ready       boolean NOT NULL DEFAULT false, -- a full listing completed
	as_of       bigint NOT NULL DEFAULT 0,      -- start of the last complete listing, Unix ns
	listed      integer NOT NULL DEFAULT 0,
	total       integer NOT NULL DEFAULT 0,
	interval_ms bigint NOT NULL DEFAULT 0,      -- refresh interval
	last_error  jsonb,                          -- the last failure; NULL once a call works again
	retry_at    bigint NOT NULL DEFAULT 0,      -- Unix ns
	default_rg  text NOT NULL DEFAULT '',       -- the account's default resource group
	leader      text NOT NULL DEFAULT '',       -- the replica that wrote the progress
	updated_at  timestamptz,                    -- when the leader last wrote it
	pruned      bigint NOT NULL DEFAULT 0       -- removals up to this version are forgotten
);

-- One row per ENI: its last state (eni.ENI as JSON) observed at as_of (Unix
-- ns, exact, compared with the replicas' own observations), or its
-- removal.
CREATE TABLE inventory_enis (
	region  text NOT NULL,
	id      text NOT NULL,
	eni     jsonb NOT NULL,
	version bigint NOT NULL,
	as_of   bigint NOT NULL,
	pos     bigint NOT NULL,  -- place in the cloud's own order
	deleted boolean NOT NULL DEFAULT false,
	PRIMARY KEY (region, id)
);
CREATE INDEX inventory_enis_version ON inventory_enis (region, version);
