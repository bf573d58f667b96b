package audit

import (
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestParseFilter(t *testing.T) {
	day := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		query     string
		want      Filter
		canonical string
	}{
		{"", Filter{}, ""},
		{"actor=&action=&eni=&outcome=&from=&to=&before=&size=", Filter{}, ""},
		{"size=50", Filter{}, ""},
		{"actor=alice%40corp&action=eni.attach", Filter{Actor: "alice@corp", Action: ActionAttach}, "actor=alice%40corp&action=eni.attach"},
		{"eni=ENI-BP1AAAA0001&outcome=unknown", Filter{ENIID: "eni-bp1aaaa0001", Outcome: OutcomePending}, "eni=eni-bp1aaaa0001&outcome=unknown"},
		{"outcome=ok", Filter{Outcome: OutcomeOK}, "outcome=ok"},
		{"outcome=error", Filter{Outcome: OutcomeError}, "outcome=error"},
		{"to=2025-11-20&from=2025-11-20", Filter{From: day, To: day.AddDate(0, 0, 1)}, "from=2025-11-20&to=2025-11-20"},
		// An instant at midnight ending a range is the day before, whole.
		{"to=2025-11-21T00:00:00Z", Filter{To: day.AddDate(0, 0, 1)}, "to=2025-11-20"},
		{"from=2025-11-20T17:30:00%2B08:00", Filter{From: day.Add(9*time.Hour + 30*time.Minute)}, "from=2025-11-20T09:30:00Z"},
		{"from=2025-11-20T09:30:00.5Z", Filter{From: day.Add(9*time.Hour + 30*time.Minute + 500*time.Millisecond)}, "from=2025-11-20T09:30:00.5Z"},
		{"size=500&before=0a1b2c", Filter{Before: "0a1b2c", Size: 500}, "before=0a1b2c&size=500"},
		{"bulk=bulk-0123456789abcdef", Filter{Bulk: "bulk-0123456789abcdef"}, "bulk=bulk-0123456789abcdef"},
		// Its place in the URL is after the ENI's, whatever order it came in.
		{"outcome=error&bulk=+BULK-0123456789ABCDEF+&eni=eni-bp1aaaa0001", Filter{ENIID: "eni-bp1aaaa0001", Bulk: "bulk-0123456789abcdef", Outcome: OutcomeError},
			"eni=eni-bp1aaaa0001&bulk=bulk-0123456789abcdef&outcome=error"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			f, errs := ParseFilter(v)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if !reflect.DeepEqual(f, tt.want) {
				t.Errorf("filter = %+v, want %+v", f, tt.want)
			}
			if got := f.Encode(); got != tt.canonical {
				t.Errorf("Encode = %q, want %q", got, tt.canonical)
			}
		})
	}
}

func TestParseFilterErrors(t *testing.T) {
	tests := []struct{ query, field string }{
		{"actor=" + url.QueryEscape("a\x00b"), KeyActor},
		{"action=eni.explode", KeyAction},
		{"eni=vpc-bp1aaaa0001", KeyENI},
		{"outcome=pending", KeyOutcome},
		{"outcome=ok&outcome=error", KeyOutcome},
		{"from=yesterday", KeyFrom},
		{"from=2025-13-01", KeyFrom},
		{"to=1999-12-30", KeyTo},
		{"to=9999-01-01", KeyTo},
		{"from=2025-11-21&to=2025-11-20", KeyTo},
		{"from=2025-11-20T10:00:00Z&to=2025-11-20T10:00:00Z", KeyTo},
		{"before=" + url.QueryEscape("<script>"), KeyBefore},
		{"size=42", KeySize},
		{"bulk=bulk-0123", KeyBulk},
		{"bulk=bulk-0123456789abcdef0", KeyBulk},
		{"bulk=0123456789abcdef", KeyBulk},
		{"bulk=bulk-0123456789abcdeg", KeyBulk},
		{"bulk=" + url.QueryEscape("bulk-01234567\x0089abcdef"), KeyBulk},
		{"bulk=" + url.QueryEscape("' OR 1=1 --"), KeyBulk},
		{"bulk=bulk-0123456789abcdef&bulk=bulk-fedcba9876543210", KeyBulk},
		{"region=cn-hangzhou", "region"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			_, errs := ParseFilter(v)
			if len(errs) != 1 || errs[0].Field != tt.field || errs[0].Message == "" {
				t.Errorf("errors = %+v, want one for %s", errs, tt.field)
			}
		})
	}
}

func TestFilterLogQuery(t *testing.T) {
	f := Filter{Actor: "alice", Bulk: "bulk-0123456789abcdef", Outcome: OutcomePending, Before: "x1"}
	q := f.LogQuery()
	if q.Actor != "alice" || q.Bulk != "bulk-0123456789abcdef" || q.Outcome != OutcomePending || q.Before != "x1" || q.Limit != DefaultPageSize {
		t.Errorf("LogQuery = %+v", q)
	}
	if got := f.Older("x2").Encode(); got != "actor=alice&bulk=bulk-0123456789abcdef&outcome=unknown&before=x2" {
		t.Errorf("Older = %q", got)
	}
	if got := f.Newest().Encode(); got != "actor=alice&bulk=bulk-0123456789abcdef&outcome=unknown" {
		t.Errorf("Newest = %q", got)
	}
}

// FuzzParseFilter checks that whatever parses encodes to a URL that
// parses back to the same view, and that nothing panics.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "actor=alice&outcome=ok", "from=2025-11-20&to=2025-11-21T08:00:00%2B08:00", "eni=eni-bp1aaaa0001&size=10&before=abc", "bulk=bulk-0123456789abcdef&outcome=ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		fl, errs := ParseFilter(v)
		if len(errs) > 0 {
			return
		}
		v2, err := url.ParseQuery(fl.Encode())
		if err != nil {
			t.Fatalf("canonical %q does not parse: %v", fl.Encode(), err)
		}
		fl2, errs := ParseFilter(v2)
		if len(errs) > 0 || fl2.Encode() != fl.Encode() || !fl2.From.Equal(fl.From) || !fl2.To.Equal(fl.To) {
			t.Fatalf("%q → %q → %q (%v)", raw, fl.Encode(), fl2.Encode(), errs)
		}
	})
}
