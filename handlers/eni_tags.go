package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
	"enidash/views"
)

// tagsFieldOf places TagResources' and UntagResources' errors at the tags.
var tagsFieldOf = fieldByCode([2]string{"tag", eni.FormTags})

// TagENI serves POST /enis/{id}/tags with the whole new set of tags. Only
// the difference is sent: TagResources for the tags added or changed,
// UntagResources for the keys removed, each audited on its own and its
// outcome reported.
func (h *Handler) TagENI(c echo.Context) error {
	p, err := h.startModify(c, views.FormEdit)
	if err != nil {
		return err
	}
	e := p.ENI
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read: "+err.Error())
	}
	p.Tags = form.Get(eni.FormTags)
	tags, errs := eni.ParseTagsForm(form)
	if p.Errors = errs; len(errs) > 0 {
		h.editAsIs(c, &p)
		return refuse(c, p, views.FormTags, http.StatusUnprocessableEntity)
	}
	set, remove := eni.TagDiff(e.Tags, tags)
	if len(set) == 0 && len(remove) == 0 {
		return h.modifyDone(c, p, views.Flash{Kind: "info", Message: "The tags of " + label(e) + " are already so."})
	}
	a := actorOf(c)
	var flashes []views.Flash
	var failure error
	failedAPI := ""
	part := func(action, api, what string, params map[string]string, call func(context.Context) (eni.Result, error)) {
		_, err := h.act(a, audit.Entry{Action: action, API: api, Region: e.RegionID, ENIID: e.ID, Params: params}, call)
		switch {
		case eni.OutcomeUnknown(err):
			flashes = append(flashes, views.Flash{Kind: "info", Message: what + ": the outcome is not known yet, as the cloud did not answer in time."})
		case err != nil:
			failure, failedAPI = err, api
			f, _ := explainFailure(api, err)
			flashes = append(flashes, views.Flash{Kind: "error", Message: what + " failed: " + f.Summary + " (" + f.Cloud.Code + ")"})
		default:
			flashes = append(flashes, views.Flash{Kind: "ok", Message: what + " on " + label(e) + "."})
		}
	}
	if len(set) > 0 {
		lines := make([]string, len(set))
		for i, t := range set {
			lines[i] = t.Key + "=" + t.Value
		}
		part(audit.ActionTag, "TagResources", "Set "+strings.Join(lines, ", "), map[string]string{"tags": strings.Join(lines, ", ")},
			func(ctx context.Context) (eni.Result, error) { return h.Cloud.TagENI(ctx, e.RegionID, e.ID, set) })
	}
	if len(remove) > 0 {
		part(audit.ActionUntag, "UntagResources", "Removed "+strings.Join(remove, ", "), map[string]string{"removed": strings.Join(remove, ", ")},
			func(ctx context.Context) (eni.Result, error) { return h.Cloud.UntagENI(ctx, e.RegionID, e.ID, remove) })
	}
	if failure != nil && len(flashes) == 1 {
		// The only part failed: the form stays, with the message at it.
		h.editAsIs(c, &p)
		return refuse(c, p, views.FormTags, cloudRefused(&p, failedAPI, failure, tagsFieldOf))
	}
	return h.modifyDone(c, p, flashes...)
}
