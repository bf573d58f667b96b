package ecsemu

import (
	"crypto/hmac"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// What both signature schemes share: the accepted clock skew, timestamp
// parsing, the AccessKey pair, nonce replay protection and the cloud's
// authentication errors.

// timestampWindow is how far a request's timestamp may be from the
// emulator's clock, either way, as in the cloud.
const timestampWindow = 15 * time.Minute

// maxNonces bounds the replay cache. Beyond it the oldest nonces are
// forgotten early, which only weakens replay protection under a flood.
const maxNonces = 1 << 20

func newAPIError(status int, code, msg string) *APIError {
	return &APIError{Status: status, Code: code, Message: msg}
}

// errMissing is the gateway's answer to an absent common parameter.
func errMissing(name string) *APIError {
	return newAPIError(http.StatusBadRequest, "Missing"+name, name+" is mandatory for this action.")
}

func errInvalidParam(name string) *APIError {
	return newAPIError(http.StatusBadRequest, "Invalid"+name, "Specified parameter "+name+" is not valid.")
}

func errKeyNotFound() *APIError {
	return newAPIError(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
}

func errNonceUsed() *APIError {
	return newAPIError(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
}

func errIncompleteSignature(detail string) *APIError {
	return newAPIError(http.StatusBadRequest, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards. "+detail)
}

// parseTimestamp reads an ISO 8601 UTC time such as 2024-05-01T08:00:00Z and
// checks it against now.
func parseTimestamp(v string, now time.Time) (time.Time, *APIError) {
	ts, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, newAPIError(http.StatusBadRequest, "InvalidTimeStamp.Format",
			"Specified time stamp or date value is not well formatted.")
	}
	if d := now.Sub(ts); d > timestampWindow || d < -timestampWindow {
		return time.Time{}, newAPIError(http.StatusBadRequest, "InvalidTimeStamp.Expired",
			"Specified time stamp or date value is expired.")
	}
	return ts, nil
}

// keyPair is the one AccessKey pair the emulator accepts.
type keyPair struct {
	id, secret string
}

func (k keyPair) secretFor(id string) (string, bool) {
	if id == "" || id != k.id {
		return "", false
	}
	return k.secret, true
}

// signaturesEqual compares in constant time.
func signaturesEqual(got, want string) bool {
	return hmac.Equal([]byte(got), []byte(want))
}

// percentEncode is the RFC 3986 encoding both schemes canonicalise with
// (url.QueryEscape with %20 for space, %2A for *, and ~ left alone), as the
// SDK's openapi-util does.
func percentEncode(s string) string {
	return rfc3986Fix(url.QueryEscape(s))
}

var rfc3986Replacer = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

func rfc3986Fix(s string) string { return rfc3986Replacer.Replace(s) }

// nonceCache remembers used nonces for as long as a request carrying them
// could still pass the timestamp check.
type nonceCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	seen  map[string]struct{}
	queue []nonceEntry // insertion order, hence expiry order
	head  int
}

type nonceEntry struct {
	key     string
	expires time.Time
}

func newNonceCache(ttl time.Duration, max int) *nonceCache {
	return &nonceCache{ttl: ttl, max: max, seen: make(map[string]struct{})}
}

// use records key and reports whether it was fresh.
func (c *nonceCache) use(key string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.head < len(c.queue) && (len(c.seen) >= c.max || !now.Before(c.queue[c.head].expires)) {
		delete(c.seen, c.queue[c.head].key)
		c.queue[c.head] = nonceEntry{}
		c.head++
	}
	if c.head > len(c.queue)/2 && c.head > 1024 {
		c.queue = append(c.queue[:0], c.queue[c.head:]...)
		c.head = 0
	}
	if _, dup := c.seen[key]; dup {
		return false
	}
	c.seen[key] = struct{}{}
	c.queue = append(c.queue, nonceEntry{key: key, expires: now.Add(c.ttl)})
	return true
}

func (c *nonceCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}
