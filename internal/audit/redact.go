package audit

import (
	"regexp"
	"strings"

	"enidash/internal/eni"
)

// Redacted replaces the value of a parameter that may hold a secret.
const Redacted = "[redacted]"

// secretKey matches the parameter names whose values are never stored.
// "key" is broad on purpose (AccessKeySecret, api_key, PrivateKey): a
// harmless value lost from the log costs less than a secret kept in it.
var secretKey = regexp.MustCompile(`(?i)password|secret|token|key`)

// Redact returns a copy of params with the value of every key that
// names a secret replaced by Redacted, and keys and values made safe to
// store and show (safeText); nil stays nil.
//
// ClientToken is kept: it is the idempotency token of a create, minted by
// the form and worthless to anyone else, and it is what ties a double
// submit to the one ENI it created.
func Redact(params map[string]string) map[string]string {
	if params == nil {
		return nil
	}
	out := make(map[string]string, len(params))
	for k, v := range params {
		if secretKey.MatchString(k) && !isClientToken(k) {
			v = Redacted
		}
		out[safeText(k)] = safeText(v)
	}
	return out
}

// isClientToken recognises ClientToken however it is spelt: ClientToken,
// client_token, client-token.
func isClientToken(k string) bool {
	k = strings.NewReplacer("_", "", "-", "", ".", "").Replace(k)
	return strings.EqualFold(k, "clienttoken")
}

// safeText makes the control characters of s visible
// (eni.ScrubControls): a NUL or a line break from a request's headers or
// parameters is stored as ␀ or ␊, never raw, so the audit page and its
// exports show what was sent without it breaking them. Bytes that are not
// UTF-8 (a User-Agent may hold any byte above 0x7f) become U+FFFD: every
// store keeps the same text, and PostgreSQL would refuse the entry.
func safeText(s string) string {
	return eni.ScrubControls(strings.ToValidUTF8(s, "\uFFFD"))
}

// scrubEntry makes e's text safe (safeText). Params are left to Redact,
// which scrubs them too.
func scrubEntry(e Entry) Entry {
	for _, s := range []*string{&e.Actor, &e.AuthMethod, &e.SourceIP, &e.UserAgent, &e.Action, &e.API,
		&e.Region, &e.ENIID, &e.InstanceID, &e.Bulk, &e.ErrorCode, &e.ErrorMsg, &e.RequestID} {
		*s = safeText(*s)
	}
	return e
}

// scrubFinish is scrubEntry for an outcome: the cloud's code, message
// and RequestId come from outside too.
func scrubFinish(f Finish) Finish {
	for _, s := range []*string{&f.ENIID, &f.ErrorCode, &f.ErrorMsg, &f.RequestID} {
		*s = safeText(*s)
	}
	return f
}
