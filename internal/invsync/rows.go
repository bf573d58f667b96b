package invsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// Write implements inventory.Coordinator. The region's row is locked
// first (written with the progress, or only locked), so a region's
// writes take their versions and commit one after the other: a reader
// that saw version v has seen every version below it.
func (c *Coordinator) Write(ctx context.Context, region string, rows []inventory.SharedENI, p *inventory.SharedProgress) error {
	ids := make([]string, len(rows))
	docs := make([]string, len(rows))
	asOf := make([]int64, len(rows))
	pos := make([]int64, len(rows))
	deleted := make([]bool, len(rows))
	for i, r := range rows {
		b, err := json.Marshal(r.ENI)
		if err != nil {
			return fmt.Errorf("invsync: encoding %s: %w", r.ENI.ID, err)
		}
		ids[i], docs[i], asOf[i], pos[i], deleted[i] = r.ENI.ID, string(b), nanos(r.AsOf), int64(r.Pos), r.Deleted
	}
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		if err := c.lockRegion(ctx, tx, region, p); err != nil {
			return err
		}
		if len(rows) > 0 {
			if _, err := tx.Exec(ctx, `
INSERT INTO inventory_enis (region, id, eni, version, as_of, pos, deleted)
SELECT $1, u.id, u.doc::jsonb, nextval('inventory_version'), u.as_of, u.pos, u.deleted
FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::boolean[]) AS u(id, doc, as_of, pos, deleted)
ON CONFLICT (region, id) DO UPDATE SET eni = EXCLUDED.eni, version = EXCLUDED.version,
	as_of = EXCLUDED.as_of, pos = EXCLUDED.pos, deleted = EXCLUDED.deleted
WHERE inventory_enis.as_of <= EXCLUDED.as_of`, region, ids, docs, asOf, pos, deleted); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, region)
		return err
	})
	if err != nil {
		return fmt.Errorf("invsync: writing %d ENIs of %s: %w", len(rows), region, err)
	}
	return nil
}

// lockRegion writes the region's progress (the leader's), or only locks
// its row.
func (c *Coordinator) lockRegion(ctx context.Context, tx pgx.Tx, region string, p *inventory.SharedProgress) error {
	if p == nil {
		_, err := tx.Exec(ctx, `INSERT INTO inventory_regions (region) VALUES ($1)
ON CONFLICT (region) DO UPDATE SET region = EXCLUDED.region`, region)
		return err
	}
	failure, err := encodeErr(p.Err)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
INSERT INTO inventory_regions (region, ready, as_of, listed, total, interval_ms, last_error, retry_at, default_rg, leader, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
ON CONFLICT (region) DO UPDATE SET ready = EXCLUDED.ready, as_of = EXCLUDED.as_of, listed = EXCLUDED.listed,
	total = EXCLUDED.total, interval_ms = EXCLUDED.interval_ms, last_error = EXCLUDED.last_error,
	retry_at = EXCLUDED.retry_at, default_rg = EXCLUDED.default_rg, leader = EXCLUDED.leader, updated_at = now()`,
		region, p.Ready, nanos(p.AsOf), p.Listed, p.Total, p.Interval.Milliseconds(), failure, nanos(p.Retry),
		p.DefaultResourceGroup, c.replica)
	return err
}

// Read implements inventory.Coordinator, from one snapshot of the
// database, so the progress and the rows agree.
func (c *Coordinator) Read(ctx context.Context, region string, after int64) (inventory.Shared, error) {
	var out inventory.Shared
	err := pgx.BeginTxFunc(ctx, c.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var (
			p                     = &out.Progress
			asOf, retry, interval int64
			ageMS                 *int64
			failure               []byte
			pruned                int64
		)
		err := tx.QueryRow(ctx, `SELECT ready, as_of, listed, total, interval_ms, last_error, retry_at, default_rg, leader,
	(extract(epoch FROM now() - updated_at) * 1000)::bigint, pruned
FROM inventory_regions WHERE region = $1`, region).Scan(&p.Ready, &asOf, &p.Listed, &p.Total, &interval, &failure,
			&retry, &p.DefaultResourceGroup, &p.Leader, &ageMS, &pruned)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		p.AsOf, p.Retry, p.Interval = fromNanos(asOf), fromNanos(retry), time.Duration(interval)*time.Millisecond
		if ageMS != nil {
			p.Known, p.Age = true, time.Duration(*ageMS)*time.Millisecond
		}
		if p.Err, err = decodeErr(failure); err != nil {
			return err
		}
		out.Full = after == 0 || after < pruned
		q, args := `SELECT eni, version, as_of, pos, deleted FROM inventory_enis
WHERE region = $1 AND version > $2 ORDER BY version`, []any{region, after}
		if out.Full {
			q, args = `SELECT eni, version, as_of, pos, deleted FROM inventory_enis
WHERE region = $1 AND NOT deleted ORDER BY pos, id`, []any{region}
			// Past the removals forgotten too, so the next read is not
			// whole again.
			if err := tx.QueryRow(ctx, `SELECT greatest(coalesce(max(version), 0), $2) FROM inventory_enis WHERE region = $1`,
				region, pruned).Scan(&out.Version); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				doc   []byte
				r     inventory.SharedENI
				ns    int64
				place int64
			)
			if err := rows.Scan(&doc, &r.Version, &ns, &place, &r.Deleted); err != nil {
				return err
			}
			if err := json.Unmarshal(doc, &r.ENI); err != nil {
				return fmt.Errorf("decoding a row: %w", err)
			}
			r.AsOf, r.Pos = fromNanos(ns), uint64(place)
			out.Version = max(out.Version, r.Version)
			out.Rows = append(out.Rows, r)
		}
		return rows.Err()
	})
	if err != nil {
		return inventory.Shared{}, fmt.Errorf("invsync: reading %s: %w", region, err)
	}
	return out, nil
}

// Prune implements inventory.Coordinator. Followers that had not read the
// removals forgotten find the region's pruned version above theirs and
// read it whole.
func (c *Coordinator) Prune(ctx context.Context, region string, before time.Time) error {
	_, err := c.pool.Exec(ctx, `
WITH gone AS (DELETE FROM inventory_enis WHERE region = $1 AND deleted AND as_of < $2 RETURNING version)
UPDATE inventory_regions SET pruned = greatest(pruned, (SELECT max(version) FROM gone))
WHERE region = $1 AND EXISTS (SELECT 1 FROM gone)`, region, nanos(before))
	if err != nil {
		return fmt.Errorf("invsync: pruning %s: %w", region, err)
	}
	return nil
}

// nanos keeps a time exact (timestamptz keeps microseconds): replicas
// compare their observations with these.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// failure is a listing's error as stored: the cloud's answer whole, so
// followers tell throttling from other refusals as the leader does.
type failure struct {
	Message string
	Timeout bool            `json:",omitempty"`
	Cloud   *eni.CloudError `json:",omitempty"`
}

func encodeErr(err error) ([]byte, error) {
	if err == nil {
		return nil, nil
	}
	f := failure{Message: err.Error(), Timeout: errors.Is(err, context.DeadlineExceeded)}
	if ce, ok := eni.AsCloudError(err); ok {
		f.Cloud = ce
	}
	return json.Marshal(f)
}

func decodeErr(b []byte) (error, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var f failure
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("decoding the leader's error: %w", err)
	}
	if f.Cloud != nil {
		return f.Cloud, nil
	}
	return leaderError(f), nil
}

// leaderError is a leader's failure other than the cloud's answer.
type leaderError failure

func (e leaderError) Error() string { return e.Message }

func (e leaderError) Is(target error) bool { return e.Timeout && target == context.DeadlineExceeded }
