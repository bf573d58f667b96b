package views

import "testing"

// The links a row builds from one encoded query are the links ActionURL
// and ModifyURL give, for IDs, regions and pages that need escaping too.
func TestRowLinksMatchTheirURLs(t *testing.T) {
	for _, tt := range []struct{ region, id, back string }{
		{"cn-hangzhou", "eni-bp1aaaa1111", "/enis?region=cn-hangzhou&status=Available&sort=-created"},
		{"cn-hangzhou", "eni-bp1aaaa1111", ""},
		{"us west&1", "eni/../x y", "/enis?q=a b&tag=k:v#frag"},
	} {
		q := actionQuery(tt.region, tt.back)
		for _, action := range []string{ActionAttach, ActionDetach, ActionDelete} {
			if got, want := rowLink(tt.id, action, q), ActionURL(action, tt.region, tt.id, tt.back); got != want {
				t.Errorf("%s link = %q, want %q", action, got, want)
			}
		}
		for _, form := range []string{FormEdit, FormIPs} {
			if got, want := rowLink(tt.id, form, actionQuery(tt.region, "")), ModifyURL(form, tt.region, tt.id); got != want {
				t.Errorf("%s link = %q, want %q", form, got, want)
			}
		}
	}
}
