//go:build soak

package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"enidash/internal/eni"
)

// The soak's verdict on the audit log: every change the cloud made is
// recorded, with the outcome the cloud gave it; every action an operator
// was told succeeded is recorded as such; and the ENIs end as their
// recorded changes leave them.

// auditRow is one entry of /audit.csv.
type auditRow struct {
	Time                              time.Time
	Actor, UA, Action, API, ENI       string
	Outcome, Code, Message, RequestID string
	Duration                          time.Duration
	Finished                          bool // it has a duration: the outcome was written
	Params                            map[string]string
}

// fetchAudit reads the whole audit log as the admin's export gives it.
func fetchAudit(tb testing.TB, client *http.Client, base string) []auditRow {
	tb.Helper()
	res, err := client.Get(base + "/audit.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		tb.Fatalf("GET /audit.csv: %s\n%s", res.Status, b)
	}
	recs, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || len(recs) == 0 {
		tb.Fatalf("reading /audit.csv: %v", err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	get := func(r []string, k string) string {
		if i, ok := col[k]; ok && i < len(r) {
			return r[i]
		}
		return ""
	}
	var out []auditRow
	for _, r := range recs[1:] {
		a := auditRow{Actor: get(r, "actor"), UA: get(r, "user_agent"), Action: get(r, "action"), API: get(r, "api"),
			ENI: get(r, "eni"), Outcome: get(r, "outcome"), Code: get(r, "error_code"), Message: get(r, "error_message"),
			RequestID: get(r, "request_id")}
		a.Time, err = time.Parse(time.RFC3339Nano, get(r, "time"))
		if err != nil {
			tb.Fatalf("audit time %q: %v", get(r, "time"), err)
		}
		if d := get(r, "duration_ms"); d != "" {
			ms, err := strconv.ParseFloat(d, 64)
			if err != nil {
				tb.Fatalf("audit duration %q: %v", d, err)
			}
			a.Duration, a.Finished = time.Duration(ms*float64(time.Millisecond)), true
		}
		if p := get(r, "params"); p != "" {
			_ = json.Unmarshal([]byte(p), &a.Params)
		}
		out = append(out, a)
	}
	return out
}

// window is when the entry's cloud calls can have started: from its
// intent to its outcome, or, without an outcome, for a call timeout.
func (a auditRow) window() (time.Time, time.Time) {
	end := a.Time.Add(a.Duration)
	if !a.Finished {
		end = a.Time.Add(25 * time.Second)
	}
	return a.Time.Add(-50 * time.Millisecond), end.Add(250 * time.Millisecond)
}

// verdict counts what the checks found; problems holds examples.
type verdict struct {
	entries         map[string]int // of the operators' changes, by outcome
	accepted        int            // write calls the cloud carried out
	acceptedAs      map[string]int // ... by the outcome of the entry covering them ("none": unaudited)
	unknowable      int            // accepted, audited unknown, answered only after the dashboard stopped waiting
	answeredUnknown int            // accepted, audited unknown, answered while the dashboard waited
	okWithoutChange int
	answerMismatch  int // answer to the operator and audit disagree
	severalEntries  int
	unaudited       map[string]int // actions with no entry, by how they were answered
	finalChecked    int
	finalMismatch   int
	problems        map[string][]string
}

func (v *verdict) problem(kind, format string, args ...any) {
	if len(v.problems[kind]) < 8 {
		v.problems[kind] = append(v.problems[kind], fmt.Sprintf(format, args...))
	}
}

// changeActions are the audit actions of the operators' changes.
var changeActions = []string{"eni.create", "eni.attach", "eni.detach", "eni.delete"}

func verifyAudit(rows []auditRow, calls []cloudCall, reqs []opRequest, operators []string) *verdict {
	v := &verdict{entries: map[string]int{}, acceptedAs: map[string]int{}, unaudited: map[string]int{},
		problems: map[string][]string{}}
	var changes []auditRow
	byUA := map[string][]auditRow{}
	for _, a := range rows {
		if slices.Contains(changeActions, a.Action) && slices.Contains(operators, a.Actor) {
			changes = append(changes, a)
			v.entries[a.Outcome]++
			byUA[a.UA] = append(byUA[a.UA], a)
		}
	}
	// Every change the cloud made, against the entry that covers it.
	for _, c := range calls {
		if c.Status != http.StatusOK {
			continue
		}
		v.accepted++
		a, ok := covering(changes, c)
		if !ok {
			v.acceptedAs["none"]++
			v.problem("unaudited", "%s %s%s at %s (RequestId %s)", c.API, c.ENI, tokenNote(c), c.Start.Format(time.TimeOnly), c.RequestID)
			continue
		}
		v.acceptedAs[a.Outcome]++
		switch {
		case a.Outcome == "error":
			v.problem("error-but-made", "%s %s by %s (%s): audited error %s %q, but the cloud made it (RequestId %s)",
				c.API, c.ENI, a.Actor, a.UA, a.Code, a.Message, c.RequestID)
		case a.Outcome != "ok" && a.Finished && c.End.Before(a.Time.Add(a.Duration-10*time.Millisecond)):
			// The answer came back while the dashboard was still waiting.
			v.answeredUnknown++
			v.problem("unknown-but-answered", "%s %s (%s): audited %s though the cloud answered (RequestId %s) %s before the outcome was written",
				c.API, c.ENI, a.UA, a.Outcome, c.RequestID, a.Time.Add(a.Duration).Sub(c.End).Round(time.Millisecond))
		case a.Outcome != "ok":
			v.unknowable++
		}
	}
	// Every ok entry names a change the cloud made.
	for _, a := range changes {
		if a.Outcome != "ok" {
			continue
		}
		if !slices.ContainsFunc(calls, func(c cloudCall) bool { return c.Status == http.StatusOK && c.RequestID == a.RequestID }) {
			v.okWithoutChange++
			v.problem("ok-without-change", "%s %s (%s): audited ok with RequestId %q, which no accepted call has", a.Action, a.ENI, a.UA, a.RequestID)
		}
	}
	// Every request against its entry.
	for _, r := range reqs {
		got := byUA[r.UA]
		if len(got) == 0 {
			v.unaudited[answerClass(r)]++
		}
		if len(got) > 1 {
			v.severalEntries++
			v.problem("several-entries", "%s (%s %s): %d entries", r.UA, r.Kind, r.ENI, len(got))
		}
		switch {
		case r.succeeded() && (len(got) != 1 || got[0].Outcome != "ok"):
			v.answerMismatch++
			v.problem("answer-vs-audit", "%s (%s %s): answered %d, audited %s", r.UA, r.Kind, r.ENI, r.Status, outcomes(got))
		case r.Status >= 500 && len(got) == 1 && got[0].Outcome == "ok":
			v.answerMismatch++
			v.problem("answer-vs-audit", "%s (%s %s): answered %d, audited ok", r.UA, r.Kind, r.ENI, r.Status)
		}
	}
	return v
}

// covering is the entry whose cloud calls include c.
func covering(changes []auditRow, c cloudCall) (auditRow, bool) {
	for _, a := range changes {
		if a.API != c.API {
			continue
		}
		if c.API == "CreateNetworkInterface" {
			if c.Token == "" || a.Params["ClientToken"] != c.Token {
				continue
			}
		} else if a.ENI != c.ENI {
			continue
		}
		if from, to := a.window(); !c.Start.Before(from) && !c.Start.After(to) {
			return a, true
		}
	}
	return auditRow{}, false
}

func tokenNote(c cloudCall) string {
	if c.Token != "" {
		return " (ClientToken " + c.Token + ")"
	}
	return ""
}

func outcomes(rows []auditRow) string {
	if len(rows) == 0 {
		return "nothing"
	}
	var s []string
	for _, a := range rows {
		s = append(s, a.Outcome)
	}
	return strings.Join(s, ",")
}

// verifyFinal compares each ENI the operators created with what its
// audited changes leave it as: the last ok change decides, unless an
// entry after it is unknown (then nobody can say).
func verifyFinal(ctx context.Context, v *verdict, rows []auditRow, calls []cloudCall, o *oracle, operators []string) {
	created := map[string]bool{}
	for _, c := range calls {
		if c.API == "CreateNetworkInterface" && c.Status == http.StatusOK && c.ENI != "" {
			created[c.ENI] = true
		}
	}
	last := map[string]auditRow{} // the latest decisive entry of each ENI
	for _, a := range rows {      // newest first
		if !slices.Contains(changeActions, a.Action) || !slices.Contains(operators, a.Actor) || a.ENI == "" {
			continue
		}
		if _, seen := last[a.ENI]; seen || a.Outcome == "error" {
			continue
		}
		last[a.ENI] = a
	}
	for _, id := range sortedKeys(created) {
		e, found, err := o.eni(ctx, soakRegion, id)
		if err != nil {
			v.problem("final-state", "%s: %v", id, err)
			continue
		}
		a, ok := last[id]
		if ok && a.Outcome != "ok" {
			continue // unknowable
		}
		v.finalChecked++
		want := "no ok change recorded"
		switch {
		case !ok:
		case a.Action == "eni.delete":
			want = "gone"
		case a.Action == "eni.attach":
			want = string(eni.StatusInUse)
		default:
			want = string(eni.StatusAvailable)
		}
		got := "gone"
		if found {
			got = string(e.Status)
		}
		if got != want {
			v.finalMismatch++
			v.problem("final-state", "%s: the cloud has it %s; its audit (last ok: %s by %s) says %s", id, got, a.Action, a.UA, want)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
