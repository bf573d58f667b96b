package ecsemu

import (
	"context"
	"net/url"
)

// This file is the seam between the protocol layer (server.go, signature*.go,
// encode.go, faults.go, admin.go) and the modelled account (world*.go,
// seed.go, action_*.go). Change it only with both sides in mind.

// APIVersion is the only ECS OpenAPI version the emulator speaks.
const APIVersion = "2014-05-26"

// Request is one API call after the protocol layer has verified its
// signature and common parameters.
type Request struct {
	Action    string
	RegionID  string     // the RegionId parameter (may be empty for DescribeRegions)
	Params    url.Values // every parameter as sent, flattened: "Tag.1.Key", "NetworkInterfaceId.3"
	RequestID string     // minted by the protocol layer, echoed in the response
}

// APIError is an error the cloud documents: a code, its HTTP status and a
// message. Actions return it (as error); the protocol layer renders it.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// ActionFunc runs one action and returns the response body without
// RequestId (the protocol layer adds it). The body is any value that
// encoding/json renders with the documented field names; the protocol layer
// derives XML from the same JSON so both formats agree.
type ActionFunc func(ctx context.Context, r *Request) (any, error)
