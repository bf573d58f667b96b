package eni

import (
	"net/netip"
	"strings"
)

// ApplySearch turns what a person pasted into the search box into the
// filter it means: an ID goes to its own filter, an address to the IP
// filters, key=value to a tag, anything else to the name. The result is on
// its first page. A value the matching filter rejects is reported on "q".
func (f Filter) ApplySearch(q string) (Filter, FieldErrors) {
	q = strings.TrimSpace(q)
	if q == "" {
		return f, nil
	}
	f = f.FirstPage()
	key, value := ClassifySearch(q)
	v := f.Values()
	switch key {
	case KeyID, KeyIP, KeyIPv6:
		if old := v.Get(key); old != "" {
			value = old + "," + value
		}
		v.Set(key, value)
	case KeyTag:
		v.Add(KeyTag, value)
	default:
		v.Set(key, value)
	}
	g, errs := ParseFilter(v)
	for i := range errs {
		errs[i].Field = "q"
	}
	if len(errs) > 0 {
		return f, errs
	}
	return g, nil
}

// ClassifySearch says which filter a search term belongs to, and the value
// to give it.
func ClassifySearch(q string) (key, value string) {
	lq := strings.ToLower(q)
	for _, k := range []string{KeyID, KeyInstance, KeyVPC, KeyVSwitch, KeySG, KeyRG} {
		if reID[k].MatchString(lq) {
			return k, lq
		}
	}
	if a, err := netip.ParseAddr(q); err == nil {
		if a.Is4() {
			return KeyIP, a.String()
		}
		return KeyIPv6, a.String()
	}
	if strings.Contains(q, "=") {
		return KeyTag, q
	}
	return KeyName, q
}
