package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"enidash/internal/audit"
)

// The audit page filtered by a bulk action: only its items, the filter
// shown as a chip that removes it, kept by the form's Apply, followed by
// the export; each bulk item links to its bulk.
func TestAuditListBulkFilter(t *testing.T) {
	l := sqliteLog(t)
	const bulk, other = "bulk-0123456789abcdef", "bulk-fedcba9876543210"
	ok := audit.Finish{Outcome: audit.OutcomeOK}
	single := record(t, l, audit.Entry{Actor: "otto", Action: audit.ActionDelete, ENIID: "eni-bp1aaaa0000"}, ok)
	a := record(t, l, audit.Entry{Actor: "otto", Action: audit.ActionDelete, ENIID: "eni-bp1aaaa0001", Bulk: bulk}, ok)
	record(t, l, audit.Entry{Actor: "otto", Action: audit.ActionDelete, ENIID: "eni-bp1aaaa0009", Bulk: other}, ok)
	b := record(t, l, audit.Entry{Actor: "otto", Action: audit.ActionDelete, ENIID: "eni-bp1aaaa0002", Bulk: bulk},
		audit.Finish{Outcome: audit.OutcomeError, ErrorCode: "InvalidOperation.InvalidEniState"})
	base := startAudit(t, l)

	p := get(t, base+"/audit?bulk="+bulk)
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if got := p.auditRows(); !slices.Equal(got, []string{b, a}) {
		t.Errorf("rows %v, want the bulk's two items %v", got, []string{b, a})
	}
	chip := p.doc.Find(`[data-filter="bulk"]`)
	if got := flat(chip); !strings.Contains(got, "Bulk action "+bulk) {
		t.Errorf("chip %q, want it to name the bulk action", got)
	}
	if href := chip.Find("a").AttrOr("href", ""); href != "/audit" {
		t.Errorf("the chip's remove link goes to %q, want /audit", href)
	}
	if v := p.doc.Find(`#audit-filters input[type="hidden"][name="bulk"]`).AttrOr("value", ""); v != bulk {
		t.Errorf("the filter form carries bulk=%q, want %q", v, bulk)
	}
	if href := p.link(t, "#audit-export"); href != "/audit.csv?bulk="+bulk {
		t.Errorf("export link %q", href)
	}

	// The form's Apply sends the bulk with the other fields (empty ones
	// included, as a browser does): the view keeps it.
	form := url.Values{"actor": {"otto"}, "action": {""}, "eni": {""}, "outcome": {"error"}, "from": {""}, "to": {""},
		"size": {"50"}, "bulk": {bulk}}
	applied := get(t, base+"/audit?"+form.Encode())
	if loc := applied.header.Get("Location"); applied.status != http.StatusFound || loc != "/audit?actor=otto&bulk="+bulk+"&outcome=error" {
		t.Fatalf("Apply: %d to %q", applied.status, loc)
	}
	p = get(t, base+applied.header.Get("Location"))
	if got := p.auditRows(); !slices.Equal(got, []string{b}) {
		t.Errorf("rows %v, want %v", got, []string{b})
	}
	if href := p.doc.Find(`[data-filter="bulk"] a`).AttrOr("href", ""); href != "/audit?actor=otto&outcome=error" {
		t.Errorf("removing the bulk goes to %q, want the view without it", href)
	}

	// On the whole log, a bulk item links to its bulk; a single change does not.
	p = get(t, base+"/audit")
	if href := p.doc.Find("#audit-"+a+" a[data-bulk]").AttrOr("href", ""); href != "/audit?bulk="+bulk {
		t.Errorf("a bulk item links to %q, want /audit?bulk=%s", href, bulk)
	}
	if n := p.doc.Find("#audit-" + single + " a[data-bulk]").Length(); n != 0 {
		t.Errorf("a single change has %d bulk links", n)
	}
	if p.doc.Find(`[data-filter="bulk"]`).Length() != 0 {
		t.Error("a bulk chip on the unfiltered log")
	}

	// The export holds the bulk's items only.
	rows := readCSV(t, get(t, base+"/audit.csv?bulk="+bulk).body)
	var got []string
	for _, r := range rows {
		got = append(got, r["eni"]+" "+r["bulk"])
	}
	if want := []string{"eni-bp1aaaa0002 " + bulk, "eni-bp1aaaa0001 " + bulk}; !slices.Equal(got, want) {
		t.Errorf("export rows %v, want %v", got, want)
	}
}

// A bulk value that is no bulk action's ID is refused (400), named at
// its field, which the form then shows so it can be corrected.
func TestAuditListBadBulk(t *testing.T) {
	base := startAudit(t, audit.NewMemory())
	for _, bad := range []string{"bulk-0123", "bulk-0123456789abcdefab", "0123456789abcdef", "bulk-0123456789abcdeg",
		"' OR 1=1 --", "bulk-01234567\x0089abcdef"} {
		t.Run(bad, func(t *testing.T) {
			p := get(t, base+"/audit?bulk="+url.QueryEscape(bad))
			if p.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", p.status)
			}
			li := p.doc.Find(`[data-banner="field-errors"] li[data-field="bulk"]`)
			if got := flat(li); !strings.Contains(got, "Bulk action") || !strings.Contains(got, "is not a bulk action's ID") {
				t.Errorf("the banner says %q, want the field and why", got)
			}
			if p.doc.Find(`#audit-filters [data-field-error="bulk"]`).Length() != 1 {
				t.Error("no message at the bulk field")
			}
			if p.doc.Find(`#audit-filters input[type="hidden"][name="bulk"]`).Length() != 0 {
				t.Error("the rejected value is hidden in the form, where it cannot be corrected")
			}
		})
	}
	t.Run("export", func(t *testing.T) {
		p := get(t, base+"/audit.csv?bulk=bulk-0123")
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "bulk") {
			t.Errorf("export with a bad bulk: %d %q", p.status, p.body)
		}
	})
}
