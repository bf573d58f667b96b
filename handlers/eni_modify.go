package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// This file holds what the forms changing an ENI after it exists (edit,
// addresses, tags) share: the start (operators only, the ENI as the cloud
// has it), explaining a refused change at its field, and the answer once
// the cloud has accepted it.

// startModify reads the ENI a form is about and sets up its page.
func (h *Handler) startModify(c echo.Context, form string) (views.ModifyPage, error) {
	if !canAct(c) {
		return views.ModifyPage{}, errNotOperator
	}
	region, id, _, err := h.actionTarget(c)
	if err != nil {
		return views.ModifyPage{}, err
	}
	e, err := h.loadENI(c, region, id)
	if err != nil {
		return views.ModifyPage{}, err
	}
	if e.ServiceManaged {
		return views.ModifyPage{}, echo.NewHTTPError(http.StatusConflict, e.ID+
			" is managed by a cloud service, which makes its changes; enidash does not change it.")
	}
	p := views.ModifyPage{Form: form, ENI: e, Back: views.DetailURL(region, id),
		Chrome: h.chrome(c, "Change "+e.ID, region)}
	return p, nil
}

// modifyBlocked says why an ENI cannot be changed now, or "": the cloud
// refuses changes to an ENI in transition.
func modifyBlocked(e eni.ENI) string {
	if e.Status.Transitional() {
		return "it is " + string(e.Status) + "; wait until it is Available or InUse"
	}
	return ""
}

// refuse re-renders the page with the messages of the failed form.
func refuse(c echo.Context, p views.ModifyPage, form string, status int) error {
	p.Failed = form
	return Render(c, status, views.ModifyPageView(p))
}

// cloudRefused explains a failed change; a cloud error about a field
// becomes the message at it.
func cloudRefused(p *views.ModifyPage, api string, err error, fieldOf func(code string) string) int {
	return cloudRefusedAs(p, api, err, func(code string) (eni.Explanation, bool) {
		x, ok := eni.Explain(code)
		x.Field = fieldOf(code)
		return x, ok
	})
}

// cloudRefusedAs is cloudRefused with the form's own explanations: its
// words replace Explain's, and its Field is where the message goes.
func cloudRefusedAs(p *views.ModifyPage, api string, err error, explain func(code string) (eni.Explanation, bool)) int {
	f, status := explainFailure(api, err)
	p.Failure = f
	if f.Cloud == nil {
		return status
	}
	x, known := explain(f.Cloud.Code)
	if known {
		f.Summary, f.Next = x.Summary, x.Next
	}
	if x.Field != "" {
		msg := f.Summary
		if !known {
			msg = f.Cloud.Message
		}
		p.Errors = append(p.Errors, eni.FieldError{Field: x.Field, Message: msg + " (" + f.Cloud.Code + ")"})
	}
	return status
}

// modifyDone answers a change the cloud accepted: back to the ENI's page
// with the messages (htmx follows the redirect too).
func (h *Handler) modifyDone(c echo.Context, p views.ModifyPage, flashes ...views.Flash) error {
	for _, f := range flashes {
		h.addFlash(c, f)
	}
	if IsHTMX(c) {
		c.Response().Header().Set(HeaderHXRedirect, p.Back)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, p.Back)
}

// vpcGroups are the security groups of the ENI's VPC, for the picker and
// the checks; nil when they cannot be read (the cloud then judges).
func (h *Handler) vpcGroups(c echo.Context, e eni.ENI) []eni.SecurityGroup {
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	groups, err := h.Cloud.SecurityGroups(ctx, e.RegionID, e.VpcID)
	if err != nil {
		h.Logger.WarnContext(ctx, "security groups unavailable", "vpc", e.VpcID, "err", err)
	}
	return groups
}

// regionGroups are the security groups of the ENI's region, for checking
// a choice; nil when they cannot be read.
func (h *Handler) regionGroups(c echo.Context, e eni.ENI) []eni.SecurityGroup {
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	groups, err := h.Cloud.SecurityGroups(ctx, e.RegionID, "")
	if err != nil {
		h.Logger.WarnContext(ctx, "security groups unavailable", "region", e.RegionID, "err", err)
	}
	return groups
}

// fieldByCode maps a cloud error code to a form field: the first rule
// whose words (pairs of a lower-case part of the code and a field) match.
func fieldByCode(rules ...[2]string) func(string) string {
	return func(code string) string {
		lc := strings.ToLower(code)
		for _, r := range rules {
			if strings.Contains(lc, r[0]) {
				return r[1]
			}
		}
		return ""
	}
}
