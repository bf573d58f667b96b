package app

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"enidash/internal/aliyun"
	"enidash/internal/auth"
	"enidash/internal/database/pgtest"
	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
	"enidash/internal/metrics"
)

// config is a complete Config over a fresh emulator, logging to logs.
func config(t *testing.T, db string, logs *bytes.Buffer) Config {
	t.Helper()
	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{})
	id, secret := emu.AccessKey()
	cloud, err := aliyun.New(aliyun.Config{Endpoint: endpoint, Protocol: "http", AccessKeyID: id, AccessKeySecret: secret,
		CallTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		DB:    db,
		Seed:  func(context.Context, *auth.Store) error { return nil },
		Cloud: cloud, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Metrics: metrics.New(), DefaultRegion: "cn-hangzhou", CallTimeout: 10 * time.Second, LookupTTL: time.Minute,
	}
}

func TestNewRequiresDependencies(t *testing.T) {
	_, err := New(context.Background(), Config{})
	if err == nil {
		t.Fatal("New(Config{}) succeeded")
	}
	for _, name := range []string{"DB", "Seed", "Cloud", "Logger", "Metrics", "DefaultRegion", "CallTimeout", "LookupTTL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

// A fresh database file is said loudly, and the first start is known.
func TestNewFreshDatabase(t *testing.T) {
	var logs bytes.Buffer
	path := filepath.Join(t.TempDir(), "enidash.db")
	a, err := New(context.Background(), config(t, path, &logs))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.FirstStart {
		t.Error("FirstStart unset on an empty database")
	}
	if !strings.Contains(logs.String(), "did not exist") || !strings.Contains(logs.String(), path) {
		t.Errorf("no warning naming the new file %s:\n%s", path, &logs)
	}
	if a.Server.Handler != a.Echo {
		t.Error("the server does not serve the dashboard")
	}
}

// A database that cannot be opened is named without its password.
func TestNewOpenErrorHidesPassword(t *testing.T) {
	var logs bytes.Buffer
	cfg := config(t, "postgres://u:s3cret@127.0.0.1:1/enidash", &logs)
	cfg.Replica = "replica-a"
	_, err := New(context.Background(), cfg)
	if err == nil {
		t.Fatal("New succeeded")
	}
	if !strings.Contains(err.Error(), "postgres://u:xxxxx@127.0.0.1:1/enidash") || strings.Contains(err.Error()+logs.String(), "s3cret") {
		t.Errorf("error %q / logs %q: want the location with its password hidden", err, &logs)
	}
}

// Replicas started at the same moment on a fresh PostgreSQL database all
// start: one migrates while the others wait, one generates the session
// key and the others read it, and each joins the inventory's coordination.
func TestReplicasStartTogetherOnAFreshDatabase(t *testing.T) {
	url := pgtest.URL(t)
	const n = 3
	apps := make([]*App, n)
	errs := make([]error, n)
	cfgs := make([]Config, n)
	logs := make([]bytes.Buffer, n)
	for i := range cfgs {
		cfgs[i] = config(t, url, &logs[i])
		cfgs[i].Replica = fmt.Sprintf("replica-%d", i)
		cfgs[i].Seed = func(ctx context.Context, users *auth.Store) error {
			return users.Bootstrap(ctx, "first-admin-password", cfgs[i].Logger)
		}
	}
	var wg sync.WaitGroup
	for i := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			apps[i], errs[i] = New(context.Background(), cfgs[i])
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d did not start: %v\n%s", i, err, &logs[i])
		}
		defer apps[i].Close()
	}
	users, err := apps[0].Auth.Store().List(context.Background())
	if err != nil || len(users) != 1 || users[0].Username != "admin" {
		t.Fatalf("users after three first starts: %v, %v; want the one admin", users, err)
	}
}
