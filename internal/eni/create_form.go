package eni

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Keys of the create form (GET /enis/new, POST /enis). Field errors and
// explained cloud errors name these keys, so the form can show each
// message at its input.
const (
	FormRegion          = "region"
	FormZone            = "zone"
	FormVSwitch         = "vswitch"
	FormSG              = "sg" // repeatable
	FormName            = "name"
	FormDescription     = "description"
	FormPrimaryIP       = "primary_ip"
	FormSecondaryCount  = "secondary_count"
	FormSecondaryIPs    = "secondary_ips"
	FormIPv6Count       = "ipv6_count"
	FormIPv6            = "ipv6"
	FormPrefixCount     = "prefix_count"
	FormPrefixes        = "prefixes"
	FormTags            = "tags"
	FormRG              = "rg"
	FormDeleteOnRelease = "delete_on_release"
	FormQueueNumber     = "queue_number"
	FormTrafficMode     = "traffic_mode"
	FormSourceDestCheck = "source_dest_check"
	FormClientToken     = "client_token"
)

// Limits of CreateNetworkInterface, from its API reference.
const (
	MaxSecurityGroups = 5 // SecurityGroupIds.N: the default quota of groups per ENI
	MaxSecondaryCount = 49
	MaxSecondaryIPs   = 10 // PrivateIpAddress.N
	MaxIPv6           = 10 // Ipv6Address.N and Ipv6AddressCount
	MaxIPv4Prefixes   = 10 // Ipv4Prefix.N and Ipv4PrefixCount
	MaxCreateTags     = 20
	MaxQueueNumber    = 2048
	MaxClientToken    = 64
	IPv4PrefixBits    = 28 // the cloud's IPv4 prefixes are /28 blocks
	minENINameLen     = 2
	maxENINameLen     = 128
	minDescriptionLen = 2
	maxDescriptionLen = 256
	maxCreateTagKey   = 128
	maxCreateTagValue = 128
	TrafficStandard   = "Standard"
	TrafficHighPerf   = "HighPerformance"
)

var (
	reZone    = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)
	reVSwitch = reVSwitchID
	reSG      = reSGID
	reRG      = reRGID
	// listSep splits a textarea of addresses: commas, spaces, newlines.
	listSep = func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }
)

// ParseCreateForm reads the create form. It checks every rule the API
// reference states that needs no look-up, and reports every problem with
// the field it came from, not just the first. Unknown keys (the CSRF
// token, a submit button) are ignored.
func ParseCreateForm(v url.Values) (CreateRequest, FieldErrors) {
	p := parser{v: v}
	var r CreateRequest
	r.Region = p.one(FormRegion)
	switch {
	case r.Region == "":
		p.fail(FormRegion, "", "is required")
	case !reRegion.MatchString(r.Region):
		p.fail(FormRegion, r.Region, "is not a region ID (like cn-hangzhou)")
	}
	r.ZoneID = p.one(FormZone)
	if r.ZoneID != "" && (!reZone.MatchString(r.ZoneID) || r.Region != "" && !strings.HasPrefix(r.ZoneID, r.Region)) {
		p.fail(FormZone, r.ZoneID, "is not a zone of region "+r.Region+" (like "+r.Region+"-h)")
	}
	r.VSwitchID = p.one(FormVSwitch)
	switch {
	case r.VSwitchID == "":
		p.fail(FormVSwitch, "", "is required: the ENI takes its addresses from a vSwitch")
	case !reVSwitch.MatchString(r.VSwitchID):
		p.fail(FormVSwitch, r.VSwitchID, "is not a vSwitch ID (like vsw-bp1…)")
	}
	r.SecurityGroupIDs = p.groups()
	r.Name = p.one(FormName)
	if msg := nameProblem(r.Name); msg != "" {
		p.fail(FormName, r.Name, msg)
	}
	r.Description = p.one(FormDescription)
	p.description(r.Description)
	if s := p.one(FormPrimaryIP); s != "" {
		ip, msg := canonicalIPv4(s)
		p.failIf(FormPrimaryIP, s, msg)
		r.PrimaryIP = ip
	}
	r.SecondaryIPCount = p.count(FormSecondaryCount, MaxSecondaryCount)
	r.SecondaryIPs = p.addrs(FormSecondaryIPs, MaxSecondaryIPs, canonicalIPv4)
	if r.PrimaryIP != "" && slices.Contains(r.SecondaryIPs, r.PrimaryIP) {
		p.fail(FormSecondaryIPs, r.PrimaryIP, "repeats the primary IP address; each address is assigned once")
	}
	r.IPv6Count = p.count(FormIPv6Count, MaxIPv6)
	r.IPv6 = p.addrs(FormIPv6, MaxIPv6, canonicalIPv6)
	r.IPv4PrefixCount = p.count(FormPrefixCount, MaxIPv4Prefixes)
	r.IPv4Prefixes = p.addrs(FormPrefixes, MaxIPv4Prefixes, canonicalPrefix4)
	p.exclusive(FormSecondaryCount, r.SecondaryIPCount > 0, FormSecondaryIPs, len(r.SecondaryIPs) > 0, "secondary IP addresses")
	p.exclusive(FormIPv6Count, r.IPv6Count > 0, FormIPv6, len(r.IPv6) > 0, "IPv6 addresses")
	p.exclusive(FormPrefixCount, r.IPv4PrefixCount > 0, FormPrefixes, len(r.IPv4Prefixes) > 0, "IPv4 prefixes")
	r.Tags = p.createTags()
	r.ResourceGroupID = p.one(FormRG)
	if r.ResourceGroupID != "" && !reRG.MatchString(r.ResourceGroupID) {
		p.fail(FormRG, r.ResourceGroupID, "is not a resource group ID (like rg-acfm…)")
	}
	r.DeleteOnRelease = p.flag(FormDeleteOnRelease)
	r.QueueNumber = p.count(FormQueueNumber, MaxQueueNumber)
	switch mode := p.one(FormTrafficMode); {
	case mode == "":
	case strings.EqualFold(mode, TrafficStandard):
		r.TrafficMode = TrafficStandard
	case strings.EqualFold(mode, TrafficHighPerf):
		r.TrafficMode = TrafficHighPerf
	default:
		p.fail(FormTrafficMode, mode, "must be Standard or HighPerformance")
	}
	if r.TrafficMode == TrafficHighPerf && (r.IPv6Count > 0 || len(r.IPv6) > 0) {
		p.fail(FormTrafficMode, r.TrafficMode, "does not allow IPv6 addresses: an RDMA ENI is IPv4 only")
	}
	r.SourceDestCheck = p.flag(FormSourceDestCheck)
	r.ClientToken = p.one(FormClientToken)
	if n := len(r.ClientToken); n > MaxClientToken || !isASCII(r.ClientToken) {
		p.fail(FormClientToken, "", fmt.Sprintf("must be at most %d ASCII characters; reload the form to get a new one", MaxClientToken))
	}
	return r, p.errs
}

func (p *parser) failIf(field, value, msg string) {
	if msg != "" {
		p.fail(field, value, msg)
	}
}

// groups reads the repeatable security group key; a value may also hold
// several IDs separated by commas or spaces.
func (p *parser) groups() []string {
	var out []string
	for _, raw := range p.v[FormSG] {
		for _, id := range strings.FieldsFunc(raw, listSep) {
			switch {
			case !reSG.MatchString(id):
				p.fail(FormSG, id, "is not a security group ID (like sg-bp1…)")
			case slices.Contains(out, id):
				p.fail(FormSG, id, "is chosen twice; choose each security group once")
			default:
				out = append(out, id)
			}
		}
	}
	switch {
	case len(out) == 0 && !slices.ContainsFunc(p.errs, func(e FieldError) bool { return e.Field == FormSG }):
		p.fail(FormSG, "", "needs at least one security group of the vSwitch's VPC")
	case len(out) > MaxSecurityGroups:
		p.fail(FormSG, "", fmt.Sprintf("has %d security groups; an ENI joins at most %d", len(out), MaxSecurityGroups))
	}
	return out
}

// description checks a description against the reference's rules.
func (p *parser) description(d string) {
	p.failIf(FormDescription, "", TextProblem(d))
	if n := utf8.RuneCountInString(d); d != "" && (n < minDescriptionLen || n > maxDescriptionLen) {
		p.fail(FormDescription, "", fmt.Sprintf("is %d characters long; it must be %d to %d", n, minDescriptionLen, maxDescriptionLen))
	}
	if hasURLPrefix(d) {
		p.fail(FormDescription, "", "must not start with http:// or https://")
	}
}

// nameProblem says why a name breaks the reference's rules, or "".
func nameProblem(name string) string {
	if name == "" {
		return ""
	}
	if msg := TextProblem(name); msg != "" {
		return msg
	}
	if hasURLPrefix(name) {
		return "must not start with http:// or https://"
	}
	if n := utf8.RuneCountInString(name); n < minENINameLen || n > maxENINameLen {
		return fmt.Sprintf("is %d characters long; it must be %d to %d", n, minENINameLen, maxENINameLen)
	}
	var bad []string
	for _, c := range name {
		if !unicode.IsLetter(c) && (c < '0' || c > '9') && !strings.ContainsRune(":_.-", c) {
			if q := strconv.QuoteRune(c); !slices.Contains(bad, q) {
				bad = append(bad, q)
			}
		}
	}
	if len(bad) > 0 {
		return "may contain only letters, digits 0-9, colons, underscores, periods and hyphens, not " + strings.Join(bad, " ")
	}
	return ""
}

func hasURLPrefix(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// count reads a whole number of 1..hi; empty or 0 means none asked for.
func (p *parser) count(key string, hi int) int {
	s := p.one(key)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > hi {
		p.fail(key, s, fmt.Sprintf("must be a whole number from 1 to %d", hi))
		return 0
	}
	return n
}

// addrs reads a textarea of items separated by commas, spaces or
// newlines, canonicalising each; repeats and more than hi are errors.
func (p *parser) addrs(key string, hi int, canon func(string) (string, string)) []string {
	var out []string
	for _, raw := range p.v[key] {
		for _, s := range strings.FieldsFunc(raw, listSep) {
			c, msg := canon(s)
			switch {
			case msg != "":
				p.fail(key, s, msg)
			case slices.Contains(out, c):
				p.fail(key, s, "is given twice; give each once")
			default:
				out = append(out, c)
			}
		}
	}
	if len(out) > hi {
		p.fail(key, "", fmt.Sprintf("has %d entries; at most %d", len(out), hi))
	}
	return out
}

func canonicalPrefix4(s string) (string, string) {
	pfx, err := netip.ParsePrefix(s)
	switch {
	case err != nil || !pfx.Addr().Is4():
		return "", "is not an IPv4 prefix (like 10.0.0.16/28)"
	case pfx.Bits() != IPv4PrefixBits:
		return "", fmt.Sprintf("is a /%d; IPv4 prefixes are /%d", pfx.Bits(), IPv4PrefixBits)
	case pfx != pfx.Masked():
		return "", "has host bits set; the prefix starts at " + pfx.Masked().String()
	}
	return pfx.String(), ""
}

// exclusive reports a count and a list of the same thing given together.
func (p *parser) exclusive(countKey string, hasCount bool, listKey string, hasList bool, what string) {
	if hasCount && hasList {
		p.fail(countKey, "", "cannot be given with a list of "+what+"; give a count or a list, not both")
		p.fail(listKey, "", "cannot be given with a count of "+what+"; give a count or a list, not both")
	}
}

// createTags reads the tags textarea: one key=value per line, the value
// may be empty. The rules are CreateNetworkInterface's Tag.N.
func (p *parser) createTags() []Tag {
	var out []Tag
	for _, raw := range p.v[FormTags] {
		for _, line := range strings.Split(raw, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			k, val, _ := strings.Cut(line, "=")
			t := Tag{Key: strings.TrimSpace(k), Value: strings.TrimSpace(val)}
			if msg := tagProblem(t); msg != "" {
				p.fail(FormTags, line, msg)
				continue
			}
			if slices.ContainsFunc(out, func(o Tag) bool { return o.Key == t.Key }) {
				p.fail(FormTags, line, fmt.Sprintf("repeats the key %q; each tag key is given once", t.Key))
				continue
			}
			out = append(out, t)
		}
	}
	if len(out) > MaxCreateTags {
		p.fail(FormTags, "", fmt.Sprintf("has %d tags; at most %d", len(out), MaxCreateTags))
	}
	return out
}

func tagProblem(t Tag) string {
	if msg := tagTextProblem(t); msg != "" {
		return msg
	}
	switch {
	case t.Key == "":
		return "has an empty key; write key=value"
	case utf8.RuneCountInString(t.Key) > maxCreateTagKey:
		return fmt.Sprintf("has a key longer than %d characters", maxCreateTagKey)
	case strings.HasPrefix(t.Key, "aliyun") || strings.HasPrefix(t.Key, "acs:"):
		return "has a key starting with aliyun or acs:, which the cloud keeps for itself"
	case strings.Contains(t.Key, "http://") || strings.Contains(t.Key, "https://"):
		return "has a key containing http:// or https://"
	case utf8.RuneCountInString(t.Value) > maxCreateTagValue:
		return fmt.Sprintf("has a value longer than %d characters", maxCreateTagValue)
	case strings.Contains(t.Value, "http://") || strings.Contains(t.Value, "https://"):
		return "has a value containing http:// or https://"
	}
	return ""
}

// flag reads a checkbox sent after a hidden "false": any "true" wins,
// absence leaves the cloud's default.
func (p *parser) flag(key string) *bool {
	vs := p.v[key]
	if len(vs) == 0 {
		return nil
	}
	b := false
	for _, s := range vs {
		switch strings.TrimSpace(s) {
		case "true":
			b = true
		case "false":
		default:
			p.fail(key, s, "must be true or false")
			return nil
		}
	}
	return &b
}

// Values encodes r as the create form sends it, so that ParseCreateForm
// gives r back: the form a failed submit re-renders, and a test's request.
func (r CreateRequest) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	count := func(k string, n int) {
		if n != 0 {
			v.Set(k, strconv.Itoa(n))
		}
	}
	flag := func(k string, b *bool) {
		if b != nil {
			v.Set(k, strconv.FormatBool(*b))
		}
	}
	set(FormRegion, r.Region)
	set(FormZone, r.ZoneID)
	set(FormVSwitch, r.VSwitchID)
	for _, id := range r.SecurityGroupIDs {
		v.Add(FormSG, id)
	}
	set(FormName, r.Name)
	set(FormDescription, r.Description)
	set(FormPrimaryIP, r.PrimaryIP)
	count(FormSecondaryCount, r.SecondaryIPCount)
	set(FormSecondaryIPs, strings.Join(r.SecondaryIPs, "\n"))
	count(FormIPv6Count, r.IPv6Count)
	set(FormIPv6, strings.Join(r.IPv6, "\n"))
	count(FormPrefixCount, r.IPv4PrefixCount)
	set(FormPrefixes, strings.Join(r.IPv4Prefixes, "\n"))
	tags := make([]string, len(r.Tags))
	for i, t := range r.Tags {
		tags[i] = t.Key + "=" + t.Value
	}
	set(FormTags, strings.Join(tags, "\n"))
	set(FormRG, r.ResourceGroupID)
	flag(FormDeleteOnRelease, r.DeleteOnRelease)
	count(FormQueueNumber, r.QueueNumber)
	set(FormTrafficMode, r.TrafficMode)
	flag(FormSourceDestCheck, r.SourceDestCheck)
	set(FormClientToken, r.ClientToken)
	return v
}
