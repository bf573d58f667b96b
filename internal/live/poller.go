package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	"enidash/internal/eni"
)

// PausedMessage is what the watchers of a view beyond the cap on pollers
// are told.
const PausedMessage = "Live updates are paused for this view: too many distinct views are being watched; reload to try again."

// startLocked runs v's poller if it is not running. A view the page that
// subscribes has just listed is not listed again at once; one resumed
// after a while (a tab shown again) is. Beyond MaxPollers the view is
// paused instead: no poller, so no cloud call, and a banner for its
// watchers; the next subscriber tries again.
func (h *Hub) startLocked(v *view) {
	if v.running || h.closed {
		return
	}
	if h.running >= h.cfg.MaxPollers {
		h.cfg.Metrics.Refused.Inc()
		h.pauseLocked(v, true)
		h.setHealthLocked(v, Health{Degraded: true, Message: PausedMessage})
		return
	}
	h.pauseLocked(v, false)
	if v.health.Message == PausedMessage {
		h.setHealthLocked(v, Health{})
	}
	v.running = true
	h.running++
	h.cfg.Metrics.Pollers.Inc()
	now := h.clock.Now()
	if !v.listed.IsZero() && now.Sub(v.listed) < h.cfg.Fast {
		v.due = h.nextLocked(v, now)
	} else {
		v.due, v.relist = now, true
	}
	h.wg.Add(1)
	go h.run(v)
}

// pauseLocked marks v paused or not, keeping the gauge.
func (h *Hub) pauseLocked(v *view, paused bool) {
	if v.paused == paused {
		return
	}
	v.paused = paused
	if paused {
		h.cfg.Metrics.Paused.Inc()
	} else {
		h.cfg.Metrics.Paused.Dec()
	}
}

// plan is what one poll asks: the whole view, or some ENIs by ID.
type plan struct {
	list bool
	ids  []string
}

// run is v's poller: wait until due, poll, schedule the next poll; stop
// once no one has watched for StopAfter.
func (h *Hub) run(v *view) {
	defer h.wg.Done()
	for {
		h.mu.Lock()
		now := h.clock.Now()
		idle := len(v.subs) == 0
		if h.closed || idle && now.Sub(v.idleSince) >= h.cfg.StopAfter {
			v.running, v.used = false, now
			h.running--
			h.cfg.Metrics.Pollers.Dec()
			h.mu.Unlock()
			return
		}
		wait := v.due.Sub(now)
		if idle {
			wait = v.idleSince.Add(h.cfg.StopAfter).Sub(now)
		}
		if wait > 0 {
			v.armed = now.Add(wait)
			h.mu.Unlock()
			t := h.clock.NewTimer(wait)
			select {
			case <-t.Chan():
			case <-v.wake:
				t.Stop()
			case <-h.ctx.Done():
				t.Stop()
			}
			continue
		}
		p := h.planLocked(v, now)
		h.mu.Unlock()
		h.poll(v, p)
	}
}

// planLocked lists the view when it is due for that (every Slow, after an
// ENI settled in a narrowed view, or when one was created), and otherwise
// polls the ENIs in transition by ID.
func (h *Hub) planLocked(v *view, now time.Time) plan {
	ids := h.fastIDsLocked(v, now)
	if len(ids) == 0 || v.relist || v.listed.IsZero() || now.Sub(v.listed) >= h.cfg.Slow {
		return plan{list: true}
	}
	return plan{ids: ids}
}

// nextLocked is when to poll next: soon while something moves, else when
// the listing gets Slow old.
func (h *Hub) nextLocked(v *view, now time.Time) time.Time {
	if v.relist || len(h.fastIDsLocked(v, now)) > 0 {
		return now.Add(h.cfg.Fast)
	}
	return v.listed.Add(h.cfg.Slow)
}

func (h *Hub) poll(v *view, p plan) {
	ctx, cancel := context.WithTimeout(h.ctx, h.cfg.CallTimeout)
	defer cancel()
	var err error
	asOf := h.clock.Now()
	if p.list {
		err = h.pollList(ctx, v, asOf)
	} else {
		var got []eni.ENI
		got, err = h.cloud.ENIsByID(ctx, v.filter.Region, p.ids)
		if err == nil {
			h.mu.Lock()
			h.applyByIDLocked(v, p.ids, got, asOf)
			h.mu.Unlock()
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.settleLocked(v, err)
}

func (h *Hub) pollList(ctx context.Context, v *view, asOf time.Time) error {
	page, err := h.cloud.ListENIs(ctx, eni.ListQuery{Filter: v.filter, NextToken: v.filter.CloudToken()})
	if err != nil {
		return err
	}
	h.mu.Lock()
	var left []string
	for _, id := range v.order {
		if !containsID(page.ENIs, id) {
			left = append(left, id)
		}
	}
	h.mu.Unlock()
	reasons := h.whyLeft(ctx, v, left)
	h.mu.Lock()
	h.applyListLocked(v, page.ENIs, reasons, asOf)
	h.mu.Unlock()
	return nil
}

// whyLeft asks the cloud about ENIs that left a view: deleted, or changed
// so that they no longer match, or pushed to another page. Not knowing
// is not an error: the departure is still shown.
func (h *Hub) whyLeft(ctx context.Context, v *view, ids []string) map[string]string {
	if len(ids) == 0 {
		return nil
	}
	got, err := h.cloud.ENIsByID(ctx, v.filter.Region, ids)
	if err != nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	reasons := make(map[string]string, len(ids))
	for _, id := range ids {
		reasons[id] = "deleted"
		for _, e := range got {
			if e.ID != id {
				continue
			}
			if en, ok := v.enis[id]; ok && en.eni.Status != e.Status {
				reasons[id] = "no longer in this view (now " + string(e.Status) + ")"
			} else {
				reasons[id] = "no longer on this page of the view"
			}
		}
	}
	return reasons
}

// settleLocked schedules the next poll after one that ended with err:
// backing off with jitter after throttling or failures, and saying so on
// the page, until a poll works again.
func (h *Hub) settleLocked(v *view, err error) {
	now := h.clock.Now()
	if err == nil {
		if v.failing {
			v.failing = false
			v.backoff.Reset()
			h.setHealthLocked(v, Health{})
		}
		v.due = h.nextLocked(v, now)
		return
	}
	if h.closed {
		return
	}
	v.failing = true
	wait, msg := h.cfg.Slow, ""
	ce, isCloud := eni.AsCloudError(err)
	switch {
	case isCloud && ce.Throttled():
		wait = v.backoff.NextBackOff()
		msg = fmt.Sprintf("The cloud is throttling requests (%s); live updates slowed down, next try in %s.", ce.Code, roundSec(wait))
	case isCloud && ce.Retryable():
		wait = v.backoff.NextBackOff()
		msg = fmt.Sprintf("The cloud failed to answer (%s, RequestId %s); live updates paused, next try in %s.", ce.Code, ce.RequestID, roundSec(wait))
	case isCloud:
		msg = fmt.Sprintf("Live updates failed: %s: %s (RequestId %s). Next try in %s.", ce.Code, ce.Message, ce.RequestID, roundSec(wait))
	default:
		wait = v.backoff.NextBackOff()
		reason := "could not be reached"
		if errors.Is(err, context.DeadlineExceeded) {
			reason = "did not answer in time"
		}
		msg = fmt.Sprintf("The cloud %s; live updates paused, next try in %s.", reason, roundSec(wait))
	}
	h.cfg.Logger.Warn("live poll failed", "view", v.key, "err", err, "next", wait)
	v.due = now.Add(wait)
	h.setHealthLocked(v, Health{Degraded: true, Message: msg})
}

func roundSec(d time.Duration) time.Duration { return max(d.Round(time.Second), time.Second) }

func containsID(enis []eni.ENI, id string) bool {
	for _, e := range enis {
		if e.ID == id {
			return true
		}
	}
	return false
}
