package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// testPendingSurvivesRestart writes an intent, closes the database as a
// crash would before the outcome, and connects again (a restarted
// program, or another replica): the entry is there, its outcome unknown,
// and it can still be finished.
func testPendingSurvivesRestart(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	id := begin(t, s, Entry{Actor: "alice", Action: ActionDetach, ENIID: "eni-bp1aaaa0001", Region: "cn-hangzhou"})
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := s.reopen(t, s.connect(t), 0)
	p := query(t, s2, Query{Outcome: OutcomePending})
	if len(p.Entries) != 1 || p.Entries[0].ID != id || p.Entries[0].Outcome != OutcomePending || p.Entries[0].ENIID != "eni-bp1aaaa0001" {
		t.Fatalf("after reconnecting, pending entries = %+v", p.Entries)
	}
	finish(t, s2, id, Finish{Outcome: OutcomeOK, RequestID: "late"})
	if p := query(t, s2, Query{Outcome: OutcomePending}); len(p.Entries) != 0 {
		t.Errorf("still pending after Finish: %+v", p.Entries)
	}
}

func testRetention(t *testing.T, b backend) {
	ctx := context.Background()
	const month = 30 * 24 * time.Hour
	s := b.newFixture(t, month)
	var kept []string
	for _, age := range []time.Duration{3 * month, month + 24*time.Hour, month + time.Second, month - 24*time.Hour, time.Hour} {
		s.clock.set(t0.Add(-age))
		id := begin(t, s, Entry{Actor: "alice", Action: ActionAttach})
		if age < month {
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
	// Retention removes only what is past it: the rows it may delete are
	// named in its own transaction, not left open to the next writer.
	if err := s.exec(`DELETE FROM audit_log WHERE event_id = ?`, kept[0]); err == nil {
		t.Error("a kept entry could be deleted after a prune")
	}

	t.Run("in batches", func(t *testing.T) {
		s := b.newFixture(t, month)
		// Written in one transaction: one sync rather than thousands.
		tx, err := s.db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for range pruneBatch + 3 {
			if _, err := tx.Exec(b.sql(insertEntry), insertArgs(newID(), t0.Add(-2*month), Entry{Actor: "old"}, []byte("{}"))...); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		recent := begin(t, s, Entry{Actor: "new", Action: ActionAttach})
		if n, err := s.Prune(ctx, t0); err != nil || n != pruneBatch+3 {
			t.Fatalf("Prune = %d, %v; want %d deleted", n, err, pruneBatch+3)
		}
		if got := ids(query(t, s, Query{}).Entries); !slices.Equal(got, []string{recent}) {
			t.Errorf("left %v, want only the recent entry", got)
		}
	})
	t.Run("at open", func(t *testing.T) {
		// The entries are a few days to a month older than the real now:
		// a 1-hour retention applied at open removes them all.
		s2, err := b.open(ctx, s.db, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if p := query(t, s2, Query{}); len(p.Entries) != 0 {
			t.Errorf("%d entries past retention survived opening", len(p.Entries))
		}
	})
	t.Run("negative retention", func(t *testing.T) {
		if _, err := b.open(ctx, s.db, -time.Hour); err == nil {
			t.Error("a negative retention was accepted")
		}
	})
}

// messages is a slog handler that passes each message on.
type messages chan string

func (m messages) Enabled(context.Context, slog.Level) bool { return true }
func (m messages) Handle(_ context.Context, r slog.Record) error {
	m <- r.Message
	return nil
}
func (m messages) WithAttrs([]slog.Attr) slog.Handler { return m }
func (m messages) WithGroup(string) slog.Handler      { return m }

// testRunRetention starts RunRetention, waits for it to report a prune,
// and stops it.
func testRunRetention(t *testing.T, b backend) {
	s := b.newFixture(t, time.Hour)
	logged := make(messages, 1)
	switch st := s.Store.(type) {
	case *SQLite:
		st.Logger = slog.New(logged)
	case *Postgres:
		st.Logger = slog.New(logged)
	}
	begin(t, s, Entry{Actor: "alice", Action: ActionAttach})
	s.clock.set(t0.Add(2 * time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.RunRetention(ctx, time.Millisecond)
		close(done)
	}()
	if msg := <-logged; msg != "audit entries past retention deleted" {
		t.Errorf("RunRetention logged %q", msg)
	}
	cancel()
	<-done
	if p := query(t, s, Query{}); len(p.Entries) != 0 {
		t.Errorf("%d entries past retention left", len(p.Entries))
	}
}

func testFieldSizes(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	params := map[string]string{}
	for i := range maxParams + 10 {
		params[fmt.Sprintf("p%03d", i)] = "v"
	}
	params["long"] = strings.Repeat("ü", maxField)
	begin(t, s, Entry{Actor: "alice", UserAgent: strings.Repeat("é", 2000), Action: ActionSignIn, Params: params})
	e := query(t, s, Query{}).Entries[0]
	if len(e.UserAgent) > maxUserAgent+len("…") || !strings.HasPrefix(e.UserAgent, "éé") || !strings.HasSuffix(e.UserAgent, "é…") {
		t.Errorf("user agent of %d bytes stored: %.20q…", len(e.UserAgent), e.UserAgent)
	}
	if len(e.Params) != maxParams+1 || e.Params["long"] != strings.Repeat("ü", maxField/2)+"…" || !strings.Contains(e.Params["…"], "11 more") {
		t.Errorf("%d params stored, note %q, long one of %d bytes", len(e.Params), e.Params["…"], len(e.Params["long"]))
	}
}

// testConcurrent runs Begin and Finish from 50 goroutines at once (run
// with -race): every entry is recorded once, with its own outcome.
func testConcurrent(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	const workers, each = 50, 4
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
	perActor := map[string]int{}
	for _, e := range p.Entries {
		if seen[e.ID] || e.Outcome != OutcomeOK || e.RequestID != e.Actor+"/"+e.ID {
			t.Errorf("entry %+v duplicated or finished with another's outcome", e)
		}
		seen[e.ID] = true
		perActor[e.Actor]++
	}
	for actor, n := range perActor {
		if n != each {
			t.Errorf("%s has %d entries, want %d", actor, n, each)
		}
	}
}

// testWritable: while Writable fails, Begin refuses and nothing is
// written; an entry begun before can still be finished, since its change
// may have been made. Once Writable passes, Begin works again.
func testWritable(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	ctx := context.Background()
	errFull := errors.New("the disk is full")
	var mu sync.Mutex
	var state error
	setWritable(s.Store, func() error {
		mu.Lock()
		defer mu.Unlock()
		return state
	})
	pending := begin(t, s, Entry{Actor: "otto", Action: ActionAttach})
	mu.Lock()
	state = errFull
	mu.Unlock()
	if _, err := s.Begin(ctx, Entry{Actor: "otto", Action: ActionDelete}); !errors.Is(err, errFull) {
		t.Fatalf("Begin while not writable: %v, want it refused with %v", err, errFull)
	}
	finish(t, s, pending, Finish{Outcome: OutcomeOK})
	mu.Lock()
	state = nil
	mu.Unlock()
	begin(t, s, Entry{Actor: "otto", Action: ActionDetach})
	got := query(t, s, Query{}).Entries
	if len(got) != 2 || got[0].Action != ActionDetach || got[1].Outcome != OutcomeOK {
		t.Errorf("entries %+v, want the attach finished and the detach", got)
	}
}

// testFinishRace finishes one entry from many goroutines over two
// connections (two replicas) at once: exactly one outcome is written, the
// others are refused as already finished.
func testFinishRace(t *testing.T, b backend) {
	s := b.newFixture(t, 0)
	other := s.reopen(t, s.connect(t), 0)
	id := begin(t, s, Entry{Actor: "rita", Action: ActionDelete})
	const racers = 10
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		l := Log(s)
		if i%2 == 1 {
			l = other
		}
		wg.Go(func() {
			errs[i] = l.Finish(context.Background(), id, Finish{Outcome: OutcomeOK, RequestID: fmt.Sprint(i)})
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("finishers %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, ErrAlreadyFinished):
			t.Errorf("finisher %d: %v, want %v", i, err, ErrAlreadyFinished)
		}
	}
	if e := query(t, other, Query{}).Entries[0]; winner < 0 || e.RequestID != fmt.Sprint(winner) {
		t.Errorf("stored %+v, winner %d", e, winner)
	}
}
