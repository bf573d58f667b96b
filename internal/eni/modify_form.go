package eni

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// The forms that change an ENI after it exists (edit, addresses, tags).
// They apply the create form's rules through the same functions: a name,
// a description, security groups or tags valid at creation are valid
// here, and the other way round.

// Keys of the address form.
const (
	FormFamily    = "family"    // ipv4 or ipv6
	FormOp        = "op"        // assign or unassign
	FormCount     = "count"     // assign this many
	FormAddresses = "addresses" // or these, one a line
)

// Address operations.
const (
	OpAssign   = "assign"
	OpUnassign = "unassign"
)

// ParseEditForm reads the edit form against the ENI as it is: name,
// description, security groups (the whole new set), DeleteOnRelease, the
// queue number (empty: as it is) and the source/destination check. Only
// what differs from e is set in the request.
func ParseEditForm(v url.Values, e ENI) (ModifyRequest, FieldErrors) {
	p := parser{v: v}
	r := ModifyRequest{Region: e.RegionID, ID: e.ID}
	name := p.one(FormName)
	if msg := nameProblem(name); msg != "" {
		p.fail(FormName, name, msg)
	}
	desc := p.one(FormDescription)
	p.description(desc)
	groups := p.groups()
	dor := p.flag(FormDeleteOnRelease)
	queues := p.editQueueNumber()
	check := p.flag(FormSourceDestCheck)
	if name != e.Name {
		r.Name = &name
	}
	if desc != e.Description {
		r.Description = &desc
	}
	if !sameSet(groups, e.SecurityGroups) {
		r.SecurityGroupIDs = groups
	}
	if dor != nil && *dor != e.DeleteOnRelease {
		r.DeleteOnRelease = dor
	}
	if queues != nil && *queues != e.QueueNumber {
		r.QueueNumber = queues
	}
	if check != nil && *check != e.SourceDestCheck {
		r.SourceDestCheck = check
	}
	return r, p.errs
}

// Changes reports whether the request changes anything.
func (r ModifyRequest) Changes() bool {
	return r.Name != nil || r.Description != nil || r.SecurityGroupIDs != nil || r.DeleteOnRelease != nil ||
		r.QueueNumber != nil || r.SourceDestCheck != nil
}

// ValidateGroups checks chosen security groups against the VPC's: each of
// the ENI's VPC, all of one kind (basic or enterprise). Groups missing
// from groups are left to the cloud to judge.
func ValidateGroups(ids []string, vpcID string, groups []SecurityGroup) FieldErrors {
	var errs FieldErrors
	kinds := map[SecurityGroupKind][]string{}
	for _, id := range ids {
		i := slices.IndexFunc(groups, func(g SecurityGroup) bool { return g.ID == id })
		if i < 0 {
			continue
		}
		if g := groups[i]; g.VpcID != vpcID {
			errs = append(errs, FieldError{Field: FormSG, Value: id,
				Message: fmt.Sprintf("is in %s; an ENI's security groups are of its VPC %s", g.VpcID, vpcID)})
		} else if g.Kind != "" {
			kinds[g.Kind] = append(kinds[g.Kind], id)
		}
	}
	if len(kinds[SGBasic]) > 0 && len(kinds[SGEnterprise]) > 0 {
		errs = append(errs, FieldError{Field: FormSG, Message: fmt.Sprintf(
			"mixes basic (%s) and enterprise (%s) security groups; choose groups of one kind",
			strings.Join(kinds[SGBasic], ", "), strings.Join(kinds[SGEnterprise], ", "))})
	}
	return errs
}

// ParseTagsForm reads the whole new set of tags, one key=value a line,
// with the create form's rules.
func ParseTagsForm(v url.Values) ([]Tag, FieldErrors) {
	p := parser{v: v}
	tags := p.createTags()
	return tags, p.errs
}

// TagDiff is what turns the tags old into new: the tags to set (added or
// with a new value) and the keys to remove.
func TagDiff(old, new []Tag) (set []Tag, remove []string) {
	for _, t := range new {
		i := slices.IndexFunc(old, func(o Tag) bool { return o.Key == t.Key })
		if i < 0 || old[i].Value != t.Value {
			set = append(set, t)
		}
	}
	for _, o := range old {
		if !slices.ContainsFunc(new, func(t Tag) bool { return t.Key == o.Key }) {
			remove = append(remove, o.Key)
		}
	}
	return set, remove
}

// AddressForm is the address form as read: the operation and the request.
type AddressForm struct {
	Op string
	AddressRequest
}

// ParseAddressForm reads the address form: a family, an operation, and a
// count (assign only) or a list of addresses, never both.
func ParseAddressForm(v url.Values, e ENI) (AddressForm, FieldErrors) {
	p := parser{v: v}
	f := AddressForm{AddressRequest: AddressRequest{Region: e.RegionID, ID: e.ID}}
	switch fam := p.one(FormFamily); fam {
	case string(FamilyIPv4), string(FamilyIPv6):
		f.Family = AddressFamily(fam)
	default:
		p.fail(FormFamily, fam, "must be ipv4 or ipv6")
	}
	switch f.Op = p.one(FormOp); f.Op {
	case OpAssign, OpUnassign:
	default:
		p.fail(FormOp, f.Op, "must be assign or unassign")
	}
	f.Count = p.count(FormCount, MaxSecondaryCount)
	canon := canonicalIPv4
	if f.Family == FamilyIPv6 {
		canon = canonicalIPv6
	}
	f.Addresses = p.addrs(FormAddresses, MaxSecondaryCount, canon)
	switch {
	case f.Op == OpUnassign && f.Count > 0:
		p.fail(FormAddresses, "", "are chosen one by one to remove; a count cannot be used")
	case f.Op == OpUnassign && len(f.Addresses) == 0 && len(p.errs) == 0:
		p.fail(FormAddresses, "", "needs at least one address to remove")
	case f.Op == OpAssign && f.Count > 0 && len(f.Addresses) > 0:
		p.fail(FormCount, "", "cannot be given with a list of addresses; give a count or a list, not both")
	case f.Op == OpAssign && f.Count == 0 && len(f.Addresses) == 0 && len(p.errs) == 0:
		p.fail(FormCount, "", "needs a number of addresses to add, or a list of them")
	}
	return f, p.errs
}

// ValidateAddresses checks an address change against the ENI and its
// vSwitch before the call: the ENI's state, addresses inside the vSwitch's
// block and not reserved, not in use (inUse: the addresses the vSwitch's
// ENIs hold), IPv6 only on an IPv6 vSwitch, the primary address never
// removed, and the limits (see AddressLimitOf; inst is the instance e is
// attached to, when known).
func ValidateAddresses(f AddressForm, e ENI, vs VSwitch, inUse []string, inst Instance) FieldErrors {
	var errs FieldErrors
	fail := func(field, value, msg string) {
		errs = append(errs, FieldError{Field: field, Value: value, Message: msg})
	}
	if e.Status != StatusAvailable && e.Status != StatusInUse {
		fail(FormOp, f.Op, "cannot be done while the ENI is "+string(e.Status)+"; it must be Available or InUse")
		return errs
	}
	has := e.SecondaryIPs()
	if f.Family == FamilyIPv6 {
		has = e.IPv6
	}
	if f.Op == OpUnassign {
		for _, a := range f.Addresses {
			switch {
			case a == e.PrimaryIP:
				fail(FormAddresses, a, "is the ENI's primary address, which is never removed")
			case !slices.Contains(has, a):
				fail(FormAddresses, a, "is not a secondary address of "+e.ID)
			}
		}
		return errs
	}
	if f.Family == FamilyIPv6 && vs.IPv6CIDR == "" {
		fail(FormFamily, string(f.Family), "cannot be added: vSwitch "+vs.ID+" has no IPv6 CIDR block")
		return errs
	}
	adding := f.Count + len(f.Addresses)
	lim := AddressLimitOf(e, inst, f.Family)
	if f.Family == FamilyIPv6 && lim.Known() && lim.Type != "" && lim.PerENI == 0 {
		fail(FormFamily, string(f.Family), "cannot be added: instance type "+lim.Type+" of "+e.InstanceID+" takes no IPv6 addresses")
		return errs
	}
	if msg := lim.exceeded(adding); msg != "" {
		fail(addrField(f), "", msg)
	}
	if f.Family == FamilyIPv4 && adding > vs.AvailableIP {
		fail(addrField(f), "", fmt.Sprintf("asks for %d addresses; vSwitch %s has %d free", adding, vs.ID, vs.AvailableIP))
	}
	cidr, _ := netip.ParsePrefix(vs.CIDR)
	cidr6, _ := netip.ParsePrefix(vs.IPv6CIDR)
	for _, a := range f.Addresses {
		ip, _ := netip.ParseAddr(a)
		switch {
		case f.Family == FamilyIPv4 && cidr.IsValid():
			if msg := addrProblem(cidr, a, vs.ID); msg != "" {
				fail(FormAddresses, a, msg)
				continue
			}
		case f.Family == FamilyIPv6 && cidr6.IsValid() && !cidr6.Contains(ip):
			fail(FormAddresses, a, "is outside the vSwitch's IPv6 block "+vs.IPv6CIDR)
			continue
		}
		if slices.Contains(inUse, a) {
			fail(FormAddresses, a, "is already in use in vSwitch "+vs.ID)
		}
	}
	return errs
}

func addrField(f AddressForm) string {
	if f.Count > 0 {
		return FormCount
	}
	return FormAddresses
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}
