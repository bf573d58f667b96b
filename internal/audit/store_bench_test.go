package audit

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"enidash/internal/database"
)

// benchStore is a store on a fresh database for a benchmark, with the
// database and its placeholder style for filling it directly.
type benchStore struct {
	name string
	open func(b *testing.B) (Store, *sql.DB, func(string) string)
}

var benchStores = []benchStore{
	{"sqlite", func(b *testing.B) (Store, *sql.DB, func(string) string) {
		ctx := context.Background()
		db, err := database.Open(ctx, filepath.Join(b.TempDir(), "audit.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		s, err := NewSQLite(ctx, db, 0)
		if err != nil {
			b.Fatal(err)
		}
		return s, db, func(s string) string { return s }
	}},
	{"postgres", func(b *testing.B) (Store, *sql.DB, func(string) string) {
		pg := openPostgres(b)
		s, err := NewPostgres(context.Background(), pg.DB, 0)
		if err != nil {
			b.Fatal(err)
		}
		return s, pg.DB, rebind
	}},
}

// BenchmarkStoreBeginFinish is one action's two writes.
func BenchmarkStoreBeginFinish(b *testing.B) {
	ctx := context.Background()
	e := Entry{Actor: "alice", AuthMethod: "password", Action: ActionAttach, API: "AttachNetworkInterface",
		Region: "cn-hangzhou", ENIID: "eni-bp1aaaa0001", InstanceID: "i-bp1inst0001",
		Params: map[string]string{"InstanceId": "i-bp1inst0001", "NetworkInterfaceId": "eni-bp1aaaa0001"}}
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			s, _, _ := bs.open(b)
			for b.Loop() {
				id, err := s.Begin(ctx, e)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Finish(ctx, id, Finish{Outcome: OutcomeOK, RequestID: "r", Duration: time.Millisecond}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStoreQueryENI reads an ENI's latest 20 entries (the detail
// page's history) out of 20,000, and the second page of everyone's.
func BenchmarkStoreQueryENI(b *testing.B) {
	ctx := context.Background()
	for _, bs := range benchStores {
		s, db, sqlOf := bs.open(b)
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		for i := range 20000 {
			e := Entry{Actor: fmt.Sprint("user", i%7), Action: ActionAttach, ENIID: fmt.Sprintf("eni-bp1%04d", i%500)}
			if _, err := tx.Exec(sqlOf(insertEntry), insertArgs(newID(), now, e, []byte(`{"k":"v"}`))...); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		// The statistics a live table has (PostgreSQL's autovacuum gathers
		// them a while after a bulk load like this one).
		if _, err := db.Exec(`ANALYZE audit_log`); err != nil {
			b.Fatal(err)
		}
		b.Run(bs.name+"/eni", func(b *testing.B) {
			for b.Loop() {
				p, err := s.Query(ctx, Query{ENIID: "eni-bp10042", Limit: 20})
				if err != nil || len(p.Entries) != 20 {
					b.Fatalf("%d entries, %v", len(p.Entries), err)
				}
			}
		})
		first, err := s.Query(ctx, Query{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bs.name+"/second-page", func(b *testing.B) {
			for b.Loop() {
				p, err := s.Query(ctx, Query{Before: first.Next, Outcome: OutcomePending})
				if err != nil || len(p.Entries) != 50 {
					b.Fatalf("%d entries, %v", len(p.Entries), err)
				}
			}
		})
	}
}
