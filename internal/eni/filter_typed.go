package eni

import (
	"slices"
	"strconv"
	"strings"
)

// TypedQuery writes the query of a view the parser refused as the person
// typed it, for the address bar: the keys in the canonical order (after
// the region, the keys in first, e.g. the search box), the keys a filter
// does not know last and sorted, without empty values or the default page
// size (a form sends every field), each value escaped as in canonical
// URLs.
func TypedQuery(raw map[string][]string, first ...string) string {
	order := append([]string{KeyRegion}, first...)
	for _, k := range keyOrder {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	var unknown []string
	for k := range raw {
		if !slices.Contains(order, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	var b strings.Builder
	for _, k := range append(order, unknown...) {
		for _, v := range raw[k] {
			if strings.TrimSpace(v) == "" || (k == KeySize && v == strconv.Itoa(DefaultSize)) {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(QueryEscape(v))
		}
	}
	return b.String()
}
