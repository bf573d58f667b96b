package auth

import (
	"crypto/rand"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// SessionCookie is the name of the sign-in cookie.
const SessionCookie = "enidash_session"

// Values kept in the session cookie (encrypted and signed). Timestamps are
// Unix seconds; the server, not the cookie's expiry, decides when it ends.
const (
	keyUser    = "u"
	keyGen     = "g"
	keyCreated = "c"
	keySeen    = "s"
	keyNonce   = "n"
)

// touchEvery limits how often activity rewrites the cookie: the idle
// clock is exact to this much, and most requests send no Set-Cookie.
const touchEvery = time.Minute

// cookieStore wraps gorilla's CookieStore so every cookie it writes has
// the flags of its request: HttpOnly, SameSite=Lax, Path=/, and Secure
// when the browser came over HTTPS. It is also the store of the flash
// messages, so those get the same flags and keys.
type cookieStore struct {
	inner   *sessions.CookieStore
	proxies Proxies
}

var _ sessions.Store = (*cookieStore)(nil)

func newCookieStore(pairs [][]byte, maxAge time.Duration, proxies Proxies) *cookieStore {
	inner := sessions.NewCookieStore(pairs...)
	inner.Options = &sessions.Options{Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
	inner.MaxAge(int(maxAge / time.Second))
	return &cookieStore{inner: inner, proxies: proxies}
}

func (s *cookieStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New decodes the named cookie. One that fails to verify (stale, or
// signed by a retired key) gives a new empty session and no error: for a
// flash message the right answer is to start afresh.
func (s *cookieStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	opts := *s.inner.Options
	sess.Options = &opts
	sess.IsNew = true
	if c, err := r.Cookie(name); err == nil {
		if securecookie.DecodeMulti(name, c.Value, &sess.Values, s.inner.Codecs...) == nil {
			sess.IsNew = false
		} else {
			sess.Values = map[any]any{}
		}
	}
	return sess, nil
}

func (s *cookieStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	sess.Options.Path = "/"
	sess.Options.HttpOnly = true
	sess.Options.SameSite = http.SameSiteLaxMode
	sess.Options.Secure = s.proxies.Secure(r)
	return s.inner.Save(r, w, sess)
}

// claims are what a session cookie says.
type claims struct {
	user    string
	gen     int64
	created time.Time
	seen    time.Time
	// nonce names the session: drawn at sign-in, kept while it lasts.
	nonce string
}

// readSession decodes the session cookie. ok is false without one, or
// when it fails to verify (forged, or signed by a key no longer held).
func (s *cookieStore) readSession(r *http.Request) (c claims, present, ok bool) {
	if _, err := r.Cookie(SessionCookie); err != nil {
		return claims{}, false, false
	}
	sess, _ := s.New(r, SessionCookie)
	if sess.IsNew {
		return claims{}, true, false
	}
	user, ok1 := sess.Values[keyUser].(string)
	gen, ok2 := sess.Values[keyGen].(int64)
	created, ok3 := sess.Values[keyCreated].(int64)
	seen, ok4 := sess.Values[keySeen].(int64)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return claims{}, true, false
	}
	nonce, _ := sess.Values[keyNonce].(string)
	return claims{user: user, gen: gen, created: time.Unix(created, 0), seen: time.Unix(seen, 0), nonce: nonce}, true, true
}

// writeSession sets a session cookie holding c, expiring in the browser
// when the session's absolute lifetime ends. A fresh random nonce makes
// every new session's cookie unlike any earlier one; a session refreshed
// keeps its own.
func (s *cookieStore) writeSession(w http.ResponseWriter, r *http.Request, c claims, maxAge time.Duration, now time.Time) error {
	sess := sessions.NewSession(s, SessionCookie)
	opts := *s.inner.Options
	sess.Options = &opts
	left := c.created.Add(maxAge).Sub(now)
	sess.Options.MaxAge = max(int(left/time.Second), 1)
	sess.Values[keyUser] = c.user
	sess.Values[keyGen] = c.gen
	sess.Values[keyCreated] = c.created.Unix()
	sess.Values[keySeen] = c.seen.Unix()
	if c.nonce == "" {
		c.nonce = rand.Text()
	}
	sess.Values[keyNonce] = c.nonce
	return s.Save(r, w, sess)
}

// clearSession tells the browser to forget its session cookie.
func (s *cookieStore) clearSession(w http.ResponseWriter, r *http.Request) error {
	sess := sessions.NewSession(s, SessionCookie)
	opts := *s.inner.Options
	sess.Options = &opts
	sess.Options.MaxAge = -1
	return s.Save(r, w, sess)
}
