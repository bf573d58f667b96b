package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

// TestCreateENIValidation has one row per rule of ParseCreateForm and
// ValidateAgainst, posted through the handler: each is a 422 with the
// message at its field, a summary at the top, every value typed kept, and
// no ENI created.
func TestCreateENIValidation(t *testing.T) {
	env := startCreate(t, nil)
	prodI, edge, stg := env.vsw["prod-app-i"].ID, env.vsw["prod-edge-j"].ID, env.sg["staging-default"].ID
	long := strings.Repeat
	type set = map[string][]string
	tests := []struct {
		name  string
		set   set
		field string
		want  string
	}{
		// ParseCreateForm.
		{"region required", set{eni.FormRegion: nil}, eni.FormRegion, "required"},
		{"region syntax", set{eni.FormRegion: {"Hangzhou"}}, eni.FormRegion, "not a region ID"},
		{"region once", set{eni.FormRegion: {"cn-hangzhou", "cn-beijing"}}, eni.FormRegion, "more than once"},
		{"region of the account", set{eni.FormRegion: {"xx-nowhere-9"}, eni.FormZone: nil}, eni.FormRegion, "not a region of this account"},
		{"zone of the region", set{eni.FormZone: {"cn-beijing-h"}}, eni.FormZone, "not a zone of region cn-hangzhou"},
		{"vswitch required", set{eni.FormVSwitch: nil}, eni.FormVSwitch, "required"},
		{"vswitch syntax", set{eni.FormVSwitch: {"prod-app-h"}}, eni.FormVSwitch, "not a vSwitch ID"},
		{"sg required", set{eni.FormSG: nil}, eni.FormSG, "at least one security group"},
		{"sg syntax", set{eni.FormSG: {"prod-web"}}, eni.FormSG, "prod-web is not a security group ID"},
		{"sg twice", set{eni.FormSG: {env.sg["prod-web"].ID, env.sg["prod-web"].ID}}, eni.FormSG, "chosen twice"},
		{"sg at most 5", set{eni.FormSG: {"sg-bp1aaa1 sg-bp1aaa2 sg-bp1aaa3 sg-bp1aaa4 sg-bp1aaa5 sg-bp1aaa6"}}, eni.FormSG, "an ENI joins at most 5"},
		{"name length", set{eni.FormName: {"a"}}, eni.FormName, "it must be 2 to 128"},
		{"name length in characters", set{eni.FormName: {long("名", 129)}}, eni.FormName, "129 characters long"},
		{"name characters", set{eni.FormName: {"web tier"}}, eni.FormName, "letters, digits 0-9, colons"},
		{"name url", set{eni.FormName: {"https://x"}}, eni.FormName, "not start with http://"},
		{"description length", set{eni.FormDescription: {"x"}}, eni.FormDescription, "it must be 2 to 256"},
		{"description length in characters", set{eni.FormDescription: {long("é", 257)}}, eni.FormDescription, "257 characters long"},
		{"description url", set{eni.FormDescription: {"http://wiki/eni"}}, eni.FormDescription, "not start with http://"},
		{"primary ip syntax", set{eni.FormPrimaryIP: {"10.0.0.300"}}, eni.FormPrimaryIP, "not an IPv4 address"},
		{"secondary count range", set{eni.FormSecondaryCount: {"50"}}, eni.FormSecondaryCount, "from 1 to 49"},
		{"secondary ip syntax", set{eni.FormSecondaryIPs: {"10.0.0.9\n10.0.0.x"}}, eni.FormSecondaryIPs, "10.0.0.x is not an IPv4 address"},
		{"secondary ip twice", set{eni.FormSecondaryIPs: {"10.0.0.9, 10.0.0.9"}}, eni.FormSecondaryIPs, "given twice"},
		{"secondary ip is the primary", set{eni.FormPrimaryIP: {"10.0.0.9"}, eni.FormSecondaryIPs: {"10.0.0.9"}}, eni.FormSecondaryIPs, "repeats the primary"},
		{"secondary ips at most 10", set{eni.FormSecondaryIPs: {"10.0.1.1 10.0.1.2 10.0.1.3 10.0.1.4 10.0.1.5 10.0.1.6 10.0.1.7 10.0.1.8 10.0.1.9 10.0.1.10 10.0.1.11"}}, eni.FormSecondaryIPs, "11 entries; at most 10"},
		{"secondary count or list", set{eni.FormSecondaryCount: {"2"}, eni.FormSecondaryIPs: {"10.0.0.9"}}, eni.FormSecondaryIPs, "not both"},
		{"ipv6 count range", set{eni.FormIPv6Count: {"11"}}, eni.FormIPv6Count, "from 1 to 10"},
		{"ipv6 syntax", set{eni.FormIPv6: {"10.0.0.9"}}, eni.FormIPv6, "not an IPv6 address"},
		{"ipv6 twice", set{eni.FormIPv6: {"2408:4005:3c1:a100::9 2408:4005:3c1:a100:0::9"}}, eni.FormIPv6, "given twice"},
		{"ipv6 at most 10", set{eni.FormIPv6: {"2408:4005:3c1:a100::1 2408:4005:3c1:a100::2 2408:4005:3c1:a100::3 2408:4005:3c1:a100::4 2408:4005:3c1:a100::5 2408:4005:3c1:a100::6 2408:4005:3c1:a100::7 2408:4005:3c1:a100::8 2408:4005:3c1:a100::9 2408:4005:3c1:a100::a 2408:4005:3c1:a100::b"}}, eni.FormIPv6, "at most 10"},
		{"ipv6 count or list", set{eni.FormIPv6Count: {"1"}, eni.FormIPv6: {"2408:4005:3c1:a100::9"}}, eni.FormIPv6Count, "not both"},
		{"prefix count range", set{eni.FormPrefixCount: {"11"}}, eni.FormPrefixCount, "from 1 to 10"},
		{"prefix syntax", set{eni.FormPrefixes: {"10.0.0.16"}}, eni.FormPrefixes, "not an IPv4 prefix"},
		{"prefix length", set{eni.FormPrefixes: {"10.0.0.0/24"}}, eni.FormPrefixes, "IPv4 prefixes are /28"},
		{"prefix strict", set{eni.FormPrefixes: {"10.0.0.20/28"}}, eni.FormPrefixes, "starts at 10.0.0.16/28"},
		{"prefix twice", set{eni.FormPrefixes: {"10.0.0.16/28 10.0.0.16/28"}}, eni.FormPrefixes, "given twice"},
		{"prefix count or list", set{eni.FormPrefixCount: {"1"}, eni.FormPrefixes: {"10.0.0.16/28"}}, eni.FormPrefixes, "not both"},
		{"tag key required", set{eni.FormTags: {"=prod"}}, eni.FormTags, "empty key"},
		{"tag key length", set{eni.FormTags: {long("键", 129) + "=v"}}, eni.FormTags, "key longer than 128"},
		{"tag key aliyun", set{eni.FormTags: {"aliyun-owner=me"}}, eni.FormTags, "aliyun or acs:"},
		{"tag key acs", set{eni.FormTags: {"acs:owner=me"}}, eni.FormTags, "aliyun or acs:"},
		{"tag key url", set{eni.FormTags: {"https://k=v"}}, eni.FormTags, "key containing http://"},
		{"tag value length", set{eni.FormTags: {"k=" + long("値", 129)}}, eni.FormTags, "value longer than 128"},
		{"tag value url", set{eni.FormTags: {"doc=http://wiki"}}, eni.FormTags, "value containing http://"},
		{"tag key twice", set{eni.FormTags: {"env=prod\nenv=dev"}}, eni.FormTags, `repeats the key "env"`},
		{"tags at most 20", set{eni.FormTags: {manyTags(21)}}, eni.FormTags, "21 tags; at most 20"},
		{"rg syntax", set{eni.FormRG: {"production"}}, eni.FormRG, "not a resource group ID"},
		{"delete on release", set{eni.FormDeleteOnRelease: {"false", "maybe"}}, eni.FormDeleteOnRelease, "true or false"},
		{"queue number", set{eni.FormQueueNumber: {"4096"}}, eni.FormQueueNumber, "from 1 to 2048"},
		{"traffic mode", set{eni.FormTrafficMode: {"Turbo"}}, eni.FormTrafficMode, "Standard or HighPerformance"},
		{"rdma is ipv4 only", set{eni.FormTrafficMode: {"HighPerformance"}, eni.FormIPv6Count: {"1"}}, eni.FormTrafficMode, "IPv4 only"},
		{"source dest check", set{eni.FormSourceDestCheck: {"on"}}, eni.FormSourceDestCheck, "true or false"},
		{"client token length", set{eni.FormClientToken: {long("t", 65)}}, eni.FormClientToken, "at most 64 ASCII"},
		{"client token ascii", set{eni.FormClientToken: {"jeton-é"}}, eni.FormClientToken, "ASCII"},
		// ValidateAgainst, with the look-ups the form offers.
		{"vswitch in the zone", set{eni.FormZone: {"cn-hangzhou-i"}}, eni.FormVSwitch, "not in the chosen zone cn-hangzhou-i"},
		{"primary ip in the block", set{eni.FormPrimaryIP: {"10.0.64.9"}}, eni.FormPrimaryIP, "outside the CIDR block 10.0.0.0/18"},
		{"primary ip not the first", set{eni.FormPrimaryIP: {"10.0.0.0"}}, eni.FormPrimaryIP, "reserved"},
		{"primary ip not the last three", set{eni.FormPrimaryIP: {"10.0.63.253"}}, eni.FormPrimaryIP, "reserved"},
		{"secondary ip in the block", set{eni.FormSecondaryIPs: {"192.168.0.9"}}, eni.FormSecondaryIPs, "192.168.0.9 is outside the CIDR block"},
		{"secondary ip not reserved", set{eni.FormSecondaryIPs: {"10.0.63.255"}}, eni.FormSecondaryIPs, "reserved"},
		{"prefix in the block", set{eni.FormPrefixes: {"10.0.64.16/28"}}, eni.FormPrefixes, "outside the CIDR block"},
		{"prefix not over reserved addresses", set{eni.FormPrefixes: {"10.0.0.0/28"}}, eni.FormPrefixes, "takes reserved addresses"},
		{"ipv6 count needs ipv6", set{eni.FormZone: {"cn-hangzhou-i"}, eni.FormVSwitch: {prodI}, eni.FormIPv6Count: {"1"}}, eni.FormIPv6Count, "has no IPv6 CIDR block"},
		{"ipv6 list needs ipv6", set{eni.FormZone: {"cn-hangzhou-i"}, eni.FormVSwitch: {prodI}, eni.FormIPv6: {"2408:4005:3c1:a100::9"}}, eni.FormIPv6, "has no IPv6 CIDR block"},
		{"ipv6 in the block", set{eni.FormIPv6: {"2408:4005:3c1:b200::9"}}, eni.FormIPv6, "outside the vSwitch's IPv6 block"},
		{"free addresses for a count", set{eni.FormZone: {"cn-hangzhou-j"}, eni.FormVSwitch: {edge}, eni.FormSecondaryCount: {"49"}}, eni.FormSecondaryCount, "asks for 50 private IPv4 addresses"},
		{"free addresses for prefixes", set{eni.FormZone: {"cn-hangzhou-j"}, eni.FormVSwitch: {edge}, eni.FormPrefixCount: {"1"}}, eni.FormPrefixCount, "asks for 17"},
		{"security groups of the vpc", set{eni.FormSG: {env.sg["prod-web"].ID, stg}}, eni.FormSG, "but the vSwitch is in " + env.vsw["prod-app-h"].VpcID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent := env.form(tt.set)
			p := post(t, env.url+"/enis", sent)
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", p.status)
			}
			if got := fieldError(p.doc, tt.field); !strings.Contains(strings.ToLower(got), strings.ToLower(tt.want)) {
				t.Errorf("message at %s = %q, want …%s…", tt.field, got, tt.want)
			}
			if p.doc.Find(`[data-banner="field-errors"] [data-field="`+tt.field+`"]`).Length() == 0 {
				t.Errorf("the summary at the top does not list %s", tt.field)
			}
			if lost := keptValues(sent, p.doc); len(lost) > 0 {
				t.Errorf("values not kept: %v", lost)
			}
		})
	}
	// No refused form reached the cloud: nothing was even attempted.
	if page, err := env.audit.Query(context.Background(), audit.Query{Action: audit.ActionCreate}); err != nil || len(page.Entries) > 0 {
		t.Errorf("creates attempted: %d (%v)", len(page.Entries), err)
	}
}

func manyTags(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("k" + string(rune('a'+i)) + "=v\n")
	}
	return b.String()
}

// Every problem of a form is reported at once.
func TestCreateENIReportsEveryProblem(t *testing.T) {
	env := startCreate(t, nil)
	p := post(t, env.url+"/enis", env.form(map[string][]string{eni.FormName: {"x"}, eni.FormPrimaryIP: {"10.0.64.1"},
		eni.FormTags: {"aliyun=1"}, eni.FormQueueNumber: {"0x10"}}))
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", p.status)
	}
	for _, f := range []string{eni.FormName, eni.FormPrimaryIP, eni.FormTags, eni.FormQueueNumber} {
		if fieldError(p.doc, f) == "" {
			t.Errorf("no message at %s", f)
		}
	}
	if n := p.doc.Find(`[data-banner="field-errors"] li`).Length(); n != 4 {
		t.Errorf("summary lists %d problems, want 4", n)
	}
}
