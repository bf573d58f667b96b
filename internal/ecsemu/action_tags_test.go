package ecsemu

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TagResources and UntagResources, modelled on their references:
// https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-tagresources
// https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-untagresources
// (ResourceType "eni" for an ENI; ResourceId.N 1-50; Tag.N and TagKey.N
// 1-20; keys of 1-128 characters not starting with aliyun or acs:, values
// of at most 128 not starting with acs:, neither containing http:// or
// https://; at most 20 tags on a resource; the error tables).

func TestTagResourcesPreconditions(t *testing.T) {
	h := newHarness(t, 0)
	spare := h.w.eniNamed(t, "spare-h-00").id // tags env, team, cost-center
	eni := func(kv ...string) []string {
		return append([]string{"ResourceType", "eni", "ResourceId.1", spare}, kv...)
	}
	many := eni()
	for i := 1; i <= 18; i++ {
		many = append(many, fmt.Sprintf("Tag.%d.Key", i), fmt.Sprintf("k%02d", i))
	}
	cases := withRegion([]errCase{
		{"no resource type", []string{"ResourceId.1", spare, "Tag.1.Key", "k"}, "MissingParameter.ResourceType", 404},
		{"networkinterface is not a resource type", []string{"ResourceType", "networkinterface", "ResourceId.1", spare, "Tag.1.Key", "k"},
			"InvalidResourceType.NotFound", 404},
		{"ENI as an instance", []string{"ResourceType", "instance", "ResourceId.1", spare, "Tag.1.Key", "k"}, "InvalidResourceId.NotFound", 404},
		{"no resource", []string{"ResourceType", "eni", "Tag.1.Key", "k"}, "MissingParameter", 400},
		{"51 resources", append(eni("Tag.1.Key", "k"), "ResourceId.51", spare), "NumberExceed.ResourceIds", 400},
		{"unknown ENI", []string{"ResourceType", "eni", "ResourceId.1", "eni-bp1nope", "Tag.1.Key", "k"}, "InvalidResourceId.NotFound", 404},
		{"one of two unknown", eni("ResourceId.2", "eni-bp1nope", "Tag.1.Key", "k"), "InvalidResourceId.NotFound", 404},
		{"no tags", eni(), "MissingParameter.Tags", 404},
		{"Tag.21", eni("Tag.21.Key", "k"), "NumberExceed.Tags", 400},
		{"empty key", eni("Tag.1.Key", "", "Tag.1.Value", "v"), "InvalidTagKey.Malformed", 400},
		{"key of 129 characters", eni("Tag.1.Key", strings.Repeat("é", 129)), "InvalidTagKey.Malformed", 400},
		{"key starting with aliyun", eni("Tag.1.Key", "aliyun-x"), "InvalidTagKey.Malformed", 400},
		{"key starting with acs:", eni("Tag.1.Key", "acs:x"), "InvalidTagKey.Malformed", 400},
		{"key with a URL", eni("Tag.1.Key", "see https://x"), "InvalidTagKey.Malformed", 400},
		{"value of 129 characters", eni("Tag.1.Key", "k", "Tag.1.Value", strings.Repeat("v", 129)), "InvalidTagValue.Malformed", 400},
		{"value starting with acs:", eni("Tag.1.Key", "k", "Tag.1.Value", "acs:v"), "InvalidTagValue.Malformed", 400},
		{"value with a URL", eni("Tag.1.Key", "k", "Tag.1.Value", "http://x"), "InvalidTagValue.Malformed", 400},
		{"key twice", eni("Tag.1.Key", "k", "Tag.2.Key", "k"), "Duplicate.TagKey", 400},
		{"21 tags on the ENI", many, "OperationDenied.QuotaExceed", 400},
	})
	cases = append(cases, errCase{"unknown region", []string{"RegionId", "cn-nowhere", "ResourceType", "eni", "ResourceId.1", spare,
		"Tag.1.Key", "k"}, "InvalidRegionId.MalFormed", 400})
	h.expectErrors(t, "TagResources", cases)
	if got := h.w.eniNamed(t, "spare-h-00").tags; len(got) != 3 {
		t.Errorf("refused calls changed the tags: %v", got)
	}
}

func TestUntagResourcesPreconditions(t *testing.T) {
	h := newHarness(t, 0)
	spare := h.w.eniNamed(t, "spare-h-00").id
	keys := []string{"ResourceType", "eni", "ResourceId.1", spare}
	for i := 1; i <= 21; i++ {
		keys = append(keys, fmt.Sprintf("TagKey.%d", i), fmt.Sprintf("k%02d", i))
	}
	cases := withRegion([]errCase{
		{"no resource type", []string{"ResourceId.1", spare, "TagKey.1", "env"}, "MissingParameter.ResourceType", 404},
		{"unknown ENI", []string{"ResourceType", "eni", "ResourceId.1", "eni-bp1nope", "TagKey.1", "env"}, "InvalidResourceId.NotFound", 404},
		{"TagKey.21", keys, "NumberExceed.Tags", 400},
		{"empty key", []string{"ResourceType", "eni", "ResourceId.1", spare, "TagKey.1", ""}, "InvalidTagKey.Malformed", 400},
		{"All not a boolean", []string{"ResourceType", "eni", "ResourceId.1", spare, "All", "yes"}, "InvalidParameter", 400},
	})
	h.expectErrors(t, "UntagResources", cases)
}

// Tags added, changed and removed show in DescribeNetworkInterfaces, through
// the typed SDK with both schemes.
func TestTagsRoundTrip(t *testing.T) {
	h := newHarness(t, 0)
	for scheme, name := range map[string]string{"v3": "spare-h-00", "v2": "spare-h-08"} {
		t.Run(scheme, func(t *testing.T) {
			c := h.clients[scheme]
			id := h.w.eniNamed(t, name).id
			_, err := c.TagResources(&ecs.TagResourcesRequest{RegionId: tea.String(hz), ResourceType: tea.String("eni"),
				ResourceId: tea.StringSlice([]string{id}), Tag: []*ecs.TagResourcesRequestTag{
					{Key: tea.String("env"), Value: tea.String("staging")}, {Key: tea.String("owner"), Value: tea.String("bob")},
					{Key: tea.String("empty")}}})
			if err != nil {
				t.Fatal(err)
			}
			got := tagsListed(sdkENI(t, c, id))
			if got["env"] != "staging" || got["owner"] != "bob" || got["empty"] != "" || len(got) < 3 {
				t.Errorf("after tagging: %v", got)
			}
			if _, err := c.UntagResources(&ecs.UntagResourcesRequest{RegionId: tea.String(hz), ResourceType: tea.String("eni"),
				ResourceId: tea.StringSlice([]string{id}), TagKey: tea.StringSlice([]string{"owner", "never-set"})}); err != nil {
				t.Fatal(err)
			}
			after := tagsListed(sdkENI(t, c, id))
			if _, ok := after["owner"]; ok || after["env"] != "staging" || len(after) != len(got)-1 {
				t.Errorf("after untagging owner: %v (before %v)", after, got)
			}
			// All without TagKey.N removes every tag.
			if _, err := c.UntagResources(&ecs.UntagResourcesRequest{RegionId: tea.String(hz), ResourceType: tea.String("eni"),
				ResourceId: tea.StringSlice([]string{id}), All: tea.Bool(true)}); err != nil {
				t.Fatal(err)
			}
			if left := tagsListed(sdkENI(t, c, id)); len(left) != 0 {
				t.Errorf("after All: %v", left)
			}
		})
	}
	// Instances and security groups take tags too.
	web1 := h.w.instanceNamed(t, "web-prod-01").id
	if _, err := h.clients["v3"].TagResources(&ecs.TagResourcesRequest{RegionId: tea.String(hz), ResourceType: tea.String("instance"),
		ResourceId: tea.StringSlice([]string{web1}), Tag: []*ecs.TagResourcesRequestTag{{Key: tea.String("k"), Value: tea.String("v")}}}); err != nil {
		t.Fatal(err)
	}
	inst := h.w.instanceNamed(t, "web-prod-01")
	h.w.mu.RLock()
	defer h.w.mu.RUnlock()
	if !slices.Contains(inst.tags, TagParam{Key: "k", Value: "v"}) {
		t.Errorf("instance tags %v", inst.tags)
	}
}

func tagsListed(e *ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet) map[string]string {
	out := map[string]string{}
	for _, tg := range e.Tags.Tag {
		out[tea.StringValue(tg.TagKey)] = tea.StringValue(tg.TagValue)
	}
	return out
}
