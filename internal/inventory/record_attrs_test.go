package inventory

import (
	"testing"
	"time"

	"enidash/internal/eni"
)

// An ENI whose only change is an attribute the edit form sets (the
// source/destination check, the queue number) is a change the snapshot
// takes and its viewers are told of.
func TestUpsertSeesAttributeChanges(t *testing.T) {
	base := eni.ENI{ID: "eni-bp1attrs0000000", RegionID: "cn-hangzhou", Status: eni.StatusAvailable, Type: eni.TypeSecondary}
	tests := []struct {
		name   string
		change func(*eni.ENI)
	}{
		{"source/destination check", func(e *eni.ENI) { e.SourceDestCheck = true }},
		{"queue number", func(e *eni.ENI) { e.QueueNumber = 8 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStore("cn-hangzhou")
			t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
			s.Upsert([]eni.ENI{base}, t0)
			changed := base
			tt.change(&changed)
			cs := s.Upsert([]eni.ENI{changed}, t0.Add(time.Second))
			if len(cs.Changed) != 1 || cs.Changed[0].ENI.ID != base.ID {
				t.Fatalf("change set %+v, want %s changed", cs, base.ID)
			}
			if got, _ := s.Get(base.ID); got.SourceDestCheck != changed.SourceDestCheck || got.QueueNumber != changed.QueueNumber {
				t.Errorf("snapshot has check %v, queues %d", got.SourceDestCheck, got.QueueNumber)
			}
		})
	}
}
