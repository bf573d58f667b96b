package ecsemu

import (
	"errors"
	"net/url"
	"reflect"
	"testing"
)

func reqWith(kv ...string) *Request {
	p := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	return &Request{Params: p}
}

func TestList(t *testing.T) {
	tests := []struct {
		name   string
		req    *Request
		prefix string
		want   []string
	}{
		{"numeric order past 9", reqWith("Id.10", "j", "Id.2", "b", "Id.1", "a", "Id.11", "k"), "Id", []string{"a", "b", "j", "k"}},
		{"gaps skipped", reqWith("Id.3", "c", "Id.1", "a"), "Id", []string{"a", "c"}},
		{"nested and foreign names ignored", reqWith("Id.1", "a", "Id.1.Key", "x", "Ids.1", "y", "Id.x", "z", "Id.0", "zero", "Id.-1", "neg", "Id.+2", "plus"), "Id", []string{"a"}},
		{"none", reqWith("Other", "1"), "Id", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.req.List(tt.prefix); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("List(%q) = %v, want %v", tt.prefix, got, tt.want)
			}
		})
	}
}

func TestTags(t *testing.T) {
	r := reqWith("Tag.2.Key", "b", "Tag.2.Value", "2", "Tag.1.Key", "a", "Tag.10.Key", "j", "Tag.10.Value", "",
		"Tag.3.Value", "orphan", "Tag.4", "flat", "Filter.1.Key", "f", "Filter.1.Value", "fv")
	want := []TagParam{{"a", ""}, {"b", "2"}, {"", "orphan"}, {"j", ""}}
	if got := r.Tags(); !reflect.DeepEqual(got, want) {
		t.Errorf("Tags() = %v, want %v", got, want)
	}
	if got := r.TagsOf("Filter"); !reflect.DeepEqual(got, []TagParam{{"f", "fv"}}) {
		t.Errorf("TagsOf(Filter) = %v", got)
	}
}

func TestScalarHelpers(t *testing.T) {
	r := reqWith("PageSize", "50", "Bad", "ten", "Spaces", " 7 ", "Empty", "", "On", "TRUE", "Off", "false", "Maybe", "yes",
		"Ids", `["i-1","i-2"]`, "BadIds", `[1,2]`, "ConnectionTrackingConfiguration.UdpTimeout", "30")
	if !r.Has("Empty") || r.Has("Absent") || r.String("Absent") != "" {
		t.Error("Has/String wrong for empty and absent")
	}
	if got := r.String("ConnectionTrackingConfiguration.UdpTimeout"); got != "30" {
		t.Errorf("nested String = %q", got)
	}
	ints := []struct {
		name    string
		def     int
		want    int
		wantErr bool
	}{
		{"PageSize", 10, 50, false}, {"Absent", 10, 10, false}, {"Empty", 3, 3, false},
		{"Spaces", 0, 7, false}, {"Bad", 10, 10, true},
	}
	for _, tt := range ints {
		got, err := r.Int(tt.name, tt.def)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Int(%q) = %d, %v", tt.name, got, err)
		}
		assertInvalidParameter(t, err, tt.wantErr)
	}
	bools := []struct {
		name    string
		def     bool
		want    bool
		wantErr bool
	}{
		{"On", false, true, false}, {"Off", true, false, false}, {"Absent", true, true, false}, {"Maybe", false, false, true},
	}
	for _, tt := range bools {
		got, err := r.Bool(tt.name, tt.def)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Bool(%q) = %v, %v", tt.name, got, err)
		}
		assertInvalidParameter(t, err, tt.wantErr)
	}
	if ids, err := r.JSONList("Ids"); err != nil || !reflect.DeepEqual(ids, []string{"i-1", "i-2"}) {
		t.Errorf("JSONList(Ids) = %v, %v", ids, err)
	}
	if ids, err := r.JSONList("Absent"); err != nil || ids != nil {
		t.Errorf("JSONList(Absent) = %v, %v", ids, err)
	}
	_, err := r.JSONList("BadIds")
	assertInvalidParameter(t, err, true)
}

func assertInvalidParameter(t *testing.T, err error, want bool) {
	t.Helper()
	if !want {
		return
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "InvalidParameter" || ae.Status != 400 {
		t.Errorf("error %v is not InvalidParameter/400", err)
	}
}
