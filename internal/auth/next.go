package auth

import (
	"net/url"
	"strings"
)

// LoginPath is the sign-in page.
const LoginPath = "/login"

// SafeNext returns next when it is a path on this site, else "/". It is
// where sign-in sends the browser back to, so it must never leave the
// site: no scheme, no host, no "//" or "/\" (which browsers read as
// another host), no control characters.
func SafeNext(next string) string {
	if next == "" || next[0] != '/' || len(next) > 2048 {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	if strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	if u.Path == LoginPath {
		return "/" // never back to the sign-in page itself
	}
	return next
}

// LoginURL is the sign-in page that returns to next afterwards.
func LoginURL(next string) string {
	next = SafeNext(next)
	if next == "/" {
		return LoginPath
	}
	return LoginPath + "?next=" + url.QueryEscape(next)
}
