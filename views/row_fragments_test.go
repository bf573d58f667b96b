package views

import (
	"net/url"
	"testing"
	"time"

	"github.com/a-h/templ"

	"enidash/internal/eni"
)

// hostile is text from the cloud or a person that would break out of an
// attribute or a text node if it were written unescaped.
const hostile = `<script>alert("x")</script>' & "q" %3A %2C,:é`

// The row writes values itself: the same bytes as templ's escaping.
func TestEscWritesWhatTemplWrites(t *testing.T) {
	for _, s := range []string{"", "eni-bp1aaaa1111", hostile, "&&", "<<>>", `""''`, "a&b<c>d\"e'f", "\xff\xfe", "日本", "nul\x00"} {
		if got, want := renderHTML(t, esc(s)), templ.EscapeString(s); got != want {
			t.Errorf("esc(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzEscWritesWhatTemplWrites(f *testing.F) {
	f.Add(hostile)
	f.Add("plain")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := renderHTML(t, esc(s)), templ.EscapeString(s); got != want {
			t.Errorf("esc(%q) = %q, want %q", s, got, want)
		}
	})
}

// Each fragment the row writes itself is, byte for byte, the component it
// stands for, which the detail page and the others still render: the list
// and the detail page show the same markup, escaped the same way.
func TestRowFragmentsMatchTheirComponents(t *testing.T) {
	regions := []string{"cn-hangzhou", "us west&1<" + hostile}
	values := []string{"i-bp1inst0001", "vpc-" + hostile, "a,b:c%d+e f"}
	backs := []string{"", "/enis?region=cn-hangzhou&status=Available&sort=-created", "/enis?q=a b&tag=k:v#frag" + hostile}
	same := func(t *testing.T, what string, got, want templ.Component) {
		t.Helper()
		if g, w := renderHTML(t, got), renderHTML(t, want); g != w {
			t.Errorf("%s:\n got %s\nwant %s", what, g, w)
		}
	}

	same(t, "none", rowNone, none())
	for _, s := range append(eni.Statuses, "", eni.Status(hostile)) {
		same(t, "status badge "+string(s), rowStatusBadge(s), statusBadge(s))
	}
	for _, at := range []time.Time{{}, testNow.Add(-50 * time.Hour), testNow.Add(3 * time.Hour), time.Date(2020, 2, 29, 23, 59, 59, 0, time.FixedZone("x", 5*3600))} {
		same(t, "timestamp "+at.String(), rowTimestamp(at, testNow), timestamp(at, testNow))
	}
	for _, region := range regions {
		for _, v := range values {
			same(t, "filter link "+v, rowFilterLink(region, eni.KeyInstance, v), filterLink(region, eni.KeyInstance, v))
			for _, tag := range []eni.Tag{{Key: v}, {Key: v, Value: v}, {Key: "env", Value: "prod"}, {Key: hostile, Value: "a:b,c"}} {
				same(t, "tag chip "+tag.String(), rowTagChip(region, tag), tagChip(region, tag))
			}
		}
		for _, e := range actionCases() {
			same(t, "modify links "+e.ID, rowModifyLinks(&e, region), modifyLinks(e, region))
			for _, back := range backs {
				for _, stuck := range []bool{false, true} {
					rc := RowContext{Back: back}
					same(t, "actions "+e.ID, rowActionLinks(&e, region, rc.escapedBack(), stuck), rowActions(e, region, back, stuck))
					same(t, "actions for rows "+e.ID, rowActionLinks(&e, region, rc.forRows().escapedBack(), stuck), rowActions(e, region, back, stuck))
				}
			}
		}
	}
}

// A table's rows escape the page to come back to once; a context whose
// page changed after that escapes the new one.
func TestRowsEscapeTheirPageOnce(t *testing.T) {
	rc := RowContext{Back: "/enis?region=cn-hangzhou&sort=-created"}.forRows()
	if got, want := rc.escapedBack(), url.QueryEscape(rc.Back); got != want {
		t.Errorf("escaped back = %q, want %q", got, want)
	}
	rc.Back = "/enis?region=cn-shanghai"
	if got, want := rc.escapedBack(), url.QueryEscape(rc.Back); got != want {
		t.Errorf("escaped back after a change = %q, want %q", got, want)
	}
	rc.Back = ""
	if got := rc.escapedBack(); got != "" {
		t.Errorf("escaped empty back = %q, want none", got)
	}
}

// actionCases are ENIs in every status, managed or not, primary or not,
// one with an ID that needs escaping.
func actionCases() []eni.ENI {
	var out []eni.ENI
	for _, st := range append(eni.Statuses, eni.Status(hostile)) {
		for _, managed := range []bool{false, true} {
			e := sampleENI()
			e.Status, e.ServiceManaged = st, managed
			out = append(out, e)
			p := e
			p.Type = eni.TypePrimary
			out = append(out, p)
		}
	}
	odd := sampleENI()
	odd.ID, odd.Status = "eni-"+hostile, eni.StatusAvailable
	return append(out, odd)
}
