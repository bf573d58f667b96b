// Package invsync coordinates the inventory of several replicas on
// PostgreSQL (DESIGN §8): a session advisory lock per region says which
// replica lists it, the changes go to a table with a version each, and
// NOTIFY wakes the other replicas, which read the rows from the table
// (never from the payload). It implements inventory.Coordinator.
package invsync

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"enidash/internal/inventory"
)

// channel is the NOTIFY channel; the payload is the region written.
const channel = "enidash_inventory"

var _ inventory.Coordinator = (*Coordinator)(nil)

// Coordinator is one replica's link to the others. Its pool serves the
// short reads and writes; LISTEN and each region's lock are on
// connections of their own.
type Coordinator struct {
	pool    *pgxpool.Pool
	replica string
	log     *slog.Logger
	// pingEvery is how long a quiet lock connection waits before it
	// checks that the server still answers.
	pingEvery time.Duration

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	watchers map[string]map[chan struct{}]struct{}
	leases   map[*lease]struct{}
}

// New starts listening for the other replicas' changes on a connection
// of pool's; replica names this one in the progress rows it writes.
func New(ctx context.Context, pool *pgxpool.Pool, replica string, logger *slog.Logger) (*Coordinator, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Coordinator{pool: pool, replica: replica, log: logger, pingEvery: 5 * time.Second,
		watchers: map[string]map[chan struct{}]struct{}{}, leases: map[*lease]struct{}{}}
	conn, err := c.listenConn(ctx)
	if err != nil {
		return nil, err
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.wg.Add(1)
	go c.listen(conn)
	return c, nil
}

// Close stops listening and gives back every region still led.
func (c *Coordinator) Close() {
	c.cancel()
	c.wg.Wait()
	c.mu.Lock()
	leases := make([]*lease, 0, len(c.leases))
	for l := range c.leases {
		leases = append(leases, l)
	}
	c.mu.Unlock()
	for _, l := range leases {
		l.Release()
	}
}

// Watch implements inventory.Coordinator.
func (c *Coordinator) Watch(region string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watchers[region] == nil {
		c.watchers[region] = map[chan struct{}]struct{}{}
	}
	c.watchers[region][ch] = struct{}{}
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.watchers[region], ch)
		if len(c.watchers[region]) == 0 {
			delete(c.watchers, region)
		}
	}
}

// signal wakes the watchers of region, or of every region when region is
// "" (notifications may have been missed).
func (c *Coordinator) signal(region string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for r, set := range c.watchers {
		if region != "" && r != region {
			continue
		}
		for ch := range set {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

func (c *Coordinator) listenConn(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, c.pool.Config().ConnConfig)
	if err != nil {
		return nil, fmt.Errorf("invsync: connecting to listen: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("invsync: LISTEN %s: %w", channel, err)
	}
	return conn, nil
}

// listen hands each notification to the region's watchers. When the
// connection fails it connects again, waiting longer each time up to 30 s,
// and wakes every watcher, since notifications were lost meanwhile.
func (c *Coordinator) listen(conn *pgx.Conn) {
	defer c.wg.Done()
	wait := time.Second
	for {
		if conn == nil {
			var err error
			if conn, err = c.listenConn(c.ctx); err != nil {
				if c.ctx.Err() != nil {
					return
				}
				c.log.Warn("invsync: listening for the other replicas' changes", "err", err, "retry", wait)
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-c.ctx.Done():
					t.Stop()
					return
				}
				wait = min(2*wait, 30*time.Second)
				continue
			}
			wait = time.Second
			c.signal("")
		}
		n, err := conn.WaitForNotification(c.ctx)
		if err != nil {
			conn.Close(context.Background())
			conn = nil
			if c.ctx.Err() != nil {
				return
			}
			c.log.Warn("invsync: the listening connection failed", "err", err)
			c.signal("")
			continue
		}
		if n != nil && n.Channel == channel {
			c.signal(n.Payload)
		}
	}
}
