package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// healthOf is what the watchers of a region are told of its calls: the
// last failure of its listing, with when it is tried again, until a
// listing works again; else that of its polls by ID (the ENIs in
// transition, or just acted on), until a poll works again.
func healthOf(p inventory.Progress, now time.Time) Health {
	switch {
	case p.Err != nil:
		return failing(p.Err, p.Retry, now)
	case p.PollErr != nil:
		return failing(p.PollErr, p.PollRetry, now)
	}
	return Health{}
}

// failing is the banner for a call that failed with err, tried again at
// retry.
func failing(err error, retry, now time.Time) Health {
	wait := roundSec(retry.Sub(now))
	ce, isCloud := eni.AsCloudError(err)
	var msg string
	switch {
	case isCloud && ce.Throttled():
		msg = fmt.Sprintf("The cloud is throttling requests (%s); live updates slowed down, next try in %s.", ce.Code, wait)
	case isCloud && ce.Retryable():
		msg = fmt.Sprintf("The cloud failed to answer (%s, RequestId %s); live updates paused, next try in %s.", ce.Code, ce.RequestID, wait)
	case isCloud:
		msg = fmt.Sprintf("Live updates failed: %s: %s (RequestId %s). Next try in %s.", ce.Code, ce.Message, ce.RequestID, wait)
	default:
		reason := "could not be reached"
		if errors.Is(err, context.DeadlineExceeded) {
			reason = "did not answer in time"
		}
		msg = fmt.Sprintf("The cloud %s; live updates paused, next try in %s.", reason, wait)
	}
	return Health{Degraded: true, Message: msg}
}

func roundSec(d time.Duration) time.Duration { return max(d.Round(time.Second), time.Second) }
