package ecsemu

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The request-only rules of CreateNetworkInterface: everything that can be
// checked without looking at the account.

// createSpec is a syntactically valid CreateNetworkInterface request.
type createSpec struct {
	clientToken       string
	vswID             string
	sgIDs             []string
	name, desc        string
	primaryIP         netip.Addr // invalid: pick one
	secondaryIPs      []netip.Addr
	secondaryCount    int
	ipv6              []netip.Addr
	ipv6Count         int
	pfx4              []netip.Prefix
	pfx4Count         int
	pfx6              []netip.Prefix
	pfx6Count         int
	tags              []TagParam
	rg                string
	queue, queuePairs int
	traffic           string
	deleteOnRelease   bool
	sourceDestCheck   bool
}

const maxGroupsPerENI = 5

func parseCreateSpec(r *Request) (*createSpec, error) {
	s := &createSpec{clientToken: r.String("ClientToken"), vswID: r.String("VSwitchId"),
		name: r.String("NetworkInterfaceName"), desc: r.String("Description"), rg: r.String("ResourceGroupId")}
	if len(s.clientToken) > 64 || !isASCII(s.clientToken) {
		return nil, errParamInvalid("ClientToken")
	}
	if s.vswID == "" {
		return nil, errParamMissing("VSwitchId")
	}
	steps := []func(*Request) error{s.parseGroups, s.parseTexts, s.parseKind, s.parseTags, s.parseTraffic,
		s.parseHidden, s.parseFlags, s.parseIPv4, s.parseIPv6, s.parsePrefixes}
	for _, step := range steps {
		if err := step(r); err != nil {
			return nil, err
		}
	}
	if s.traffic == trafficHighPerformance && (len(s.ipv6) > 0 || s.ipv6Count > 0 || len(s.pfx6) > 0 || s.pfx6Count > 0) {
		return nil, newAPIErr(http.StatusNotFound, "InvalidOperation.EniTrafficModeNotSupportIpv6",
			"The High Performance(RDMA) traffic mode does not support IPv6.")
	}
	return s, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func (s *createSpec) parseGroups(r *Request) error {
	one := r.String("SecurityGroupId")
	many, err := listParam(r, "SecurityGroupIds", 100)
	if err != nil {
		return err
	}
	switch {
	case one != "" && len(many) > 0:
		return newAPIErr(http.StatusBadRequest, "InvalidSecurityGroupId.SingleIdAndMultiIdConflict",
			"The parameters SecurityGroupId and SecurityGroupIds.N cannot be specified at the same time.")
	case one != "":
		s.sgIDs = []string{one}
	case len(many) > 0:
		s.sgIDs = many
	default:
		return errParamMissing("SecurityGroupId")
	}
	for i, id := range s.sgIDs {
		if slices.Contains(s.sgIDs[:i], id) {
			return newAPIErr(http.StatusBadRequest, "InvalidParameter.SecurityGroupIdRepeated",
				"The security group %q is specified more than once.", id)
		}
	}
	if len(s.sgIDs) > maxGroupsPerENI {
		return newAPIErr(http.StatusBadRequest, "JoinedGroupLimitExceed",
			"An ENI can join at most %d security groups.", maxGroupsPerENI)
	}
	return nil
}

func (s *createSpec) parseTexts(*Request) error {
	if s.name != "" && !validENIName(s.name) {
		return newAPIErr(http.StatusForbidden, "InvalidParams.NetworkInterfaceName",
			"The name must be 2 to 128 characters long and contain only letters, digits, colons (:), underscores (_), periods (.) and hyphens (-).")
	}
	if s.desc != "" {
		if n := utf8.RuneCountInString(s.desc); n < 2 || n > 256 || hasURLPrefix(s.desc) {
			return errParamInvalid("Description")
		}
	}
	return nil
}

func validENIName(name string) bool {
	if n := utf8.RuneCountInString(name); n < 2 || n > 128 || hasURLPrefix(name) {
		return false
	}
	for _, c := range name {
		// Unicode letters, but only the digits 0-9.
		if !unicode.IsLetter(c) && (c < '0' || c > '9') && !strings.ContainsRune(":_.-", c) {
			return false
		}
	}
	return true
}

func hasURLPrefix(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func (s *createSpec) parseKind(r *Request) error {
	switch r.String("InstanceType") {
	case "", eniSecondary:
	case "Trunk":
		return newAPIErr(http.StatusForbidden, "InvalidOperation.TrunkingIsNotAllowed",
			"Trunk network interfaces are not available to this account.")
	default:
		return errParamInvalid("InstanceType")
	}
	// Visible and BusinessType are deprecated: accepted and ignored.
	_, err := r.Bool("Visible", false)
	return err
}

func (s *createSpec) parseTags(r *Request) error {
	tags, tooMany := tagsParam(r, 20)
	if tooMany {
		return newAPIErr(http.StatusForbidden, "QuotaExceed.Tags", "A resource can have at most 20 tags.")
	}
	for i, t := range tags {
		// The limits are in characters, not bytes.
		if t.Key == "" || utf8.RuneCountInString(t.Key) > 128 || strings.HasPrefix(t.Key, "aliyun") || strings.HasPrefix(t.Key, "acs:") ||
			strings.Contains(t.Key, "http://") || strings.Contains(t.Key, "https://") {
			return newAPIErr(http.StatusBadRequest, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.")
		}
		if utf8.RuneCountInString(t.Value) > 128 || strings.Contains(t.Value, "http://") || strings.Contains(t.Value, "https://") {
			return newAPIErr(http.StatusBadRequest, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.")
		}
		if slices.ContainsFunc(tags[:i], func(o TagParam) bool { return o.Key == t.Key }) {
			return newAPIErr(http.StatusBadRequest, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key.")
		}
	}
	s.tags = tags
	return nil
}

// parseTraffic reads the traffic mode and queues, given at the top level or
// in NetworkInterfaceTrafficConfig (the top level wins).
func (s *createSpec) parseTraffic(r *Request) error {
	pick := func(name string) string {
		if v := r.String(name); v != "" {
			return name
		}
		return "NetworkInterfaceTrafficConfig." + name
	}
	s.traffic = r.String(pick("NetworkInterfaceTrafficMode"))
	switch s.traffic {
	case "":
		s.traffic = trafficStandard
	case trafficStandard, trafficHighPerformance:
	default:
		return newAPIErr(http.StatusForbidden, "InvalidParameter.EniTrafficMode",
			"The specified NetworkInterfaceTrafficMode %q is not valid.", s.traffic)
	}
	q, err := r.Int(pick("QueueNumber"), 0)
	if err != nil {
		return err
	}
	if r.String(pick("QueueNumber")) != "" && (q < 1 || q > 2048) {
		return newAPIErr(http.StatusForbidden, "InvalidParameter.InvalidEniQueueNumber",
			"The QueueNumber must be between 1 and 2048.")
	}
	s.queue = q
	qpName := pick("QueuePairNumber")
	if r.String(qpName) == "" {
		return nil
	}
	if s.traffic != trafficHighPerformance {
		return newAPIErr(http.StatusForbidden, "InvalidParameter.QueuePairNumberMustEmpty",
			"QueuePairNumber applies only to ENIs in the HighPerformance traffic mode.")
	}
	qp, err := r.Int(qpName, 0)
	if err != nil || qp < 1 || qp > 2048 {
		return newAPIErr(http.StatusForbidden, "InvalidParameter.InvalidQueuePairNumber",
			"The specified QueuePairNumber is not valid.")
	}
	s.queuePairs = qp
	return nil
}
