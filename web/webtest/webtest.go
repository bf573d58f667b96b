// Package webtest starts the whole dashboard for tests: the embedded
// emulator and the real SDK client over HTTP, then the dashboard as the
// program builds it (internal/app) on a SQLite file with one user per
// role, each on its own loopback port.
package webtest

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"enidash/handlers"
	"enidash/internal/aliyun"
	"enidash/internal/app"
	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/database"
	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/internal/live"
	"enidash/internal/metrics"
	"enidash/web"
)

// Users every Env has, one per role, all with Password.
const (
	Viewer   = "vera"
	Operator = "otto"
	Admin    = "ada"
	Password = "correct horse battery"
)

// Env is a running dashboard on an emulator.
type Env struct {
	URL      string // the dashboard, e.g. http://127.0.0.1:41234
	Endpoint string // the emulator's host:port
	Emulator *ecsemu.Emulator
	Cloud    *aliyun.Client // a client of the emulator, for setting up and checking state
	Audit    audit.Log      // the dashboard's audit log
	Auth     *auth.Service
	// DB is the dashboard's database, in the file DBPath, to break its
	// storage (dbtest) and see how the dashboard copes. Storage watches
	// it; nothing probes it in the background: tests call Storage.Probe
	// where the dashboard's background probe would run.
	DB      *sql.DB
	DBPath  string
	Storage *database.Monitor
	// Client is signed in as Operator; it keeps cookies and does not
	// follow redirects.
	Client *http.Client
	// Live is the dashboard's live-update hub, fed by Inventory; Metrics
	// its instruments.
	Live      *live.Hub
	Inventory *inventory.Manager
	Metrics   *metrics.Registry
	// Handler is the dashboard's server, to serve it in other ways.
	Handler http.Handler
	routes  []*echo.Route
}

// Options adjust what Start builds.
type Options struct {
	// Intercept sees every request to the emulator first and may answer it
	// itself (returning true), to play a cloud failure the emulator has no
	// fault for.
	Intercept func(w http.ResponseWriter, r *http.Request) bool
	// Auth adjusts the sign-in configuration (trusted proxies, timeouts).
	Auth auth.Config
	// Log, when set, receives every log line of the dashboard and its
	// cloud client, at debug level.
	Log io.Writer
	// Live tunes the live-update hub.
	Live live.Config
	// Inventory tunes the regions' snapshots; unset intervals default to
	// short ones (Slow 3s, Fast 300ms), the clock to Live's.
	Inventory inventory.Config
	// Linger is how long a region's snapshot outlives its last view (the
	// production 5 minutes when unset).
	Linger time.Duration
	// Heartbeat is the interval of keep-alive comments on live streams.
	Heartbeat time.Duration
	// Streams caps the open live streams (the production caps when unset).
	Streams handlers.StreamCaps
	// HTTP are the server's timeouts and limits (the production ones
	// when unset).
	HTTP web.HTTPLimits
	// CallTimeout bounds each cloud call, in the client and the handlers
	// alike; 10s when unset.
	CallTimeout time.Duration
	// BulkMax caps one bulk action (the production 1,000 when unset).
	BulkMax int
	// DB is the database: a fresh SQLite file when unset, or a
	// postgres:// URL that several Envs share as replicas (pgtest.URL).
	DB string
	// Replica names this dashboard among those sharing DB.
	Replica string
	// Emulator, when set, is the cloud to use instead of a new one, so
	// several replicas talk to the same cloud (cfg is then ignored).
	Emulator *ecsemu.Emulator
}

// Start runs a dashboard on a fresh emulator configured by cfg; everything
// stops when the test ends. The emulator's delays default to short ones.
func Start(t testing.TB, cfg ecsemu.Config) *Env {
	return StartWith(t, cfg, Options{})
}

// StartWith is Start with options.
func StartWith(t testing.TB, cfg ecsemu.Config, opts Options) *Env {
	t.Helper()
	if cfg.World.AttachDelay == 0 {
		// Long enough for a page to show each transitional state before the
		// live updates move it on.
		cfg.World.AttachDelay, cfg.World.DetachDelay, cfg.World.DeleteDelay = time.Second, time.Second, time.Second
	}
	emu := opts.Emulator
	if emu == nil {
		emu = ecsemu.New(cfg)
		t.Cleanup(emu.Close)
	}
	var upstream http.Handler = emu
	if opts.Intercept != nil {
		upstream = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !opts.Intercept(w, r) {
				emu.ServeHTTP(w, r)
			}
		})
	}
	emuSrv := httptest.NewServer(upstream)
	t.Cleanup(emuSrv.Close)
	endpoint := emuSrv.Listener.Addr().String()
	id, secret := emu.AccessKey()
	logger := slog.New(slog.DiscardHandler)
	if opts.Log != nil {
		logger = slog.New(slog.NewTextHandler(opts.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	reg := metrics.New()
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 10 * time.Second
	}
	cloud, err := aliyun.New(aliyun.Config{Endpoint: endpoint, Protocol: "http", AccessKeyID: id, AccessKeySecret: secret,
		CallTimeout: opts.CallTimeout, Logger: logger, OnCall: reg.CloudCall})
	if err != nil {
		t.Fatal(err)
	}
	ic := opts.Inventory
	if ic.Slow == 0 {
		ic.Slow = 3 * time.Second
	}
	if ic.Fast == 0 {
		ic.Fast = 300 * time.Millisecond
	}
	if ic.Clock == nil {
		ic.Clock = opts.Live.Clock
	}
	if ic.StuckAfter == 0 {
		ic.StuckAfter = opts.Live.StuckAfter
	}
	path := opts.DB
	if path == "" {
		path = filepath.Join(t.TempDir(), "enidash.db")
	}
	replica := opts.Replica
	if replica == "" {
		replica = "replica-" + strconv.Itoa(os.Getpid())
	}
	a, err := app.New(context.Background(), app.Config{
		DB: path, Replica: replica, Auth: opts.Auth,
		StoreOptions: []auth.StoreOption{auth.WithBcryptCost(bcrypt.MinCost)}, // for speed
		Seed:         seedUsers,
		Cloud:        cloud, Logger: logger, Metrics: reg,
		DefaultRegion: "cn-hangzhou", CallTimeout: opts.CallTimeout, LookupTTL: time.Minute,
		Inventory: ic, Linger: opts.Linger, Live: opts.Live,
		Heartbeat: opts.Heartbeat, Streams: opts.Streams, BulkMax: opts.BulkMax, HTTP: opts.HTTP,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	// The production server's settings, with the test's limits.
	srv := httptest.NewUnstartedServer(a.Echo)
	srv.Config = a.Server
	srv.Start()
	// Closing the hub ends the live streams, which srv.Close waits for;
	// the regions' snapshots and the database close after it.
	t.Cleanup(func() {
		a.Hub.Close()
		srv.Close()
	})
	env := &Env{URL: srv.URL, Endpoint: endpoint, Emulator: emu, Cloud: cloud, Audit: a.Audit, Auth: a.Auth,
		DB: a.DB, DBPath: path, Storage: a.Storage, Live: a.Hub, Inventory: a.Inventory, Metrics: reg,
		Handler: a.Echo, routes: a.Echo.Routes()}
	env.Client = env.SignIn(t, Operator)
	clients.Store(srv.URL, env.Client)
	t.Cleanup(func() { clients.Delete(srv.URL) })
	return env
}

// seedUsers makes one user of each role, all with Password; a replica
// sharing a database finds them made.
func seedUsers(ctx context.Context, users *auth.Store) error {
	for name, role := range map[string]auth.Role{Viewer: auth.RoleViewer, Operator: auth.RoleOperator, Admin: auth.RoleAdmin} {
		if _, err := users.Create(ctx, name, Password, role); err != nil && !errors.Is(err, auth.ErrExists) {
			return err
		}
	}
	return nil
}

// clients holds each running Env's signed-in client by its URL.
var clients sync.Map

// ClientFor is the operator's client of the Env serving rawURL, or a
// client with no session for any other URL. Neither follows redirects.
func ClientFor(rawURL string) *http.Client {
	var found *http.Client
	clients.Range(func(k, v any) bool {
		if u := k.(string); len(rawURL) >= len(u) && rawURL[:len(u)] == u {
			found = v.(*http.Client)
			return false
		}
		return true
	})
	if found != nil {
		return found
	}
	return &http.Client{CheckRedirect: noFollow}
}

// Routes is the route table of the Env's server.
func Routes(e *Env) []*echo.Route { return e.routes }

// Instance is the seeded instance of cn-hangzhou with this name.
func (e *Env) Instance(t testing.TB, name string) eni.Instance {
	t.Helper()
	all, err := e.Cloud.Instances(context.Background(), "cn-hangzhou", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range all {
		if in.Name == name {
			return in
		}
	}
	t.Fatalf("no instance named %s", name)
	return eni.Instance{}
}

// CreateBeside creates an Available ENI straight in the cloud, in inst's
// zone and VPC, with the security groups of its primary ENI (enterprise
// and normal groups do not mix on one instance), and returns its ID.
func (e *Env) CreateBeside(t testing.TB, inst eni.Instance, name string) string {
	t.Helper()
	ctx := context.Background()
	vsws, err := e.Cloud.VSwitches(ctx, "cn-hangzhou", inst.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(vsws, func(v eni.VSwitch) bool { return v.ZoneID == inst.ZoneID && v.AvailableIP > 10 })
	if k < 0 {
		t.Fatalf("no vSwitch with room in %s %s", inst.VpcID, inst.ZoneID)
	}
	p, err := e.Cloud.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: "cn-hangzhou", InstanceID: inst.ID, Type: eni.TypePrimary}})
	if err != nil || len(p.ENIs) != 1 {
		t.Fatalf("primary ENI of %s: %v", inst.ID, err)
	}
	res, err := e.Cloud.CreateENI(ctx, eni.CreateRequest{Region: "cn-hangzhou", VSwitchID: vsws[k].ID,
		SecurityGroupIDs: p.ENIs[0].SecurityGroups, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return res.ENIID
}

// Warm holds region's inventory for the test and waits (on its progress,
// not on time) until its first listing is complete, so views of it are
// answered from the snapshot.
func (e *Env) Warm(t testing.TB, region string) *inventory.Region {
	t.Helper()
	r, release := e.Inventory.Acquire(region)
	t.Cleanup(release)
	for {
		ch := r.Progressed()
		if r.Progress().Ready {
			return r
		}
		select {
		case <-ch:
		case <-t.Context().Done():
			t.Fatalf("%s was never listed: %+v", region, r.Progress())
		}
	}
}

// EmulatorCloud is the real client of a fresh emulator, for parts whose
// tests never reach the cloud but which need one to be built.
func EmulatorCloud(t testing.TB) *aliyun.Client {
	t.Helper()
	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{})
	id, secret := emu.AccessKey()
	c, err := aliyun.New(aliyun.Config{Endpoint: endpoint, Protocol: "http", AccessKeyID: id, AccessKeySecret: secret,
		CallTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
