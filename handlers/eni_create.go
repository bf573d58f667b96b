package handlers

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// CreateENI serves POST /enis: the create form. Every rule is checked
// before the cloud is called; a refused form comes back (422) with all
// that was typed and a message at each field at fault. A created ENI is
// shown on its own page (Post/Redirect/Get). The form's ClientToken makes
// a repeated submit return the same ENI instead of a second one.
func (h *Handler) CreateENI(c echo.Context) error {
	if !canAct(c) {
		return errNotOperator
	}
	noStore(c)
	ctx := c.Request().Context()
	params, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read: "+err.Error()).SetInternal(err)
	}
	form := formValues(params)
	r, errs := eni.ParseCreateForm(form)
	region := r.Region
	if slices.ContainsFunc(errs, func(e eni.FieldError) bool { return e.Field == eni.FormRegion }) {
		region = h.DefaultRegion
	} else if fe := h.checkRegion(ctx, region); len(fe) > 0 {
		errs, region = append(errs, fe...), h.DefaultRegion
	}
	if r.ClientToken == "" {
		// A form sent without one (a script) still gets a token, so the
		// cloud call may be retried safely, and a refused form keeps it.
		r.ClientToken = newClientToken()
		form.Set(eni.FormClientToken, r.ClientToken)
	}
	if region == r.Region {
		errs = append(errs, h.checkAgainstLookups(ctx, r)...)
	}
	p := h.createPage(c, region, form, false)
	if len(errs) > 0 {
		p.Errors = errs
		return Render(c, http.StatusUnprocessableEntity, views.CreatePageView(p))
	}

	res, err := h.act(actorOf(c), audit.Entry{Action: audit.ActionCreate, API: "CreateNetworkInterface", Region: r.Region,
		Params: createParams(r)},
		func(ctx context.Context) (eni.Result, error) { return h.Cloud.CreateENI(ctx, r) })
	if err != nil {
		var status int
		p.Failure, status = explainFailure("CreateNetworkInterface", err)
		if eni.OutcomeUnknown(err) {
			// The form keeps its ClientToken: sending it again is safe.
			p.Failure.Summary = "The cloud did not answer in time, so whether the ENI was created is not known yet."
			p.Failure.Next = "Check the list, or send the form again: the change may have happened, and the form's " +
				"token makes the cloud return that ENI rather than make a second."
		}
		if status == http.StatusUnprocessableEntity {
			if field := eni.CreateErrorField(r, p.Failure.Cloud); field != "" {
				p.Errors = eni.FieldErrors{{Field: field, Message: fieldMessage(p.Failure)}}
			}
		}
		return Render(c, status, views.CreatePageView(p))
	}
	// The vSwitch has fewer free addresses now.
	h.Lookups.Forget(r.Region)
	msg := "Created " + res.ENIID
	if r.Name != "" {
		msg += " (" + r.Name + ")"
	}
	to := views.DetailURL(r.Region, res.ENIID)
	// The browser goes to the ENI's page, where the flash stands: no link.
	h.addFlash(c, views.Flash{Kind: "ok", Message: msg + "."})
	if IsHTMX(c) {
		c.Response().Header().Set(HeaderHXRedirect, to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// checkAgainstLookups checks r against the vSwitch and security groups the
// form offered. A look-up that fails, or a vSwitch it does not list (one
// made a moment ago), leaves the check to the cloud.
func (h *Handler) checkAgainstLookups(ctx context.Context, r eni.CreateRequest) eni.FieldErrors {
	ctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
	defer cancel()
	all, err := h.Lookups.VSwitches(ctx, r.Region, "")
	if err != nil {
		return nil
	}
	i := slices.IndexFunc(all, func(vs eni.VSwitch) bool { return vs.ID == r.VSwitchID })
	if i < 0 {
		return nil
	}
	groups, err := h.Lookups.SecurityGroups(ctx, r.Region, "")
	if err != nil {
		groups = nil
	}
	return eni.ValidateAgainst(r, all[i], groups)
}

// fieldMessage is what stands at the field a cloud error concerns: the
// explanation when there is one, else the cloud's own words.
func fieldMessage(f *views.Failure) string {
	if x, ok := eni.Explain(f.Cloud.Code); ok {
		return x.Summary + " " + x.Next
	}
	return "The cloud refused it: " + f.Cloud.Message
}

// createParams is what the audit log records of a create: the parameters
// as the API names them, only those given.
func createParams(r eni.CreateRequest) map[string]string {
	p := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			p[k] = v
		}
	}
	count := func(k string, n int) {
		if n != 0 {
			p[k] = strconv.Itoa(n)
		}
	}
	flag := func(k string, b *bool) {
		if b != nil {
			p[k] = strconv.FormatBool(*b)
		}
	}
	set("VSwitchId", r.VSwitchID)
	set("ZoneId", r.ZoneID)
	set("SecurityGroupIds", strings.Join(r.SecurityGroupIDs, ","))
	set("NetworkInterfaceName", r.Name)
	set("Description", r.Description)
	set("PrimaryIpAddress", r.PrimaryIP)
	count("SecondaryPrivateIpAddressCount", r.SecondaryIPCount)
	set("PrivateIpAddress", strings.Join(r.SecondaryIPs, ","))
	count("Ipv6AddressCount", r.IPv6Count)
	set("Ipv6Address", strings.Join(r.IPv6, ","))
	count("Ipv4PrefixCount", r.IPv4PrefixCount)
	set("Ipv4Prefix", strings.Join(r.IPv4Prefixes, ","))
	tags := make([]string, len(r.Tags))
	for i, t := range r.Tags {
		tags[i] = t.Key + "=" + t.Value
	}
	set("Tags", strings.Join(tags, ","))
	set("ResourceGroupId", r.ResourceGroupID)
	flag("DeleteOnRelease", r.DeleteOnRelease)
	count("QueueNumber", r.QueueNumber)
	set("NetworkInterfaceTrafficMode", r.TrafficMode)
	flag("SourceDestCheck", r.SourceDestCheck)
	set("ClientToken", r.ClientToken)
	return p
}
