package eni

import "testing"

func TestApplySearch(t *testing.T) {
	base := Filter{Region: "cn-hangzhou", IDs: []string{"eni-bp1zzzz"}, Trail: []string{"tok"}}
	tests := []struct{ q, want string }{
		{"eni-bp1AAAA", "region=cn-hangzhou&id=eni-bp1aaaa,eni-bp1zzzz"},
		{"i-bp1abcd", "region=cn-hangzhou&instance=i-bp1abcd&id=eni-bp1zzzz"},
		{"vpc-bp1abcd", "region=cn-hangzhou&vpc=vpc-bp1abcd&id=eni-bp1zzzz"},
		{"vsw-bp1abcd", "region=cn-hangzhou&vswitch=vsw-bp1abcd&id=eni-bp1zzzz"},
		{"sg-bp1abcd", "region=cn-hangzhou&sg=sg-bp1abcd&id=eni-bp1zzzz"},
		{"rg-acfm2abc", "region=cn-hangzhou&id=eni-bp1zzzz&rg=rg-acfm2abc"},
		{" 192.168.1.10 ", "region=cn-hangzhou&id=eni-bp1zzzz&ip=192.168.1.10"},
		{"2408:4321:180::1", "region=cn-hangzhou&id=eni-bp1zzzz&ipv6=2408:4321:180::1"},
		{"env=prod", "region=cn-hangzhou&id=eni-bp1zzzz&tag=env:prod"},
		{"web server", "region=cn-hangzhou&name=web+server&id=eni-bp1zzzz"},
		{"i-love-it", "region=cn-hangzhou&name=i-love-it&id=eni-bp1zzzz"},
		{"", "region=cn-hangzhou&id=eni-bp1zzzz&token=dG9r"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, errs := base.ApplySearch(tt.q)
			if len(errs) > 0 {
				t.Fatalf("ApplySearch(%q): %v", tt.q, errs)
			}
			if got.Query() != tt.want {
				t.Errorf("ApplySearch(%q) = %q, want %q", tt.q, got.Query(), tt.want)
			}
		})
	}
}

func TestApplySearchRejectsOnQ(t *testing.T) {
	long := make([]byte, 200)
	for i := range long {
		long[i] = 'x'
	}
	_, errs := Filter{Region: "cn-hangzhou"}.ApplySearch(string(long))
	if errs.For("q") == "" {
		t.Fatalf("a 200-character name should be rejected on q, got %v", errs)
	}
}
