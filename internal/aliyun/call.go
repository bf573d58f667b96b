package aliyun

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/cenkalti/backoff/v5"

	"enidash/internal/eni"
)

// sdkCall is one SDK operation on a lane's client with the call's runtime
// options.
type sdkCall[T any] func(api *ecs.Client, rt *util.RuntimeOptions) (T, error)

// Backoff between read attempts: exponential from Client.retryInitial
// (defaultRetryInitial), doubling up to retryMax, with ±50% jitter.
const (
	defaultRetryInitial = 200 * time.Millisecond
	retryMax            = 5 * time.Second
)

// read runs a read-only call, trying again with backoff and jitter while
// the cloud answers Throttling, ServiceUnavailable or InternalError, at
// most ReadAttempts times and never past the context's deadline. rid
// extracts the RequestId from a successful response for the log.
func read[T any](ctx context.Context, c *Client, region, action string, fn sdkCall[T], rid func(T) string) (T, error) {
	return retry(ctx, c, region, action, (*eni.CloudError).Retryable, fn, rid)
}

// retry runs a call, trying again with backoff and jitter while again says
// the cloud's error allows it.
func retry[T any](ctx context.Context, c *Client, region, action string, again func(*eni.CloudError) bool, fn sdkCall[T], rid func(T) string) (T, error) {
	attempt := 0
	op := func() (T, error) {
		attempt++
		v, err := once(ctx, c, region, action, attempt, fn, rid)
		if err == nil {
			return v, nil
		}
		if ce, ok := eni.AsCloudError(err); ok && again(ce) {
			return v, err
		}
		return v, backoff.Permanent(err)
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval = c.retryInitial, retryMax
	b.Multiplier, b.RandomizationFactor = 2, 0.5
	opts := []backoff.RetryOption{backoff.WithBackOff(b), backoff.WithMaxTries(uint(c.cfg.ReadAttempts))}
	if dl, ok := ctx.Deadline(); ok {
		// Give up with the cloud's error rather than sleep into the deadline.
		opts = append(opts, backoff.WithMaxElapsedTime(max(time.Until(dl), time.Nanosecond)))
	}
	v, err := backoff.Retry(ctx, op, opts...)
	if cause := context.Cause(ctx); err != nil && err == cause {
		// Retry gave up waiting between attempts; say what was waiting.
		// Every attempt made had the cloud's answer; the next was not sent.
		err = notSent(fmt.Errorf("aliyun: %s: %w", where(action, region), err))
	}
	return v, err
}

// once runs one attempt of a call on a free lane.
//
// The SDK takes no context, so the context bounds the call in two ways.
// The HTTP exchange gets a budget (see budget and runtimeFor): CallTimeout,
// or, when the context's deadline is nearer, less than twice what is left
// of it (never under CallTimeout/16); tea's http.Client enforces it. And if
// the context ends first, once returns the context's error at once; the
// abandoned exchange runs on in the background until it ends or its budget
// runs out, keeping its lane busy until then. Writes must therefore not run
// on a context the browser can cancel: their outcome would be lost.
//
// An error raised before the request could leave is marked eni.ErrNotSent,
// so that callers can tell a change that surely did not happen from one
// whose outcome is unknown.
func once[T any](ctx context.Context, c *Client, region, action string, attempt int, fn sdkCall[T], rid func(T) string) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, notSent(fmt.Errorf("aliyun: %s: %w", where(action, region), context.Cause(ctx)))
	}
	lane, err := c.acquire(ctx)
	if err != nil {
		return zero, notSent(fmt.Errorf("aliyun: %s: waiting for a free connection: %w", where(action, region), err))
	}
	api, err := c.sdkClient(region, lane)
	if err != nil {
		c.release(lane)
		return zero, notSent(err)
	}
	rt := c.runtimeFor(lane, c.budget(ctx))

	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned call must not block
	start := time.Now()
	go func() {
		defer c.release(lane)
		defer func() {
			// The SDK panics on some malformed input; do not let that take
			// the process down.
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("SDK panic: %v", p)}
			}
		}()
		v, err := fn(api, rt)
		done <- result{v, err}
	}()

	select {
	case r := <-done:
		err := translate(action, region, r.err)
		if err != nil && neverSent(err) {
			err = notSent(err)
		}
		id := ""
		if err == nil {
			id = rid(r.v)
		}
		c.logCall(ctx, action, region, attempt, time.Since(start), id, err)
		return r.v, err
	case <-ctx.Done():
		err := fmt.Errorf("aliyun: %s: %w", where(action, region), context.Cause(ctx))
		c.logCall(ctx, action, region, attempt, time.Since(start), "", err)
		return zero, err
	}
}

func (c *Client) acquire(ctx context.Context) (int, error) {
	select {
	case lane := <-c.lanes:
		return lane, nil
	case <-ctx.Done():
		return 0, context.Cause(ctx)
	}
}

func (c *Client) release(lane int) { c.lanes <- lane }

// budget is how long the next HTTP exchange may take: CallTimeout, halved
// (at most four times) while half still covers what is left of the
// context's deadline. The few distinct values keep tea's process-wide pool
// of http.Clients, keyed by timeouts, small.
func (c *Client) budget(ctx context.Context) time.Duration {
	b := c.cfg.CallTimeout
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl)
		for k := 0; k < 4 && b/2 >= left; k++ {
			b /= 2
		}
	}
	return b
}

// runtimeFor builds a call's runtime options. tea's http.Client bounds the
// whole exchange by ConnectTimeout+ReadTimeout, which add up to budget.
//
// tea pools http.Clients process-wide by a key made of the timeouts, the
// proxy settings and the host, and writes the pooled client's Timeout on
// every call without a lock. Socks5NetWork is part of that key but is read
// only when Socks5Proxy is set, which enidash never does; giving it a value
// unique to this Client and lane gives each lane its own pooled client, so
// no two calls in flight share one.
func (c *Client) runtimeFor(lane int, budget time.Duration) *util.RuntimeOptions {
	connect := budget / 3
	rt := &util.RuntimeOptions{
		Autoretry:      tea.Bool(false), // read retries them
		ConnectTimeout: tea.Int(max(1, int(connect/time.Millisecond))),
		ReadTimeout:    tea.Int(max(1, int((budget-connect)/time.Millisecond))),
		Socks5NetWork:  tea.String(fmt.Sprintf("%s-lane%d", c.key, lane)),
	}
	if c.noProxy != "" {
		rt.NoProxy = tea.String(c.noProxy)
	}
	return rt
}

// logCall writes one record per cloud call attempt: info when it worked,
// warn when it did not. It never logs credentials.
func (c *Client) logCall(ctx context.Context, action, region string, attempt int, d time.Duration, requestID string, err error) {
	if c.cfg.OnCall != nil {
		c.cfg.OnCall(action, Outcome(err))
	}
	attrs := []slog.Attr{
		slog.String("action", action),
		slog.String("region", region),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if err == nil {
		attrs = append(attrs, slog.String("outcome", "ok"), slog.String("requestId", requestID))
		c.log.LogAttrs(ctx, slog.LevelInfo, "cloud call", attrs...)
		return
	}
	if ce, ok := eni.AsCloudError(err); ok {
		attrs = append(attrs, slog.String("outcome", "cloud error"), slog.String("requestId", ce.RequestID),
			slog.String("code", ce.Code), slog.Int("httpStatus", ce.HTTPStatus), slog.String("message", ce.Message))
	} else if Outcome(err) == "canceled" {
		// The caller went away (a browser closed its page): nothing is
		// wrong with the cloud.
		attrs = append(attrs, slog.String("outcome", "canceled"), slog.String("requestId", ""))
		c.log.LogAttrs(ctx, slog.LevelInfo, "cloud call canceled", attrs...)
		return
	} else {
		outcome := "failed"
		if errors.Is(err, context.DeadlineExceeded) {
			outcome = "timed out"
		}
		attrs = append(attrs, slog.String("outcome", outcome), slog.String("requestId", ""), slog.String("error", err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelWarn, "cloud call failed", attrs...)
}

// unsent is an error raised before the request left: its text is the
// error's own, and it is also eni.ErrNotSent.
type unsent struct{ error }

func (e unsent) Unwrap() []error { return []error{e.error, eni.ErrNotSent} }

func notSent(err error) error { return unsent{err} }

// neverSent reports whether a call failed before its request could be
// written: the SDK refused it, or no connection could be made.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, errSDK)
}

// where names a call for messages: the action and its region.
func where(action, region string) string {
	if region == "" {
		return action
	}
	return action + " in " + region
}

// Outcome classes a call's result for counting: ok, throttled,
// client_error (the cloud refused the request), server_error (the cloud
// failed), timeout, canceled (the caller went away first), or failed (the
// cloud was not reached).
func Outcome(err error) string {
	if err == nil {
		return "ok"
	}
	if ce, ok := eni.AsCloudError(err); ok {
		switch {
		case ce.Throttled():
			return "throttled"
		case ce.HTTPStatus >= 500 || ce.Code == "ServiceUnavailable" || ce.Code == "InternalError":
			return "server_error"
		default:
			return "client_error"
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	return "failed"
}
