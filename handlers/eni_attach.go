package handlers

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// maxCardIndex is the highest network card index any instance type has.
const maxCardIndex = 7

// attachingScan is how many Attaching ENIs of a VPC are counted (one page
// of the largest size).
const attachingScan = 500

// AttachForm serves GET /enis/{id}/attach: the instance picker. Every
// instance of the ENI's VPC is listed; those it cannot go to are disabled
// with the reason, so an incompatible choice is explained before the call.
func (h *Handler) AttachForm(c echo.Context) error {
	noStore(c)
	p, err := h.startAction(c, views.ActionAttach)
	if err != nil {
		return err
	}
	if p.Blocked = opAttach.blocked(p.ENI, false); p.Blocked == "" {
		if status, err := h.offerInstances(c, &p); err != nil {
			return Render(c, status, views.ActionPageView(p))
		}
	}
	return Render(c, http.StatusOK, views.ActionPageView(p))
}

// AttachENI serves POST /enis/{id}/attach with the chosen instance and an
// optional network card index.
func (h *Handler) AttachENI(c echo.Context) error {
	p, err := h.startAction(c, views.ActionAttach)
	if err != nil {
		return err
	}
	e := p.ENI
	p.Instance, p.CardIndex = c.FormValue("instance"), c.FormValue("card_index")
	if p.Blocked = opAttach.blocked(e, false); p.Blocked != "" {
		return Render(c, http.StatusConflict, views.ActionPageView(p))
	}
	in := opInput{Instance: p.Instance}
	switch {
	case p.Instance == "":
		p.Errors = append(p.Errors, eni.FieldError{Field: "instance", Message: "Choose the instance to attach the ENI to."})
	case !eni.IsInstanceID(p.Instance):
		p.Errors = append(p.Errors, eni.FieldError{Field: "instance", Value: p.Instance, Message: "is not an instance ID (like i-bp1…)"})
	}
	if p.CardIndex != "" {
		n, err := strconv.Atoi(p.CardIndex)
		if err != nil || n < 0 || n > maxCardIndex {
			p.Errors = append(p.Errors, eni.FieldError{Field: "card_index", Value: p.CardIndex,
				Message: "must be a whole number from 0 to " + strconv.Itoa(maxCardIndex) + ", or empty to let the cloud choose"})
		} else {
			in.CardIndex = &n
		}
	}
	if status, err := h.offerInstances(c, &p); err != nil {
		return Render(c, status, views.ActionPageView(p))
	}
	if len(p.Errors) == 0 {
		p.Errors = chosenInstanceErrors(p)
	}
	if len(p.Errors) > 0 {
		return Render(c, http.StatusUnprocessableEntity, views.ActionPageView(p))
	}
	_, err = h.runOp(actorOf(c), opAttach, e, in, "")
	if eni.OutcomeUnknown(err) {
		return h.actionUnknown(c, e, p.Back, opAttach.doing(e, in))
	}
	if err != nil {
		var status int
		p.Failure, status = explainFailure(opAttach.api, err)
		sayLimit(p.Failure, p)
		return Render(c, status, views.ActionPageView(p))
	}
	e = h.afterChange(c, e, func(e *eni.ENI) { e.Status, e.InstanceID = opAttach.pending, in.Instance })
	return h.actionAccepted(c, e, p.Back, views.Flash{Kind: "ok", Message: opAttach.doing(e, in) + opAttach.then})
}

// sayLimit names the limit when the cloud says the chosen instance is
// full (the picker's counts were a moment old).
func sayLimit(f *views.Failure, p views.ActionPage) {
	if f.Cloud == nil || f.Cloud.Code != "EniPerInstanceLimitExceeded" {
		return
	}
	for _, in := range p.Instances {
		if in.ID == p.Instance && in.ENILimit > 0 {
			f.Summary = fmt.Sprintf("%s is full: its type %s allows %d ENIs, the primary one included.", orName(in.Instance), in.Type, in.ENILimit)
		}
	}
}

func orName(in eni.Instance) string {
	if in.Name != "" {
		return in.Name + " (" + in.ID + ")"
	}
	return in.ID
}

// chosenInstanceErrors checks the chosen instance against the picker's
// view of it: it must be listed and able to take the ENI.
func chosenInstanceErrors(p views.ActionPage) eni.FieldErrors {
	for _, in := range p.Instances {
		if in.ID == p.Instance {
			if in.Blocked != "" {
				return eni.FieldErrors{{Field: "instance", Value: p.Instance, Message: in.ID + " cannot take this ENI: " + in.Blocked + "."}}
			}
			return nil
		}
	}
	return eni.FieldErrors{{Field: "instance", Value: p.Instance,
		Message: p.Instance + " is not an instance of " + p.ENI.VpcID + " in " + p.ENI.RegionID + "."}}
}

// offerInstances fills the picker with the instances of the ENI's VPC,
// read fresh (their ENI counts matter), and the ENIs attaching to each.
func (h *Handler) offerInstances(c echo.Context, p *views.ActionPage) (int, error) {
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	e := p.ENI
	instances, err := h.Cloud.Instances(ctx, e.RegionID, e.VpcID)
	if err != nil {
		var status int
		p.Failure, status = explainFailure("DescribeInstances", err)
		return status, err
	}
	// DescribeInstances counts only the ENIs already attached.
	attaching := map[string]int{}
	f := eni.Filter{Region: e.RegionID, VpcID: e.VpcID, Status: eni.StatusAttaching, Size: attachingScan}
	if page, err := h.Cloud.ListENIs(ctx, eni.ListQuery{Filter: f}); err == nil {
		for _, a := range page.ENIs {
			attaching[a.InstanceID]++
		}
	} else {
		h.Logger.WarnContext(ctx, "attaching ENIs unknown; instance counts may be low", "err", err)
	}
	// The groups' kinds (basic or enterprise) must match; unknown when
	// they cannot be read, and then left to the cloud to judge.
	var kinds map[string]eni.SecurityGroupKind
	if groups, err := h.Cloud.SecurityGroups(ctx, e.RegionID, e.VpcID); err == nil {
		kinds = eni.GroupKinds(groups)
	} else {
		h.Logger.WarnContext(ctx, "security group kinds unknown; the cloud will judge", "err", err)
	}
	p.Instances = p.Instances[:0]
	for _, in := range instances {
		p.Instances = append(p.Instances, views.InstanceChoice{Instance: in, Attaching: attaching[in.ID],
			Blocked: eni.InstanceBlocked(e, in, attaching[in.ID], kinds)})
	}
	// The instances the ENI can go to come first.
	slices.SortStableFunc(p.Instances, func(a, b views.InstanceChoice) int {
		return cmp.Compare(boolRank(a.Blocked != ""), boolRank(b.Blocked != ""))
	})
	return http.StatusOK, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
