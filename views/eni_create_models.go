package views

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"enidash/internal/eni"
)

// CreatePage is the create form (GET /enis/new, and POST /enis when the
// request is refused): the region's choices, the form's values exactly as
// typed, and what is wrong with them.
type CreatePage struct {
	Chrome
	// Form holds the values as the browser sent them, so a refused form
	// comes back with everything typed; ClientToken is among them.
	Form url.Values
	// Zones of the region; VSwitches of the chosen zone (all of the
	// region when no zone is chosen); VSwitch the chosen one when known;
	// SecurityGroups those of its VPC.
	Zones          []eni.Zone
	VSwitches      []eni.VSwitch
	VSwitch        *eni.VSwitch
	SecurityGroups []eni.SecurityGroup
	// VSwitchesUnknown and GroupsUnknown are set when the look-up failed:
	// the form then takes IDs as text.
	VSwitchesUnknown bool
	GroupsUnknown    bool
	// Notes say which choices could not be read from the cloud.
	Notes   []string
	Errors  eni.FieldErrors
	Failure *Failure
	// Fragment is set when htmx asked for the form alone.
	Fragment bool
}

// CreateURL is the create form with some of its values set, e.g. a zone
// and vSwitch to preselect.
func CreateURL(region string, v url.Values) string {
	q := url.Values{eni.FormRegion: {region}}
	for k, vs := range v {
		if k != eni.FormRegion {
			q[k] = vs
		}
	}
	return "/enis/new?" + q.Encode()
}

// value is the form's single value of key, as typed.
func (p CreatePage) value(key string) string { return p.Form.Get(key) }

// values are all values of a repeatable key, split as the parser splits.
func (p CreatePage) values(key string) []string {
	var out []string
	for _, raw := range p.Form[key] {
		out = append(out, strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })...)
	}
	return out
}

// checked says whether a checkbox shows ticked: as sent (any "true"), or
// its default when the form has not been sent yet.
func (p CreatePage) checked(key string, def bool) bool {
	vs, sent := p.Form[key]
	if !sent {
		return def
	}
	return slices.Contains(vs, "true")
}

// messages are the field's problems, worded to stand under its input.
func (p CreatePage) messages(key string) []string {
	var out []string
	for _, e := range p.Errors {
		if e.Field == key {
			out = append(out, p.sentence(e))
		}
	}
	return out
}

// sentence words a problem to stand alone. An item of a list field is
// named ("10.0.0.300 is not an IPv4 address"); a single field's value is
// in its input already.
func (p CreatePage) sentence(e eni.FieldError) string {
	switch e.Field {
	case eni.FormSG, eni.FormSecondaryIPs, eni.FormIPv6, eni.FormPrefixes, eni.FormTags:
		if e.Value != "" {
			return e.Value + " " + e.Message
		}
	}
	return underInput(e.Message)
}

func (p CreatePage) invalid(key string) bool {
	return slices.ContainsFunc(p.Errors, func(e eni.FieldError) bool { return e.Field == key })
}

func (p CreatePage) inputClass(key string) string {
	if p.invalid(key) {
		return "input input-invalid"
	}
	return "input"
}

// showIPv6 offers the IPv6 fields for a vSwitch with IPv6, and keeps them
// whenever they hold a value, so nothing typed is lost.
func (p CreatePage) showIPv6() bool {
	return p.VSwitch != nil && p.VSwitch.IPv6CIDR != "" || p.VSwitchesUnknown ||
		p.value(eni.FormIPv6Count) != "" || p.value(eni.FormIPv6) != ""
}

// advancedOpen unfolds the advanced settings when they hold a value or a
// problem.
func (p CreatePage) advancedOpen() bool {
	for _, k := range []string{eni.FormQueueNumber, eni.FormTrafficMode, eni.FormSourceDestCheck} {
		if p.invalid(k) || strings.Trim(strings.Join(p.Form[k], ""), "false") != "" {
			return true
		}
	}
	return false
}

// groupChoices are the security groups offered: those of the vSwitch's
// VPC, then any chosen ID they do not include, so it stays visible.
func (p CreatePage) groupChoices() []option {
	var out []option
	for _, g := range p.SecurityGroups {
		label := g.ID
		if g.Name != "" {
			label = g.Name + " · " + g.ID
		}
		out = append(out, option{g.ID, label})
	}
	for _, id := range p.values(eni.FormSG) {
		if !hasOption(out, id) {
			label := id
			if p.VSwitch != nil {
				label += " · not a group of this vSwitch's VPC"
			}
			out = append(out, option{id, label})
		}
	}
	return out
}

// vswitchLabel shows what a person chooses a vSwitch by: its name, block,
// free addresses and whether it has IPv6.
func vswitchLabel(vs eni.VSwitch) string {
	parts := []string{vs.ID}
	if vs.Name != "" {
		parts = append(parts, vs.Name)
	}
	parts = append(parts, vs.CIDR, strconv.Itoa(vs.AvailableIP)+" free")
	if vs.IPv6CIDR != "" {
		parts = append(parts, "IPv6 on")
	} else {
		parts = append(parts, "IPv6 off")
	}
	if vs.ZoneID != "" {
		parts = append(parts, vs.ZoneID)
	}
	return strings.Join(parts, " · ")
}

// createLabel names a create form key as the form labels it.
func createLabel(key string) string {
	labels := map[string]string{
		eni.FormRegion: "Region", eni.FormZone: "Zone", eni.FormVSwitch: "vSwitch", eni.FormSG: "Security groups",
		eni.FormName: "Name", eni.FormDescription: "Description", eni.FormPrimaryIP: "Primary private IP",
		eni.FormSecondaryCount: "Secondary IPs (count)", eni.FormSecondaryIPs: "Secondary IPs (list)",
		eni.FormIPv6Count: "IPv6 addresses (count)", eni.FormIPv6: "IPv6 addresses (list)",
		eni.FormPrefixCount: "IPv4 prefixes (count)", eni.FormPrefixes: "IPv4 prefixes (list)", eni.FormTags: "Tags",
		eni.FormRG: "Resource group", eni.FormDeleteOnRelease: "Delete with its instance",
		eni.FormQueueNumber: "Queue number", eni.FormTrafficMode: "Traffic mode",
		eni.FormSourceDestCheck: "Source/destination check", eni.FormClientToken: "Form token",
	}
	if l, ok := labels[key]; ok {
		return l
	}
	return key
}
