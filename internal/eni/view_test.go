package eni

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseViewCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"region=cn-hangzhou", "region=cn-hangzhou"},
		{"region=cn-hangzhou&page=1&sort=created", "region=cn-hangzhou&sort=created"},
		{"sort=-Created&page=3&region=cn-hangzhou&older=07d&zone=CN-hangzhou-h",
			"region=cn-hangzhou&zone=cn-hangzhou-h&older=7d&sort=-created&page=3"},
		{"region=cn-hangzhou&q=++web+++tier++", "region=cn-hangzhou&q=web+tier"},
		{"region=cn-hangzhou&q=ENI-bp1aaaa", "region=cn-hangzhou&id=eni-bp1aaaa"},
		{"region=cn-hangzhou&q=eni-bp1bbbb,+eni-bp1aaaa+eni-bp1bbbb", "region=cn-hangzhou&id=eni-bp1aaaa,eni-bp1bbbb"},
		{"region=cn-hangzhou&q=i-bp1cccc", "region=cn-hangzhou&instance=i-bp1cccc"},
		{"region=cn-hangzhou&q=10.0.0.5", "region=cn-hangzhou&ip=10.0.0.5"},
		{"region=cn-hangzhou&q=2408:4005:0:0::1", "region=cn-hangzhou&ipv6=2408:4005::1"},
		{"region=cn-hangzhou&q=env=prod&tag=team", "region=cn-hangzhou&tag=env:prod&tag=team"},
		// The filter is set already: the term stays free text.
		{"region=cn-hangzhou&q=vpc-bp1aaaa&vpc=vpc-bp1bbbb", "region=cn-hangzhou&q=vpc-bp1aaaa&vpc=vpc-bp1bbbb"},
		{"region=cn-hangzhou&q=eni-bp1aaaa+web", "region=cn-hangzhou&q=eni-bp1aaaa+web"},
		{"region=cn-hangzhou&size=50&page=2&older=36h", "region=cn-hangzhou&older=36h&size=50&page=2"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := url.ParseQuery(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			vw, errs := ParseView(v)
			if len(errs) > 0 {
				t.Fatalf("ParseView(%q): %v", tt.in, errs)
			}
			if got := vw.Query(); got != tt.want {
				t.Errorf("Query() = %q, want %q", got, tt.want)
			}
			// The canonical form reads back as the same view.
			v2, _ := url.ParseQuery(vw.Query())
			again, errs := ParseView(v2)
			if len(errs) > 0 || again.Query() != vw.Query() {
				t.Errorf("round trip of %q gave %q (%v)", vw.Query(), again.Query(), errs)
			}
		})
	}
}

func TestParseViewValues(t *testing.T) {
	v, _ := url.ParseQuery("region=cn-hangzhou&older=2d&sort=-ip&page=4&q=Web+DB")
	vw, errs := ParseView(v)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if vw.Older != 48*time.Hour || vw.Sort != SortIP || !vw.Desc || vw.Page != 4 {
		t.Errorf("got older %v sort %q desc %v page %d", vw.Older, vw.Sort, vw.Desc, vw.Page)
	}
	if got := strings.Join(vw.SearchWords(), "|"); got != "web|db" {
		t.Errorf("SearchWords = %q", got)
	}
}

func TestParseViewRejects(t *testing.T) {
	tests := []struct{ query, field, message string }{
		{"sort=size", KeySort, "not a column to sort by"},
		{"sort=--name", KeySort, "not a column to sort by"},
		{"older=7w", KeyOlder, "whole number of hours or days"},
		{"older=-1d", KeyOlder, "whole number of hours or days"},
		{"older=0h", KeyOlder, "at least 1h"},
		{"older=9999999d", KeyOlder, "more than 36500 days"},
		{"q=" + strings.Repeat("x", 257), KeySearch, "at most 256"},
		{"page=0", KeyPage, "1 or more"},
		{"page=two", KeyPage, "1 or more"},
		{"page=2000000", KeyPage, "past the last page"},
		{"page=2&token=" + encodeTrail([]string{"AAAA"}), KeyPage, "cannot be given with token"},
		{"zone=Hangzhou H", KeyZone, "not a zone ID"},
		{"sort=name&sort=id", KeySort, "more than once"},
		{"status=Busy&sort=name", KeyStatus, "one of Available"},
		{"colour=blue", "colour", "not a parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, errs := ParseView(v)
			msg := errs.For(tt.field)
			if !strings.Contains(msg, tt.message) {
				t.Errorf("ParseView(%q) %s: %q, want it to say %q (all: %v)", tt.query, tt.field, msg, tt.message, errs)
			}
		})
	}
}

// The list page, served by ParseFilter, keeps refusing what it would ignore.
func TestParseFilterStillRefusesViewKeys(t *testing.T) {
	for _, k := range []string{KeySearch, KeyZone, KeyOlder, KeySort, KeyPage} {
		_, errs := ParseFilter(url.Values{k: {"1"}})
		if !strings.Contains(errs.For(k), "not a parameter") {
			t.Errorf("ParseFilter accepted %s: %v", k, errs)
		}
	}
}
