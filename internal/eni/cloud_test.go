package eni

import (
	"errors"
	"fmt"
	"testing"
)

func TestCloudErrorNotFound(t *testing.T) {
	tests := []struct {
		err  *CloudError
		want bool
	}{
		{&CloudError{Code: "InvalidEniId.NotFound", HTTPStatus: 404}, true},
		{&CloudError{Code: "InvalidEcsId.NotFound", HTTPStatus: 404}, true},
		{&CloudError{Code: "InvalidAccessKeyId.NotFound", HTTPStatus: 404}, false},
		{&CloudError{Code: "InvalidAction.NotFound", HTTPStatus: 404}, false},
		{&CloudError{Code: "InvalidParameter", HTTPStatus: 400}, false},
	}
	for _, tt := range tests {
		wrapped := fmt.Errorf("reading: %w", tt.err)
		if got := errors.Is(wrapped, ErrNotFound); got != tt.want {
			t.Errorf("%s: errors.Is(ErrNotFound) = %v, want %v", tt.err.Code, got, tt.want)
		}
	}
}

func TestCloudErrorKinds(t *testing.T) {
	tests := []struct {
		err                                CloudError
		throttled, retryable, invalidToken bool
	}{
		{CloudError{Code: "Throttling", HTTPStatus: 400}, true, true, false},
		{CloudError{Code: "ServiceUnavailable", HTTPStatus: 503}, false, true, false},
		{CloudError{Code: "InternalError", HTTPStatus: 500}, false, true, false},
		{CloudError{Code: "InvalidParameter", Message: `The specified parameter "NextToken" is not valid.`, HTTPStatus: 400}, false, false, true},
		{CloudError{Code: "InvalidParameter", Message: "The specified parameter Status is not valid.", HTTPStatus: 400}, false, false, false},
		{CloudError{Code: "InvalidEniId.NotFound", HTTPStatus: 404}, false, false, false},
	}
	for _, tt := range tests {
		if tt.err.Throttled() != tt.throttled || tt.err.Retryable() != tt.retryable || tt.err.InvalidToken() != tt.invalidToken {
			t.Errorf("%s %q: throttled %v retryable %v invalidToken %v", tt.err.Code, tt.err.Message,
				tt.err.Throttled(), tt.err.Retryable(), tt.err.InvalidToken())
		}
	}
}
