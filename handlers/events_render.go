package handlers

import (
	"bytes"
	"context"
	"time"

	"github.com/a-h/templ"

	"enidash/internal/eni"
	"enidash/internal/live"
	"enidash/views"
)

// eventVariant is what a live event's HTML depends on besides the event:
// the page kind, whether the viewer may act, and the view. Subscribers of
// one view share all but the role, so each event is rendered at most
// twice per page kind.
type eventVariant struct {
	detail bool
	canAct bool
	filter eni.Filter
	// view is the whole view (search, sort, page), which rows come back
	// to after an action and a reset reloads.
	view eni.View
}

func (v eventVariant) key() string {
	k := "list"
	if v.detail {
		k = "detail"
	}
	if v.canAct {
		return k + "/act"
	}
	return k + "/view"
}

// renderEvent renders ev as the out-of-band swaps the page applies.
func (h *Handler) renderEvent(ev *live.Event, v eventVariant) ([]byte, error) {
	region := v.filter.Region
	var stuck map[string]time.Duration
	if ev.Stuck > 0 {
		stuck = map[string]time.Duration{ev.ENI.ID: ev.Stuck}
	}
	// Names as the look-ups hold them now: a live row never waits on the cloud.
	rc := views.RowContext{Region: region, Now: ev.At, CanAct: v.canAct, Back: views.ViewURL(v.view), Stuck: stuck,
		Names: h.Lookups.CachedNames(region).Of}
	var c templ.Component
	switch {
	case ev.Kind == live.Counts:
		// Nothing to swap: the page asks for its counts itself.
		c = templ.Raw(`<template data-live-counts></template>`)
	case ev.Kind == live.Status:
		c = views.LiveStatus(ev.Health.Degraded, ev.Health.Message)
	case ev.Kind == live.Reset && v.detail:
		c = views.LiveReset(views.DetailURL(region, v.filter.IDs[0]), "")
	case ev.Kind == live.Reset:
		c = views.LiveReset(views.ViewURL(v.view), "#results")
	case ev.Kind == live.Gone && v.detail:
		c = views.DetailGoneOOB(ev.GoneID, region, ev.Reason)
	case ev.Kind == live.Gone:
		c = views.LiveGone(ev.GoneID, ev.Reason, rc)
	case v.detail:
		body := views.DetailBody(views.DetailPage{Chrome: views.Chrome{Region: region, CanAct: v.canAct},
			ENI: ev.ENI, Now: ev.At, Stuck: ev.Stuck}, true)
		// A change made through enidash is in its history by now.
		hist, err := h.eniHistory(context.Background(), ev.ENI.ID)
		if err != nil {
			h.Logger.Warn("ENI history unavailable", "eni", ev.ENI.ID, "err", err)
			c = body
			break
		}
		c = templ.Join(body, views.ENIHistory(hist, true))
	case ev.Kind == live.Added:
		c = views.LiveAdded(ev.ENI, ev.After, rc)
	default:
		c = views.LiveRow(ev.ENI, rc)
	}
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// liveListURL is the stream of a list view, from the cursor its page was
// rendered at.
func liveListURL(f eni.Filter, cursor string) string {
	q := f.Query()
	if q != "" {
		q += "&"
	}
	return "/events?" + q + keyAfter + "=" + eni.QueryEscape(cursor)
}

// liveDetailURL is the stream of an ENI's page.
func liveDetailURL(region, id, cursor string) string {
	return "/events?" + eni.KeyRegion + "=" + eni.QueryEscape(region) + "&" + keyDetailENI + "=" + eni.QueryEscape(id) +
		"&" + keyAfter + "=" + eni.QueryEscape(cursor)
}

// liveNow stamps a listing for Observe, taken just before the cloud call.
func (h *Handler) liveNow() time.Time {
	if h.Live == nil {
		return time.Time{}
	}
	return h.Live.Now()
}
