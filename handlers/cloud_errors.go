package handlers

import (
	"context"
	"errors"
	"net/http"

	"enidash/internal/eni"
)

// describeFailure turns a failed cloud call into what the error banner
// shows and the status the page is served with. Cloud errors keep the
// cloud's code, message and RequestId; transport failures get a code of
// our own so the banner reads the same way.
func describeFailure(action string, err error) (*eni.CloudError, int) {
	if ce, ok := eni.AsCloudError(err); ok {
		switch {
		case ce.Throttled():
			return ce, http.StatusServiceUnavailable
		case ce.HTTPStatus == http.StatusBadRequest:
			// The cloud refused a value the user gave (a filter, a token).
			return ce, http.StatusBadRequest
		default:
			return ce, http.StatusBadGateway
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &eni.CloudError{Action: action, Code: "Timeout",
			Message: "the cloud did not answer in time; it may be slow or unreachable"}, http.StatusGatewayTimeout
	}
	return &eni.CloudError{Action: action, Code: "Unreachable", Message: err.Error()}, http.StatusBadGateway
}
