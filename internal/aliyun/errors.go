package aliyun

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/eni"
)

// translate turns an SDK error into what the rest of enidash understands:
// an answer of the cloud becomes *eni.CloudError; anything else (network,
// timeouts, the SDK's own checks) is wrapped with the call it happened in.
func translate(action, region string, err error) error {
	if err == nil {
		return nil
	}
	var se *tea.SDKError
	if errors.As(err, &se) {
		if tea.IntValue(se.StatusCode) != 0 {
			return cloudError(action, se)
		}
		// Raised by the SDK before anything was sent (validation, config).
		return fmt.Errorf("aliyun: %s: SDK refused the call: %s: %s: %w",
			where(action, region), tea.StringValue(se.Code), tea.StringValue(se.Message), errSDK)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// The URL of an RPC call carries the AccessKeyId and signature in
		// its query; keep them out of messages and logs.
		err = &url.Error{Op: ue.Op, URL: stripQuery(ue.URL), Err: ue.Err}
	}
	return fmt.Errorf("aliyun: %s: %w", where(action, region), err)
}

// errSDK marks errors the SDK raised without calling the cloud. Its own
// error text is multi-line and carries nothing more.
var errSDK = errors.New("invalid request")

// cloudError reads the cloud's answer out of an SDKError. The SDK keeps the
// decoded error body (Code, Message, RequestId, HostId, …) as JSON in Data,
// and folds status, message and RequestId into Message as
// "code: 404, <message> request id: <id>"; Data is preferred, Message is
// the fallback.
func cloudError(action string, se *tea.SDKError) *eni.CloudError {
	ce := &eni.CloudError{
		Action:     action,
		Code:       tea.StringValue(se.Code),
		HTTPStatus: tea.IntValue(se.StatusCode),
	}
	if ce.Code == "<nil>" { // the SDK's rendering of a body without Code
		ce.Code = ""
	}
	var body map[string]any
	if se.Data != nil {
		_ = json.Unmarshal([]byte(*se.Data), &body) // a malformed body leaves the fallback
	}
	ce.RequestID = field(body, "RequestId", "requestId")
	ce.Message = field(body, "Message", "message")
	if ce.Code == "" {
		ce.Code = field(body, "Code", "code")
	}
	msg, id := splitSDKMessage(tea.StringValue(se.Message))
	if ce.Message == "" {
		ce.Message = msg
	}
	if ce.RequestID == "" {
		ce.RequestID = id
	}
	return ce
}

func field(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

var sdkMessagePrefix = regexp.MustCompile(`^code: \d+, `)

// splitSDKMessage undoes the SDK's "code: 404, <message> request id: <id>".
func splitSDKMessage(s string) (message, requestID string) {
	s = sdkMessagePrefix.ReplaceAllString(s, "")
	if i := strings.LastIndex(s, " request id: "); i >= 0 {
		requestID = strings.TrimSpace(s[i+len(" request id: "):])
		s = s[:i]
	}
	if requestID == "<nil>" {
		requestID = ""
	}
	if s == "<nil>" {
		s = ""
	}
	return s, requestID
}

func stripQuery(raw string) string {
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		return raw[:i]
	}
	return raw
}
