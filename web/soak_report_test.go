//go:build soak

package web_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// The soak's measurements of the dashboard process and its report.

// resources is one reading of the dashboard process.
type resources struct {
	rssMB, goroutines, subscribers, pollers float64
	fds                                     int // open files and sockets
}

func readResources(p *dashboardProcess) (resources, error) {
	kb, err := processRSSKB(p.cmd.Process.Pid)
	if err != nil {
		return resources{}, err
	}
	m, err := readMetrics(p.base)
	if err != nil {
		return resources{}, err
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.cmd.Process.Pid))
	if err != nil {
		return resources{}, err
	}
	return resources{rssMB: kb / 1024, goroutines: m["go_goroutines"], subscribers: m["enidash_live_subscribers"],
		pollers: m["enidash_live_pollers"], fds: len(fds)}, nil
}

// sampler keeps the peak of each reading, taken every interval.
type sampler struct {
	mu    sync.Mutex
	peak  resources
	reads int
	fails int
}

func (s *sampler) run(ctx context.Context, p *dashboardProcess, every time.Duration) {
	for sleepCtx(ctx, every) {
		r, err := readResources(p)
		s.mu.Lock()
		if err != nil {
			s.fails++
		} else {
			s.reads++
			s.peak.rssMB = max(s.peak.rssMB, r.rssMB)
			s.peak.goroutines = max(s.peak.goroutines, r.goroutines)
			s.peak.subscribers = max(s.peak.subscribers, r.subscribers)
			s.peak.pollers = max(s.peak.pollers, r.pollers)
			s.peak.fds = max(s.peak.fds, r.fds)
		}
		s.mu.Unlock()
	}
}

func (s *sampler) result() (resources, int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.reads, s.fails
}

// soakReport is everything the report prints.
type soakReport struct {
	duration                 time.Duration
	viewers, accounts, views int
	operators                int
	plan                     *burstPlan
	start, peak, after       resources
	samples, sampleFails     int
	calls                    map[string]float64 // cloud calls during the load, by API (the dashboard's counter)
	emulatorCalls            map[string]int     // as the recorder saw them
	reqs                     []opRequest
	cycles                   int
	formErrs                 []string
	stats                    *viewerStats
	errs                     []serverError
	verdict                  *verdict
}

// failures are the broken invariants, one line each.
func (r *soakReport) failures() []string {
	var out []string
	if r.verdict.accepted == 0 || r.stats.streams.Load() == 0 {
		out = append(out, "the soak exercised nothing: no change made or no stream opened")
	}
	if n := r.dishonest(); n > 0 {
		out = append(out, fmt.Sprintf("%d dashboard 5xx that are not an honest relay of a cloud failure", n))
	}
	v := r.verdict
	for _, f := range []struct {
		n    int
		what string
	}{
		{v.acceptedAs["none"], "changes the cloud made with no audit entry"},
		{v.acceptedAs["error"], "changes the cloud made, audited as error"},
		{v.answeredUnknown, "changes audited unknown though the cloud answered in time"},
		{v.okWithoutChange, "entries audited ok for a change the cloud did not make"},
		{v.answerMismatch, "actions whose answer to the operator disagrees with their audit entry"},
		{v.severalEntries, "actions with more than one audit entry"},
		{v.finalMismatch, "ENIs whose final state differs from what their audit entries say"},
	} {
		if f.n > 0 {
			out = append(out, fmt.Sprintf("%d %s", f.n, f.what))
		}
	}
	return out
}

func (r *soakReport) dishonest() int {
	n := 0
	for _, e := range r.errs {
		if !e.Honest {
			n++
		}
	}
	return n
}

func (r *soakReport) print(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	minutes := r.duration.Minutes()
	p("")
	p("enidash soak: %s; %d SSE viewers (%d accounts) over %d views; %d operators; cloud faults in %s bursts after %s calm (%d bursts, %d with stuck transitions)",
		r.duration, r.viewers, r.accounts, r.views, r.operators, r.plan.faulty, r.plan.calm, r.plan.bursts, r.plan.stuckBursts)
	p("")
	row := func(what, figure string) { p("  %-44s %s", what, figure) }
	byKind, byAnswer := map[string]int{}, map[string]int{}
	for _, q := range r.reqs {
		byKind[q.Kind]++
		byAnswer[answerClass(q)]++
	}
	row("operator actions sent", fmt.Sprintf("%d (%s); %d cycles begun", len(r.reqs), counts(byKind), r.cycles))
	row("  answered", counts(byAnswer))
	if len(r.formErrs) > 0 {
		row("  create form not filled in", fmt.Sprintf("%d times, e.g. %s", len(r.formErrs), r.formErrs[0]))
	}
	v := r.verdict
	row("audit entries of those actions", fmt.Sprintf("%d (%s)", sum(v.entries), counts(v.entries)))
	row("  actions without an entry, answered", counts(v.unaudited))
	row("changes the cloud made", fmt.Sprintf("%d, audited as: %s (unknown and unknowable: %d)", v.accepted, counts(v.acceptedAs), v.unknowable))
	row("  ok entries without such a change", fmt.Sprint(v.okWithoutChange))
	row("  answer and audit disagree", fmt.Sprint(v.answerMismatch))
	row("  final state vs audit", fmt.Sprintf("%d ENIs checked, %d differ", v.finalChecked, v.finalMismatch))
	honest := map[string]int{}
	for _, e := range r.errs {
		if e.Honest {
			honest[fmt.Sprintf("%d %s", e.Status, e.Code)]++
		}
	}
	row("dashboard 5xx", fmt.Sprintf("%d: honest relays %d (%s), not honest %d", len(r.errs), len(r.errs)-r.dishonest(), counts(honest), r.dishonest()))
	row("viewers", fmt.Sprintf("%d page loads (%d more abandoned on the way), %d streams opened (%d left unread), %d row events",
		r.stats.pages.Load(), r.stats.abandoned.Load(), r.stats.streams.Load(), r.stats.stalls.Load(), r.stats.rows.Load()))
	row("  refused / failed", fmt.Sprintf("%s / %s", counts(r.stats.refused), counts(r.stats.failed)))
	row("dashboard RSS (MB): start, peak, +60s", fmt.Sprintf("%.1f, %.1f, %.1f", r.start.rssMB, r.peak.rssMB, r.after.rssMB))
	row("goroutines: start, peak, +60s", fmt.Sprintf("%.0f, %.0f, %.0f", r.start.goroutines, r.peak.goroutines, r.after.goroutines))
	row("open files and sockets: start, peak, +60s", fmt.Sprintf("%d, %d, %d", r.start.fds, r.peak.fds, r.after.fds))
	row("live streams, pollers: peak, +60s", fmt.Sprintf("%.0f and %.0f, %.0f and %.0f (%d samples, %d failed)",
		r.peak.subscribers, r.peak.pollers, r.after.subscribers, r.after.pollers, r.samples, r.sampleFails))
	total := 0.0
	for _, n := range r.calls {
		total += n
	}
	row("cloud calls per minute (dashboard)", fmt.Sprintf("%.1f: %s", total/minutes, perMinute(r.calls, minutes)))
	row("cloud calls seen by the emulator", fmt.Sprint(sum(r.emulatorCalls)))
	p("")
	for _, e := range r.errs {
		if !e.Honest {
			p("  not honest: %d %s %s (%s): %s", e.Status, e.Method, e.Path, e.Who, e.Message)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(v.problems)) {
		for _, s := range v.problems[k] {
			p("  %s: %s", k, s)
		}
	}
	if f := r.failures(); len(f) > 0 {
		p("FAIL: %s", strings.Join(f, "; "))
	} else {
		p("PASS: every invariant held")
	}
}

// answerClass is how the dashboard answered an action.
func answerClass(q opRequest) string {
	switch {
	case q.Status == 0 && q.Timeout > 0:
		return "client gave up"
	case q.Status == 0:
		return "no answer"
	case q.succeeded():
		return "done"
	default:
		return fmt.Sprint(q.Status)
	}
}

func counts[V int | float64](m map[string]V) string {
	if len(m) == 0 {
		return "none"
	}
	var s []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		s = append(s, fmt.Sprintf("%s %v", k, m[k]))
	}
	return strings.Join(s, ", ")
}

func sum[V int | float64](m map[string]V) V {
	var n V
	for _, v := range m {
		n += v
	}
	return n
}

func perMinute(m map[string]float64, minutes float64) string {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		if m[a] != m[b] {
			if m[a] > m[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	var s []string
	for _, k := range keys {
		s = append(s, fmt.Sprintf("%s %.1f", k, m[k]/minutes))
	}
	return strings.Join(s, ", ")
}
