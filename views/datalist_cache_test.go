package views

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"enidash/internal/eni"
)

// A picker's suggestion list is rendered once per lookup answer: the same
// answer gives the same bytes as rendering it afresh, and a new answer
// (a new slice, even of the same length) is shown, not the old one.
func TestPickerListFollowsTheAnswer(t *testing.T) {
	render := func(p Pickers) string {
		var b bytes.Buffer
		if err := pickerList(p, eni.KeyVPC).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	first := []eni.VPC{{ID: "vpc-1", Name: "prod <a&b>", CIDR: "10.0.0.0/8"}}
	var fresh bytes.Buffer
	if err := datalist("dl-vpc", vpcOptions(first)).Render(context.Background(), &fresh); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got := render(Pickers{VPCs: first}); got != fresh.String() {
			t.Fatalf("cached list:\n%s\nwant as rendered afresh:\n%s", got, fresh.String())
		}
	}
	second := []eni.VPC{{ID: "vpc-2", Name: "staging", CIDR: "172.16.0.0/12"}}
	got := render(Pickers{VPCs: second})
	if !strings.Contains(got, `value="vpc-2"`) || strings.Contains(got, "vpc-1") {
		t.Fatalf("a new answer shows the old list:\n%s", got)
	}
	if got := render(Pickers{}); got != `<datalist id="dl-vpc"></datalist>` {
		t.Fatalf("no VPCs: %s", got)
	}
}
