package audit

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"enidash/internal/database"
)

// TestSQLiteCrashLeavesPending writes an intent, closes the database as a
// crash would before the outcome, and reopens it: the entry is there,
// with its outcome unknown, and can still be finished.
func TestSQLiteCrashLeavesPending(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.db")
	db, err := database.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSQLite(ctx, db, 0)
	if err != nil {
		t.Fatal(err)
	}
	id := begin(t, s, Entry{Actor: "alice", Action: ActionDetach, ENIID: "eni-bp1aaaa0001", Region: "cn-hangzhou"})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = NewSQLite(ctx, openDB(t, path), 0)
	if err != nil {
		t.Fatal(err)
	}
	p := query(t, s, Query{Outcome: OutcomePending})
	if len(p.Entries) != 1 || p.Entries[0].ID != id || p.Entries[0].Outcome != OutcomePending || p.Entries[0].ENIID != "eni-bp1aaaa0001" {
		t.Fatalf("after reopening, pending entries = %+v", p.Entries)
	}
	finish(t, s, id, Finish{Outcome: OutcomeOK, RequestID: "late"})
	if p := query(t, s, Query{Outcome: OutcomePending}); len(p.Entries) != 0 {
		t.Errorf("still pending after Finish: %+v", p.Entries)
	}
}

func TestSQLiteRetention(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.db")
	s, err := NewSQLite(ctx, openDB(t, path), 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{}
	s.now = c.now
	var kept []string
	for _, age := range []time.Duration{90 * 24 * time.Hour, 31 * 24 * time.Hour, 30*24*time.Hour + time.Second, 29 * 24 * time.Hour, time.Hour} {
		c.set(t0.Add(-age))
		id := begin(t, s, Entry{Actor: "alice", Action: ActionAttach})
		if age < 30*24*time.Hour {
			kept = append(kept, id)
		}
	}
	slices.Reverse(kept)

	n, err := s.Prune(ctx, t0)
	if err != nil || n != 3 {
		t.Fatalf("Prune = %d, %v; want 3 deleted", n, err)
	}
	if got := ids(query(t, s, Query{}).Entries); !slices.Equal(got, kept) {
		t.Errorf("kept %v, want %v", got, kept)
	}
	if n, err := s.Prune(ctx, t0); err != nil || n != 0 {
		t.Errorf("second Prune = %d, %v; want nothing to do", n, err)
	}

	t.Run("at open", func(t *testing.T) {
		// The entries are a few days to a month older than the real now:
		// a 1-hour retention applied at open removes them all.
		s2, err := NewSQLite(ctx, openDB(t, path), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if p := query(t, s2, Query{}); len(p.Entries) != 0 {
			t.Errorf("%d entries past retention survived opening", len(p.Entries))
		}
	})
	t.Run("negative retention", func(t *testing.T) {
		if _, err := NewSQLite(ctx, openDB(t, path), -time.Hour); err == nil {
			t.Error("a negative retention was accepted")
		}
	})
}

func TestSQLiteRunRetentionStops(t *testing.T) {
	s, c := newStore(t)
	s.retention = time.Hour
	s.Logger = slog.New(slog.DiscardHandler)
	begin(t, s, Entry{Actor: "alice", Action: ActionAttach})
	c.set(t0.Add(2 * time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.RunRetention(ctx, time.Millisecond)
		close(done)
	}()
	for i := 0; ; i++ {
		if p := query(t, s, Query{}); len(p.Entries) == 0 {
			break
		}
		if i > 5000 {
			t.Fatal("RunRetention never pruned")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
}

func TestRedaction(t *testing.T) {
	in := map[string]string{
		"Password": "hunter2", "new_password": "x", "AccessKeySecret": "s3cr3t", "AccessKeyId": "LTAI…",
		"SecurityToken": "tok", "api_key": "k", "ClientToken": "c-123", "client_token": "c-456",
		"InstanceId": "i-bp1inst0001", "Description": "my password is in here",
	}
	want := map[string]string{
		"Password": Redacted, "new_password": Redacted, "AccessKeySecret": Redacted, "AccessKeyId": Redacted,
		"SecurityToken": Redacted, "api_key": Redacted, "ClientToken": "c-123", "client_token": "c-456",
		"InstanceId": "i-bp1inst0001", "Description": "my password is in here",
	}
	stores := map[string]Log{"memory": NewMemory()}
	stores["sqlite"], _ = newStore(t)
	for name, l := range stores {
		t.Run(name, func(t *testing.T) {
			params := map[string]string{}
			for k, v := range in {
				params[k] = v
			}
			begin(t, l, Entry{Actor: "alice", Action: ActionUserChange, Params: params})
			got := query(t, l, Query{}).Entries[0].Params
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if params["Password"] != "hunter2" {
				t.Error("Begin changed the caller's map")
			}
		})
	}
}

func TestSQLiteLimitsFieldSizes(t *testing.T) {
	s, _ := newStore(t)
	params := map[string]string{}
	for i := range maxParams + 10 {
		params[fmt.Sprintf("p%03d", i)] = "v"
	}
	begin(t, s, Entry{Actor: "alice", UserAgent: strings.Repeat("é", 2000), Action: ActionSignIn, Params: params})
	e := query(t, s, Query{}).Entries[0]
	if len(e.UserAgent) > maxUserAgent+len("…") || !strings.HasPrefix(e.UserAgent, "éé") || !strings.HasSuffix(e.UserAgent, "é…") {
		t.Errorf("user agent of %d bytes stored: %.20q…", len(e.UserAgent), e.UserAgent)
	}
	if len(e.Params) != maxParams+1 || e.Params["p000"] != "v" || !strings.Contains(e.Params["…"], "10 more") {
		t.Errorf("%d params stored, note %q", len(e.Params), e.Params["…"])
	}
}

// TestSQLiteConcurrent runs Begin and Finish from 20 goroutines at once
// (run with -race): every entry is recorded once, with its own outcome.
func TestSQLiteConcurrent(t *testing.T) {
	s, _ := newStore(t)
	s.now = time.Now
	const workers, each = 20, 10
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				actor := fmt.Sprintf("user%02d", w)
				id, err := s.Begin(ctx, Entry{Actor: actor, Action: ActionAttach, Params: map[string]string{"i": fmt.Sprint(i)}})
				if err != nil {
					errs <- err
					continue
				}
				if err := s.Finish(ctx, id, Finish{Outcome: OutcomeOK, RequestID: actor + "/" + id}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	p := query(t, s, Query{Limit: workers*each + 1})
	if len(p.Entries) != workers*each {
		t.Fatalf("%d entries, want %d", len(p.Entries), workers*each)
	}
	seen := map[string]bool{}
	for _, e := range p.Entries {
		if seen[e.ID] || e.Outcome != OutcomeOK || e.RequestID != e.Actor+"/"+e.ID {
			t.Errorf("entry %+v duplicated or finished with another's outcome", e)
		}
		seen[e.ID] = true
	}
}

func BenchmarkSQLiteBeginFinish(b *testing.B) {
	ctx := context.Background()
	db, err := database.Open(ctx, filepath.Join(b.TempDir(), "audit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := NewSQLite(ctx, db, 0)
	if err != nil {
		b.Fatal(err)
	}
	e := Entry{Actor: "alice", AuthMethod: "password", Action: ActionAttach, API: "AttachNetworkInterface",
		Region: "cn-hangzhou", ENIID: "eni-bp1aaaa0001", InstanceID: "i-bp1inst0001",
		Params: map[string]string{"InstanceId": "i-bp1inst0001", "NetworkInterfaceId": "eni-bp1aaaa0001"}}
	for b.Loop() {
		id, err := s.Begin(ctx, e)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Finish(ctx, id, Finish{Outcome: OutcomeOK, RequestID: "r", Duration: time.Millisecond}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSQLiteQueryENI reads an ENI's latest 20 entries (the detail
// page's history) out of 20,000.
func BenchmarkSQLiteQueryENI(b *testing.B) {
	ctx := context.Background()
	db, err := database.Open(ctx, filepath.Join(b.TempDir(), "audit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := NewSQLite(ctx, db, 0)
	if err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range 20000 {
		if _, err := tx.Exec(`INSERT INTO audit_log (event_id, time_ns, actor, action, eni_id, outcome, params)
			VALUES (?, ?, 'alice', 'eni.attach', ?, 'ok', '{"k":"v"}')`, newID(), time.Now().UnixNano(), fmt.Sprintf("eni-bp1%04d", i%500)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p, err := s.Query(ctx, Query{ENIID: "eni-bp10042", Limit: 20})
		if err != nil || len(p.Entries) != 20 {
			b.Fatalf("%d entries, %v", len(p.Entries), err)
		}
	}
}
