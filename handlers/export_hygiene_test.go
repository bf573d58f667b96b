package handlers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// hasControl reports a control character other than tab.
func hasControl(s string) bool {
	return strings.IndexFunc(s, func(c rune) bool { return c < 0x20 && c != '\t' }) >= 0
}

// Another tool may give an ENI a description or tag value with a line
// break or a NUL (the cloud takes them). The exports show them as visible
// pictures (␊, ␀) instead of writing them raw.
func TestExportScrubsControlCharacters(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	some := allENIs(t, env, "cn-hangzhou")[0]
	res, err := env.Cloud.CreateENI(context.Background(), eni.CreateRequest{Region: "cn-hangzhou",
		VSwitchID: some.VSwitchID, SecurityGroupIDs: some.SecurityGroups, Name: "ctl-chars",
		Description: "two\nlines\x00", Tags: []eni.Tag{{Key: "note", Value: "nul\x00\rcr"}}})
	if err != nil {
		t.Fatal(err)
	}
	wantDesc, wantTag := "two␊lines␀", "nul␀␍cr"

	t.Run("csv", func(t *testing.T) {
		p := get(t, env.URL+"/enis.csv?region=cn-hangzhou&name=ctl-chars")
		if p.status != 200 || hasControl(strings.ReplaceAll(p.body, "\n", "")) {
			t.Fatalf("status %d, control characters in %q", p.status, p.body)
		}
		rows := strings.Split(strings.TrimSpace(p.body), "\n")
		if len(rows) != 2 || !strings.Contains(rows[1], res.ENIID) || !strings.Contains(rows[1], wantDesc) ||
			!strings.Contains(rows[1], "note="+wantTag) {
			t.Errorf("rows %q", rows)
		}
	})
	t.Run("json", func(t *testing.T) {
		p := get(t, env.URL+"/enis.json?region=cn-hangzhou&name=ctl-chars")
		var got []struct {
			ID          string            `json:"id"`
			Description string            `json:"description"`
			Tags        map[string]string `json:"tags"`
		}
		if err := json.Unmarshal([]byte(p.body), &got); err != nil {
			t.Fatalf("%v: %s", err, p.body)
		}
		if len(got) != 1 || got[0].ID != res.ENIID || got[0].Description != wantDesc || got[0].Tags["note"] != wantTag {
			t.Errorf("got %+v", got)
		}
	})
}

// legacyLog answers entries as a log written before its text was scrubbed
// would: with raw control characters.
type legacyLog struct{ audit.Log }

func (l legacyLog) Query(ctx context.Context, q audit.Query) (audit.Page, error) {
	return audit.Page{Entries: []audit.Entry{{ID: "1", Actor: "otto", UserAgent: "agent\x00\r\nX: 1",
		Action: audit.ActionCreate, Outcome: audit.OutcomeError, ErrorMsg: "bad\nvalue",
		Params: map[string]string{"Description\x00": "two\nlines"}}}}, nil
}

func TestAuditExportScrubsControlCharacters(t *testing.T) {
	base := startAudit(t, legacyLog{audit.NewMemory()})
	p := get(t, base+"/audit.csv")
	if hasControl(strings.ReplaceAll(p.body, "\n", "")) || strings.Count(p.body, "\n") != 2 {
		t.Fatalf("control characters in %q", p.body)
	}
	r := readCSV(t, p.body)[0]
	var params map[string]string
	if err := json.Unmarshal([]byte(r["params"]), &params); err != nil {
		t.Fatal(err)
	}
	if r["user_agent"] != "agent␀␍␊X: 1" || r["error_message"] != "bad␊value" || params["Description␀"] != "two␊lines" {
		t.Errorf("row %q, params %q", r, params)
	}
}
