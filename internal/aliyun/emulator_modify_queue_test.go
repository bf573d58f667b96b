package aliyun

import (
	"context"
	"testing"

	"enidash/internal/eni"
)

// The queue number and the source/destination check through ModifyENI and
// back through GetENI, and the reference's rule that an attached ENI's
// queues change only while its instance is Stopped.
func TestEmulatorModifyQueuesAndSourceDestCheck(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s, ctx := env.c, env.seed, context.Background()
	spare := s.spareIn(t, "prod-app-h")
	queues, yes, no := 6, true, false
	if _, err := c.ModifyENI(ctx, eni.ModifyRequest{Region: emuRegion, ID: spare.ID, QueueNumber: &queues, SourceDestCheck: &yes}); err != nil {
		t.Fatal(err)
	}
	e, err := c.GetENI(ctx, emuRegion, spare.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.QueueNumber != 6 || !e.SourceDestCheck {
		t.Fatalf("after setting 6 queues and the check: queues %d, check %v", e.QueueNumber, e.SourceDestCheck)
	}
	// Turning the check off leaves the queues.
	if _, err := c.ModifyENI(ctx, eni.ModifyRequest{Region: emuRegion, ID: spare.ID, SourceDestCheck: &no}); err != nil {
		t.Fatal(err)
	}
	if e, _ = c.GetENI(ctx, emuRegion, spare.ID); e.QueueNumber != 6 || e.SourceDestCheck {
		t.Fatalf("after turning the check off: queues %d, check %v", e.QueueNumber, e.SourceDestCheck)
	}
	running := s.eniNamed(t, "web1-metrics") // attached to a Running instance
	_, err = c.ModifyENI(ctx, eni.ModifyRequest{Region: emuRegion, ID: running.ID, QueueNumber: &queues})
	expectCloudError(t, err, actionModify, "InvalidOperation.InvalidEcsState", 400)
}

// An instance carries its type's queue limits from DescribeInstanceTypes
// (MaximumQueueNumberPerEni, TotalEniQueueQuantity), for the edit form.
func TestEmulatorInstanceQueueLimits(t *testing.T) {
	env := startWriteEnv(t, Config{})
	insts, err := env.c.Instances(context.Background(), emuRegion, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{"batch-prod-01": {8, 32}, "web-prod-01": {4, 16}, "staging-burst-01": {1, 2}}
	for _, in := range insts {
		w, ok := want[in.Name]
		if !ok {
			continue
		}
		delete(want, in.Name)
		if in.MaxQueuesPerENI != w[0] || in.TotalQueues != w[1] {
			t.Errorf("%s (%s): %d queues per ENI, %d in all; want %d and %d", in.Name, in.Type, in.MaxQueuesPerENI, in.TotalQueues, w[0], w[1])
		}
	}
	if len(want) > 0 {
		t.Errorf("instances not listed: %v", want)
	}
}
