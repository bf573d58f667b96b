package audit

import (
	"context"
	"testing"
)

// Text that reaches the log from outside (request parameters, the
// browser's User-Agent, the cloud's messages) is stored with its control
// characters made visible: a NUL or a line break would otherwise travel
// raw into the audit page, its CSV export and whatever reads them.
func TestLogsScrubControlCharacters(t *testing.T) {
	sqlite, _ := newStore(t)
	for name, log := range map[string]Log{"sqlite": sqlite, "memory": NewMemory()} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			id, err := log.Begin(ctx, Entry{Actor: "otto", AuthMethod: "password", SourceIP: "127.0.0.1",
				UserAgent: "curl/8\x00\r\nX-Injected: 1", Action: ActionCreate, API: "CreateNetworkInterface",
				Region: "cn-hangzhou", ENIID: "eni-bp1\x00", Params: map[string]string{
					"Description": "two\nlines", "Name\x00": "nul\x00", "Tab": "a\tb", "Password": "hunter\x002"}})
			if err != nil {
				t.Fatal(err)
			}
			if err := log.Finish(ctx, id, Finish{Outcome: OutcomeError, ErrorCode: "Invalid\x00Code",
				ErrorMsg: "bad\r\nvalue", RequestID: "req\x01"}); err != nil {
				t.Fatal(err)
			}
			page, err := log.Query(ctx, Query{})
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
		})
	}
}
