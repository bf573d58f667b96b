package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// Proxies are the addresses whose forwarding headers are believed:
// X-Forwarded-For, X-Forwarded-Proto and the SSO user header.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of CIDRs and single addresses
// (ENIDASH_TRUSTED_PROXIES), e.g. "10.0.0.0/8, 127.0.0.1, ::1".
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: want an address or a CIDR like 10.0.0.0/8", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want an address or a CIDR like 10.0.0.0/8", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Trusts reports whether a is one of the proxies.
func (p Proxies) Trusts(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsValid() && slices.ContainsFunc(p, func(pr netip.Prefix) bool { return pr.Contains(a) })
}

// peer is the TCP peer of the request: never a header.
func peer(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// trustedPeer reports whether the request came straight from a proxy.
func (p Proxies) trustedPeer(r *http.Request) bool { return p.Trusts(peer(r)) }

// ClientAddr is where the request came from: the peer, or when the peer
// is a trusted proxy, the last hop of X-Forwarded-For that is not one (the
// hops to its left could be forged by the client).
func (p Proxies) ClientAddr(r *http.Request) string {
	pa := peer(r)
	if !p.Trusts(pa) {
		return addrString(pa, r.RemoteAddr)
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := pa
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		a, err := netip.ParseAddr(h)
		if err != nil {
			break // garbage: believe nothing further left
		}
		client = a.Unmap()
		if !p.Trusts(client) {
			break
		}
	}
	return addrString(client, r.RemoteAddr)
}

func addrString(a netip.Addr, fallback string) string {
	if a.IsValid() {
		return a.String()
	}
	return fallback
}

// Secure reports whether the browser reached us over HTTPS: TLS here, or
// a trusted proxy saying so in X-Forwarded-Proto (its last value, the one
// the proxy nearest to us wrote).
func (p Proxies) Secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !p.trustedPeer(r) {
		return false
	}
	v := r.Header.Get("X-Forwarded-Proto")
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(v), "https")
}

// limiterKey is the address a rate limit counts against: IPv6 clients
// usually hold a whole /64, so that is the unit.
func limiterKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Is4() {
		return addr
	}
	p, _ := a.Prefix(64)
	return p.String()
}
