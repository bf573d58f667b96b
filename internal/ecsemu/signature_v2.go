package ecsemu

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// RPC signature 1.0 (HMAC-SHA1), the classic scheme of older SDKs, tools and
// the v4 SDK with SignatureAlgorithm "v2". Every common parameter travels
// with the others, in the query string or a form body:
//
//	stringToSign = METHOD + "&%2F&" + percentEncode(canonicalQuery)
//	canonicalQuery = all parameters but Signature, sorted by name, each
//	                 name=value percent-encoded (RFC 3986), joined with &
//	Signature = base64(HMAC-SHA1(secret + "&", stringToSign))
//
// as openapi-util's GetRPCSignature computes it.

// authResult is what a verified signature establishes.
type authResult struct {
	keyID     string
	nonce     string
	timestamp time.Time
}

// verifyV2 checks an RPC 1.0 signature over params (query and form merged).
func verifyV2(method string, params url.Values, keys keyPair, now time.Time) (authResult, *APIError) {
	var res authResult
	if m := params.Get("SignatureMethod"); m != "" && m != "HMAC-SHA1" {
		return res, newAPIError(http.StatusBadRequest, "InvalidSignatureMethod", "Specified signature method is not valid.")
	}
	if v := params.Get("SignatureVersion"); v != "" && v != "1.0" {
		return res, errInvalidParam("SignatureVersion")
	}
	for _, name := range []string{"AccessKeyId", "Signature", "SignatureNonce", "Timestamp"} {
		if params.Get(name) == "" {
			return res, errMissing(name)
		}
	}
	ts, aerr := parseTimestamp(params.Get("Timestamp"), now)
	if aerr != nil {
		return res, aerr
	}
	keyID := params.Get("AccessKeyId")
	secret, ok := keys.secretFor(keyID)
	if !ok {
		return res, errKeyNotFound()
	}
	stringToSign := rpcStringToSign(method, params)
	if !signaturesEqual(params.Get("Signature"), rpcSignature(stringToSign, secret)) {
		return res, newAPIError(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:"+stringToSign)
	}
	return authResult{keyID: keyID, nonce: params.Get("SignatureNonce"), timestamp: ts}, nil
}

// rpcStringToSign canonicalises every parameter except Signature.
func rpcStringToSign(method string, params url.Values) string {
	signed := make(url.Values, len(params))
	for k, v := range params {
		if k != "Signature" {
			signed[k] = v
		}
	}
	// url.Values.Encode sorts by name and QueryEscapes; the fix-up makes it
	// RFC 3986, exactly as the SDK builds it.
	canonical := rfc3986Fix(signed.Encode())
	return strings.ToUpper(method) + "&%2F&" + url.QueryEscape(canonical)
}

func rpcSignature(stringToSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
