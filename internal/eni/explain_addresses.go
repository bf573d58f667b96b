package eni

// The address calls' refusals explained for the addresses form. Explain
// speaks of the create form (its primary_ip field, "leave it empty",
// "choose another vSwitch"); here an ENI keeps its vSwitch and traffic
// mode, and addresses are given by count or by list.

// Where an address form explanation belongs.
const (
	atList     = "list"     // the addresses field
	atQuantity = "quantity" // the count, or the list when one was given
	atFamily   = "family"   // the family chosen
)

type addressExplanation struct {
	Summary, Next, at string
}

var (
	addrNotEnough = addressExplanation{"The ENI's vSwitch has not enough free addresses.",
		"Add fewer addresses, or free some in the vSwitch: an ENI keeps the vSwitch it was created in.", atQuantity}
	addrNoIPv6 = addressExplanation{"The ENI's vSwitch has no IPv6 CIDR block, so it cannot give IPv6 addresses.",
		"Add IPv4 addresses instead, or enable IPv6 on the vSwitch in the VPC console.", atFamily}
	addrV4Over = addressExplanation{"The ENI would have more private IPv4 addresses than its limit.",
		"Add fewer: the page says how many more the ENI may take.", atQuantity}
	addrV6Over = addressExplanation{"The ENI would have more IPv6 addresses than its limit.",
		"Add fewer: the page says how many more the ENI may take.", atQuantity}
	addrV6OverFree = addressExplanation{"The ENI would have more IPv6 addresses than allowed.",
		"Add fewer: an ENI not attached takes at most 10; the page says how many more it may take.", atQuantity}
	addrResent = addressExplanation{"This assignment was already sent with other values.",
		"Reload the addresses page and submit the form again.", ""}
	addrGone = addressExplanation{"An address to remove is not one of the ENI's vSwitch.",
		"Refresh the page and choose among the ENI's current addresses.", atList}
)

// addressExplanations replace Explain's words where they speak of the
// create form; unassign holds those that differ for a removal.
var addressExplanations = map[string]addressExplanation{
	"InvalidIp.Address": {"An address in the list is not well formed or not allowed.",
		"Correct the address, or give a count instead to let the cloud choose free ones.", atList},
	"InvalidVSwitchId.IpInvalid": {"An address in the list cannot be used in the ENI's vSwitch.",
		"Give addresses inside the vSwitch's CIDR block (not its first or last three), or give a count instead.", atList},
	"InvalidPrivateIpAddress.Duplicated": {"An address in the list is already in use.",
		"Choose free addresses of the vSwitch, or give a count instead.", atList},
	"InvalidOperation.Ipv4CountExceeded": addrV4Over,
	"MaxEniPrivateIpsCountExceeded": {"The ENI would have more secondary private IPv4 addresses than allowed.",
		"Add fewer: the page says how many more the ENI may take.", atQuantity},
	"InvalidOperation.Ipv6CountExceeded":          addrV6Over,
	"MaxEniIpv6IpsCountExceeded":                  addrV6OverFree,
	"InvalidOperation.MaxEniIpv6IpsCountExceeded": addrV6OverFree,
	"InvalidVSwitchId.IpNotEnough":                addrNotEnough,
	"QuotaExceeded.PrivateIpAddress":              addrNotEnough,
	"InvalidVSwitch.Ipv6NotTurnOn":                addrNoIPv6,
	"InvalidOperation.VSwitchIpv6Disabled":        addrNoIPv6,
	"InvalidOperation.EnableIpv6Failed":           addrNoIPv6,
	"InvalidOperation.Ipv6NotSupport": {"The instance type of the ENI's instance does not support IPv6.",
		"Add IPv4 addresses instead, or attach the ENI to an instance type with IPv6.", atFamily},
	"InvalidOperation.EniTrafficModeNotSupportIpv6": {"A HighPerformance (RDMA) ENI cannot have IPv6 addresses.",
		"Add IPv4 addresses instead: this ENI takes IPv4 only.", atFamily},
	"InvalidVSwitchId.IpPrefixNotEnough": {"The ENI's vSwitch has not enough free IPv4 prefixes.",
		"This form assigns addresses, not prefixes: submit it again, and report the RequestId if it keeps failing.", ""},
	"IdempotentParameterMismatch": addrResent,
	"IdempotenceParamNotMatch":    addrResent,
	"InvalidParameter.Conflict": {"A count and a list of addresses were both sent.",
		"Give either a count or a list of addresses, not both.", atQuantity},
}

var unassignExplanations = map[string]addressExplanation{
	"InvalidVSwitchId.IpInvalid": addrGone,
	"InvalidIp.Address": {"An address to remove is not well formed.",
		"Refresh the page and choose among the ENI's current addresses.", atList},
}

// ExplainAddresses is Explain for the addresses form f: the words fit that
// form, and Field is one of its fields (FormAddresses, FormCount or
// FormFamily), or "" when the code concerns none.
func ExplainAddresses(code string, f AddressForm) (Explanation, bool) {
	a, ok := addressExplanations[code]
	if u, isU := unassignExplanations[code]; isU && f.Op == OpUnassign {
		a, ok = u, true
	}
	if ok {
		return Explanation{Summary: a.Summary, Next: a.Next, Field: addrFormField(a.at, f)}, true
	}
	x, ok := Explain(code)
	switch x.Field {
	case FormPrimaryIP, FormSecondaryIPs, FormIPv6:
		x.Field = FormAddresses
	case FormSecondaryCount, FormIPv6Count:
		x.Field = addrFormField(atQuantity, f)
	default:
		x.Field = ""
	}
	return x, ok
}

func addrFormField(at string, f AddressForm) string {
	switch at {
	case atList:
		return FormAddresses
	case atFamily:
		return FormFamily
	case atQuantity:
		return addrField(f)
	}
	return ""
}
