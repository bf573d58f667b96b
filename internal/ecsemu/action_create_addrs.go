package ecsemu

import (
	"net/http"
	"net/netip"
	"slices"
)

// The address parameters of CreateNetworkInterface, and the parameters
// that only need checking (queue sizes, connection tracking, enhanced
// network), read without looking at the account.

func (s *createSpec) parseHidden(r *Request) error {
	if r.String("RxQueueSize") != "" || r.String("TxQueueSize") != "" {
		rx, err1 := r.Int("RxQueueSize", 0)
		tx, err2 := r.Int("TxQueueSize", 0)
		if err1 != nil || err2 != nil || rx != tx || (rx != 8192 && rx != 16384) {
			return newAPIErr(http.StatusBadRequest, "InvalidParameter.EniQueueSize",
				"The specified parameter \"TxQueueSize\" and \"RxQueueSize\" are not equal or the value must be 8192 or 16384.")
		}
		return newAPIErr(http.StatusBadRequest, "InvalidEniQueueSize.RegionOrUserNotSupported",
			"The specified parameter \"RxQueueSize\" or \"TxQueueSize\" is not supported in this region or this account is not allowed to use ENI QueueSize.")
	}
	ct := []struct {
		name    string
		allowed func(int) bool
	}{
		{"TcpEstablishedTimeout", func(n int) bool { return slices.Contains([]int{30, 60, 80, 100, 200, 300, 500, 700, 910}, n) }},
		{"TcpClosedAndTimeWaitTimeout", func(n int) bool { return n >= 3 && n <= 15 }},
		{"UdpTimeout", func(n int) bool { return slices.Contains([]int{10, 20, 30, 60, 80, 100}, n) }},
	}
	for _, c := range ct {
		name := "ConnectionTrackingConfiguration." + c.name
		if r.String(name) == "" {
			continue
		}
		if n, err := r.Int(name, 0); err != nil || !c.allowed(n) {
			return newAPIErr(http.StatusBadRequest, "InvalidParameter.EniConnectionTrackingConfiguration",
				"The specified ENI connection tracking configuration %q is not within the allowed values.", c.name)
		}
	}
	sriov, err := r.Bool("EnhancedNetwork.EnableSriov", false)
	if err != nil {
		return err
	}
	if _, err := r.Bool("EnhancedNetwork.EnableRss", false); err != nil {
		return err
	}
	total := r.String("EnhancedNetwork.VirtualFunctionTotalQueueNumber")
	qty, err := r.Int("EnhancedNetwork.VirtualFunctionQuantity", 0)
	bad := err != nil
	if sriov {
		bad = bad || total == "" || qty < 1 || qty > 256
	} else {
		bad = bad || total != "" || r.String("EnhancedNetwork.VirtualFunctionQuantity") != ""
	}
	if bad {
		return newAPIErr(http.StatusBadRequest, "InvalidParameter.EniEnhancedNetwork",
			"The input parameter \"EnhancedNetwork\" is illegal.")
	}
	return nil
}

func (s *createSpec) parseFlags(r *Request) error {
	var err error
	if s.deleteOnRelease, err = r.Bool("DeleteOnRelease", true); err != nil {
		return err
	}
	s.sourceDestCheck, err = r.Bool("SourceDestCheck", false)
	return err
}

func errBadIP(a string) error {
	return newAPIErr(http.StatusForbidden, "InvalidIp.Address", "The IP address %q is not valid.", a)
}

func errRepeatedIP(a string) error {
	return newAPIErr(http.StatusForbidden, "InvalidIp.IpRepeated", "The IP address %q is specified more than once.", a)
}

// countParam reads a 1..hi count; above hi it answers tooMany.
func countParam(r *Request, name string, hi int, tooMany error) (int, error) {
	if r.String(name) == "" {
		return 0, nil
	}
	n, err := r.Int(name, 0)
	if err != nil {
		return 0, err
	}
	if n > hi && tooMany != nil {
		return 0, tooMany
	}
	if n < 1 || n > hi {
		return 0, errParamInvalid(name)
	}
	return n, nil
}

func (s *createSpec) parseIPv4(r *Request) error {
	if v := r.String("PrimaryIpAddress"); v != "" {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return errBadIP(v)
		}
		s.primaryIP = a
	}
	list, err := listParam(r, "PrivateIpAddress", 10)
	if err != nil {
		return err
	}
	s.secondaryCount, err = countParam(r, "SecondaryPrivateIpAddressCount", 49,
		newAPIErr(http.StatusForbidden, "MaxEniPrivateIpsCountExceeded",
			"At most 49 secondary private IP addresses can be assigned when an ENI is created."))
	if err != nil {
		return err
	}
	if len(list) > 0 && s.secondaryCount > 0 {
		return errParamConflict("PrivateIpAddress.N", "SecondaryPrivateIpAddressCount")
	}
	for _, v := range list {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return errBadIP(v)
		}
		if a == s.primaryIP || slices.Contains(s.secondaryIPs, a) {
			return errRepeatedIP(v)
		}
		s.secondaryIPs = append(s.secondaryIPs, a)
	}
	return nil
}

func (s *createSpec) parseIPv6(r *Request) error {
	tooMany := newAPIErr(http.StatusNotFound, "InvalidOperation.MaxEniIpv6IpsCountExceeded",
		"The ipv6 address count exceed limitation.")
	list, err := listParam(r, "Ipv6Address", 10)
	if err != nil {
		return tooMany
	}
	if s.ipv6Count, err = countParam(r, "Ipv6AddressCount", 10, tooMany); err != nil {
		return err
	}
	if len(list) > 0 && s.ipv6Count > 0 {
		return errParamConflict("Ipv6Address.N", "Ipv6AddressCount")
	}
	for _, v := range list {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is6() || a.Is4In6() {
			return errBadIP(v)
		}
		if slices.Contains(s.ipv6, a) {
			return errRepeatedIP(v)
		}
		s.ipv6 = append(s.ipv6, a)
	}
	return nil
}

func (s *createSpec) parsePrefixes(r *Request) error {
	var err error
	if s.pfx4, s.pfx4Count, err = prefixParams(r, "Ipv4Prefix", ipv4PrefixLen, false); err != nil {
		return err
	}
	s.pfx6, s.pfx6Count, err = prefixParams(r, "Ipv6Prefix", ipv6PrefixLen, true)
	return err
}

// prefixParams reads name.N or nameCount, both 1..10 and exclusive.
func prefixParams(r *Request, name string, bits int, v6 bool) ([]netip.Prefix, int, error) {
	list, err := listParam(r, name, 10)
	if err != nil {
		return nil, 0, err
	}
	n, err := countParam(r, name+"Count", 10, nil)
	if err != nil {
		return nil, 0, err
	}
	if len(list) > 0 && n > 0 {
		return nil, 0, errParamConflict(name+".N", name+"Count")
	}
	var out []netip.Prefix
	for _, v := range list {
		p, err := netip.ParsePrefix(v)
		if err != nil || p.Addr().Is6() != v6 || p.Addr().Is4In6() {
			return nil, 0, newAPIErr(http.StatusForbidden, "InvalidIp.IpPrefixIllegal", "The ip prefixes %s is/are illegal.", v)
		}
		if p.Bits() != bits {
			return nil, 0, newAPIErr(http.StatusForbidden, "InvalidIp.IpPrefixMaskInvalid",
				"The IP prefix mask %d is illegal which must be between %d and %d.", p.Bits(), bits, bits)
		}
		if p != p.Masked() {
			return nil, 0, newAPIErr(http.StatusForbidden, "InvalidIp.IpPrefixNotStrict",
				"The IP prefix %q must be strict CIDR format.", v)
		}
		if slices.Contains(out, p) {
			return nil, 0, errPrefixNotAvailable()
		}
		out = append(out, p)
	}
	return out, n, nil
}

func errPrefixNotAvailable() error {
	return newAPIErr(http.StatusForbidden, "InvalidIp.IpPrefixNotAvailable", "The IP prefix is not available.")
}
