package ecsemu

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// CreateNetworkInterface is synchronous: the ENI is Available when the call
// returns. A ClientToken makes it idempotent: a repeated token (in the same
// region) with the same parameters answers the first call's body, even
// while the first call is running, because the whole action holds the
// world's write lock; with other parameters it is refused.

// tokenUse is what a ClientToken was first used for: the request's own
// parameters and the answer.
type tokenUse struct {
	params string
	body   *createNetworkInterfaceResponse
}

// commonParams are the RPC common parameters: they change with every
// retry (nonce, time, signature) or with the signature scheme (ACS3 sends
// them as headers), so they are not part of what a ClientToken binds.
var commonParams = map[string]bool{
	"Action": true, "Version": true, "Format": true, "AccessKeyId": true, "SecurityToken": true,
	"Signature": true, "SignatureMethod": true, "SignatureVersion": true, "SignatureNonce": true,
	"SignatureType": true, "Timestamp": true,
}

// apiParams encodes the API's own parameters of r canonically (sorted,
// exactly as sent) for comparing two uses of one ClientToken.
func apiParams(r *Request) string {
	own := make(url.Values, len(r.Params))
	for k, v := range r.Params {
		if !commonParams[k] {
			own[k] = v
		}
	}
	return own.Encode()
}

func errTokenMismatch() error {
	return newAPIErr(http.StatusBadRequest, "IdempotentParameterMismatch",
		"Request uses a client token in a previous request but is not identical to that request.")
}

func (w *World) createNetworkInterface(_ context.Context, r *Request) (any, error) {
	spec, err := parseCreateSpec(r)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	tokenKey, params := reg.id+"/"+spec.clientToken, apiParams(r)
	if spec.clientToken != "" {
		if use, ok := w.tokens[tokenKey]; ok {
			if use.params != params {
				return nil, errTokenMismatch()
			}
			return use.body, nil
		}
	}
	e, err := w.buildENI(reg, spec)
	if err != nil {
		return nil, err
	}
	body := createResponseOf(e)
	if spec.clientToken != "" {
		w.tokens[tokenKey] = tokenUse{params: params, body: body}
	}
	return body, nil
}

// buildENI checks spec against the account, then allocates the addresses;
// on any failure nothing is left allocated.
func (w *World) buildENI(reg *region, spec *createSpec) (*eni, error) {
	vs, ok := w.vswitches[spec.vswID]
	if !ok || vs.vpc.region != reg {
		return nil, newAPIErr(http.StatusNotFound, "InvalidVSwitchId.NotFound", "The specified vSwitch %q does not exist.", spec.vswID)
	}
	groups, err := w.groupsFor(reg, vs, spec.sgIDs)
	if err != nil {
		return nil, err
	}
	rg := w.defaultRG
	if spec.rg != "" {
		if !w.resourceGroups[spec.rg] {
			return nil, newAPIErr(http.StatusNotFound, "InvalidResourceGroup.NotFound",
				"The ResourceGroup provided does not exist in our records.")
		}
		rg = spec.rg
	}
	if !vs.ipv6.IsValid() && (len(spec.ipv6) > 0 || spec.ipv6Count > 0 || len(spec.pfx6) > 0 || spec.pfx6Count > 0) {
		return nil, newAPIErr(http.StatusNotFound, "InvalidOperation.VSwitchIpv6Disabled",
			"The specified VSwitch does not support Ipv6 feature.")
	}
	e := w.newENIShell(vs, w.now().UTC().Truncate(time.Second))
	e.name, e.description, e.groups, e.resourceGroup = spec.name, spec.desc, groups, rg
	e.tags = append([]TagParam(nil), spec.tags...)
	e.queueNumber, e.queuePairNumber, e.trafficMode = spec.queue, spec.queuePairs, spec.traffic
	e.deleteOnRelease, e.sourceDestCheck = spec.deleteOnRelease, spec.sourceDestCheck
	if err := w.assignAddresses(e, spec); err != nil {
		vs.pool.releaseENI(e)
		return nil, err
	}
	w.addENI(e)
	return e, nil
}

func (w *World) groupsFor(reg *region, vs *vswitch, ids []string) ([]*secGroup, error) {
	groups := make([]*secGroup, 0, len(ids))
	for _, id := range ids {
		g, ok := w.groups[id]
		if !ok || g.region != reg {
			return nil, newAPIErr(http.StatusNotFound, "InvalidSecurityGroupId.NotFound",
				"The specified security group %q does not exist.", id)
		}
		if g.vpc != vs.vpc {
			return nil, newAPIErr(http.StatusForbidden, "InvalidOperation.VpcMismatch",
				"The security group %q and the vSwitch %q are not in the same VPC.", id, vs.id)
		}
		if len(groups) > 0 && groups[0].kind != g.kind {
			return nil, newAPIErr(http.StatusForbidden, "EnterpriseGroupLimited.MutliGroupType",
				"The specified instance can't associate security group of different types.")
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// assignAddresses takes the requested addresses and prefixes from the
// vSwitch, recording each on e as it goes so a failure can be rolled back
// with releaseENI.
func (w *World) assignAddresses(e *eni, spec *createSpec) error {
	p := e.vswitch.pool
	explicit := len(spec.secondaryIPs)
	if spec.primaryIP.IsValid() {
		explicit++
	}
	need := explicit + spec.secondaryCount + 16*(len(spec.pfx4)+spec.pfx4Count)
	if !spec.primaryIP.IsValid() {
		need++
	}
	if p.free() < need {
		return newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpNotEnough",
			"The specified vSwitch %q does not have enough IP addresses.", e.vswitch.id)
	}
	takeV4 := func(a netip.Addr) error {
		if !p.usableAddr(a) {
			return newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpInvalid",
				"The specified private IP address %q is not in the CIDR block of the vSwitch.", a.String())
		}
		if !p.isFree(a) {
			return newAPIErr(http.StatusBadRequest, "InvalidPrivateIpAddress.Duplicated",
				"The specified private IP address %q is duplicated.", a.String())
		}
		p.take(a, e.id)
		return nil
	}
	if spec.primaryIP.IsValid() {
		if err := takeV4(spec.primaryIP); err != nil {
			return err
		}
		e.primaryIP = spec.primaryIP
	}
	for _, a := range spec.secondaryIPs {
		if err := takeV4(a); err != nil {
			return err
		}
		e.secondaryIPs = append(e.secondaryIPs, a)
	}
	for _, pfx := range spec.pfx4 {
		if !e.vswitch.cidr.Contains(pfx.Addr()) {
			return newAPIErr(http.StatusForbidden, "InvalidIp.IpPrefixIllegal", "The ip prefixes %s is/are illegal.", pfx)
		}
		if !p.prefix4Free(pfx) {
			return errPrefixNotAvailable()
		}
		p.takePrefix4(pfx, e.id)
		e.ipv4Prefixes = append(e.ipv4Prefixes, pfx)
	}
	for range spec.pfx4Count {
		pfx, ok := p.allocPrefix4(e.id)
		if !ok {
			return newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpPrefixNotEnough",
				"The specified VSwitch does not have enough IP prefixes.")
		}
		e.ipv4Prefixes = append(e.ipv4Prefixes, pfx)
	}
	if !e.primaryIP.IsValid() {
		a, ok := p.alloc(e.id)
		if !ok {
			return errIPNotEnough(e)
		}
		e.primaryIP = a
	}
	for range spec.secondaryCount {
		a, ok := p.alloc(e.id)
		if !ok {
			return errIPNotEnough(e)
		}
		e.secondaryIPs = append(e.secondaryIPs, a)
	}
	return w.assignIPv6(e, spec)
}

func errIPNotEnough(e *eni) error {
	return newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpNotEnough",
		"The specified vSwitch %q does not have enough IP addresses.", e.vswitch.id)
}

func (w *World) assignIPv6(e *eni, spec *createSpec) error {
	p := e.vswitch.pool
	for _, a := range spec.ipv6 {
		if !p.in6(a) {
			return newAPIErr(http.StatusNotFound, "InvalidOperation.AddressNotInVSwitchCidr",
				"The specified ipv6 does not match VSwitch cidr scope.")
		}
		if !p.isFree6(a) {
			return newAPIErr(http.StatusNotFound, "InvalidOperation.AddressAlreadyAllocated",
				"The specified ipv6 has been already allocated.")
		}
		p.take6(a, e.id)
		e.ipv6 = append(e.ipv6, a)
	}
	for range spec.ipv6Count {
		a, ok := p.alloc6(e.id, w.rng)
		if !ok {
			return errIPNotEnough(e)
		}
		e.ipv6 = append(e.ipv6, a)
	}
	for _, pfx := range spec.pfx6 {
		if !p.in6(pfx.Addr()) {
			return newAPIErr(http.StatusForbidden, "InvalidIp.IpPrefixIllegal", "The ip prefixes %s is/are illegal.", pfx)
		}
		if !p.prefix6Free(pfx) {
			return errPrefixNotAvailable()
		}
		p.takePrefix6(pfx, e.id)
		e.ipv6Prefixes = append(e.ipv6Prefixes, pfx)
	}
	for range spec.pfx6Count {
		pfx, ok := p.allocPrefix6(e.id, w.rng)
		if !ok {
			return newAPIErr(http.StatusForbidden, "InvalidVSwitchId.IpPrefixNotEnough",
				"The specified VSwitch does not have enough IP prefixes.")
		}
		e.ipv6Prefixes = append(e.ipv6Prefixes, pfx)
	}
	return nil
}
