package eni

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Cloud is everything enidash asks of ECS. internal/aliyun implements it on
// the official SDK; tests run it against the embedded emulator.
type Cloud interface {
	Regions(ctx context.Context) ([]Region, error)
	// ListENIs returns one page of the view described by q.
	ListENIs(ctx context.Context, q ListQuery) (Page, error)
	// GetENI returns one ENI, or an error wrapping ErrNotFound.
	GetENI(ctx context.Context, region, id string) (ENI, error)
	// ENIsByID fetches up to 100 ENIs of one region in a single call;
	// IDs that no longer exist are simply absent from the result.
	ENIsByID(ctx context.Context, region string, ids []string) ([]ENI, error)

	Zones(ctx context.Context, region string) ([]Zone, error)
	VPCs(ctx context.Context, region string) ([]VPC, error)
	VSwitches(ctx context.Context, region, vpcID string) ([]VSwitch, error)
	SecurityGroups(ctx context.Context, region, vpcID string) ([]SecurityGroup, error)
	Instances(ctx context.Context, region, vpcID string) ([]Instance, error)

	Writer
}

// ListQuery is a Filter as the cloud sees it: the filters, the page size
// and the cloud's own NextToken for the wanted page ("" for the first).
type ListQuery struct {
	Filter    Filter
	NextToken string
}

// Page is one page of ENIs.
type Page struct {
	ENIs       []ENI
	NextToken  string // empty on the last page
	TotalCount int
	RequestID  string
}

// ErrNotFound is wrapped by errors for resources the cloud does not know.
var ErrNotFound = errors.New("not found")

// CloudError is an error answered by the cloud, with what a person needs to
// report it: the code, the cloud's message and the RequestId.
type CloudError struct {
	Action     string // API action, e.g. DescribeNetworkInterfaces
	Code       string
	Message    string
	RequestID  string
	HTTPStatus int
}

func (e *CloudError) Error() string {
	return fmt.Sprintf("%s: %s: %s (RequestId %s)", e.Action, e.Code, e.Message, e.RequestID)
}

// Is lets errors.Is(err, ErrNotFound) see the cloud's answers for a
// resource that does not exist. Other 404s (an unknown AccessKeyId, an
// unknown action) are about the caller, not the resource.
func (e *CloudError) Is(target error) bool {
	return target == ErrNotFound && e.HTTPStatus == 404 &&
		!strings.HasPrefix(e.Code, "InvalidAccessKeyId") && !strings.HasPrefix(e.Code, "InvalidAction")
}

// AsCloudError returns the CloudError inside err, if any.
func AsCloudError(err error) (*CloudError, bool) {
	var ce *CloudError
	ok := errors.As(err, &ce)
	return ce, ok
}

// Throttled reports whether the cloud refused the call for its rate limit.
func (e *CloudError) Throttled() bool {
	return e.Code == "Throttling" || e.Code == "Throttling.User" || e.Code == "Throttling.Api"
}

// Retryable reports whether a read may safely be tried again.
func (e *CloudError) Retryable() bool {
	return e.Throttled() || e.Code == "ServiceUnavailable" || e.Code == "InternalError" || e.HTTPStatus >= 500
}

// InvalidToken reports whether the cloud refused a page token, which
// happens when a bookmarked token has expired.
func (e *CloudError) InvalidToken() bool {
	return e.Code == "InvalidParameter.NextToken" || e.Code == "InvalidNextToken" ||
		e.Code == "InvalidParam.NextToken" || e.Code == "InvalidParameter" && containsFold(e.Message, "NextToken")
}
