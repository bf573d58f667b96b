package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// An ENI in an enterprise security group is not offered an instance in
// basic ones (the cloud would refuse with InvalidOperation.MultiGroupType):
// the picker disables it with the reason, and a forged POST is a 422 at
// the field, before any cloud call.
func TestAttachPickerGroupKind(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	ctx := context.Background()
	web1 := env.Instance(t, "web-prod-01")
	groups, err := env.Cloud.SecurityGroups(ctx, "cn-hangzhou", web1.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(groups, func(g eni.SecurityGroup) bool { return g.Kind == eni.SGEnterprise })
	if k < 0 {
		t.Fatal("the seeded VPC has no enterprise group")
	}
	beside := mustENI(t, env, env.CreateBeside(t, web1, "kind-basic"))
	res, err := env.Cloud.CreateENI(ctx, eni.CreateRequest{Region: "cn-hangzhou", VSwitchID: beside.VSwitchID,
		SecurityGroupIDs: []string{groups[k].ID}, Name: "kind-enterprise"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, id, want string // want: the reason shown for web-prod-01, "" when offered
	}{
		{"same kind", beside.ID, ""},
		{"other kind", res.ENIID, "its security groups are basic, the ENI's enterprise"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := get(t, actionURL(env, "attach", tt.id))
			choice := p.doc.Find(`[data-instance="` + web1.ID + `"]`)
			if choice.Length() != 1 {
				t.Fatalf("web-prod-01 not listed: status %d", p.status)
			}
			reason := choice.Find("[data-reason]").Text()
			_, disabled := choice.Find(`input[type="radio"]`).Attr("disabled")
			if tt.want == "" {
				if reason != "" || disabled {
					t.Fatalf("web-prod-01 should be offered: %q", reason)
				}
				return
			}
			if !strings.Contains(reason, tt.want) || !disabled {
				t.Fatalf("reason %q (disabled %v), want %q", reason, disabled, tt.want)
			}
			r := post(t, actionPost(env, "attach", tt.id), url.Values{"region": {"cn-hangzhou"}, "instance": {web1.ID}})
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.doc.Find(`[data-error="instance"]`).Text(), tt.want) {
				t.Fatalf("forged POST: status %d, message %q", r.status, r.doc.Find(`[data-error="instance"]`).Text())
			}
			if got := mustENI(t, env, tt.id).Status; got != eni.StatusAvailable {
				t.Fatalf("refused attach changed the ENI to %s", got)
			}
		})
	}
}
