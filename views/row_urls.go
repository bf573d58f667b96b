package views

import (
	"net/url"
	"strings"
)

// A row's action and modify links differ only in the action: their query
// (the region, and the page to come back to) is encoded once per row
// rather than once per link. Each equals ActionURL's or ModifyURL's.

// actionQuery is the query of ActionURL(_, region, _, back).
func actionQuery(region, back string) string {
	q := url.Values{"region": {region}}
	if back != "" {
		q.Set("back", back)
	}
	return q.Encode()
}

// rowLink is the link to id's page path (an action or a form) with the
// query q already encoded.
func rowLink(id, path, q string) string {
	var b strings.Builder
	eid := url.PathEscape(id)
	b.Grow(len("/enis/") + len(eid) + 1 + len(path) + 1 + len(q))
	b.WriteString("/enis/")
	b.WriteString(eid)
	b.WriteByte('/')
	b.WriteString(path)
	b.WriteByte('?')
	b.WriteString(q)
	return b.String()
}
