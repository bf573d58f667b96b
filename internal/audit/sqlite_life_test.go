package audit

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"enidash/internal/database"
)

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
