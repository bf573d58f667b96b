package eni

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func baseForm() url.Values {
	return url.Values{FormRegion: {"cn-hangzhou"}, FormVSwitch: {"vsw-bp1aaaa"}, FormSG: {"sg-bp1aaaa"}, "_csrf": {"x"}}
}

func TestParseCreateFormAccepts(t *testing.T) {
	tr, fa := true, false
	v := baseForm()
	v.Set(FormZone, "cn-hangzhou-h")
	v[FormSG] = []string{"sg-bp1aaaa", "sg-bp1bbbb, sg-bp1cccc"}
	v.Set(FormName, "web:eth1_前端.a-b")
	v.Set(FormDescription, "Front end, second NIC")
	v.Set(FormPrimaryIP, " 10.0.0.9 ")
	v.Set(FormSecondaryIPs, "10.0.0.10, 10.0.0.11\n10.0.0.12;10.0.0.13")
	v.Set(FormIPv6Count, "2")
	v.Set(FormPrefixes, "10.0.0.16/28\r\n10.0.0.32/28")
	v.Set(FormTags, "env=prod\r\n\nteam = net \nempty=\nbare\nurl=a=b")
	v.Set(FormRG, "rg-acfmzw2jz2z3ahq")
	v[FormDeleteOnRelease] = []string{"false", "true"}
	v[FormSourceDestCheck] = []string{"false"}
	v.Set(FormQueueNumber, "8")
	v.Set(FormTrafficMode, "standard")
	v.Set(FormClientToken, "0123456789abcdef0123456789abcdef")
	r, errs := ParseCreateForm(v)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := CreateRequest{Region: "cn-hangzhou", ZoneID: "cn-hangzhou-h", VSwitchID: "vsw-bp1aaaa",
		SecurityGroupIDs: []string{"sg-bp1aaaa", "sg-bp1bbbb", "sg-bp1cccc"}, Name: "web:eth1_前端.a-b",
		Description: "Front end, second NIC", PrimaryIP: "10.0.0.9",
		SecondaryIPs: []string{"10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.13"}, IPv6Count: 2,
		IPv4Prefixes:    []string{"10.0.0.16/28", "10.0.0.32/28"},
		Tags:            []Tag{{"env", "prod"}, {"team", "net"}, {"empty", ""}, {"bare", ""}, {"url", "a=b"}},
		ResourceGroupID: "rg-acfmzw2jz2z3ahq", DeleteOnRelease: &tr, QueueNumber: 8, TrafficMode: TrafficStandard,
		SourceDestCheck: &fa, ClientToken: "0123456789abcdef0123456789abcdef"}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got  %+v\nwant %+v", r, want)
	}
	// What Values writes, ParseCreateForm reads back.
	again, errs := ParseCreateForm(r.Values())
	if len(errs) > 0 || !reflect.DeepEqual(again, r) {
		t.Errorf("round trip: %+v %v", again, errs)
	}
}

// TestParseCreateFormRules has one row per rule of ParseCreateForm.
func TestParseCreateFormRules(t *testing.T) {
	long := func(n int, s string) string { return strings.Repeat(s, n) }
	tests := []struct {
		name    string
		set     map[string][]string // replaces keys of the base form; nil value deletes
		field   string
		message string
	}{
		{"region required", map[string][]string{FormRegion: nil}, FormRegion, "is required"},
		{"region syntax", map[string][]string{FormRegion: {"Hangzhou"}}, FormRegion, "not a region ID"},
		{"region once", map[string][]string{FormRegion: {"cn-hangzhou", "cn-beijing"}}, FormRegion, "more than once"},
		{"zone syntax", map[string][]string{FormZone: {"zone h"}}, FormZone, "not a zone of region cn-hangzhou"},
		{"zone of the region", map[string][]string{FormZone: {"cn-beijing-h"}}, FormZone, "not a zone of region cn-hangzhou"},
		{"vswitch required", map[string][]string{FormVSwitch: {" "}}, FormVSwitch, "is required"},
		{"vswitch syntax", map[string][]string{FormVSwitch: {"sg-bp1aaaa"}}, FormVSwitch, "not a vSwitch ID"},
		{"sg required", map[string][]string{FormSG: nil}, FormSG, "at least one security group"},
		{"sg syntax", map[string][]string{FormSG: {"vsw-bp1aaaa"}}, FormSG, "not a security group ID"},
		{"sg twice", map[string][]string{FormSG: {"sg-bp1aaaa", "sg-bp1aaaa"}}, FormSG, "chosen twice"},
		{"sg at most 5", map[string][]string{FormSG: {"sg-bp1aaa1 sg-bp1aaa2 sg-bp1aaa3 sg-bp1aaa4 sg-bp1aaa5 sg-bp1aaa6"}}, FormSG, "at most 5"},
		{"name too short", map[string][]string{FormName: {"a"}}, FormName, "1 characters long; it must be 2 to 128"},
		{"name too long in characters", map[string][]string{FormName: {long(129, "名")}}, FormName, "129 characters long"},
		{"name characters", map[string][]string{FormName: {"web tier/1"}}, FormName, `not ' ' '/'`},
		{"name fullwidth digits", map[string][]string{FormName: {"eth１"}}, FormName, "digits 0-9"},
		{"name url", map[string][]string{FormName: {"http://x"}}, FormName, "must not start with http://"},
		{"description too short", map[string][]string{FormDescription: {"x"}}, FormDescription, "1 characters long; it must be 2 to 256"},
		{"description too long", map[string][]string{FormDescription: {long(257, "é")}}, FormDescription, "257 characters long"},
		{"description url", map[string][]string{FormDescription: {"https://example.com"}}, FormDescription, "must not start with http:// or https://"},
		{"primary ip syntax", map[string][]string{FormPrimaryIP: {"10.0.0.256"}}, FormPrimaryIP, "not an IPv4 address"},
		{"primary ip not v6", map[string][]string{FormPrimaryIP: {"2408::1"}}, FormPrimaryIP, "not an IPv4 address"},
		{"secondary count number", map[string][]string{FormSecondaryCount: {"two"}}, FormSecondaryCount, "from 1 to 49"},
		{"secondary count range", map[string][]string{FormSecondaryCount: {"50"}}, FormSecondaryCount, "from 1 to 49"},
		{"secondary count negative", map[string][]string{FormSecondaryCount: {"-1"}}, FormSecondaryCount, "from 1 to 49"},
		{"secondary ip syntax", map[string][]string{FormSecondaryIPs: {"10.0.0.5, 10.0.0"}}, FormSecondaryIPs, "not an IPv4 address"},
		{"secondary ip twice", map[string][]string{FormSecondaryIPs: {"10.0.0.5 10.0.0.5"}}, FormSecondaryIPs, "given twice"},
		{"secondary ip is the primary", map[string][]string{FormPrimaryIP: {"10.0.0.5"}, FormSecondaryIPs: {"10.0.0.5"}}, FormSecondaryIPs, "repeats the primary"},
		{"secondary ips at most 10", map[string][]string{FormSecondaryIPs: {"10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7 10.0.0.8 10.0.0.9 10.0.0.10 10.0.0.11"}}, FormSecondaryIPs, "11 entries; at most 10"},
		{"secondary count and list", map[string][]string{FormSecondaryCount: {"2"}, FormSecondaryIPs: {"10.0.0.5"}}, FormSecondaryIPs, "not both"},
		{"secondary list and count", map[string][]string{FormSecondaryCount: {"2"}, FormSecondaryIPs: {"10.0.0.5"}}, FormSecondaryCount, "not both"},
		{"ipv6 count range", map[string][]string{FormIPv6Count: {"11"}}, FormIPv6Count, "from 1 to 10"},
		{"ipv6 syntax", map[string][]string{FormIPv6: {"10.0.0.5"}}, FormIPv6, "not an IPv6 address"},
		{"ipv6 twice", map[string][]string{FormIPv6: {"2408::1\n2408:0::1"}}, FormIPv6, "given twice"},
		{"ipv6 at most 10", map[string][]string{FormIPv6: {"2408::1 2408::2 2408::3 2408::4 2408::5 2408::6 2408::7 2408::8 2408::9 2408::a 2408::b"}}, FormIPv6, "at most 10"},
		{"ipv6 count and list", map[string][]string{FormIPv6Count: {"1"}, FormIPv6: {"2408::1"}}, FormIPv6, "not both"},
		{"prefix count range", map[string][]string{FormPrefixCount: {"11"}}, FormPrefixCount, "from 1 to 10"},
		{"prefix syntax", map[string][]string{FormPrefixes: {"10.0.0.16"}}, FormPrefixes, "not an IPv4 prefix"},
		{"prefix length", map[string][]string{FormPrefixes: {"10.0.0.0/24"}}, FormPrefixes, "is a /24; IPv4 prefixes are /28"},
		{"prefix strict", map[string][]string{FormPrefixes: {"10.0.0.17/28"}}, FormPrefixes, "starts at 10.0.0.16/28"},
		{"prefix twice", map[string][]string{FormPrefixes: {"10.0.0.16/28,10.0.0.16/28"}}, FormPrefixes, "given twice"},
		{"prefix count and list", map[string][]string{FormPrefixCount: {"1"}, FormPrefixes: {"10.0.0.16/28"}}, FormPrefixCount, "not both"},
		{"tag empty key", map[string][]string{FormTags: {"=prod"}}, FormTags, "empty key"},
		{"tag key length in characters", map[string][]string{FormTags: {long(129, "键") + "=v"}}, FormTags, "key longer than 128"},
		{"tag key aliyun", map[string][]string{FormTags: {"aliyun-team=x"}}, FormTags, "aliyun or acs:"},
		{"tag key acs:", map[string][]string{FormTags: {"acs:owner=x"}}, FormTags, "aliyun or acs:"},
		{"tag key url", map[string][]string{FormTags: {"see-https://x=y"}}, FormTags, "key containing http://"},
		{"tag value length", map[string][]string{FormTags: {"k=" + long(129, "値")}}, FormTags, "value longer than 128"},
		{"tag value url", map[string][]string{FormTags: {"k=http://x"}}, FormTags, "value containing http://"},
		{"tag key twice", map[string][]string{FormTags: {"env=prod\nenv=dev"}}, FormTags, `repeats the key "env"`},
		{"tags at most 20", map[string][]string{FormTags: {tagLines(21)}}, FormTags, "21 tags; at most 20"},
		{"rg syntax", map[string][]string{FormRG: {"default"}}, FormRG, "not a resource group ID"},
		{"delete on release", map[string][]string{FormDeleteOnRelease: {"yes"}}, FormDeleteOnRelease, "true or false"},
		{"queue number range", map[string][]string{FormQueueNumber: {"2049"}}, FormQueueNumber, "from 1 to 2048"},
		{"traffic mode", map[string][]string{FormTrafficMode: {"Fast"}}, FormTrafficMode, "Standard or HighPerformance"},
		{"rdma without ipv6", map[string][]string{FormTrafficMode: {"HighPerformance"}, FormIPv6Count: {"1"}}, FormTrafficMode, "IPv4 only"},
		{"source dest check", map[string][]string{FormSourceDestCheck: {"on"}}, FormSourceDestCheck, "true or false"},
		{"client token length", map[string][]string{FormClientToken: {long(65, "a")}}, FormClientToken, "at most 64 ASCII"},
		{"client token ascii", map[string][]string{FormClientToken: {"tøken"}}, FormClientToken, "ASCII"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := baseForm()
			for k, vs := range tt.set {
				if vs == nil {
					v.Del(k)
				} else {
					v[k] = vs
				}
			}
			_, errs := ParseCreateForm(v)
			for _, e := range errs {
				if e.Field == tt.field && strings.Contains(e.Message, tt.message) {
					return
				}
			}
			t.Errorf("want %s: …%s…; got %v", tt.field, tt.message, errs)
		})
	}
}

func tagLines(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("k" + string(rune('a'+i)) + "=v\n")
	}
	return b.String()
}

// Every problem is reported, not only the first.
func TestParseCreateFormReportsEveryProblem(t *testing.T) {
	v := url.Values{FormName: {"x"}, FormPrimaryIP: {"nope"}, FormTags: {"aliyun=1\n=2"}, FormQueueNumber: {"0x10"}}
	_, errs := ParseCreateForm(v)
	got := map[string]int{}
	for _, e := range errs {
		got[e.Field]++
	}
	want := map[string]int{FormRegion: 1, FormVSwitch: 1, FormSG: 1, FormName: 1, FormPrimaryIP: 1, FormTags: 2, FormQueueNumber: 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fields at fault %v, want %v (%v)", got, want, errs)
	}
}

func TestParseCreateFormFlags(t *testing.T) {
	tests := []struct {
		values []string
		want   *bool
	}{
		{nil, nil},
		{[]string{"false"}, new(false)},
		{[]string{"false", "true"}, new(true)},
		{[]string{"true", "false"}, new(true)},
	}
	for _, tt := range tests {
		v := baseForm()
		if tt.values != nil {
			v[FormDeleteOnRelease] = tt.values
			v[FormSourceDestCheck] = tt.values
		}
		r, errs := ParseCreateForm(v)
		if len(errs) > 0 || !reflect.DeepEqual(r.DeleteOnRelease, tt.want) || !reflect.DeepEqual(r.SourceDestCheck, tt.want) {
			t.Errorf("%q: DeleteOnRelease %v SourceDestCheck %v, want %v (%v)", tt.values, r.DeleteOnRelease, r.SourceDestCheck, tt.want, errs)
		}
	}
}

// FuzzCreateForm: no input panics; an accepted form encodes back to values
// that parse to the same request, and a rejected one names only form keys.
func FuzzCreateForm(f *testing.F) {
	f.Add("region=cn-hangzhou&vswitch=vsw-bp1aaaa&sg=sg-bp1aaaa")
	f.Add("region=cn-hangzhou&vswitch=vsw-bp1aaaa&sg=sg-bp1aaaa&name=a%20b&secondary_ips=10.0.0.1,10.0.0.1&tags=env%3Dprod%0Aenv%3Ddev")
	f.Add("region=cn-hangzhou&zone=cn-hangzhou-h&vswitch=vsw-bp1aaaa&sg=sg-bp1aaaa+sg-bp1bbbb&prefixes=10.0.0.16/28&ipv6_count=2&delete_on_release=false&delete_on_release=true&traffic_mode=highperformance")
	f.Add("region=cn-hangzhou&vswitch=vsw-bp1aaaa&sg=sg-bp1aaaa&tags=%20k%20%3D%20v%20&queue_number=0&secondary_count=0&client_token=%FF")
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		r, errs := ParseCreateForm(v)
		for _, e := range errs {
			if !isFormKey(e.Field) || e.Message == "" {
				t.Fatalf("error %+v names no form key", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		again, errs := ParseCreateForm(r.Values())
		if len(errs) > 0 {
			t.Fatalf("%q accepted as %+v, but its encoding %q is rejected: %v", q, r, r.Values().Encode(), errs)
		}
		if !reflect.DeepEqual(again, r) {
			t.Fatalf("%q: %+v re-parses as %+v", q, r, again)
		}
	})
}

func isFormKey(k string) bool {
	for _, f := range formFields {
		if f != "" && f == k {
			return true
		}
	}
	return false
}
