package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// ipsFieldOf places the address APIs' errors the form has no words for
// at its fields.
var ipsFieldOf = fieldByCode([2]string{"count", eni.FormCount}, [2]string{"ipv6", eni.FormFamily},
	[2]string{"ip", eni.FormAddresses}, [2]string{"address", eni.FormAddresses})

// IPsForm serves GET /enis/{id}/ips: the ENI's addresses, a form to add
// secondary ones by count or list and one to remove chosen ones.
func (h *Handler) IPsForm(c echo.Context) error {
	noStore(c)
	p, err := h.startModify(c, views.FormIPs)
	if err != nil {
		return err
	}
	vs, _ := h.eniVSwitch(c, p.ENI)
	inst := h.eniInstance(c, p.ENI)
	p.Room, p.Allowed = room(vs), allowed(p.ENI, inst)
	return Render(c, http.StatusOK, views.ModifyPageView(p))
}

// AssignIPs serves POST /enis/{id}/ips: assign or unassign secondary
// addresses, checked against the ENI, its vSwitch's block and the
// addresses in use before the one audited call.
func (h *Handler) AssignIPs(c echo.Context) error {
	p, err := h.startModify(c, views.FormIPs)
	if err != nil {
		return err
	}
	e := p.ENI
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read: "+err.Error())
	}
	p.Family, p.Op, p.Count = form.Get(eni.FormFamily), form.Get(eni.FormOp), form.Get(eni.FormCount)
	p.Addresses = strings.Join(form[eni.FormAddresses], "\n")
	vs, inUse := h.eniVSwitch(c, e)
	inst := h.eniInstance(c, e)
	p.Room, p.Allowed = room(vs), allowed(e, inst)
	f, errs := eni.ParseAddressForm(form, e)
	if len(errs) == 0 {
		errs = eni.ValidateAddresses(f, e, vs, inUse, inst)
	}
	if p.Errors = errs; len(errs) > 0 {
		return refuse(c, p, views.FormIPs, http.StatusUnprocessableEntity)
	}
	action, api, call := addressCall(h, f)
	params := map[string]string{"family": string(f.Family)}
	if f.Count > 0 {
		params["count"] = strconv.Itoa(f.Count)
	}
	if len(f.Addresses) > 0 {
		params["addresses"] = strings.Join(f.Addresses, ", ")
	}
	var assigned []string
	_, err = h.act(actorOf(c), audit.Entry{Action: action, API: api, Region: e.RegionID, ENIID: e.ID, InstanceID: e.InstanceID, Params: params},
		func(ctx context.Context) (eni.Result, error) {
			res, added, err := call(ctx)
			assigned = added
			return res, err
		})
	if eni.OutcomeUnknown(err) {
		return h.modifyDone(c, p, views.Flash{Kind: "info", Message: "Changing the addresses of " + label(e) +
			": the outcome is not known yet, as the cloud did not answer in time. Check the ENI before trying again."})
	}
	if err != nil {
		return refuse(c, p, views.FormIPs, cloudRefusedAs(&p, api, err, func(code string) (eni.Explanation, bool) {
			x, ok := eni.ExplainAddresses(code, f)
			if !ok {
				x.Field = ipsFieldOf(code)
			}
			return x, ok
		}))
	}
	msg := "Removed " + strings.Join(f.Addresses, ", ") + " from " + label(e) + "."
	if f.Op == eni.OpAssign {
		msg = "Added " + orCount(assigned, f) + " to " + label(e) + "."
	}
	return h.modifyDone(c, p, views.Flash{Kind: "ok", Message: msg})
}

// addressCall is the audited action, the API and the call of a form.
func addressCall(h *Handler, f eni.AddressForm) (string, string, func(context.Context) (eni.Result, []string, error)) {
	ipv6 := f.Family == eni.FamilyIPv6
	if f.Op == eni.OpUnassign {
		api := "UnassignPrivateIpAddresses"
		if ipv6 {
			api = "UnassignIpv6Addresses"
		}
		return audit.ActionUnassignIPs, api, func(ctx context.Context) (eni.Result, []string, error) {
			res, err := h.Cloud.UnassignAddresses(ctx, f.AddressRequest)
			return res, nil, err
		}
	}
	api := "AssignPrivateIpAddresses"
	if ipv6 {
		api = "AssignIpv6Addresses"
	}
	return audit.ActionAssignIPs, api, func(ctx context.Context) (eni.Result, []string, error) {
		res, err := h.Cloud.AssignAddresses(ctx, f.AddressRequest)
		return res.Result, res.Addresses, err
	}
}

func orCount(assigned []string, f eni.AddressForm) string {
	if len(assigned) > 0 {
		return strings.Join(assigned, ", ")
	}
	if len(f.Addresses) > 0 {
		return strings.Join(f.Addresses, ", ")
	}
	return fmt.Sprintf("%d %s addresses", f.Count, f.Family)
}

// eniVSwitch is the ENI's vSwitch and the addresses its ENIs hold now.
// Unknown parts stay empty: the cloud then judges.
func (h *Handler) eniVSwitch(c echo.Context, e eni.ENI) (eni.VSwitch, []string) {
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	vs := eni.VSwitch{ID: e.VSwitchID, AvailableIP: 1 << 30}
	if all, err := h.Cloud.VSwitches(ctx, e.RegionID, e.VpcID); err == nil {
		for _, v := range all {
			if v.ID == e.VSwitchID {
				vs = v
			}
		}
	} else {
		h.Logger.WarnContext(ctx, "vSwitch unavailable; the cloud will judge the addresses", "err", err)
	}
	var inUse []string
	page, err := h.Cloud.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: e.RegionID, VSwitchID: e.VSwitchID, Size: attachingScan}})
	if err != nil {
		return vs, nil
	}
	for _, o := range page.ENIs {
		for _, ip := range o.PrivateIPs {
			inUse = append(inUse, ip.Address)
		}
		inUse = append(inUse, o.IPv6...)
	}
	return vs, inUse
}

// eniInstance is the instance e is attached to, with its type's limits;
// the zero Instance when e is not attached or the instance cannot be read
// (the cloud then judges the limits).
func (h *Handler) eniInstance(c echo.Context, e eni.ENI) eni.Instance {
	if e.InstanceID == "" {
		return eni.Instance{}
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.CallTimeout)
	defer cancel()
	all, err := h.Cloud.Instances(ctx, e.RegionID, e.VpcID)
	if err != nil {
		h.Logger.WarnContext(ctx, "instance unavailable; the cloud will judge the address limits", "instance", e.InstanceID, "err", err)
	}
	for _, in := range all {
		if in.ID == e.InstanceID {
			return in
		}
	}
	return eni.Instance{}
}

// allowed are the ENI's address limits, IPv4 then IPv6.
func allowed(e eni.ENI, inst eni.Instance) []eni.AddressLimit {
	return []eni.AddressLimit{eni.AddressLimitOf(e, inst, eni.FamilyIPv4), eni.AddressLimitOf(e, inst, eni.FamilyIPv6)}
}

// room says what the ENI's vSwitch has free.
func room(vs eni.VSwitch) string {
	if vs.CIDR == "" {
		return ""
	}
	free := fmt.Sprintf("vSwitch %s (%s) has %d free IPv4 addresses", vs.ID, vs.CIDR, vs.AvailableIP)
	if vs.IPv6CIDR == "" {
		return free + " and no IPv6 block."
	}
	return free + "; IPv6 block " + vs.IPv6CIDR + "."
}
