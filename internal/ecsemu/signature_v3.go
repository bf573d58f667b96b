package ecsemu

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ACS3-HMAC-SHA256, the v4 SDK's default. Action and version travel in
// headers, the other parameters in the query string (or a form body):
//
//	Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<h1;h2>,Signature=<hex>
//
//	CanonicalRequest = METHOD \n URI \n CanonicalQuery \n CanonicalHeaders \n
//	                   SignedHeaders \n x-acs-content-sha256
//	StringToSign     = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest))
//	Signature        = hex(HMAC-SHA256(secret, StringToSign))
//
// CanonicalQuery has the query parameters sorted by name, name=value
// percent-encoded (RFC 3986), empty values as "name="; CanonicalHeaders has
// each signed header as "name:value\n" (lower-case name, trimmed value,
// repeated values sorted and joined with commas). x-acs-content-sha256 is
// the hex SHA-256 of the body. This mirrors openapi-util's GetAuthorization.

const acs3Algorithm = "ACS3-HMAC-SHA256"

// v3Auth is a parsed Authorization header.
type v3Auth struct {
	algorithm     string
	credential    string
	signedHeaders []string
	signature     string
}

func isV3(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-")
}

func parseV3Auth(h string) (v3Auth, bool) {
	var a v3Auth
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok {
		return a, false
	}
	a.algorithm = alg
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, false
		}
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	ok = a.credential != "" && len(a.signedHeaders) > 0 && a.signature != ""
	return a, ok
}

// verifyV3 checks an ACS3-HMAC-SHA256 signature. body is the raw request
// body, query the parameters of the URL alone.
func verifyV3(r *http.Request, query url.Values, body []byte, keys keyPair, now time.Time) (authResult, *APIError) {
	var res authResult
	auth, ok := parseV3Auth(r.Header.Get("Authorization"))
	if !ok {
		return res, errIncompleteSignature("Authorization must carry Credential, SignedHeaders and Signature.")
	}
	if auth.algorithm != acs3Algorithm {
		return res, newAPIError(http.StatusBadRequest, "InvalidSignatureMethod", "Specified signature method is not valid.")
	}
	// The gateway treats these headers as the RPC common parameters.
	date := r.Header.Get("x-acs-date")
	if date == "" {
		return res, errMissing("Timestamp")
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if nonce == "" {
		return res, errMissing("SignatureNonce")
	}
	payloadHash := strings.ToLower(r.Header.Get("x-acs-content-sha256"))
	if payloadHash == "" {
		return res, errIncompleteSignature("Header x-acs-content-sha256 is missing.")
	}
	ts, aerr := parseTimestamp(date, now)
	if aerr != nil {
		return res, aerr
	}
	secret, ok := keys.secretFor(auth.credential)
	if !ok {
		return res, errKeyNotFound()
	}
	sum := sha256.Sum256(body)
	if !signaturesEqual(payloadHash, hex.EncodeToString(sum[:])) {
		return res, errIncompleteSignature("x-acs-content-sha256 does not match the request body.")
	}
	if missing := unsignedHeader(r, auth.signedHeaders); missing != "" {
		return res, errIncompleteSignature("Header " + missing + " must be signed.")
	}
	stringToSign := v3StringToSign(r, query, auth.signedHeaders, payloadHash)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	if !signaturesEqual(strings.ToLower(auth.signature), hex.EncodeToString(mac.Sum(nil))) {
		return res, errIncompleteSignature("server string to sign is:" + stringToSign)
	}
	return authResult{keyID: auth.credential, nonce: nonce, timestamp: ts}, nil
}

// unsignedHeader names a header that must be covered by the signature but is
// not: host and every x-acs-* header sent.
func unsignedHeader(r *http.Request, signed []string) string {
	if !slices.Contains(signed, "host") {
		return "host"
	}
	for name := range r.Header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-acs-") && !slices.Contains(signed, lower) {
			return lower
		}
	}
	return ""
}

func v3StringToSign(r *http.Request, query url.Values, signedHeaders []string, payloadHash string) string {
	uri := r.URL.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	var cr strings.Builder
	cr.WriteString(r.Method)
	cr.WriteByte('\n')
	cr.WriteString(rfc3986Fix(uri))
	cr.WriteByte('\n')
	cr.WriteString(canonicalQuery(query))
	cr.WriteByte('\n')
	for _, name := range signedHeaders {
		cr.WriteString(name)
		cr.WriteByte(':')
		cr.WriteString(canonicalHeaderValue(r, name))
		cr.WriteByte('\n')
	}
	cr.WriteByte('\n')
	cr.WriteString(strings.Join(signedHeaders, ";"))
	cr.WriteByte('\n')
	cr.WriteString(payloadHash)
	sum := sha256.Sum256([]byte(cr.String()))
	return acs3Algorithm + "\n" + hex.EncodeToString(sum[:])
}

func canonicalQuery(query url.Values) string {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(query))
	for k, vs := range query {
		for _, v := range vs {
			pairs = append(pairs, pair{percentEncode(k), percentEncode(v)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

func canonicalHeaderValue(r *http.Request, name string) string {
	if name == "host" {
		return strings.TrimSpace(r.Host)
	}
	vals := slices.Clone(r.Header.Values(name))
	for i, v := range vals {
		vals[i] = strings.TrimSpace(v)
	}
	slices.Sort(vals)
	return strings.Join(vals, ",")
}
