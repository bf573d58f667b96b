package invsync_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"enidash/internal/aliyun"
	"enidash/internal/database"
	"enidash/internal/database/pgtest"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/internal/invsync"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	region   = "cn-hangzhou"
	describe = "DescribeNetworkInterfaces"
)

// world is one emulator and one PostgreSQL database shared by replicas,
// with a fake clock for their inventories.
type world struct {
	emu      *ecsemu.Emulator
	endpoint string
	pg       *database.Postgres
	clock    *clockwork.FakeClock
	// cloud is another SDK client, as a person acting from elsewhere.
	cloud *aliyun.Client
}

// newWorld seeds extra ENIs; transitions take an hour, so statuses stay
// put while a test compares.
func newWorld(t testing.TB, extra int) *world {
	t.Helper()
	emu := ecsemu.New(ecsemu.Config{World: ecsemu.WorldConfig{
		AttachDelay: time.Hour, DetachDelay: time.Hour, DeleteDelay: time.Hour, Jitter: -1}})
	if extra > 0 && emu.SeedVaried(region, extra, 7) != extra {
		t.Fatal("seeding failed")
	}
	srv := httptest.NewServer(emu)
	pg, err := database.OpenPostgres(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	w := &world{emu: emu, endpoint: srv.Listener.Addr().String(), pg: pg, clock: clockwork.NewFakeClock()}
	w.cloud = w.client(t, nil)
	t.Cleanup(func() {
		pg.Close()
		srv.Close()
		emu.Close()
	})
	return w
}

// client is an SDK client of the emulator calling onCall for each call.
func (w *world) client(t testing.TB, onCall func(action, outcome string)) *aliyun.Client {
	t.Helper()
	id, secret := w.emu.AccessKey()
	c, err := aliyun.New(aliyun.Config{Endpoint: w.endpoint, Protocol: "http", AccessKeyID: id,
		AccessKeySecret: secret, ReadAttempts: 1, OnCall: onCall})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// replica is one enidash process: its cloud client (calls counted), its
// coordinator and its inventory.
type replica struct {
	name string
	co   *invsync.Coordinator
	m    *inventory.Manager
	logs *logLines

	mu    sync.Mutex
	calls map[string]int
	once  sync.Once
}

func (w *world) replica(t testing.TB, name string, cfg inventory.Config) *replica {
	t.Helper()
	r := &replica{name: name, calls: map[string]int{}, logs: &logLines{}}
	cloud := w.client(t, func(action, outcome string) {
		r.mu.Lock()
		r.calls[action+" "+outcome]++
		r.mu.Unlock()
	})
	logger := slog.New(r.logs)
	co, err := invsync.New(context.Background(), w.pg.Pool, name, logger)
	if err != nil {
		t.Fatal(err)
	}
	r.co = co
	cfg.Clock, cfg.Coordinator, cfg.Logger = w.clock, co, logger
	r.m = inventory.NewManager(cloud, cfg, time.Hour)
	t.Cleanup(r.close)
	return r
}

// close stops the replica as a process would on its way out.
func (r *replica) close() {
	r.once.Do(func() {
		r.m.Close()
		r.co.Close()
	})
}

func (r *replica) count(action string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[action+" ok"]
}

// acquire holds the region on r until the test ends.
func (r *replica) acquire(t testing.TB) *inventory.Region {
	t.Helper()
	reg, release := r.m.Acquire(region)
	t.Cleanup(release)
	return reg
}

// waitFor waits until cond holds, checking it at each change of the
// regions' progress and every few milliseconds; the deadline only fails a
// test that would otherwise hang.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// leaderOf returns which of the regions leads, failing unless exactly one
// does.
func leaderOf(t testing.TB, regs ...*inventory.Region) int {
	t.Helper()
	lead := -1
	for i, r := range regs {
		if r.Leading() {
			if lead >= 0 {
				t.Fatalf("regions %d and %d both lead", lead, i)
			}
			lead = i
		}
	}
	if lead < 0 {
		t.Fatal("no region leads")
	}
	return lead
}

// view is the whole region as a view shows it: IDs in the cloud's order
// with their status and instance.
func view(t testing.TB, r *inventory.Region) []string {
	t.Helper()
	res, err := r.Query(eni.View{Filter: eni.Filter{Region: region, Size: 500}}, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(res.ENIs))
	for _, e := range res.ENIs {
		out = append(out, fmt.Sprintf("%s %s %s %s", e.ID, e.Status, e.InstanceID, e.Name))
	}
	if res.Total > 500 {
		t.Fatalf("view of %d ENIs: keep tests under a page of 500", res.Total)
	}
	return out
}

// logLines is a slog handler keeping the messages logged.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) Enabled(context.Context, slog.Level) bool { return true }
func (l *logLines) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logLines) WithGroup(string) slog.Handler            { return l }
func (l *logLines) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, r.Message)
	return nil
}

func (l *logLines) has(msg string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.lines {
		if strings.Contains(m, msg) {
			return true
		}
	}
	return false
}
