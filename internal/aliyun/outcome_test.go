package aliyun

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"enidash/internal/eni"
)

func TestOutcome(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, "ok"},
		{&eni.CloudError{Code: "Throttling.User", HTTPStatus: 400}, "throttled"},
		{&eni.CloudError{Code: "InternalError", HTTPStatus: 500}, "server_error"},
		{&eni.CloudError{Code: "ServiceUnavailable", HTTPStatus: 503}, "server_error"},
		{fmt.Errorf("wrapped: %w", &eni.CloudError{Code: "InvalidVSwitchId.NotFound", HTTPStatus: 404}), "client_error"},
		{fmt.Errorf("call: %w", context.DeadlineExceeded), "timeout"},
		{fmt.Errorf("call: %w", context.Canceled), "canceled"},
		{errors.New("connection refused"), "failed"},
	} {
		if got := Outcome(c.err); got != c.want {
			t.Errorf("Outcome(%v) = %s, want %s", c.err, got, c.want)
		}
	}
}
