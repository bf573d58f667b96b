package eni

import (
	"net/url"
	"strings"
	"testing"
)

// The edit form's queue number and source/destination check: only what
// differs from the ENI is asked for, and bad values are refused at their
// field.
func TestParseEditFormQueueAndCheck(t *testing.T) {
	e := ENI{ID: "eni-bp1edit0000000a", RegionID: "cn-hangzhou", Name: "web", SecurityGroups: []string{"sg-bp1aaaa"},
		QueueNumber: 4, SourceDestCheck: false}
	form := func(kv ...string) url.Values {
		v := url.Values{FormName: {"web"}, FormSG: {"sg-bp1aaaa"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name      string
		form      url.Values
		queues    int   // 0: not asked for
		check     *bool // nil: not asked for
		errField  string
		errSubstr string
	}{
		{"nothing changed", form(FormQueueNumber, "4", FormSourceDestCheck, "false"), 0, nil, "", ""},
		{"queue number left empty", form(FormQueueNumber, ""), 0, nil, "", ""},
		{"fields absent", form(), 0, nil, "", ""},
		{"more queues", form(FormQueueNumber, " 8 "), 8, nil, "", ""},
		{"the check on", form(FormSourceDestCheck, "false", FormSourceDestCheck, "true"), 0, ptr(true), "", ""},
		{"queue number 0", form(FormQueueNumber, "0"), 0, nil, FormQueueNumber, "from 1 to 2048"},
		{"queue number 2049", form(FormQueueNumber, "2049"), 0, nil, FormQueueNumber, "from 1 to 2048"},
		{"queue number not a number", form(FormQueueNumber, "eight"), 0, nil, FormQueueNumber, "whole number"},
		{"queue number a fraction", form(FormQueueNumber, "4.5"), 0, nil, FormQueueNumber, "whole number"},
		{"queue number twice", form(FormQueueNumber, "4", FormQueueNumber, "8"), 0, nil, FormQueueNumber, "more than once"},
		{"check not a boolean", form(FormSourceDestCheck, "on"), 0, nil, FormSourceDestCheck, "true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, errs := ParseEditForm(tt.form, e)
			if tt.errField != "" {
				if msg := errs.For(tt.errField); !strings.Contains(msg, tt.errSubstr) {
					t.Fatalf("message at %s: %q, want %q (all: %v)", tt.errField, msg, tt.errSubstr, errs)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if got := deref(r.QueueNumber); got != tt.queues {
				t.Errorf("QueueNumber %d, want %d", got, tt.queues)
			}
			if (r.SourceDestCheck == nil) != (tt.check == nil) || r.SourceDestCheck != nil && *r.SourceDestCheck != *tt.check {
				t.Errorf("SourceDestCheck %v, want %v", r.SourceDestCheck, tt.check)
			}
		})
	}
}

// The reference's rules for a new queue number, checked before the call.
func TestValidateQueueNumber(t *testing.T) {
	stopped := Instance{ID: "i-bp1stopped", Status: "Stopped", Type: "ecs.g7.2xlarge", MaxQueuesPerENI: 8, TotalQueues: 32}
	running := stopped
	running.Status = "Running"
	secondary := ENI{ID: "eni-bp1sec", Type: TypeSecondary, Status: StatusInUse, InstanceID: stopped.ID, QueueNumber: 4}
	available := ENI{ID: "eni-bp1free", Type: TypeSecondary, Status: StatusAvailable}
	primary := secondary
	primary.ID, primary.Type = "eni-bp1prim", TypePrimary
	others := []ENI{{ID: "eni-bp1prim", QueueNumber: 8}, {ID: "eni-bp1sec", QueueNumber: 4}, {ID: "eni-bp1third", QueueNumber: 8}}
	tests := []struct {
		name   string
		q      int
		e      ENI
		inst   Instance
		others []ENI
		want   string // "" valid
	}{
		{"Available ENI, any number", 2048, available, Instance{}, nil, ""},
		{"on a Stopped instance, within its limits", 8, secondary, stopped, others, ""},
		{"primary ENI", 8, primary, stopped, others, "primary ENI"},
		{"on a Running instance", 8, secondary, running, others, "only while instance i-bp1stopped is Stopped; it is Running"},
		{"above the type's limit per ENI", 9, secondary, stopped, others, "at most 8 queues per ENI"},
		{"above the type's total", 8, secondary, Instance{ID: stopped.ID, Status: "Stopped", Type: stopped.Type, MaxQueuesPerENI: 8, TotalQueues: 20}, others, "24 queues; instance type ecs.g7.2xlarge takes 20"},
		{"instance unknown: left to the cloud", 9, secondary, Instance{}, nil, ""},
		{"limits unknown: left to the cloud", 64, secondary, Instance{ID: stopped.ID, Status: "Stopped"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := ValidateQueueNumber(tt.q, tt.e, tt.inst, tt.others)
			msg := errs.For(FormQueueNumber)
			if tt.want == "" && len(errs) > 0 || tt.want != "" && !strings.Contains(msg, tt.want) {
				t.Fatalf("errors %v, want %q at %s", errs, tt.want, FormQueueNumber)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
