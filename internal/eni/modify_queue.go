package eni

import (
	"fmt"
	"strconv"
)

// The edit form's queue number, with the rules ModifyNetworkInterfaceAttribute's
// reference gives it: 1 to 2048, on a secondary ENI only, while the ENI is
// Available or attached to a Stopped instance, within the instance type's
// queues per ENI and in total.

// editQueueNumber reads the queue number; empty leaves it as it is.
func (p *parser) editQueueNumber() *int {
	s := p.one(FormQueueNumber)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxQueueNumber {
		p.fail(FormQueueNumber, s, fmt.Sprintf("must be a whole number from 1 to %d", MaxQueueNumber))
		return nil
	}
	return &n
}

// ValidateQueueNumber checks a new queue number q for e against the
// instance e is attached to (inst; zero when e is not attached or the
// instance is unknown) and the ENIs attached to it (others, e among them or
// not). What is not known (the instance, its type's limits) is left to the
// cloud to judge.
func ValidateQueueNumber(q int, e ENI, inst Instance, others []ENI) FieldErrors {
	var errs FieldErrors
	fail := func(msg string) {
		errs = append(errs, FieldError{Field: FormQueueNumber, Value: strconv.Itoa(q), Message: msg})
	}
	if e.Type == TypePrimary {
		fail("cannot be changed on a primary ENI; only a secondary ENI's queue number changes")
		return errs
	}
	if e.InstanceID == "" || inst.ID == "" {
		return errs
	}
	if inst.Status != "" && inst.Status != "Stopped" {
		fail(fmt.Sprintf("can be changed only while instance %s is Stopped; it is %s", inst.ID, inst.Status))
		return errs
	}
	if inst.MaxQueuesPerENI > 0 && q > inst.MaxQueuesPerENI {
		fail(fmt.Sprintf("is above what instance type %s takes: at most %d queues per ENI", inst.Type, inst.MaxQueuesPerENI))
		return errs
	}
	if inst.TotalQueues > 0 && others != nil {
		total := q
		for _, o := range others {
			if o.ID != e.ID {
				total += o.QueueNumber
			}
		}
		if total > inst.TotalQueues {
			fail(fmt.Sprintf("would bring the ENIs of %s to %d queues; instance type %s takes %d in all",
				inst.ID, total, inst.Type, inst.TotalQueues))
		}
	}
	return errs
}
