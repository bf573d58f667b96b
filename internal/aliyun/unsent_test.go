package aliyun

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"enidash/internal/eni"
)

// A failed write tells whether the cloud may have made the change: it did
// not when it answered with an error or never got the request; it may have
// when the request went out and no answer came back.
func TestWriteOutcomeKnowable(t *testing.T) {
	refusing := newFakeECS(t, func(int, *http.Request, url.Values) (int, any) {
		return 403, cloudErr("InvalidOperation.InvalidEniState", "busy", "R-refused")
	})
	hanging, release := hangingECS(t)
	dropping := newFakeECS(t, func(_ int, r *http.Request, _ url.Values) (int, any) {
		panic(http.ErrAbortHandler) // the connection closes with no answer
	})
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		fake    *fakeECS
		ctx     context.Context
		timeout time.Duration
		unknown bool
	}{
		{name: "the cloud refused", fake: refusing, unknown: false},
		{name: "no connection could be made", unknown: false},
		{name: "canceled before sending", fake: refusing, ctx: canceled, unknown: false},
		{name: "no answer in time", fake: hanging, timeout: 200 * time.Millisecond, unknown: true},
		{name: "connection dropped after sending", fake: dropping, unknown: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c *Client
			if tt.fake != nil {
				c = tt.fake.client(t, Config{})
			} else {
				var err error
				// Port 1 on loopback: nothing listens, the connection is refused.
				c, err = New(Config{Endpoint: "127.0.0.1:1", Protocol: "http", AccessKeyID: "LTAItestkey", AccessKeySecret: "s"})
				if err != nil {
					t.Fatal(err)
				}
			}
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx
			}
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			_, err := c.DeleteENI(ctx, "cn-hangzhou", "eni-bp1abcd")
			if err == nil {
				t.Fatal("the delete worked")
			}
			if got := eni.OutcomeUnknown(err); got != tt.unknown {
				t.Errorf("OutcomeUnknown(%v) = %v, want %v", err, got, tt.unknown)
			}
		})
	}
	release()
}

// A call its caller abandons is counted and logged as canceled, at INFO:
// the cloud did not time out.
func TestCanceledCallIsNotATimeout(t *testing.T) {
	fake, release := hangingECS(t)
	defer release()
	logger, buf := newTestLogger()
	var mu sync.Mutex
	var outcomes []string
	c := fake.client(t, Config{Logger: logger, OnCall: func(_, outcome string) {
		mu.Lock()
		defer mu.Unlock()
		outcomes = append(outcomes, outcome)
	}})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.GetENI(ctx, "cn-hangzhou", "eni-1")
		errc <- err
	}()
	waitFor(t, "the call to reach the cloud", func() bool { return fake.callCount() == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(outcomes) != 1 || outcomes[0] != "canceled" {
		t.Errorf("counted %v, want [canceled]", outcomes)
	}
	recs := buf.records(t)
	if len(recs) != 1 || recs[0]["level"] != "INFO" || recs[0]["outcome"] != "canceled" {
		t.Errorf("logged %v, want one INFO record with outcome canceled", recs)
	}
}
