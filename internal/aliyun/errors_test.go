package aliyun

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

// sdkError builds a *tea.SDKError the way darabonba-openapi does for a 4xx
// or 5xx answer: the decoded body plus statusCode in data, and the
// message folded into "code: <status>, <message> request id: <id>".
func sdkError(status int, body map[string]any) *tea.SDKError {
	data := map[string]any{"statusCode": status}
	for k, v := range body {
		data[k] = v
	}
	either := func(a, b string) any { // darabonba's DefaultAny
		if v, ok := body[a]; ok {
			return v
		}
		return body[b]
	}
	return tea.NewSDKError(map[string]any{
		"code":    tea.ToString(either("Code", "code")),
		"message": "code: " + tea.ToString(status) + ", " + tea.ToString(either("Message", "message")) + " request id: " + tea.ToString(either("RequestId", "requestId")),
		"data":    data,
	})
}

func TestTranslateCloudErrors(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		want      eni.CloudError
		notFound  bool
		retryable bool
	}{
		{
			name: "not found",
			err: sdkError(404, map[string]any{"Code": "InvalidEniId.NotFound", "Message": "The specified ENI does not exist.",
				"RequestId": "R-404", "HostId": "ecs.aliyuncs.com"}),
			want:     eni.CloudError{Action: "DescribeNetworkInterfaces", Code: "InvalidEniId.NotFound", Message: "The specified ENI does not exist.", RequestID: "R-404", HTTPStatus: 404},
			notFound: true,
		},
		{
			name:      "throttling",
			err:       sdkError(400, map[string]any{"Code": "Throttling", "Message": "Request was denied due to request throttling.", "RequestId": "R-T"}),
			want:      eni.CloudError{Action: "DescribeNetworkInterfaces", Code: "Throttling", Message: "Request was denied due to request throttling.", RequestID: "R-T", HTTPStatus: 400},
			retryable: true,
		},
		{
			name:      "service unavailable",
			err:       sdkError(503, map[string]any{"Code": "ServiceUnavailable", "Message": "try later", "RequestId": "R-503"}),
			want:      eni.CloudError{Action: "DescribeNetworkInterfaces", Code: "ServiceUnavailable", Message: "try later", RequestID: "R-503", HTTPStatus: 503},
			retryable: true,
		},
		{
			name: "invalid parameter",
			err:  sdkError(400, map[string]any{"Code": "InvalidParameter", "Message": `The specified parameter "Type" is not valid.`, "RequestId": "R-400"}),
			want: eni.CloudError{Action: "DescribeNetworkInterfaces", Code: "InvalidParameter", Message: `The specified parameter "Type" is not valid.`, RequestID: "R-400", HTTPStatus: 400},
		},
		{
			name: "lower-case keys in the body",
			err:  sdkError(403, map[string]any{"code": "Forbidden.RAM", "message": "denied", "requestId": "r-lc"}),
			want: eni.CloudError{Action: "DescribeNetworkInterfaces", Code: "Forbidden.RAM", Message: "denied", RequestID: "r-lc", HTTPStatus: 403},
		},
		{
			name: "no data: read the folded message",
			err: tea.NewSDKError(map[string]any{"code": "InternalError", "statusCode": 500,
				"message": "code: 500, The request processing has failed. request id: R-500"}),
			want:      eni.CloudError{Action: "DescribeNetworkInterfaces", Code: "InternalError", Message: "The request processing has failed.", RequestID: "R-500", HTTPStatus: 500},
			retryable: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := translate("DescribeNetworkInterfaces", "cn-hangzhou", tt.err)
			ce, ok := eni.AsCloudError(err)
			if !ok {
				t.Fatalf("translate gave %T %v, want *eni.CloudError", err, err)
			}
			if *ce != tt.want {
				t.Errorf("CloudError = %+v\nwant          %+v", *ce, tt.want)
			}
			if got := errors.Is(err, eni.ErrNotFound); got != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v", got, tt.notFound)
			}
			if got := ce.Retryable(); got != tt.retryable {
				t.Errorf("Retryable() = %v, want %v", got, tt.retryable)
			}
			var se *tea.SDKError
			if errors.As(err, &se) {
				t.Error("the SDK's error type leaks out of the package")
			}
		})
	}
}

func TestTranslateOtherErrors(t *testing.T) {
	urlErr := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/?AccessKeyId=LTAIxyz&Signature=abc", Err: context.DeadlineExceeded}
	tests := []struct {
		name    string
		err     error
		is      error  // errors.Is must hold
		want    string // substring of the message
		notWant string // must not appear in the message
	}{
		{name: "timeout", err: urlErr, is: context.DeadlineExceeded, want: "DescribeZones in cn-beijing", notWant: "LTAIxyz"},
		{name: "canceled", err: context.Canceled, is: context.Canceled, want: "DescribeZones in cn-beijing"},
		{name: "sdk refused", err: tea.NewSDKError(map[string]any{"code": "ParameterMissing", "message": "'config' can not be unset"}),
			is: errSDK, want: "ParameterMissing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := translate("DescribeZones", "cn-beijing", tt.err)
			if _, ok := eni.AsCloudError(err); ok {
				t.Fatalf("%v became a CloudError; only answers of the cloud should", err)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q lacks %q", err, tt.want)
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("message %q contains %q", err, tt.notWant)
			}
		})
	}
	if translate("X", "r", nil) != nil {
		t.Error("translate(nil) != nil")
	}
}

func TestSplitSDKMessage(t *testing.T) {
	tests := []struct{ in, msg, id string }{
		{"code: 400, Bad thing. request id: ABC-1", "Bad thing.", "ABC-1"},
		{"code: 404, <nil> request id: <nil>", "", ""},
		{"plain", "plain", ""},
	}
	for _, tt := range tests {
		msg, id := splitSDKMessage(tt.in)
		if msg != tt.msg || id != tt.id {
			t.Errorf("splitSDKMessage(%q) = %q, %q; want %q, %q", tt.in, msg, id, tt.msg, tt.id)
		}
	}
}
