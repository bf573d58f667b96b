package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/views"
)

// NewENI serves GET /enis/new?region=…: the create form (and POST
// /enis/new, its "Refresh choices" without script). zone and vswitch
// preselect; every other value of the form (htmx re-rendering it when a
// picker changes, or "Refresh choices" without script) is kept as typed,
// the ClientToken included, so the form stays the same submission.
func (h *Handler) NewENI(c echo.Context) error {
	if !canAct(c) {
		return errNotOperator
	}
	noStore(c)
	ctx := c.Request().Context()
	in := c.QueryParams()
	if c.Request().Method == http.MethodPost {
		// "Refresh choices" without script posts, keeping the CSRF token
		// out of URLs and logs.
		var err error
		if in, err = c.FormParams(); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read: "+err.Error())
		}
	}
	form := formValues(in)
	region := strings.TrimSpace(form.Get(eni.FormRegion))
	if region == "" {
		region = h.DefaultRegion
	}
	errs := h.checkRegion(ctx, region)
	if len(errs) > 0 {
		return Render(c, http.StatusBadRequest, views.ErrorPageView(views.ErrorPage{
			Chrome: h.chrome(c, "Create an ENI", h.DefaultRegion), Status: http.StatusBadRequest,
			Heading: "This link is not valid", Message: errs.Error(),
			Back: views.NewENIURL(h.DefaultRegion), BackLabel: "Create an ENI in " + h.DefaultRegion,
		}))
	}
	form.Set(eni.FormRegion, region)
	if form.Get(eni.FormClientToken) == "" {
		form.Set(eni.FormClientToken, newClientToken())
	}
	p := h.createPage(c, region, form, true)
	return Render(c, http.StatusOK, views.CreatePageView(p))
}

// checkRegion reports a region that is not a region ID, or not one of the
// account's regions.
func (h *Handler) checkRegion(ctx context.Context, region string) eni.FieldErrors {
	if _, fe := eni.ParseFilter(url.Values{eni.KeyRegion: {region}}); len(fe) > 0 {
		return fe
	}
	ctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
	defer cancel()
	return regionError(ctx, h.Lookups, region)
}

// formValues copies what a form sent, without the CSRF token, which has no
// place in a re-rendered form's values or in a URL.
func formValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		if k != "_csrf" {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

// newClientToken mints the idempotency token of one create form: 32 hex
// characters, within the 64 ASCII characters the API allows.
func newClientToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// createPage fills the create form's choices: the region's zones, the
// vSwitches of the chosen zone, and the security groups of the chosen
// vSwitch's VPC. A choice that cannot be read becomes a note, and the form
// then takes IDs as text. refresh is set when the form is only being
// shown again with new choices: a vSwitch left behind by a change of zone
// is then dropped, and a vSwitch chosen first sets the zone.
func (h *Handler) createPage(c echo.Context, region string, form url.Values, refresh bool) views.CreatePage {
	p := views.CreatePage{Form: form, Fragment: IsHTMX(c)}
	if p.Fragment {
		p.Chrome = views.Chrome{CSRF: csrfToken(c.Request().Context()), Region: region}
	} else {
		p.Chrome = h.chrome(c, "Create an ENI", region)
	}
	p.Nav = "enis"
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	note := func(what, api string, err error, then string) {
		ce, _ := describeFailure(api, err)
		h.Logger.WarnContext(ctx, "create form: "+what+" unavailable", "region", region, "err", err)
		p.Notes = append(p.Notes, "The "+what+" of "+region+" could not be read ("+ce.Code+": "+ce.Message+"); "+then)
	}
	zones, err := h.Cloud.Zones(ctx, region)
	if err != nil {
		note("zones", "DescribeZones", err, "the vSwitch decides the zone.")
	}
	p.Zones = zones
	all, err := h.Lookups.VSwitches(ctx, region, "")
	if err != nil {
		note("vSwitches", "DescribeVSwitches", err, "type the vSwitch and security group IDs, and the cloud will check them.")
		p.VSwitchesUnknown, p.GroupsUnknown = true, true
		return p
	}
	zone, chosen := form.Get(eni.FormZone), form.Get(eni.FormVSwitch)
	for i, vs := range all {
		if vs.ID != chosen {
			continue
		}
		switch {
		case refresh && zone == "":
			zone = vs.ZoneID
			form.Set(eni.FormZone, zone)
		case refresh && zone != vs.ZoneID:
			form.Del(eni.FormVSwitch)
			continue
		}
		p.VSwitch = &all[i]
	}
	for _, vs := range all {
		if zone == "" || vs.ZoneID == zone {
			p.VSwitches = append(p.VSwitches, vs)
		}
	}
	if p.VSwitch != nil {
		groups, err := h.Lookups.SecurityGroups(ctx, region, p.VSwitch.VpcID)
		if err != nil {
			note("security groups", "DescribeSecurityGroups", err, "type their IDs, and the cloud will check them.")
			p.GroupsUnknown = true
		}
		p.SecurityGroups = groups
	}
	return p
}
