package eni

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// View is a list URL as the inventory answers it: the cloud's filters plus
// what only a snapshot in memory can do (DESIGN §4): free-text search,
// zone, age, sort and numbered pages.
type View struct {
	Filter
	// Search is the free text of q that did not become an exact filter,
	// its words separated by single spaces; every word must match.
	Search string
	Zone   string
	// Older keeps ENIs created more than this long ago; OlderText is the
	// URL's spelling of it (7d, 36h).
	Older     time.Duration
	OlderText string
	Sort      SortKey
	Desc      bool
	Page      int // 1-based; 0 means the first
}

// SortKey names a column a view may be sorted by; empty is the cloud's
// own order.
type SortKey string

const (
	SortCreated  SortKey = "created"
	SortName     SortKey = "name"
	SortStatus   SortKey = "status"
	SortType     SortKey = "type"
	SortInstance SortKey = "instance"
	SortVSwitch  SortKey = "vswitch"
	SortZone     SortKey = "zone"
	SortIP       SortKey = "ip"
	SortID       SortKey = "id"
)

// SortKeys lists every key sort accepts.
var SortKeys = []SortKey{SortCreated, SortName, SortStatus, SortType, SortInstance, SortVSwitch, SortZone, SortIP, SortID}

// Query keys beyond the cloud's filters.
const (
	KeySearch = "q"
	KeyZone   = "zone"
	KeyOlder  = "older"
	KeySort   = "sort"
	KeyPage   = "page"
)

const (
	maxSearchLen = 256
	maxPage      = 1_000_000
	maxOlderDays = 36500
)

var (
	reOlder = regexp.MustCompile(`^([0-9]{1,7})([hd])$`)
)

var viewKeys = []string{KeySearch, KeyZone, KeyOlder, KeySort, KeyPage}

// ParseView reads a list URL's query with the keys only the inventory
// serves. Like ParseFilter, every bad value is reported with its key and
// unknown keys are errors. A q that is a pasted ID, address or key=value
// becomes that exact filter (when the view does not set it already), and
// several ENI IDs become id, so the same view has the same URL.
func ParseView(v url.Values) (View, FieldErrors) {
	rest := url.Values{}
	for k, vs := range v {
		if !slices.Contains(viewKeys, k) {
			rest[k] = vs
		}
	}
	f, errs := ParseFilter(rest)
	p := parser{v: v, errs: errs}
	vw := View{Filter: f}
	q := p.one(KeySearch)
	if n := utf8.RuneCountInString(q); n > maxSearchLen {
		p.fail(KeySearch, q, fmt.Sprintf("is %d characters long; at most %d", n, maxSearchLen))
		q = ""
	}
	vw.Zone = strings.ToLower(p.one(KeyZone))
	if vw.Zone != "" && !reZone.MatchString(vw.Zone) {
		p.fail(KeyZone, vw.Zone, "is not a zone ID (like cn-hangzhou-h)")
	}
	if s := p.one(KeyOlder); s != "" {
		d, text, msg := parseOlder(s)
		if msg != "" {
			p.fail(KeyOlder, s, msg)
		}
		vw.Older, vw.OlderText = d, text
	}
	if s := p.one(KeySort); s != "" {
		key, desc := strings.CutPrefix(strings.ToLower(s), "-")
		if !slices.Contains(SortKeys, SortKey(key)) {
			p.fail(KeySort, s, "is not a column to sort by; one of created, name, status, type, instance, vswitch, zone, ip, id, with a leading - for descending")
		} else {
			vw.Sort, vw.Desc = SortKey(key), desc
		}
	}
	if s := p.one(KeyPage); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil || n < 1:
			p.fail(KeyPage, s, "must be a whole number, 1 or more")
		case n > maxPage:
			p.fail(KeyPage, s, fmt.Sprintf("is past the last page there can be (%d)", maxPage))
		case len(f.Trail) > 0:
			p.fail(KeyPage, s, "cannot be given with token (a position in the cloud's own paging); keep one of them")
		default:
			vw.Page = n
		}
	}
	if q != "" {
		vw = vw.withSearch(q)
	}
	return vw, p.errs
}

// parseOlder reads a whole number of hours or days: 36h, 7d.
func parseOlder(s string) (time.Duration, string, string) {
	m := reOlder.FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return 0, "", "must be a whole number of hours or days, like 24h or 7d"
	}
	n, _ := strconv.Atoi(m[1])
	unit, hours := time.Hour, n
	if m[2] == "d" {
		unit, hours = 24*time.Hour, 24*n
	}
	switch {
	case n < 1:
		return 0, "", "must be at least 1h"
	case hours > maxOlderDays*24:
		return 0, "", fmt.Sprintf("is more than %d days", maxOlderDays)
	}
	return time.Duration(n) * unit, strconv.Itoa(n) + m[2], ""
}

// withSearch moves what q exactly names into its filter and keeps the rest
// as free text.
func (vw View) withSearch(q string) View {
	words := strings.FieldsFunc(q, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	if len(words) > 1 && len(words) <= MaxListItems && len(vw.IDs) == 0 {
		ids := make([]string, 0, len(words))
		for _, w := range words {
			if lw := strings.ToLower(w); reID[KeyID].MatchString(lw) {
				ids = append(ids, lw)
			}
		}
		if len(ids) == len(words) {
			slices.Sort(ids)
			vw.IDs = slices.Compact(ids)
			return vw
		}
	}
	if len(words) == 1 {
		if g, ok := vw.exact(words[0]); ok {
			return g
		}
	}
	vw.Search = strings.Join(strings.Fields(q), " ")
	return vw
}

// exact applies a single search term that names one filter's value, if
// that filter is free.
func (vw View) exact(term string) (View, bool) {
	key, value := ClassifySearch(term)
	f := &vw.Filter
	set := func(field *string) bool {
		if *field != "" {
			return false
		}
		*field = value
		return true
	}
	switch key {
	case KeyID:
		if len(f.IDs) > 0 {
			return vw, false
		}
		f.IDs = []string{value}
		return vw, true
	case KeyInstance:
		return vw, set(&f.InstanceID)
	case KeyVPC:
		return vw, set(&f.VpcID)
	case KeyVSwitch:
		return vw, set(&f.VSwitchID)
	case KeySG:
		return vw, set(&f.SecurityGroupID)
	case KeyRG:
		return vw, set(&f.ResourceGroupID)
	case KeyIP:
		if len(f.IPs) > 0 {
			return vw, false
		}
		f.IPs = []string{value}
		return vw, true
	case KeyIPv6:
		if len(f.IPv6) > 0 {
			return vw, false
		}
		f.IPv6 = []string{value}
		return vw, true
	case KeyTag:
		t, msg := ParseTag(value)
		if msg != "" || t.Value == "" || len(f.Tags) >= MaxTags ||
			slices.ContainsFunc(f.Tags, func(o Tag) bool { return o.Key == t.Key }) {
			return vw, false
		}
		f.Tags = append(slices.Clip(f.Tags), t)
		slices.SortFunc(f.Tags, func(a, b Tag) int { return strings.Compare(a.Key, b.Key) })
		return vw, true
	}
	return vw, false
}

// SearchWords are the lower-cased words of the free text, each of which
// must match.
func (vw View) SearchWords() []string {
	return strings.Fields(strings.ToLower(vw.Search))
}

// PageNumber is the 1-based page of the view.
func (vw View) PageNumber() int { return max(vw.Page, 1) }

// SortParam is the sort key as the URL writes it ("" for the cloud's
// order).
func (vw View) SortParam() string {
	if vw.Sort == "" {
		return ""
	}
	if vw.Desc {
		return "-" + string(vw.Sort)
	}
	return string(vw.Sort)
}

// Values encodes the view canonically: the filter's keys, then the
// inventory's, leaving out empty ones and page 1.
func (vw View) Values() url.Values {
	v := vw.Filter.Values()
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set(KeySearch, vw.Search)
	set(KeyZone, vw.Zone)
	set(KeyOlder, vw.OlderText)
	set(KeySort, vw.SortParam())
	if vw.Page > 1 {
		v.Set(KeyPage, strconv.Itoa(vw.Page))
	}
	return v
}

// Query is the canonical query string of the view, keys in a fixed order.
func (vw View) Query() string {
	v := vw.Values()
	var b strings.Builder
	for _, k := range viewKeyOrder {
		for _, s := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(QueryEscape(s))
		}
	}
	return b.String()
}

var viewKeyOrder = []string{KeyRegion, KeySearch, KeyVPC, KeyVSwitch, KeySG, KeyInstance, KeyType, KeyStatus,
	KeyName, KeyID, KeyIP, KeyPrimaryIP, KeyIPv6, KeyTag, KeyRG, KeyManaged, KeyZone, KeyOlder,
	KeySort, KeySize, KeyPage, KeyToken}
