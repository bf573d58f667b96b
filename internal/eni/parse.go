package eni

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FieldError says which query parameter or form field is wrong and why.
type FieldError struct {
	Field   string
	Value   string
	Message string
}

// FieldErrors is a list of problems with one input; it is an error.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Field + ": " + e.Message
	}
	return strings.Join(parts, "; ")
}

// For returns the message for one field, or "".
func (fe FieldErrors) For(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

var (
	reRegion = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)
	reID     = map[string]*regexp.Regexp{
		KeyVPC:      reVPCID,
		KeyVSwitch:  reVSwitchID,
		KeySG:       reSGID,
		KeyInstance: reInstanceID,
		KeyID:       reENIID,
		KeyRG:       reRGID,
	}
	idExample = map[string]string{
		KeyVPC: "vpc-bp1…", KeyVSwitch: "vsw-bp1…", KeySG: "sg-bp1…",
		KeyInstance: "i-bp1…", KeyID: "eni-bp1…", KeyRG: "rg-acfm…",
	}
)

// ParseFilter reads a list URL's query. Every bad value is reported with
// the parameter it came from; nothing is dropped silently. Unknown
// parameters are errors too, so a mistyped bookmark is noticed.
func ParseFilter(v url.Values) (Filter, FieldErrors) {
	p := parser{v: v}
	var f Filter
	for k := range v {
		if !slices.Contains(keyOrder, k) {
			p.fail(k, "", "is not a parameter of this page")
		}
	}
	f.Region = p.one(KeyRegion)
	if f.Region != "" && !reRegion.MatchString(f.Region) {
		p.fail(KeyRegion, f.Region, "is not a region ID (like cn-hangzhou)")
	}
	f.VpcID = p.id(KeyVPC)
	f.VSwitchID = p.id(KeyVSwitch)
	f.SecurityGroupID = p.id(KeySG)
	f.InstanceID = p.id(KeyInstance)
	f.ResourceGroupID = p.id(KeyRG)
	if s := p.one(KeyType); s != "" {
		t, ok := matchFold(s, Types)
		if !ok {
			p.fail(KeyType, s, "must be Primary or Secondary")
		}
		f.Type = t
	}
	if s := p.one(KeyStatus); s != "" {
		st, ok := matchFold(s, Statuses)
		if !ok {
			p.fail(KeyStatus, s, "must be one of Available, Attaching, InUse, Detaching, Deleting")
		}
		f.Status = st
	}
	f.Name = p.one(KeyName)
	if msg := TextProblem(f.Name); msg != "" {
		p.fail(KeyName, f.Name, msg)
	}
	if n := utf8.RuneCountInString(f.Name); n > maxNameLen {
		p.fail(KeyName, f.Name, fmt.Sprintf("is %d characters long; at most %d", n, maxNameLen))
	}
	f.IDs = p.list(KeyID, func(s string) (string, string) {
		s = strings.ToLower(s)
		if !reID[KeyID].MatchString(s) {
			return "", "is not an ENI ID (like eni-bp1…)"
		}
		return s, ""
	})
	f.IPs = p.list(KeyIP, canonicalIPv4)
	if s := p.one(KeyPrimaryIP); s != "" {
		ip, msg := canonicalIPv4(s)
		if msg != "" {
			p.fail(KeyPrimaryIP, s, msg)
		}
		f.PrimaryIP = ip
	}
	f.IPv6 = p.list(KeyIPv6, canonicalIPv6)
	f.Tags = p.tags()
	if s := p.one(KeyManaged); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil || (s != "true" && s != "false") {
			p.fail(KeyManaged, s, "must be true or false")
		} else {
			f.Managed = &b
		}
	}
	if s := p.one(KeySize); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || !slices.Contains(PageSizes, n) {
			p.fail(KeySize, s, "must be one of 10, 20, 50, 100, 500")
		} else {
			f.Size = n
		}
	}
	if s := p.one(KeyToken); s != "" {
		trail, ok := decodeTrail(s)
		if !ok {
			p.fail(KeyToken, s, "is not a page position enidash wrote; start again from the first page")
		}
		f.Trail = trail
	}
	return f, p.errs
}

type parser struct {
	v    url.Values
	errs FieldErrors
}

func (p *parser) fail(field, value, msg string) {
	p.errs = append(p.errs, FieldError{Field: field, Value: value, Message: msg})
}

// one returns the single value of key, trimmed; repeating it is an error.
func (p *parser) one(key string) string {
	vs := p.v[key]
	if len(vs) > 1 {
		p.fail(key, strings.Join(vs, ","), "is given more than once")
	}
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(vs[0])
}

func (p *parser) id(key string) string {
	s := strings.ToLower(p.one(key))
	if s != "" && !reID[key].MatchString(s) {
		p.fail(key, s, "is not a valid ID (like "+idExample[key]+")")
	}
	return s
}

// list reads a comma-separated (or repeated) list, canonicalises each item,
// and returns it sorted without duplicates.
func (p *parser) list(key string, canon func(string) (string, string)) []string {
	var out []string
	for _, raw := range p.v[key] {
		for _, s := range strings.Split(raw, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			c, msg := canon(s)
			if msg != "" {
				p.fail(key, s, msg)
				continue
			}
			out = append(out, c)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > MaxListItems {
		p.fail(key, "", fmt.Sprintf("has %d values; at most %d", len(out), MaxListItems))
	}
	return out
}

func (p *parser) tags() []Tag {
	var out []Tag
	for _, raw := range p.v[KeyTag] {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		t, msg := ParseTag(raw)
		if msg != "" {
			p.fail(KeyTag, raw, msg)
			continue
		}
		if i := slices.IndexFunc(out, func(o Tag) bool { return o.Key == t.Key }); i >= 0 {
			if out[i] != t {
				p.fail(KeyTag, raw, fmt.Sprintf("tag key %q is asked for twice with different values; an ENI has one value per key", t.Key))
			}
			continue
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Tag) int { return strings.Compare(a.Key, b.Key) })
	if len(out) > MaxTags {
		p.fail(KeyTag, "", fmt.Sprintf("has %d tags; at most %d", len(out), MaxTags))
	}
	return out
}

// ParseTag reads "key", "key:value" or "key=value".
func ParseTag(s string) (Tag, string) {
	i := strings.IndexAny(s, ":=")
	t := Tag{Key: s}
	if i >= 0 {
		t = Tag{Key: strings.TrimSpace(s[:i]), Value: strings.TrimSpace(s[i+1:])}
	}
	if msg := tagTextProblem(t); msg != "" {
		return t, msg
	}
	switch {
	case t.Key == "":
		return t, "has an empty tag key"
	case utf8.RuneCountInString(t.Key) > maxTagKey:
		return t, fmt.Sprintf("tag key is longer than %d characters", maxTagKey)
	case utf8.RuneCountInString(t.Value) > maxTagValue:
		return t, fmt.Sprintf("tag value is longer than %d characters", maxTagValue)
	}
	return t, ""
}

func canonicalIPv4(s string) (string, string) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return "", "is not an IPv4 address"
	}
	return a.String(), ""
}

func canonicalIPv6(s string) (string, string) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() || a.Is4In6() {
		return "", "is not an IPv6 address"
	}
	return a.String(), ""
}

func matchFold[T ~string](s string, options []T) (T, bool) {
	for _, o := range options {
		if strings.EqualFold(s, string(o)) {
			return o, true
		}
	}
	return "", false
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// The page position travels in the URL as one opaque parameter: the
// cloud's tokens joined by newlines (which tokens never contain), in
// unpadded URL-safe base64.
func encodeTrail(trail []string) string {
	if len(trail) == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(trail, "\n")))
}

func decodeTrail(s string) ([]string, bool) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) == 0 || !utf8.Valid(b) {
		return nil, false
	}
	trail := strings.Split(string(b), "\n")
	if len(trail) > maxTrail || slices.Contains(trail, "") {
		return nil, false
	}
	return trail, true
}
