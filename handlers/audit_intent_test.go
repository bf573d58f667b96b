package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// The intent is in the audit log before the cloud is called: if enidash
// stopped while the cloud worked, the entry would stay, reading "unknown
// outcome". The test holds the cloud's answer to look at the log then.
func TestAuditIntentBeforeCloudCall(t *testing.T) {
	inCall, release := make(chan struct{}), make(chan struct{})
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		if apiAction(r) == "DeleteNetworkInterface" {
			close(inCall)
			<-release
		}
		return false
	}})
	e := newENI(t, env, env.Instance(t, "web-prod-01"), "intent")
	done := make(chan page, 1)
	go func() {
		done <- post(t, actionPost(env, "delete", e.ID), url.Values{"region": {"cn-hangzhou"}}, "User-Agent", "intent-test/1.0")
	}()
	select {
	case <-inCall:
	case <-time.After(10 * time.Second):
		t.Fatal("the delete never reached the cloud")
	}

	// Mid-call: the intent, with who, from where and what.
	p, err := env.Audit.Query(context.Background(), audit.Query{ENIID: e.ID})
	if err != nil || len(p.Entries) != 1 {
		close(release)
		t.Fatalf("entries during the call: %d, %v", len(p.Entries), err)
	}
	got := p.Entries[0]
	if got.Outcome != audit.OutcomePending || got.Actor != webtest.Operator || got.AuthMethod != "password" ||
		got.Action != audit.ActionDelete || got.API != "DeleteNetworkInterface" || got.Region != "cn-hangzhou" ||
		got.SourceIP != "127.0.0.1" || got.UserAgent != "intent-test/1.0" {
		close(release)
		t.Fatalf("intent entry: %+v", got)
	}
	list := get(t, env.URL+"/audit?eni="+e.ID)
	if s := list.doc.Find(`tr[data-outcome="unknown"]`).Text(); !strings.Contains(s, "unknown outcome") {
		close(release)
		t.Fatalf("the audit page shows the pending entry as %q", s)
	}
	close(release)
	if r := <-done; r.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.status)
	}

	// After the answer, the same entry carries the outcome and RequestId.
	p, _ = env.Audit.Query(context.Background(), audit.Query{ENIID: e.ID})
	if len(p.Entries) != 1 || p.Entries[0].ID != got.ID || p.Entries[0].Outcome != audit.OutcomeOK || p.Entries[0].RequestID == "" {
		t.Fatalf("after the call: %+v", p.Entries)
	}
}
