package eni

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseFilterCanonicalRoundTrip(t *testing.T) {
	canonical := []string{
		"",
		"region=cn-hangzhou",
		"region=cn-hangzhou&vpc=vpc-bp1abcd&status=InUse",
		"region=cn-shanghai&vswitch=vsw-uf6xyz1&sg=sg-uf6aaaa&instance=i-uf6bbbb&type=Secondary",
		"region=cn-hangzhou&name=web+tier&id=eni-bp1aaaa,eni-bp1bbbb&ip=10.0.0.5,10.0.0.7&pip=10.0.0.5",
		"region=cn-hangzhou&ipv6=2408:4321:180:1701::5&tag=env:prod&tag=team&rg=rg-acfm2abc&managed=false",
		"region=cn-hangzhou&size=100&token=" + encodeTrail([]string{"AAAAAdDWBF2", "BBBB"}),
	}
	for _, q := range canonical {
		t.Run(q, func(t *testing.T) {
			v, err := url.ParseQuery(q)
			if err != nil {
				t.Fatal(err)
			}
			f, errs := ParseFilter(v)
			if len(errs) > 0 {
				t.Fatalf("ParseFilter(%q): %v", q, errs)
			}
			if got := f.Query(); got != q {
				t.Errorf("Query() = %q, want %q", got, q)
			}
		})
	}
}

func TestParseFilterCanonicalises(t *testing.T) {
	tests := []struct{ in, want string }{
		{"status=inuse&region=cn-hangzhou", "region=cn-hangzhou&status=InUse"},
		{"region=cn-hangzhou&id=eni-bp1bbbb,ENI-BP1AAAA,eni-bp1bbbb", "region=cn-hangzhou&id=eni-bp1aaaa,eni-bp1bbbb"},
		{"region=cn-hangzhou&ipv6=2408:4321:0180:1701:0:0:0:5", "region=cn-hangzhou&ipv6=2408:4321:180:1701::5"},
		{"region=cn-hangzhou&tag=team&tag=env=prod", "region=cn-hangzhou&tag=env:prod&tag=team"},
		{"region=cn-hangzhou&size=20&vpc=&name=", "region=cn-hangzhou"},
		{"region=cn-hangzhou&id=eni-bp1aaaa&id=eni-bp1bbbb", "region=cn-hangzhou&id=eni-bp1aaaa,eni-bp1bbbb"},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.in)
		f, errs := ParseFilter(v)
		if len(errs) > 0 {
			t.Fatalf("ParseFilter(%q): %v", tt.in, errs)
		}
		if got := f.Query(); got != tt.want {
			t.Errorf("ParseFilter(%q).Query() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseFilterRejects(t *testing.T) {
	tests := []struct{ query, field, message string }{
		{"region=Hangzhou", KeyRegion, "not a region ID"},
		{"vpc=vsw-bp1abcd", KeyVPC, "not a valid ID"},
		{"vswitch=bad", KeyVSwitch, "not a valid ID"},
		{"sg=sg-", KeySG, "not a valid ID"},
		{"instance=eni-bp1aaaa", KeyInstance, "not a valid ID"},
		{"type=Tertiary", KeyType, "Primary or Secondary"},
		{"status=Busy", KeyStatus, "one of Available"},
		{"name=" + strings.Repeat("x", 129), KeyName, "at most 128"},
		{"id=eni-bp1aaaa,i-bp1bbbb", KeyID, "not an ENI ID"},
		{"ip=10.0.0.300", KeyIP, "not an IPv4 address"},
		{"ip=2408::1", KeyIP, "not an IPv4 address"},
		{"pip=fe80::1", KeyPrimaryIP, "not an IPv4 address"},
		{"ipv6=10.0.0.1", KeyIPv6, "not an IPv6 address"},
		{"tag=:prod", KeyTag, "empty tag key"},
		{"tag=env:prod&tag=env:dev", KeyTag, "asked for twice"},
		{"rg=group", KeyRG, "not a valid ID"},
		{"managed=yes", KeyManaged, "true or false"},
		{"size=30", KeySize, "one of 10, 20"},
		{"token=%%%", KeyToken, "page position"},
		{"token=" + "AA==", KeyToken, "page position"},
		{"status=InUse&status=Available", KeyStatus, "more than once"},
		{"colour=blue", "colour", "not a parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				v = url.Values{KeyToken: {"%%%"}}
			}
			_, errs := ParseFilter(v)
			msg := errs.For(tt.field)
			if !strings.Contains(msg, tt.message) {
				t.Errorf("error for %q = %q (all: %v), want it to contain %q", tt.field, msg, errs, tt.message)
			}
		})
	}
}

func TestParseFilterLimits(t *testing.T) {
	ids := make([]string, 101)
	for i := range ids {
		ids[i] = "eni-bp1" + strings.Repeat("a", 4) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	_, errs := ParseFilter(url.Values{KeyID: {strings.Join(ids, ",")}})
	if !strings.Contains(errs.For(KeyID), "at most 100") {
		t.Errorf("101 IDs: got %v", errs)
	}
	var tags []string
	for i := 0; i < 21; i++ {
		tags = append(tags, "k"+string(rune('a'+i)))
	}
	_, errs = ParseFilter(url.Values{KeyTag: tags})
	if !strings.Contains(errs.For(KeyTag), "at most 20") {
		t.Errorf("21 tags: got %v", errs)
	}
}

func TestPaging(t *testing.T) {
	f := Filter{Region: "cn-hangzhou", Status: StatusInUse}
	if f.PageNumber() != 1 || f.CloudToken() != "" {
		t.Fatalf("first page: %d %q", f.PageNumber(), f.CloudToken())
	}
	p2 := f.Next("tok2")
	p3 := p2.Next("tok3")
	if p3.PageNumber() != 3 || p3.CloudToken() != "tok3" {
		t.Fatalf("third page: %d %q", p3.PageNumber(), p3.CloudToken())
	}
	// Going back and forth must not corrupt shared slices.
	other := p2.Next("other")
	if p3.CloudToken() != "tok3" || other.CloudToken() != "other" {
		t.Fatalf("aliasing: %q %q", p3.CloudToken(), other.CloudToken())
	}
	if back := p3.Prev(); back.Query() != p2.Query() {
		t.Errorf("Prev() = %q, want %q", back.Query(), p2.Query())
	}
	if first := p3.FirstPage(); first.Query() != f.Query() {
		t.Errorf("FirstPage() = %q, want %q", first.Query(), f.Query())
	}
	v, _ := url.ParseQuery(p3.Query())
	g, errs := ParseFilter(v)
	if len(errs) > 0 || g.CloudToken() != "tok3" || g.PageNumber() != 3 {
		t.Errorf("round trip of page 3: %v %q %d", errs, g.CloudToken(), g.PageNumber())
	}
}

func FuzzParseFilter(f *testing.F) {
	f.Add("region=cn-hangzhou&vpc=vpc-bp1abcd&tag=a:b&token=dG9r")
	f.Add("id=eni-bp1aaaa,,eni-bp1bbbb&ipv6=::1&size=500")
	f.Add("tag==&tag=:&managed=TRUE&name=%00")
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		flt, errs := ParseFilter(v)
		if len(errs) > 0 {
			return
		}
		// A query that parses must re-encode to a canonical form that is a
		// fixed point: parsing it again gives the same query.
		c := flt.Query()
		v2, err := url.ParseQuery(c)
		if err != nil {
			t.Fatalf("canonical %q does not parse as a query: %v", c, err)
		}
		g, errs := ParseFilter(v2)
		if len(errs) > 0 {
			t.Fatalf("canonical %q rejected: %v", c, errs)
		}
		if g.Query() != c {
			t.Fatalf("not a fixed point: %q -> %q", c, g.Query())
		}
	})
}
