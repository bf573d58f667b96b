package auth

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Grant is what a request was let in on: whose session, of which
// generation, since when, with which role. A response that outlives its
// request (a live stream) checks now and then that it still holds.
type Grant struct {
	Username string
	Role     Role
	Method   string
	gen      int64
	created  time.Time
	seen     time.Time
	nonce    string
}

// Key names the session, not the browser's address: the user, the
// session's generation and the nonce drawn when it began. Proxy-named
// users have no session of ours; their key is the user.
func (g Grant) Key() string {
	if g.Method != MethodPassword {
		return g.Method + "/" + g.Username
	}
	return g.Username + "/" + strconv.FormatInt(g.gen, 10) + "/" + g.nonce
}

// GrantOf is the grant of a request Identify let in; ok is false when it
// carries no identity.
func (s *Service) GrantOf(r *http.Request) (Grant, bool) {
	id, ok := FromContext(r.Context())
	if !ok {
		return Grant{}, false
	}
	g := Grant{Username: id.Username, Role: id.Role, Method: id.Method}
	if id.Method != MethodPassword {
		return g, true
	}
	c, _, valid := s.cookies.readSession(r)
	if !valid || c.user != id.Username {
		return Grant{}, false
	}
	// This request is a use of the session, as Identify counted it.
	g.gen, g.created, g.seen, g.nonce = c.gen, c.created, c.seen, c.nonce
	if now := s.cfg.Now(); now.Sub(c.seen) >= touchEvery {
		g.seen = now
	}
	return g, true
}

// Revoked says why a grant no longer holds. Idle is set when the grant's
// own use is too old: the browser may have used the session since, so it
// should ask again rather than be told it is signed out.
type Revoked struct {
	Why  string
	Idle bool
}

func (e *Revoked) Error() string { return "session ended: " + e.Why }

// CheckGrant reads the user once and says whether g still holds: nil,
// a *Revoked, or a storage error (the caller should treat it as ended).
// While the database cannot be read, a reading of the user younger than
// StaleGrace stands in (Store.recall).
func (s *Service) CheckGrant(ctx context.Context, g Grant) error {
	u, _, err := s.store.recall(ctx, g.Username)
	return s.judge(g, u, err)
}

// judge decides on g from a reading of its user, as Identify would.
func (s *Service) judge(g Grant, u User, err error) error {
	proxyUnknown := g.Method == MethodProxy && errors.Is(err, ErrNotFound)
	switch {
	case proxyUnknown:
		u = User{Username: g.Username, Role: s.cfg.ProxyRole}
	case errors.Is(err, ErrNotFound):
		return &Revoked{Why: "user no longer exists"}
	case err != nil:
		return err
	}
	now := s.cfg.Now()
	switch {
	case u.Disabled:
		return &Revoked{Why: "account disabled"}
	case u.Role != g.Role:
		return &Revoked{Why: "role changed"}
	case g.Method != MethodPassword:
		return nil
	case u.Generation != g.gen:
		return &Revoked{Why: "signed out elsewhere or password changed"}
	case now.Sub(g.created) >= s.cfg.MaxAge:
		return &Revoked{Why: "maximum age reached"}
	case now.Sub(g.seen) >= s.cfg.IdleTimeout:
		return &Revoked{Why: "idle timeout", Idle: true}
	}
	return nil
}

// GrantChecker checks many grants cheaply: each user is read at most once
// per fresh, however many of their streams ask at once.
type GrantChecker struct {
	s     *Service
	fresh time.Duration
	group singleflight.Group

	mu    sync.Mutex
	users map[string]reading
}

type reading struct {
	u   User
	err error
	at  time.Time
}

// GrantChecker returns a checker that trusts a reading of a user for
// fresh; keep fresh well under the interval the grants are checked at.
func (s *Service) GrantChecker(fresh time.Duration) *GrantChecker {
	return &GrantChecker{s: s, fresh: fresh, users: map[string]reading{}}
}

// Check is CheckGrant through the checker's readings.
func (c *GrantChecker) Check(ctx context.Context, g Grant) error {
	r, err := c.read(ctx, g.Username)
	if err != nil {
		return err
	}
	return c.s.judge(g, r.u, r.err)
}

func (c *GrantChecker) read(ctx context.Context, name string) (reading, error) {
	now := time.Now()
	c.mu.Lock()
	r, ok := c.users[name]
	c.mu.Unlock()
	if ok && now.Sub(r.at) < c.fresh {
		return r, nil
	}
	// One reading serves every stream asking at once; one of them going
	// away does not cancel it for the others.
	ctx = context.WithoutCancel(ctx)
	v, err, _ := c.group.Do(name, func() (any, error) {
		u, remembered, err := c.s.store.recall(ctx, name)
		if err != nil && !errors.Is(err, ErrNotFound) {
			// Storage failing for longer than StaleGrace: not remembered,
			// and the grant fails closed.
			return reading{}, err
		}
		r := reading{u: u, err: err, at: time.Now()}
		if remembered {
			return r, nil // not kept: the next check tries the database again
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		for k, old := range c.users {
			if r.at.Sub(old.at) >= c.fresh {
				delete(c.users, k) // forget users nobody asked about lately
			}
		}
		c.users[name] = r
		return r, nil
	})
	if err != nil {
		return reading{}, err
	}
	return v.(reading), nil
}
