package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/sessions"

	"enidash/internal/audit"
)

// Defaults of Config.
const (
	DefaultIdleTimeout = 12 * time.Hour
	DefaultMaxAge      = 7 * 24 * time.Hour
	// Sign-in failures allowed per account and per address in FailWindow.
	DefaultAccountFailures = 5
	DefaultAddressFailures = 20
	DefaultFailWindow      = 15 * time.Minute
)

// Config is how sign-in behaves. Zero values take the defaults above.
type Config struct {
	// SessionKeys are the cookie keys' material (ParseSessionKeys); none:
	// a generated key kept in the database.
	SessionKeys [][]byte
	// IdleTimeout ends a session unused this long; MaxAge ends any session
	// this long after sign-in.
	IdleTimeout time.Duration
	MaxAge      time.Duration
	// Proxies are trusted for X-Forwarded-For/-Proto and ProxyHeader.
	Proxies Proxies
	// ProxyHeader, when set, names the header in which a trusted SSO proxy
	// names the signed-in user (e.g. X-Forwarded-Email). Such users have
	// the role of their local account if there is one, else ProxyRole.
	ProxyHeader string
	ProxyRole   Role // default viewer

	AccountFailures, AddressFailures int
	FailWindow                       time.Duration
	// Attempts keeps the attempts those limits count; nil: in this
	// process's memory. Replicas share NewPostgresAttempts, so that more
	// replicas do not mean more guesses.
	Attempts Attempts
	// OnRateLimited, when set, counts each sign-in refused by those limits
	// (a metric): such refusals are not written to the audit log one by one.
	OnRateLimited func()

	Audit  audit.Log // where sign-ins and user changes are recorded
	Logger *slog.Logger
	Now    func() time.Time
}

// Service is sign-in: it knows who a request comes from, signs people in
// and out, and changes accounts, recording each in the audit log.
type Service struct {
	store     *Store
	cfg       Config
	cookies   *cookieStore
	byAccount limit
	byAddress limit
	log       *slog.Logger
}

// New returns the sign-in service over a store.
func New(ctx context.Context, store *Store, cfg Config) (*Service, error) {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultMaxAge
	}
	if cfg.ProxyRole == RoleNone {
		cfg.ProxyRole = RoleViewer
	}
	if cfg.AccountFailures <= 0 {
		cfg.AccountFailures = DefaultAccountFailures
	}
	if cfg.AddressFailures <= 0 {
		cfg.AddressFailures = DefaultAddressFailures
	}
	if cfg.FailWindow <= 0 {
		cfg.FailWindow = DefaultFailWindow
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Attempts == nil {
		cfg.Attempts = NewMemoryAttempts()
	}
	if cfg.Audit == nil {
		return nil, errors.New("auth: an audit log is required")
	}
	pairs, err := store.sessionKeyPairs(ctx, cfg.SessionKeys)
	if err != nil {
		return nil, err
	}
	return &Service{
		store:     store,
		cfg:       cfg,
		cookies:   newCookieStore(pairs, cfg.MaxAge, cfg.Proxies),
		byAccount: limit{Limit{"account", cfg.AccountFailures, cfg.FailWindow}, cfg.Attempts, cfg.Logger},
		byAddress: limit{Limit{"address", cfg.AddressFailures, cfg.FailWindow}, cfg.Attempts, cfg.Logger},
		log:       cfg.Logger,
	}, nil
}

// Store returns the user store.
func (s *Service) Store() *Store { return s.store }

// Sessions is a cookie store with the session keys and cookie flags, for
// other short-lived cookies such as flash messages (handlers.Deps.Sessions).
func (s *Service) Sessions() sessions.Store { return s.cookies }

// ClientAddr is the request's source address after the trusted-proxy check.
func (s *Service) ClientAddr(r *http.Request) string { return s.cfg.Proxies.ClientAddr(r) }

// Secure reports whether the browser reached us over HTTPS (TLS here, or
// a trusted proxy saying so): cookies set for r get the Secure flag.
func (s *Service) Secure(r *http.Request) bool { return s.cfg.Proxies.Secure(r) }

// Status is what Identify found.
type Status int

const (
	Anonymous     Status = iota // no session
	Authenticated               // a valid session or trusted proxy header
	Ended                       // a session was presented but has ended
)

// Identify says who sent r. A trusted proxy's user header wins over a
// session cookie. A session in use gets its idle clock moved on (a
// Set-Cookie on w); one that has ended is cleared. Only storage failures
// are errors.
func (s *Service) Identify(w http.ResponseWriter, r *http.Request) (Identity, Status, error) {
	if id, ok, err := s.proxyIdentity(r); err != nil || ok {
		if ok {
			return id, Authenticated, nil
		}
		return Identity{}, Anonymous, err
	}
	c, present, valid := s.cookies.readSession(r)
	if !present {
		return Identity{}, Anonymous, nil
	}
	ctx := r.Context()
	end := func(why string) (Identity, Status, error) {
		s.log.InfoContext(ctx, "session ended", "user", c.user, "why", why, "addr", s.ClientAddr(r))
		return Identity{}, Ended, s.cookies.clearSession(w, r)
	}
	if !valid {
		return end("cookie not valid")
	}
	now := s.cfg.Now()
	switch {
	case now.Sub(c.created) >= s.cfg.MaxAge:
		return end("maximum age reached")
	case now.Sub(c.seen) >= s.cfg.IdleTimeout:
		return end("idle timeout")
	}
	// While the database cannot be read, a reading of the user younger
	// than StaleGrace stands in (Store.recall).
	u, _, err := s.store.recall(ctx, c.user)
	switch {
	case errors.Is(err, ErrNotFound):
		return end("user no longer exists")
	case err != nil:
		// Fail closed: the session may have ended meanwhile. The cookie is
		// kept, for when the user can be read again.
		s.log.WarnContext(ctx, "session refused: its user could not be read", "user", c.user, "err", err)
		return Identity{}, Anonymous, nil
	case u.Disabled:
		return end("account disabled")
	case u.Generation != c.gen:
		return end("signed out elsewhere, password or role changed")
	}
	if now.Sub(c.seen) >= touchEvery {
		c.seen = now
		if err := s.cookies.writeSession(w, r, c, s.cfg.MaxAge, now); err != nil {
			return Identity{}, Anonymous, fmt.Errorf("auth: refreshing session: %w", err)
		}
	}
	return Identity{Username: u.Username, Role: u.Role, Method: MethodPassword}, Authenticated, nil
}

// Authentication methods, as Identity.Method and the audit log spell them.
const (
	MethodPassword = "password"
	MethodProxy    = "proxy"
)

// proxyIdentity reads the SSO header. From an untrusted peer it is
// ignored, with a log line: it may be someone trying to be someone else.
func (s *Service) proxyIdentity(r *http.Request) (Identity, bool, error) {
	if s.cfg.ProxyHeader == "" {
		return Identity{}, false, nil
	}
	raw := r.Header.Get(s.cfg.ProxyHeader)
	if raw == "" {
		return Identity{}, false, nil
	}
	ctx := r.Context()
	if !s.cfg.Proxies.trustedPeer(r) {
		s.log.WarnContext(ctx, "ignoring the sign-in header from an address that is not a trusted proxy",
			"header", s.cfg.ProxyHeader, "peer", peer(r).String())
		return Identity{}, false, nil
	}
	name := NormalizeUsername(raw)
	if ValidateUsername(name) != nil {
		s.log.WarnContext(ctx, "ignoring a sign-in header whose user name is not valid", "header", s.cfg.ProxyHeader, "peer", peer(r).String())
		return Identity{}, false, nil
	}
	role := s.cfg.ProxyRole
	u, _, err := s.store.recall(ctx, name)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return Identity{}, false, err
	case u.Disabled:
		s.log.WarnContext(ctx, "refusing the proxy's user: the local account is disabled", "user", name)
		return Identity{}, false, nil
	default:
		role = u.Role
	}
	return Identity{Username: name, Role: role, Method: MethodProxy}, true, nil
}
