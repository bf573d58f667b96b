package database

import (
	"net/url"
	"regexp"
	"strings"
)

// hidden stands in for a password, as in net/url's Redacted.
const hidden = "xxxxx"

// kvPassword is a password=… pair of a key=value DSN (libpq's form, the
// value maybe quoted) or of a query string. It takes everything up to the
// next space, so a password holding '&' is hidden whole.
var kvPassword = regexp.MustCompile(`(?i)\b(password)\s*=\s*('(?:[^'\\]|\\.)*'?|\S*)`)

// Redact renders a database location for logs, errors and pages: a file
// path as it is, a URL or key=value DSN with its password replaced by
// xxxxx. A location too malformed to parse loses more rather than less.
func Redact(loc string) string {
	if i := strings.Index(loc, "://"); i > 0 && !strings.ContainsAny(loc[:i], " =") {
		return redactURL(loc, i)
	}
	return kvPassword.ReplaceAllString(loc, "${1}="+hidden)
}

// redactURL hides the userinfo password and any password in the query of
// the URL loc, whose scheme ends at i.
func redactURL(loc string, i int) string {
	u, err := url.Parse(loc)
	if err != nil {
		// Everything between the user name and the last '@' may be the
		// password.
		head, rest := loc[:i+3], loc[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if c := strings.Index(rest[:at], ":"); c >= 0 {
				rest = rest[:c+1] + hidden + rest[at:]
			}
		}
		return kvPassword.ReplaceAllString(head+rest, "${1}="+hidden)
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), hidden)
	}
	if q := u.Query(); len(q) > 0 {
		changed := false
		for k := range q {
			if strings.EqualFold(k, "password") {
				q[k], changed = []string{hidden}, true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}
