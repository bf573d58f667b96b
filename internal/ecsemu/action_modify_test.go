package ecsemu

import (
	"slices"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// ModifyNetworkInterfaceAttribute, modelled on its reference:
// https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-modifynetworkinterfaceattribute
// (parameters, SecurityGroupId.N at most 5, QueueNumber 1-2048 on secondary
// ENIs that are Available or attached to a Stopped instance, within the
// type's MaximumQueueNumberPerEni and TotalEniQueueQuantity, and its error
// table). SourceDestCheck is a boolean with no state rule of its own (the
// SDK calls it an invitational preview); what it does:
// https://www.alibabacloud.com/help/en/ecs/enable-the-nic-source-destination-check-feature-in-ecs

func TestModifyNetworkInterfaceAttributePreconditions(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	spare := w.eniNamed(t, "spare-h-00").id // prod-vpc, Available
	web, db := w.groupNamed(t, hz, "prod-web").id, w.groupNamed(t, hz, "prod-db").id
	ent, stg := w.groupNamed(t, hz, "prod-enterprise").id, w.groupNamed(t, hz, "staging-default").id
	web1 := w.instanceNamed(t, "web-prod-01")
	cases := []errCase{
		{"no ENI", []string{"NetworkInterfaceName", "abc"}, "MissingParameter", 400},
		{"malformed ENI ID", []string{"NetworkInterfaceId", "x"}, "InvalidParams.EniId", 400},
		{"unknown ENI", []string{"NetworkInterfaceId", "eni-bp1nope"}, "InvalidEniId.NotFound", 404},
		{"name too short", []string{"NetworkInterfaceId", spare, "NetworkInterfaceName", "a"}, "InvalidParams.NetworkInterfaceName", 403},
		{"name with a space", []string{"NetworkInterfaceId", spare, "NetworkInterfaceName", "a b"}, "InvalidParams.NetworkInterfaceName", 403},
		{"description is a URL", []string{"NetworkInterfaceId", spare, "Description", "http://x.example"}, "InvalidParameter", 400},
		{"group twice", []string{"NetworkInterfaceId", spare, "SecurityGroupId.1", web, "SecurityGroupId.2", web},
			"InvalidParameter.SecurityGroupIdRepeated", 400},
		{"six groups", []string{"NetworkInterfaceId", spare, "SecurityGroupId.1", "sg-1", "SecurityGroupId.2", "sg-2",
			"SecurityGroupId.3", "sg-3", "SecurityGroupId.4", "sg-4", "SecurityGroupId.5", "sg-5", "SecurityGroupId.6", "sg-6"},
			"JoinedGroupLimitExceed", 400},
		{"groups not a JSON array", []string{"NetworkInterfaceId", spare, "SecurityGroupId", web}, "InvalidParameter", 400},
		{"unknown group", []string{"NetworkInterfaceId", spare, "SecurityGroupId.1", "sg-bp1nope"}, "InvalidSecurityGroupId.NotFound", 404},
		{"group of another VPC", []string{"NetworkInterfaceId", spare, "SecurityGroupId.1", stg}, "InvalidOperation.VpcMismatch", 403},
		{"basic and enterprise", []string{"NetworkInterfaceId", spare, "SecurityGroupId.1", web, "SecurityGroupId.2", ent},
			"InvalidOperation.MultiGroupType", 403},
		{"enterprise on an instance in basic groups", []string{"NetworkInterfaceId", w.eniNamed(t, "web1-frontend").id,
			"SecurityGroupId.1", ent}, "InvalidOperation.MultiGroupType", 403},
		{"groups of a primary ENI", []string{"NetworkInterfaceId", web1.primary.id, "SecurityGroupId.1", db},
			"InvalidOperation.InvalidEniType", 403},
		{"ENI of a cloud service", []string{"NetworkInterfaceId", w.groupless(t), "NetworkInterfaceName", "abc"},
			"InvalidOperation.EniServiceManaged", 403},
		{"Attaching ENI", []string{"NetworkInterfaceId", w.eniNamed(t, "db-replication").id, "NetworkInterfaceName", "abc"},
			"InvalidOperation.InvalidEniState", 400},
		{"Deleting ENI", []string{"NetworkInterfaceId", w.eniNamed(t, "old-batch-eni").id, "Description", "gone soon"},
			"InvalidOperation.InvalidEniState", 400},
		{"DeleteOnRelease not a boolean", []string{"NetworkInterfaceId", spare, "DeleteOnRelease", "maybe"}, "InvalidParameter", 400},
		{"SourceDestCheck not a boolean", []string{"NetworkInterfaceId", spare, "SourceDestCheck", "1"}, "InvalidParameter", 400},
		{"queue number 0", []string{"NetworkInterfaceId", spare, "QueueNumber", "0"}, "InvalidParameter.InvalidEniQueueNumber", 403},
		{"queue number 2049", []string{"NetworkInterfaceId", spare, "QueueNumber", "2049"}, "InvalidParameter.InvalidEniQueueNumber", 403},
		{"queue number not a number", []string{"NetworkInterfaceId", spare, "QueueNumber", "eight"}, "InvalidParameter", 400},
		{"queues of a primary ENI", []string{"NetworkInterfaceId", web1.primary.id, "QueueNumber", "2"}, "InvalidOperation.InvalidEniType", 403},
		{"queues on a running instance", []string{"NetworkInterfaceId", w.eniNamed(t, "web1-metrics").id, "QueueNumber", "2"},
			"InvalidOperation.InvalidEcsState", 400},
		{"queues beyond the type's per-ENI maximum", []string{"NetworkInterfaceId", w.eniNamed(t, "batch-data").id, "QueueNumber", "9"},
			"InvalidOperation.MaxEniQueueNumberExceeded", 403},
		{"unequal queue sizes", []string{"NetworkInterfaceId", spare, "RxQueueSize", "8192", "TxQueueSize", "16384"},
			"InvalidParameter.EniQueueSize", 400},
	}
	for i := range cases {
		cases[i].kv = append([]string{"RegionId", hz}, cases[i].kv...)
	}
	cases = append(cases,
		errCase{"unknown region", []string{"RegionId", "cn-nowhere", "NetworkInterfaceId", spare}, "InvalidRegionId.MalFormed", 400},
		errCase{"ENI of another region", []string{"RegionId", "cn-shanghai", "NetworkInterfaceId", spare}, "InvalidEniId.NotFound", 404})
	h.expectErrors(t, "ModifyNetworkInterfaceAttribute", cases)

	// A refused change leaves the ENI as it was.
	e := w.eniNamed(t, "spare-h-00")
	w.mu.RLock()
	defer w.mu.RUnlock()
	if len(e.groups) != 1 || e.groups[0].name != "prod-web" || e.name != "spare-h-00" || e.queueNumber != 4 {
		t.Errorf("after refused changes: groups %v, name %q, queues %d", groupIDsOf(e.groups).SecurityGroupId, e.name, e.queueNumber)
	}
}

// Each change shows at once in DescribeNetworkInterfaces, through the
// SDK's typed request, with both signature schemes; what was not sent is
// left as it was.
func TestModifyNetworkInterfaceAttributeChanges(t *testing.T) {
	h := newHarness(t, 0)
	w := h.w
	web, db, mgmt := w.groupNamed(t, hz, "prod-web").id, w.groupNamed(t, hz, "prod-db").id, w.groupNamed(t, hz, "prod-mgmt").id
	targets := map[string]string{"v3": "spare-h-00", "v2": "spare-h-07"}
	for scheme, name := range targets {
		t.Run(scheme, func(t *testing.T) {
			c := h.clients[scheme]
			id := w.eniNamed(t, name).id
			before := sdkENI(t, c, id)
			_, err := c.ModifyNetworkInterfaceAttribute(&ecs.ModifyNetworkInterfaceAttributeRequest{
				RegionId: tea.String(hz), NetworkInterfaceId: tea.String(id),
				NetworkInterfaceName: tea.String("renamed-" + scheme), Description: tea.String("moved to db and mgmt"),
				SecurityGroupId: tea.StringSlice([]string{db, mgmt}), DeleteOnRelease: tea.Bool(false),
				SourceDestCheck: tea.Bool(true), QueueNumber: tea.Int32(8),
			})
			if err != nil {
				t.Fatal(err)
			}
			got := sdkENI(t, c, id)
			if tea.StringValue(got.NetworkInterfaceName) != "renamed-"+scheme || tea.StringValue(got.Description) != "moved to db and mgmt" ||
				!slices.Equal(tea.StringSliceValue(got.SecurityGroupIds.SecurityGroupId), []string{db, mgmt}) ||
				tea.BoolValue(got.DeleteOnRelease) || !tea.BoolValue(got.SourceDestCheck) || tea.Int32Value(got.QueueNumber) != 8 {
				t.Errorf("after the change: %s", got)
			}
			if tea.StringValue(got.PrivateIpAddress) != tea.StringValue(before.PrivateIpAddress) || len(got.Tags.Tag) != len(before.Tags.Tag) {
				t.Errorf("the change touched what was not sent: before %s after %s", before, got)
			}
			// Only the name: the rest stays.
			if _, err := c.ModifyNetworkInterfaceAttribute(&ecs.ModifyNetworkInterfaceAttributeRequest{
				RegionId: tea.String(hz), NetworkInterfaceId: tea.String(id), NetworkInterfaceName: tea.String("again-" + scheme),
			}); err != nil {
				t.Fatal(err)
			}
			got = sdkENI(t, c, id)
			if tea.StringValue(got.NetworkInterfaceName) != "again-"+scheme || tea.StringValue(got.Description) != "moved to db and mgmt" ||
				!slices.Equal(tea.StringSliceValue(got.SecurityGroupIds.SecurityGroupId), []string{db, mgmt}) {
				t.Errorf("after renaming only: %s", got)
			}
			// Sent empty, the description is cleared.
			if _, err := c.ModifyNetworkInterfaceAttribute(&ecs.ModifyNetworkInterfaceAttributeRequest{
				RegionId: tea.String(hz), NetworkInterfaceId: tea.String(id), Description: tea.String(""),
			}); err != nil {
				t.Fatal(err)
			}
			if got = sdkENI(t, c, id); tea.StringValue(got.Description) != "" || tea.StringValue(got.NetworkInterfaceName) != "again-"+scheme {
				t.Errorf("after clearing the description: %s", got)
			}
		})
	}

	// An attached ENI moves to other groups of its instance's kind.
	front := w.eniNamed(t, "web2-backend").id
	if _, err := h.clients["v3"].ModifyNetworkInterfaceAttribute(&ecs.ModifyNetworkInterfaceAttributeRequest{
		RegionId: tea.String(hz), NetworkInterfaceId: tea.String(front), SecurityGroupId: tea.StringSlice([]string{web}),
	}); err != nil {
		t.Fatal(err)
	}
	if got := sdkENI(t, h.clients["v3"], front); !slices.Equal(tea.StringSliceValue(got.SecurityGroupIds.SecurityGroupId), []string{web}) {
		t.Errorf("attached ENI's groups: %v", tea.StringSliceValue(got.SecurityGroupIds.SecurityGroupId))
	}
	// The reference's own example sends the groups as a JSON array.
	spare := w.eniNamed(t, "spare-h-08").id
	if err := raw(h.clients["v2"], "ModifyNetworkInterfaceAttribute",
		[]string{"RegionId", hz, "NetworkInterfaceId", spare, "SecurityGroupId", `["` + mgmt + `"]`}); err != nil {
		t.Fatal(err)
	}
	if got := sdkENI(t, h.clients["v2"], spare); !slices.Equal(tea.StringSliceValue(got.SecurityGroupIds.SecurityGroupId), []string{mgmt}) {
		t.Errorf("groups sent as a JSON array: %v", tea.StringSliceValue(got.SecurityGroupIds.SecurityGroupId))
	}
	// An ENI attached to a Stopped instance may change its queues.
	batchData := w.eniNamed(t, "batch-data").id
	if _, err := h.clients["v3"].ModifyNetworkInterfaceAttribute(&ecs.ModifyNetworkInterfaceAttributeRequest{
		RegionId: tea.String(hz), NetworkInterfaceId: tea.String(batchData), QueueNumber: tea.Int32(8),
	}); err != nil {
		t.Fatal(err)
	}
	if got := sdkENI(t, h.clients["v3"], batchData); tea.Int32Value(got.QueueNumber) != 8 {
		t.Errorf("queues of the ENI of a Stopped instance: %d", tea.Int32Value(got.QueueNumber))
	}
	// The check turns off as it turns on, whatever the ENI's state.
	monitoring := w.eniNamed(t, "db-monitoring").id // seeded with the check on, attached to a Running instance
	if _, err := h.clients["v2"].ModifyNetworkInterfaceAttribute(&ecs.ModifyNetworkInterfaceAttributeRequest{
		RegionId: tea.String(hz), NetworkInterfaceId: tea.String(monitoring), SourceDestCheck: tea.Bool(false),
	}); err != nil {
		t.Fatal(err)
	}
	if got := sdkENI(t, h.clients["v2"], monitoring); tea.BoolValue(got.SourceDestCheck) {
		t.Error("the source/destination check of db-monitoring is still on")
	}
}

// sdkENI reads one ENI through DescribeNetworkInterfaces.
func sdkENI(t testing.TB, c *ecs.Client, id string) *ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet {
	t.Helper()
	resp, err := c.DescribeNetworkInterfaces(&ecs.DescribeNetworkInterfacesRequest{RegionId: tea.String(hz),
		NetworkInterfaceId: tea.StringSlice([]string{id})})
	if err != nil {
		t.Fatal(err)
	}
	set := resp.Body.NetworkInterfaceSets.NetworkInterfaceSet
	if len(set) != 1 {
		t.Fatalf("%d ENIs with ID %s", len(set), id)
	}
	return set[0]
}
