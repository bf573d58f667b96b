package eni

import "errors"

// ErrNotSent marks a failed call whose request never left enidash (it was
// refused before sending, no connection could be made, or its time ran
// out before it started): the cloud cannot have acted on it. A Cloud
// implementation wraps such errors with it.
var ErrNotSent = errors.New("the request was not sent to the cloud")

// OutcomeUnknown reports whether a failed change may nevertheless have
// been made: no answer came from the cloud (a deadline passed, the
// connection broke) for a request that may have reached it. An answer of
// the cloud (a *CloudError) or a request never sent is a known failure.
func OutcomeUnknown(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := AsCloudError(err); ok {
		return false
	}
	return !errors.Is(err, ErrNotSent)
}
