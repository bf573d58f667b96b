// Package handlers holds one file per page or action: each parses its
// input, asks the domain, and renders a view.
package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/eni"
	"enidash/internal/inventory"
	"enidash/internal/live"
	"enidash/internal/lookup"
	"enidash/views"
)

// Deps is what the handlers need from the rest of the program.
type Deps struct {
	Cloud         eni.Cloud
	Lookups       *lookup.Cache
	DefaultRegion string
	// CallTimeout bounds the cloud calls behind one page.
	CallTimeout time.Duration
	Logger      *slog.Logger
	Now         func() time.Time
	// Audit records every change.
	Audit audit.Log
	// Sessions holds the flash messages that survive a redirect.
	Sessions sessions.Store
	// Auth signs people in and knows their roles.
	Auth *auth.Service
	// Live keeps pages up to date; nil turns live updates off.
	Live *live.Hub
	// Inventory holds each watched region's snapshot (the source of Live);
	// nil: none.
	Inventory *inventory.Manager
	// Heartbeat is the interval of keep-alive comments on live streams.
	Heartbeat time.Duration
	// Streams caps the open live streams.
	Streams StreamCaps
	// Metrics serves /metrics; nil leaves the route out.
	Metrics http.Handler
	// Storage says whether the database can be written, for /healthz;
	// nil: not watched.
	Storage StorageChecker
	// BulkMax caps the ENIs one bulk action may change (DefaultBulkMax
	// when unset).
	BulkMax int
}

// Handler serves the pages; its methods are the routes' handlers.
type Handler struct {
	Deps
	slots *streamSlots
	// grants checks that a live stream's session still holds.
	grants *auth.GrantChecker
	// refreshes limits "Refresh now" per person.
	refreshes *refreshGate
	// bulks are the bulk actions running or recently done, for progress.
	bulks *bulkRuns
	// misses are ENI IDs the cloud recently did not know.
	misses idMisses
}

// New returns the handlers over deps, with defaults for the tunables that
// are unset. Cloud, Lookups, Audit, Sessions and Auth are required: a
// missing one is an error naming it, never a stand-in.
func New(d Deps) (*Handler, error) {
	var missing []string
	for _, m := range []struct {
		absent bool
		name   string
	}{{d.Cloud == nil, "Cloud"}, {d.Lookups == nil, "Lookups"}, {d.Audit == nil, "Audit"},
		{d.Sessions == nil, "Sessions"}, {d.Auth == nil, "Auth"}} {
		if m.absent {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("handlers: missing dependencies: %s", strings.Join(missing, ", "))
	}
	if d.CallTimeout == 0 {
		d.CallTimeout = 20 * time.Second
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Heartbeat <= 0 {
		d.Heartbeat = 15 * time.Second
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.BulkMax <= 0 {
		d.BulkMax = DefaultBulkMax
	}
	h := &Handler{Deps: d, slots: newStreamSlots(d.Streams), bulks: newBulkRuns(), refreshes: newRefreshGate(RefreshEvery)}
	// Streams check at each heartbeat and event; one reading of a user
	// serves all of their streams for a moment.
	h.grants = d.Auth.GrantChecker(min(d.Heartbeat/2, time.Second))
	return h, nil
}

// chrome builds the frame of a full page: who is signed in, what they may
// do, the CSRF token and the flash messages kept for this page. Without
// the region list the page still renders; the switcher then offers only
// the current region.
func (h *Handler) chrome(c echo.Context, title, region string) views.Chrome {
	ctx := c.Request().Context()
	regions, err := h.Lookups.Regions(ctx)
	if err != nil {
		h.Logger.WarnContext(ctx, "region list unavailable", "err", err)
		regions = []eni.Region{{ID: region, Name: region}}
	}
	id := identity(ctx)
	ch := views.Chrome{Title: title, Region: region, Regions: regions, Nav: "enis", CSRF: csrfToken(ctx),
		CanAct: id.Role.Allows(auth.RoleOperator), IsAdmin: id.Role.Allows(auth.RoleAdmin)}
	if id.Method != "none" {
		ch.User = id.Username
	}
	if c.Request().Method == http.MethodGet {
		ch.Flashes = h.takeFlashes(c)
	}
	if h.Storage != nil {
		if err := h.Storage.Err(); err != nil {
			ch.StorageDown = err.Error()
		}
	}
	return ch
}

// regionError reports a region the cloud does not list, naming the real
// ones. When the list itself is unavailable, the cloud gets to judge.
func regionError(ctx context.Context, lk *lookup.Cache, region string) eni.FieldErrors {
	regions, err := lk.Regions(ctx)
	if err != nil || len(regions) == 0 {
		return nil
	}
	if slices.ContainsFunc(regions, func(r eni.Region) bool { return r.ID == region }) {
		return nil
	}
	ids := make([]string, len(regions))
	for i, r := range regions {
		ids[i] = r.ID
	}
	return eni.FieldErrors{{Field: eni.KeyRegion, Value: region,
		Message: "is not a region of this account; choose one of " + joinMax(ids, 8)}}
}

// joinMax lists at most n values, with an ellipsis for the rest.
func joinMax(s []string, n int) string {
	if len(s) > n {
		return strings.Join(s[:n], ", ") + ", …"
	}
	return strings.Join(s, ", ")
}
