package eni

import (
	"slices"
	"strings"
	"testing"
)

// Every code of the four address calls, explained for the addresses form,
// reads as sentences, names one of that form's fields (or none) and gives
// no advice that fits only the create form.
func TestExplainAddressesEveryCode(t *testing.T) {
	forms := map[string]AddressForm{
		"by count": {Op: OpAssign, AddressRequest: AddressRequest{Family: FamilyIPv4, Count: 2}},
		"by list":  {Op: OpAssign, AddressRequest: AddressRequest{Family: FamilyIPv4, Addresses: []string{"10.0.0.9"}}},
		"removal":  {Op: OpUnassign, AddressRequest: AddressRequest{Family: FamilyIPv6, Addresses: []string{"2408::9"}}},
	}
	createOnly := []string{"leave it empty", "when creating", "hoose another vSwitch", "traffic mode", "create form",
		"a vSwitch with", "ask for no"}
	for _, api := range []string{"AssignPrivateIpAddresses", "UnassignPrivateIpAddresses", "AssignIpv6Addresses", "UnassignIpv6Addresses"} {
		for _, code := range append(documentedCodes[api], commonCodes...) {
			for name, f := range forms {
				t.Run(api+"/"+code+"/"+name, func(t *testing.T) {
					x, ok := ExplainAddresses(code, f)
					if !ok {
						t.Fatal("unknown")
					}
					for _, s := range []string{x.Summary, x.Next} {
						if len(s) < 10 || !strings.HasSuffix(s, ".") || strings.ToUpper(s[:1]) != s[:1] && !strings.HasPrefix(s, "enidash") {
							t.Errorf("%q is not a sentence", s)
						}
					}
					if !slices.Contains([]string{"", FormAddresses, FormCount, FormFamily}, x.Field) {
						t.Errorf("field %q is not one of the addresses form", x.Field)
					}
					if x.Field == FormCount && f.Count == 0 {
						t.Errorf("placed at the count, which was not given")
					}
					for _, s := range createOnly {
						if strings.Contains(x.Summary+" "+x.Next, s) {
							t.Errorf("create form advice %q: %+v", s, x)
						}
					}
				})
			}
		}
	}
}
