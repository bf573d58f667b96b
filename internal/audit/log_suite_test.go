package audit

import (
	"context"
	"slices"
	"testing"
)

// runLogSuite checks the promises of any Log, the stores' and Memory's
// alike: secrets redacted, text made safe to show, unknown outcomes.
func runLogSuite(t *testing.T, newLog func(t *testing.T) Log) {
	tests := []struct {
		name string
		run  func(t *testing.T, l Log)
	}{
		{"redaction", testRedaction},
		{"control characters", testScrubControlCharacters},
		{"invalid UTF-8", testInvalidUTF8},
		{"unknown outcome", testUnknownOutcome},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, newLog(t)) })
	}
}

func TestMemoryLog(t *testing.T) {
	runLogSuite(t, func(*testing.T) Log { return NewMemory() })
}

func testRedaction(t *testing.T, l Log) {
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
}

// Text that reaches the log from outside (request parameters, the
// browser's User-Agent, the cloud's messages) is stored with its control
// characters made visible: a NUL or a line break would otherwise travel
// raw into the audit page, its CSV export and whatever reads them.
func testScrubControlCharacters(t *testing.T, l Log) {
	ctx := context.Background()
	id, err := l.Begin(ctx, Entry{Actor: "otto", AuthMethod: "password", SourceIP: "127.0.0.1",
		UserAgent: "curl/8\x00\r\nX-Injected: 1", Action: ActionCreate, API: "CreateNetworkInterface",
		Region: "cn-hangzhou", ENIID: "eni-bp1\x00", Params: map[string]string{
			"Description": "two\nlines", "Name\x00": "nul\x00", "Tab": "a\tb", "Password": "hunter\x002"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Finish(ctx, id, Finish{Outcome: OutcomeError, ErrorCode: "Invalid\x00Code",
		ErrorMsg: "bad\r\nvalue", RequestID: "req\x01"}); err != nil {
		t.Fatal(err)
	}
	page, err := l.Query(ctx, Query{})
	if err != nil || len(page.Entries) != 1 {
		t.Fatalf("query: %v %v", page, err)
	}
	e := page.Entries[0]
	want := map[string]string{
		"user agent": "curl/8␀␍␊X-Injected: 1", "eni": "eni-bp1␀", "error code": "Invalid␀Code",
		"error message": "bad␍␊value", "request id": "req␁",
		"Description": "two␊lines", "Name␀": "nul␀", "Tab": "a\tb", "Password": Redacted,
	}
	got := map[string]string{
		"user agent": e.UserAgent, "eni": e.ENIID, "error code": e.ErrorCode,
		"error message": e.ErrorMsg, "request id": e.RequestID,
		"Description": e.Params["Description"], "Name␀": e.Params["Name␀"], "Tab": e.Params["Tab"],
		"Password": e.Params["Password"],
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s stored as %q, want %q", k, got[k], w)
		}
	}
	if len(e.Params) != 4 {
		t.Errorf("params %q", e.Params)
	}
}

// testInvalidUTF8: bytes that are not UTF-8 (a browser's User-Agent may
// hold any byte above 0x7f) are stored as U+FFFD, on every store alike,
// and never make the entry fail to be written.
func testInvalidUTF8(t *testing.T, l Log) {
	ctx := context.Background()
	id, err := l.Begin(ctx, Entry{Actor: "ot\xffto", UserAgent: "Mozilla/5.0 \xc3\x28", Action: ActionSignIn,
		Params: map[string]string{"Name": "web\xff", "\xfe": "key"}})
	if err != nil {
		t.Fatalf("Begin with bytes that are not UTF-8: %v", err)
	}
	if err := l.Finish(ctx, id, Finish{Outcome: OutcomeError, ErrorMsg: "bad \xff byte", RequestID: "\xe2\x82"}); err != nil {
		t.Fatalf("Finish with bytes that are not UTF-8: %v", err)
	}
	e := query(t, l, Query{}).Entries[0]
	got := map[string]string{"actor": e.Actor, "user agent": e.UserAgent, "param": e.Params["Name"],
		"key": e.Params["\uFFFD"], "error message": e.ErrorMsg, "request id": e.RequestID}
	want := map[string]string{"actor": "ot\uFFFDto", "user agent": "Mozilla/5.0 \uFFFD(", "param": "web\uFFFD",
		"key": "key", "error message": "bad \uFFFD byte", "request id": "\uFFFD"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s stored as %q, want %q", k, got[k], w)
		}
	}
	if got := ids(query(t, l, Query{Actor: "ot\uFFFDto"}).Entries); !slices.Equal(got, []string{id}) {
		t.Errorf("the actor as stored selects %v", got)
	}
}

// An unknown outcome finishes an entry like ok or error: it cannot be
// finished again. Asking for "unknown" selects it together with the
// entries still pending, since neither says what the cloud did.
func testUnknownOutcome(t *testing.T, l Log) {
	ctx := context.Background()
	okID := begin(t, l, Entry{Actor: "dana", Action: ActionAttach})
	finish(t, l, okID, Finish{Outcome: OutcomeOK})
	errID := begin(t, l, Entry{Actor: "dana", Action: ActionAttach})
	finish(t, l, errID, Finish{Outcome: OutcomeError, ErrorCode: "Forbidden.RAM"})
	pendingID := begin(t, l, Entry{Actor: "dana", Action: ActionAttach})
	unknownID := begin(t, l, Entry{Actor: "dana", Action: ActionAttach})
	finish(t, l, unknownID, Finish{Outcome: OutcomeUnknown, ErrorCode: "Timeout", ErrorMsg: "no answer in time"})

	if err := l.Finish(ctx, unknownID, Finish{Outcome: OutcomeOK}); err == nil {
		t.Error("an unknown entry was finished again")
	}
	for _, o := range []Outcome{OutcomeUnknown, OutcomePending} {
		got := ids(query(t, l, Query{Actor: "dana", Outcome: o}).Entries)
		if want := []string{unknownID, pendingID}; !slices.Equal(got, want) {
			t.Errorf("outcome %s selects %v, want %v (unknown, pending)", o, got, want)
		}
	}
	if got := ids(query(t, l, Query{Actor: "dana", Outcome: OutcomeError}).Entries); !slices.Equal(got, []string{errID}) {
		t.Errorf("outcome error selects %v", got)
	}
	e := query(t, l, Query{Actor: "dana"}).Entries[0]
	if e.ID != unknownID || e.Outcome != OutcomeUnknown || e.ErrorCode != "Timeout" || URLOutcome(e.Outcome) != URLOutcomeUnknown {
		t.Errorf("read back %+v", e)
	}
}
