package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"enidash/internal/audit"
)

func readCSV(t *testing.T, body string) []map[string]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || rows[0][0] != "time" || rows[0][2] != "actor" {
		t.Fatalf("no header: %v", rows)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, k := range rows[0] {
			m[k] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestAuditExport(t *testing.T) {
	l := audit.NewMemory()
	record(t, l, audit.Entry{Actor: "alice", AuthMethod: "password", Action: audit.ActionAttach, API: "AttachNetworkInterface",
		Region: "cn-hangzhou", ENIID: "eni-bp1aaaa0001", InstanceID: "i-bp1inst0001", Params: map[string]string{"InstanceId": "i-bp1inst0001"}},
		audit.Finish{Outcome: audit.OutcomeError, ErrorCode: "IncorrectInstanceStatus", ErrorMsg: "The instance is stopping.", RequestID: "req-1", Duration: 1500 * time.Microsecond})
	record(t, l, audit.Entry{Actor: "=HYPERLINK(\"http://x\")", Action: audit.ActionSignIn, SourceIP: "192.0.2.9"}, audit.Finish{Outcome: audit.OutcomeOK})
	record(t, l, audit.Entry{Actor: "alice", Action: audit.ActionDelete, ENIID: "eni-bp1aaaa0001"}, audit.Finish{Outcome: audit.OutcomePending})
	base := startAudit(t, l)

	p := get(t, base+"/audit.csv")
	if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, type %q", p.status, p.header.Get("Content-Type"))
	}
	if cd := p.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows := readCSV(t, p.body)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	if r := rows[0]; r["action"] != "eni.delete" || r["outcome"] != "unknown" || r["duration_ms"] != "" {
		t.Errorf("pending row %v", r)
	}
	if r := rows[1]; r["actor"] != `'=HYPERLINK("http://x")` {
		t.Errorf("a formula reaches the spreadsheet: %q", r["actor"])
	}
	r := rows[2]
	var params map[string]string
	if err := json.Unmarshal([]byte(r["params"]), &params); err != nil || params["InstanceId"] != "i-bp1inst0001" {
		t.Errorf("params %q: %v", r["params"], err)
	}
	if _, err := time.Parse(time.RFC3339Nano, r["time"]); err != nil {
		t.Errorf("time %q: %v", r["time"], err)
	}
	for k, want := range map[string]string{"actor": "alice", "auth_method": "password", "api": "AttachNetworkInterface",
		"region": "cn-hangzhou", "eni": "eni-bp1aaaa0001", "instance": "i-bp1inst0001", "outcome": "error",
		"error_code": "IncorrectInstanceStatus", "error_message": "The instance is stopping.", "request_id": "req-1", "duration_ms": "1.500"} {
		if r[k] != want {
			t.Errorf("%s = %q, want %q", k, r[k], want)
		}
	}

	t.Run("filtered", func(t *testing.T) {
		rows := readCSV(t, get(t, base+"/audit.csv?actor=alice&outcome=error").body)
		if len(rows) != 1 || rows[0]["request_id"] != "req-1" {
			t.Errorf("rows %v", rows)
		}
	})
	for _, q := range []string{"before=abc", "outcome=maybe", "bogus=1"} {
		t.Run(q, func(t *testing.T) {
			p := get(t, base+"/audit.csv?"+q)
			field, _, _ := strings.Cut(q, "=")
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, field) {
				t.Errorf("status %d, body %q", p.status, p.body)
			}
		})
	}
}

// TestAuditExportEveryPage exports more entries than one read takes.
// (The SQLite log's own paging is tested in internal/audit.)
func TestAuditExportEveryPage(t *testing.T) {
	l := audit.NewMemory()
	var want []string
	for i := range 1203 {
		want = append(want, record(t, l, audit.Entry{Actor: fmt.Sprintf("user%d", i%7), Action: audit.ActionAttach}, audit.Finish{Outcome: audit.OutcomeOK}))
	}
	slices.Reverse(want)
	rows := readCSV(t, get(t, startAudit(t, l)+"/audit.csv").body)
	var got []string
	for _, r := range rows {
		got = append(got, r["id"])
	}
	if !slices.Equal(got, want) {
		t.Errorf("export has %d entries, want %d, newest first, each once", len(got), len(want))
	}
}

// TestAuditExportCutShort checks that a log failing after the first page
// breaks the download instead of ending it as if complete.
func TestAuditExportCutShort(t *testing.T) {
	mem := audit.NewMemory()
	for range 600 {
		record(t, mem, audit.Entry{Actor: "alice", Action: audit.ActionAttach}, audit.Finish{Outcome: audit.OutcomeOK})
	}
	base := startAudit(t, &failingLog{Log: mem, okReads: 1})
	res, err := http.Get(base + "/audit.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if _, err := io.ReadAll(res.Body); err == nil {
		t.Error("the download ended cleanly although the log failed half way")
	}
}
