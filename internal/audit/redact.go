package audit

import (
	"regexp"
	"strings"
)

// Redacted replaces the value of a parameter that may hold a secret.
const Redacted = "[redacted]"

// secretKey matches the parameter names whose values are never stored.
// "key" is broad on purpose (AccessKeySecret, api_key, PrivateKey): a
// harmless value lost from the log costs less than a secret kept in it.
var secretKey = regexp.MustCompile(`(?i)password|secret|token|key`)

// Redact returns a copy of params with the value of every key that
// names a secret replaced by Redacted; nil stays nil.
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
		out[k] = v
	}
	return out
}

// isClientToken recognises ClientToken however it is spelt: ClientToken,
// client_token, client-token.
func isClientToken(k string) bool {
	k = strings.NewReplacer("_", "", "-", "", ".", "").Replace(k)
	return strings.EqualFold(k, "clienttoken")
}
