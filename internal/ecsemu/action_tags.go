package ecsemu

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// TagResources and UntagResources for the resources the emulator models:
// ENIs (ResourceType "eni", as the references spell it), instances and
// security groups. Every other documented type is accepted but has no
// resources here. A call changes all its resources or none.

const (
	maxTagsPerResource = 20
	maxTagResources    = 50
)

// tagResourceTypes are the references' ResourceType values.
var tagResourceTypes = []string{"instance", "disk", "snapshot", "image", "securitygroup", "volume", "eni", "ddh",
	"ddhcluster", "keypair", "launchtemplate", "reservedinstance", "snapshotpolicy", "elasticityassurance",
	"capacityreservation", "command", "invocation"}

// tagTarget reads ResourceType and ResourceId.N.
func tagTarget(r *Request) (kind string, ids []string, err error) {
	kind = r.String("ResourceType")
	if kind == "" {
		return "", nil, newAPIErr(http.StatusNotFound, "MissingParameter.ResourceType",
			"The parameter - ResourceType should not be null")
	}
	if !slices.Contains(tagResourceTypes, kind) {
		return "", nil, newAPIErr(http.StatusNotFound, "InvalidResourceType.NotFound",
			"The ResourceType provided does not exist in our records.")
	}
	ids, err = listParam(r, "ResourceId", maxTagResources)
	if err != nil {
		return "", nil, newAPIErr(http.StatusBadRequest, "NumberExceed.ResourceIds",
			"The ResourceIds parameter's number is exceed , Valid : %d", maxTagResources)
	}
	if len(ids) == 0 {
		return "", nil, errParamMissing("ResourceId.N")
	}
	return kind, ids, nil
}

func errTagsExceed() error {
	return newAPIErr(http.StatusBadRequest, "NumberExceed.Tags",
		"The Tags parameter's number is exceed , Valid : %d", maxTagsPerResource)
}

func errTagKey() error {
	return newAPIErr(http.StatusBadRequest, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.")
}

// validTagKey: not empty, at most 128 characters, not starting with aliyun
// or acs:, no http:// or https://.
func validTagKey(k string) bool {
	return k != "" && utf8.RuneCountInString(k) <= 128 && !strings.HasPrefix(k, "aliyun") &&
		!strings.HasPrefix(k, "acs:") && !strings.Contains(k, "http://") && !strings.Contains(k, "https://")
}

// validTagValue: may be empty, at most 128 characters, not starting with
// acs:, no http:// or https://.
func validTagValue(v string) bool {
	return utf8.RuneCountInString(v) <= 128 && !strings.HasPrefix(v, "acs:") &&
		!strings.Contains(v, "http://") && !strings.Contains(v, "https://")
}

// tagsOfResource returns where the tags of a modelled resource are kept.
func (w *World) tagsOfResource(reg *region, kind, id string) (*[]TagParam, bool) {
	switch kind {
	case "eni":
		if e, ok := w.enis[id]; ok && e.region == reg {
			return &e.tags, true
		}
	case "instance":
		if inst, ok := w.instances[id]; ok && inst.region == reg {
			return &inst.tags, true
		}
	case "securitygroup":
		if g, ok := w.groups[id]; ok && g.region == reg {
			return &g.tags, true
		}
	}
	return nil, false
}

// resolveTagged finds every resource of the call, or answers which one is
// missing.
func (w *World) resolveTagged(r *Request, kind string, ids []string) ([]*[]TagParam, error) {
	reg, err := w.regionOf(r)
	if err != nil {
		return nil, err
	}
	out := make([]*[]TagParam, 0, len(ids))
	for _, id := range ids {
		tags, ok := w.tagsOfResource(reg, kind, id)
		if !ok {
			return nil, newAPIErr(http.StatusNotFound, "InvalidResourceId.NotFound",
				"The specified ResourceIds are not found in our records.")
		}
		out = append(out, tags)
	}
	return out, nil
}

func parseTagResources(r *Request) ([]TagParam, error) {
	tags, tooMany := tagsParam(r, maxTagsPerResource)
	if tooMany {
		return nil, errTagsExceed()
	}
	if len(tags) == 0 {
		return nil, newAPIErr(http.StatusNotFound, "MissingParameter.Tags", "The parameter - Tags should not be null")
	}
	for i, t := range tags {
		if !validTagKey(t.Key) {
			return nil, errTagKey()
		}
		if !validTagValue(t.Value) {
			return nil, newAPIErr(http.StatusBadRequest, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.")
		}
		if slices.ContainsFunc(tags[:i], func(o TagParam) bool { return o.Key == t.Key }) {
			return nil, newAPIErr(http.StatusBadRequest, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key.")
		}
	}
	return tags, nil
}

func (w *World) tagResources(_ context.Context, r *Request) (any, error) {
	kind, ids, err := tagTarget(r)
	if err != nil {
		return nil, err
	}
	tags, err := parseTagResources(r)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	targets, err := w.resolveTagged(r, kind, ids)
	if err != nil {
		return nil, err
	}
	merged := make([][]TagParam, len(targets))
	for i, cur := range targets {
		merged[i] = mergeTags(*cur, tags)
		if len(merged[i]) > maxTagsPerResource {
			return nil, newAPIErr(http.StatusBadRequest, "OperationDenied.QuotaExceed",
				"The quota of tags on resource is beyond permitted range.")
		}
	}
	for i, cur := range targets {
		*cur = merged[i]
	}
	return emptyBody{}, nil
}

// mergeTags replaces the values of keys cur has and appends the others.
func mergeTags(cur, add []TagParam) []TagParam {
	out := slices.Clone(cur)
	for _, t := range add {
		if i := slices.IndexFunc(out, func(o TagParam) bool { return o.Key == t.Key }); i >= 0 {
			out[i].Value = t.Value
			continue
		}
		out = append(out, t)
	}
	return out
}

func (w *World) untagResources(_ context.Context, r *Request) (any, error) {
	kind, ids, err := tagTarget(r)
	if err != nil {
		return nil, err
	}
	keys, err := listParam(r, "TagKey", maxTagsPerResource)
	if err != nil {
		return nil, errTagsExceed()
	}
	for _, k := range keys {
		if k == "" || utf8.RuneCountInString(k) > 128 {
			return nil, errTagKey()
		}
	}
	all, err := r.Bool("All", false)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	targets, err := w.resolveTagged(r, kind, ids)
	if err != nil {
		return nil, err
	}
	for _, cur := range targets {
		switch {
		case len(keys) > 0:
			*cur = slices.DeleteFunc(slices.Clone(*cur), func(t TagParam) bool { return slices.Contains(keys, t.Key) })
		case all: // All counts only without TagKey.N
			*cur = nil
		}
	}
	return emptyBody{}, nil
}
