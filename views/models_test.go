package views

import (
	"net/url"
	"testing"

	"enidash/internal/eni"
)

// FilteredURL builds its URL by hand for speed (a table renders hundreds);
// it must equal the canonical URL the filter itself would write.
func TestFilteredURLIsCanonical(t *testing.T) {
	tests := []struct{ key, value string }{
		{eni.KeyInstance, "i-bp1inst0001"},
		{eni.KeyVPC, "vpc-bp1vpc0001"},
		{eni.KeyTag, "env:prod"},
		{eni.KeyTag, "k8s.io/cluster"},
		{eni.KeyTag, "team:payments & ops"},
		{eni.KeyRG, "rg-acfm2abc"},
		{eni.KeyName, "web tier+1"},
	}
	for _, tt := range tests {
		f, errs := eni.ParseFilter(url.Values{eni.KeyRegion: {"cn-hangzhou"}, tt.key: {tt.value}})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if got, want := FilteredURL("cn-hangzhou", tt.key, tt.value), ListURL(f); got != want {
			t.Errorf("FilteredURL(%s=%q) = %q, want %q", tt.key, tt.value, got, want)
		}
	}
}
