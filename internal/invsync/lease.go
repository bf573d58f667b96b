package invsync

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"enidash/internal/inventory"
)

// lockKey is the SQL expression of a region's advisory lock key.
const lockKey = `hashtextextended('enidash.inventory:' || $1, 0)`

// Lead implements inventory.Coordinator: the lock is tried on a pooled
// connection, which is kept out of the pool while it holds the lock.
func (c *Coordinator) Lead(ctx context.Context, region string) (inventory.Lease, error) {
	pc, err := c.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("invsync: trying the lead of %s: %w", region, err)
	}
	var ok bool
	if err := pc.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+lockKey+`)`, region).Scan(&ok); err != nil {
		pc.Release()
		return nil, fmt.Errorf("invsync: trying the lead of %s: %w", region, err)
	}
	if !ok {
		pc.Release()
		return nil, nil
	}
	lctx, cancel := context.WithCancel(context.Background())
	l := &lease{c: c, region: region, conn: pc.Hijack(), lost: make(chan struct{}), cancel: cancel, done: make(chan struct{})}
	c.mu.Lock()
	c.leases[l] = struct{}{}
	c.mu.Unlock()
	go l.watch(lctx)
	return l, nil
}

// lease is a held region lock and the connection holding it.
type lease struct {
	c      *Coordinator
	region string
	conn   *pgx.Conn
	lost   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

func (l *lease) Lost() <-chan struct{} { return l.lost }

// watch waits on the connection, so that the server ending it (a restart,
// pg_terminate_backend) is seen at once; after pingEvery of quiet it makes
// sure the server still answers. Either failing loses the lease.
func (l *lease) watch(ctx context.Context) {
	defer close(l.done)
	for {
		wctx, cancel := context.WithTimeout(ctx, l.c.pingEvery)
		_, err := l.conn.WaitForNotification(wctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err != nil && pgconn.Timeout(err) {
			pctx, cancel := context.WithTimeout(ctx, l.c.pingEvery)
			err = l.conn.Ping(pctx)
			cancel()
			if ctx.Err() != nil {
				return
			}
		}
		if err != nil {
			l.c.log.Warn("invsync: the region's lock connection failed", "region", l.region, "err", err)
			close(l.lost)
			return
		}
	}
}

// Release unlocks the region and closes the lock's connection (which
// would free the lock anyway).
func (l *lease) Release() {
	l.once.Do(func() {
		l.cancel()
		<-l.done
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if !l.conn.IsClosed() {
			l.conn.Exec(ctx, `SELECT pg_advisory_unlock(`+lockKey+`)`, l.region)
		}
		l.conn.Close(ctx)
		l.c.mu.Lock()
		delete(l.c.leases, l)
		l.c.mu.Unlock()
	})
}
