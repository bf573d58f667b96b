package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// The edit form's queue number: what the page says of it, and the checks
// that need the instance the ENI is attached to and that instance's ENIs.

// queueNote sets what the edit page says of the queue number: fixed on a
// primary ENI, locked while the instance is not Stopped, else the limits
// known. It returns the instance the ENI is attached to (zero when it is
// not, or cannot be read).
func (h *Handler) queueNote(c echo.Context, p *views.ModifyPage) eni.Instance {
	e := p.ENI
	if e.Type == eni.TypePrimary {
		p.QueueFixed = true
		p.QueueNote = "A primary ENI's queue number follows its instance type; it is not changed here."
		return eni.Instance{}
	}
	inst := h.eniInstance(c, e)
	switch {
	case inst.ID != "" && inst.Status != "Stopped":
		p.QueueLocked = true
		p.QueueNote = fmt.Sprintf("Changes only while instance %s is Stopped; it is %s.", inst.ID, inst.Status)
	case inst.MaxQueuesPerENI > 0 && inst.TotalQueues > 0:
		p.QueueNote = fmt.Sprintf("Instance type %s takes at most %d queues per ENI and %d in all.",
			inst.Type, inst.MaxQueuesPerENI, inst.TotalQueues)
	case e.InstanceID == "":
		p.QueueNote = fmt.Sprintf("1 to %d. Attached, the ENI must keep within its instance type's queues.", eni.MaxQueueNumber)
	}
	return inst
}

// queueValue is the queue number as the form shows it: empty when the
// cloud reports none.
func queueValue(e eni.ENI) string {
	if e.QueueNumber == 0 {
		return ""
	}
	return strconv.Itoa(e.QueueNumber)
}

// checkQueueNumber applies the reference's rules to a new queue number q;
// the instance's other ENIs are read only when the total can be checked.
func (h *Handler) checkQueueNumber(c echo.Context, q int, e eni.ENI, inst eni.Instance) eni.FieldErrors {
	var others []eni.ENI
	if e.Type != eni.TypePrimary && inst.ID != "" && inst.Status == "Stopped" && inst.TotalQueues > 0 {
		ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
		defer cancel()
		page, err := h.Cloud.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: e.RegionID, InstanceID: inst.ID, Size: 100}})
		if err != nil {
			h.Logger.WarnContext(ctx, "instance ENIs unavailable; the cloud will judge the queue total", "instance", inst.ID, "err", err)
		} else {
			others = page.ENIs
		}
	}
	return eni.ValidateQueueNumber(q, e, inst, others)
}

// editFieldFor places ModifyNetworkInterfaceAttribute's errors at the edit
// form's fields: the queue codes, and an instance state refusal when the
// request changes the queue number (the one change that needs a Stopped
// instance), at the queue number.
func editFieldFor(r eni.ModifyRequest) func(string) string {
	return func(code string) string {
		lc := strings.ToLower(code)
		switch {
		case strings.Contains(lc, "queuenumber"):
			return eni.FormQueueNumber
		case strings.Contains(lc, "sourcedestcheck"):
			return eni.FormSourceDestCheck
		case r.QueueNumber != nil && strings.Contains(lc, "ecsstate"):
			return eni.FormQueueNumber
		}
		return editFieldOf(code)
	}
}
