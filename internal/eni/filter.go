package eni

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Filter is one view of the ENI list: everything DescribeNetworkInterfaces
// filters on, the page size and the page position. It is what a list URL
// encodes (DESIGN §4): ParseFilter reads a query, Query writes it back in
// one canonical form, so the same view always has the same URL.
type Filter struct {
	Region          string
	VpcID           string
	VSwitchID       string
	SecurityGroupID string
	InstanceID      string
	Type            Type
	Status          Status
	Name            string
	IDs             []string // NetworkInterfaceId.N
	IPs             []string // PrivateIpAddress.N
	PrimaryIP       string   // PrimaryIpAddress
	IPv6            []string // Ipv6Address.N
	Tags            []Tag    // Tag.N; an empty Value matches any value
	ResourceGroupID string
	Managed         *bool // ServiceManaged; nil = both
	Size            int   // MaxResults
	// Trail holds the cloud's NextTokens that led to this page, oldest
	// first; empty on the first page. Keeping all of them is what lets
	// Previous work on a forward-only token API.
	Trail []string
}

// Page sizes offered to the user; DefaultSize is used when none is given.
var PageSizes = []int{10, 20, 50, 100, 500}

const DefaultSize = 20

// Limits of DescribeNetworkInterfaces.
const (
	MaxListItems = 100 // NetworkInterfaceId.N, PrivateIpAddress.N, Ipv6Address.N
	MaxTags      = 20
	maxNameLen   = 128
	maxTagKey    = 128
	maxTagValue  = 128
	maxTrail     = 1000
)

// Query keys, in the order the canonical URL lists them.
const (
	KeyRegion    = "region"
	KeyVPC       = "vpc"
	KeyVSwitch   = "vswitch"
	KeySG        = "sg"
	KeyInstance  = "instance"
	KeyType      = "type"
	KeyStatus    = "status"
	KeyName      = "name"
	KeyID        = "id"
	KeyIP        = "ip"
	KeyPrimaryIP = "pip"
	KeyIPv6      = "ipv6"
	KeyTag       = "tag"
	KeyRG        = "rg"
	KeyManaged   = "managed"
	KeySize      = "size"
	KeyToken     = "token"
)

// PageNumber is the 1-based position of the page in its view.
func (f Filter) PageNumber() int { return len(f.Trail) + 1 }

// CloudToken is the NextToken to send for this page ("" for the first).
func (f Filter) CloudToken() string {
	if len(f.Trail) == 0 {
		return ""
	}
	return f.Trail[len(f.Trail)-1]
}

// PageSize is Size, or the default when unset.
func (f Filter) PageSize() int {
	if f.Size == 0 {
		return DefaultSize
	}
	return f.Size
}

// Next is the view of the page after this one, reached with the cloud's
// NextToken of this page.
func (f Filter) Next(token string) Filter {
	f.Trail = append(slices.Clip(f.Trail), token)
	return f
}

// Prev is the view of the page before this one.
func (f Filter) Prev() Filter {
	if len(f.Trail) > 0 {
		f.Trail = f.Trail[: len(f.Trail)-1 : len(f.Trail)-1]
	}
	return f
}

// FirstPage is the same view on its first page.
func (f Filter) FirstPage() Filter {
	f.Trail = nil
	return f
}

// Narrowed reports whether any filter beyond the region is set.
func (f Filter) Narrowed() bool {
	g := Filter{Region: f.Region, Size: f.Size, Trail: f.Trail}
	return f.Query() != g.Query()
}

// Values encodes the view as query parameters in canonical form: empty
// fields and the default page size are left out, lists are sorted.
func (f Filter) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set(KeyRegion, f.Region)
	set(KeyVPC, f.VpcID)
	set(KeyVSwitch, f.VSwitchID)
	set(KeySG, f.SecurityGroupID)
	set(KeyInstance, f.InstanceID)
	set(KeyType, string(f.Type))
	set(KeyStatus, string(f.Status))
	set(KeyName, f.Name)
	set(KeyID, strings.Join(f.IDs, ","))
	set(KeyIP, strings.Join(f.IPs, ","))
	set(KeyPrimaryIP, f.PrimaryIP)
	set(KeyIPv6, strings.Join(f.IPv6, ","))
	for _, t := range f.Tags {
		v.Add(KeyTag, t.String())
	}
	set(KeyRG, f.ResourceGroupID)
	if f.Managed != nil {
		v.Set(KeyManaged, strconv.FormatBool(*f.Managed))
	}
	if f.Size != 0 && f.Size != DefaultSize {
		v.Set(KeySize, strconv.Itoa(f.Size))
	}
	set(KeyToken, encodeTrail(f.Trail))
	return v
}

// Query is the canonical query string of the view, keys in a fixed order.
func (f Filter) Query() string {
	v := f.Values()
	var b strings.Builder
	for _, k := range keyOrder {
		for _, s := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(QueryEscape(s))
		}
	}
	return b.String()
}

var keyOrder = []string{KeyRegion, KeyVPC, KeyVSwitch, KeySG, KeyInstance, KeyType, KeyStatus,
	KeyName, KeyID, KeyIP, KeyPrimaryIP, KeyIPv6, KeyTag, KeyRG, KeyManaged, KeySize, KeyToken}

// QueryEscape escapes a query value as canonical list URLs do: like
// url.QueryEscape, but keeping "," and ":" (list and tag separators)
// readable.
func QueryEscape(s string) string {
	e := url.QueryEscape(s)
	if !strings.Contains(e, "%") {
		return e // most values (IDs) need no escape: no copy
	}
	return readable.Replace(e)
}

var readable = strings.NewReplacer("%2C", ",", "%3A", ":")

// String renders a tag as the URL and search box write it: key or key:value.
func (t Tag) String() string {
	if t.Value == "" {
		return t.Key
	}
	return t.Key + ":" + t.Value
}
