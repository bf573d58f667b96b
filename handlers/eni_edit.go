package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// editFieldOf places ModifyNetworkInterfaceAttribute's errors at the
// edit form's fields.
var editFieldOf = fieldByCode(
	[2]string{"securitygroup", eni.FormSG}, [2]string{"multigrouptype", eni.FormSG},
	[2]string{"grouptype", eni.FormSG}, [2]string{"name", eni.FormName},
	[2]string{"description", eni.FormDescription}, [2]string{"deleteonrelease", eni.FormDeleteOnRelease})

// EditForm serves GET /enis/{id}/edit: name, description, security groups,
// DeleteOnRelease, the queue number and the source/destination check, and
// the tags.
func (h *Handler) EditForm(c echo.Context) error {
	noStore(c)
	p, err := h.startModify(c, views.FormEdit)
	if err != nil {
		return err
	}
	h.editAsIs(c, &p)
	p.Tags = views.TagLines(p.ENI.Tags)
	return Render(c, http.StatusOK, views.ModifyPageView(p))
}

// editAsIs fills the edit form with the ENI as it is: for its own page,
// and beside the tags form when that comes back refused.
func (h *Handler) editAsIs(c echo.Context, p *views.ModifyPage) {
	e := p.ENI
	p.Name, p.Description, p.Chosen, p.DeleteOnRelease = e.Name, e.Description, e.SecurityGroups, e.DeleteOnRelease
	p.QueueNumber, p.SourceDestCheck = queueValue(e), e.SourceDestCheck
	h.queueNote(c, p)
	p.Groups = h.vpcGroups(c, e)
}

// EditENI serves POST /enis/{id}/edit: the create form's rules, the
// groups of the ENI's VPC and of one kind, then the one audited call with
// only what changed.
func (h *Handler) EditENI(c echo.Context) error {
	p, err := h.startModify(c, views.FormEdit)
	if err != nil {
		return err
	}
	e := p.ENI
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read: "+err.Error())
	}
	p.Name, p.Description, p.Chosen = form.Get(eni.FormName), form.Get(eni.FormDescription), form[eni.FormSG]
	p.DeleteOnRelease = form.Has(eni.FormDeleteOnRelease) && strings.Contains(strings.Join(form[eni.FormDeleteOnRelease], ","), "true")
	p.SourceDestCheck = strings.Contains(strings.Join(form[eni.FormSourceDestCheck], ","), "true")
	if p.QueueNumber = queueValue(e); form.Has(eni.FormQueueNumber) {
		p.QueueNumber = form.Get(eni.FormQueueNumber)
	}
	inst := h.queueNote(c, &p)
	p.Tags = views.TagLines(e.Tags)
	p.Groups = h.vpcGroups(c, e)
	req, errs := eni.ParseEditForm(form, e)
	if req.QueueNumber != nil {
		errs = append(errs, h.checkQueueNumber(c, *req.QueueNumber, e, inst)...)
	}
	if req.SecurityGroupIDs != nil {
		// The region's groups, so that one of another VPC is named.
		errs = append(errs, eni.ValidateGroups(req.SecurityGroupIDs, e.VpcID, h.regionGroups(c, e))...)
	}
	if msg := modifyBlocked(e); msg != "" {
		errs = append(errs, eni.FieldError{Field: eni.FormName, Message: "cannot be changed now: " + msg})
	}
	if p.Errors = errs; len(errs) > 0 {
		return refuse(c, p, views.FormEdit, http.StatusUnprocessableEntity)
	}
	if !req.Changes() {
		return h.modifyDone(c, p, views.Flash{Kind: "info", Message: "Nothing changed on " + label(e) + "."})
	}
	_, err = h.act(actorOf(c), audit.Entry{Action: audit.ActionModify, API: "ModifyNetworkInterfaceAttribute",
		Region: e.RegionID, ENIID: e.ID, InstanceID: e.InstanceID, Params: modifyParams(req)},
		func(ctx context.Context) (eni.Result, error) { return h.Cloud.ModifyENI(ctx, req) })
	if eni.OutcomeUnknown(err) {
		return h.modifyDone(c, p, views.Flash{Kind: "info", Message: "Changing " + label(e) +
			": the outcome is not known yet, as the cloud did not answer in time. Check the ENI before trying again."})
	}
	if err != nil {
		return refuse(c, p, views.FormEdit, cloudRefused(&p, "ModifyNetworkInterfaceAttribute", err, editFieldFor(req)))
	}
	return h.modifyDone(c, p, views.Flash{Kind: "ok", Message: "Changed " + label(e) + ": " + strings.Join(changedNames(req), ", ") + "."})
}

// modifyParams records what the change asks for.
func modifyParams(r eni.ModifyRequest) map[string]string {
	m := map[string]string{}
	if r.Name != nil {
		m["name"] = *r.Name
	}
	if r.Description != nil {
		m["description"] = *r.Description
	}
	if r.SecurityGroupIDs != nil {
		m["security_groups"] = strings.Join(r.SecurityGroupIDs, ",")
	}
	if r.DeleteOnRelease != nil {
		m["delete_on_release"] = strconv.FormatBool(*r.DeleteOnRelease)
	}
	if r.QueueNumber != nil {
		m["queue_number"] = strconv.Itoa(*r.QueueNumber)
	}
	if r.SourceDestCheck != nil {
		m["source_dest_check"] = strconv.FormatBool(*r.SourceDestCheck)
	}
	return m
}

// changedNames says what a change touches, for its message.
func changedNames(r eni.ModifyRequest) []string {
	var out []string
	if r.Name != nil {
		out = append(out, "name")
	}
	if r.Description != nil {
		out = append(out, "description")
	}
	if r.SecurityGroupIDs != nil {
		out = append(out, "security groups")
	}
	if r.DeleteOnRelease != nil {
		out = append(out, "DeleteOnRelease")
	}
	if r.QueueNumber != nil {
		out = append(out, "queue number")
	}
	if r.SourceDestCheck != nil {
		out = append(out, "source/destination check")
	}
	return out
}
