package ecsemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Parameter helpers for actions.
//
// The SDKs flatten lists and objects into numbered names, which arrive in
// Request.Params unchanged:
//
//	NetworkInterfaceId.1, NetworkInterfaceId.2       -> r.List("NetworkInterfaceId")
//	Tag.1.Key, Tag.1.Value, Tag.2.Key                -> r.Tags()  (or r.TagsOf("Tag"))
//	ConnectionTrackingConfiguration.UdpTimeout       -> r.String("ConnectionTrackingConfiguration.UdpTimeout")
//	InstanceIds=["i-1","i-2"] (a JSON array string)  -> r.JSONList("InstanceIds")
//
// Numbered entries are returned in the order of their numbers (1, 2, ...,
// 10, not "1, 10, 2"); gaps are skipped. Number, boolean and JSON helpers
// answer a malformed value with an *APIError InvalidParameter (400) naming
// the parameter, which an action can return as is.

// TagParam is one Tag.N.Key / Tag.N.Value pair as sent.
type TagParam struct {
	Key, Value string
}

// String returns the parameter's value, or "" when it is absent.
func (r *Request) String(name string) string {
	return r.Params.Get(name)
}

// Has reports whether the parameter was sent, even with an empty value.
func (r *Request) Has(name string) bool {
	_, ok := r.Params[name]
	return ok
}

// List returns the values of prefix.1, prefix.2, ... in number order.
func (r *Request) List(prefix string) []string {
	idx := indexed(r.Params, prefix, "")
	out := make([]string, 0, len(idx))
	for _, e := range idx {
		out = append(out, e.value)
	}
	return out
}

// Tags returns the Tag.N.Key / Tag.N.Value pairs in number order. A pair
// with only one of the two parts comes back with the other empty; the
// action decides whether that is allowed.
func (r *Request) Tags() []TagParam { return r.TagsOf("Tag") }

// TagsOf is Tags for another prefix with the same .N.Key/.N.Value layout.
func (r *Request) TagsOf(prefix string) []TagParam {
	keys := indexed(r.Params, prefix, ".Key")
	values := indexed(r.Params, prefix, ".Value")
	byN := make(map[int]*TagParam, len(keys))
	var order []int
	for _, e := range keys {
		byN[e.n] = &TagParam{Key: e.value}
		order = append(order, e.n)
	}
	for _, e := range values {
		if t, ok := byN[e.n]; ok {
			t.Value = e.value
			continue
		}
		byN[e.n] = &TagParam{Value: e.value}
		order = append(order, e.n)
	}
	slices.Sort(order)
	out := make([]TagParam, 0, len(order))
	for _, n := range order {
		out = append(out, *byN[n])
	}
	return out
}

// Int returns the parameter as an integer, def when it is absent or empty.
func (r *Request) Int(name string, def int) (int, error) {
	v := r.Params.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return def, invalidParameter(name, v)
	}
	return n, nil
}

// Bool returns the parameter as a boolean ("true"/"false", any case), def
// when it is absent or empty.
func (r *Request) Bool(name string, def bool) (bool, error) {
	v := r.Params.Get(name)
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return def, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return def, invalidParameter(name, v)
}

// JSONList returns a parameter sent as a JSON array of strings, as some
// actions take their lists (DescribeInstances' InstanceIds). Absent or empty
// gives nil.
func (r *Request) JSONList(name string) ([]string, error) {
	v := strings.TrimSpace(r.Params.Get(name))
	if v == "" {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, invalidParameter(name, v)
	}
	return out, nil
}

func invalidParameter(name, value string) error {
	return &APIError{
		Status:  http.StatusBadRequest,
		Code:    "InvalidParameter",
		Message: fmt.Sprintf("The specified parameter %q is not valid: %q.", name, value),
	}
}

type indexedValue struct {
	n     int
	value string
}

// indexed collects prefix.N+suffix parameters (N a positive integer) sorted
// by N. With an empty suffix, prefix.N.Something is not matched.
func indexed(params url.Values, prefix, suffix string) []indexedValue {
	var out []indexedValue
	head := prefix + "."
	for k, vs := range params {
		rest, ok := strings.CutPrefix(k, head)
		if !ok || len(vs) == 0 {
			continue
		}
		num, ok := strings.CutSuffix(rest, suffix)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || num[0] == '+' {
			continue
		}
		out = append(out, indexedValue{n: n, value: vs[0]})
	}
	slices.SortFunc(out, func(a, b indexedValue) int { return a.n - b.n })
	return out
}
