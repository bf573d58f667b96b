package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// modifyEnv is a dashboard with an Available ENI beside web-prod-01 and
// the security groups of its VPC by kind. fail, when set, names an API
// the cloud answers with the error in failCode.
type modifyEnv struct {
	*webtest.Env
	e                 eni.ENI
	basic, enterprise []eni.SecurityGroup
	other             eni.SecurityGroup // of another VPC
	fail, failCode    atomic.Value
}

func startModify(t *testing.T) *modifyEnv {
	t.Helper()
	m := &modifyEnv{}
	m.fail.Store("")
	m.failCode.Store("")
	m.Env = webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		if api := apiAction(r); api != "" && api == m.fail.Load().(string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"RequestId":"REQ-FAKE-1","Code":"` + m.failCode.Load().(string) + `","Message":"refused by the test"}`))
			return true
		}
		return false
	}})
	web1 := m.Instance(t, "web-prod-01")
	m.e = newENI(t, m.Env, web1, "to-edit")
	ctx := context.Background()
	groups, err := m.Cloud.SecurityGroups(ctx, "cn-hangzhou", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		switch {
		case g.VpcID != m.e.VpcID:
			m.other = g
		case g.Kind == eni.SGEnterprise:
			m.enterprise = append(m.enterprise, g)
		case !slices.Contains(m.e.SecurityGroups, g.ID):
			m.basic = append(m.basic, g)
		}
	}
	if len(m.basic) < 2 || len(m.enterprise) == 0 || m.other.ID == "" {
		t.Fatalf("seed lacks groups: basic %d, enterprise %d, other %q", len(m.basic), len(m.enterprise), m.other.ID)
	}
	return m
}

func (m *modifyEnv) form(kv ...string) url.Values {
	v := url.Values{"region": {"cn-hangzhou"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func (m *modifyEnv) entries(t *testing.T, action string) []audit.Entry {
	t.Helper()
	p, err := m.Audit.Query(context.Background(), audit.Query{ENIID: m.e.ID, Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return p.Entries
}

// Renaming an ENI and moving it to two other security groups: one audited
// call with what changed, seen at once on the ENI's page and in the cloud.
func TestEditENI(t *testing.T) {
	m := startModify(t)
	p := get(t, actionURL(m.Env, "edit", m.e.ID))
	if p.status != http.StatusOK || p.doc.Find(`form[data-form="edit"]`).Length() != 1 || p.doc.Find(`form[data-form="tags"]`).Length() != 1 {
		t.Fatalf("edit page: status %d", p.status)
	}
	if got := p.doc.Find(`[data-sg="` + m.enterprise[0].ID + `"] [data-kind]`).Text(); got != "enterprise" {
		t.Fatalf("the picker shows the kind %q for an enterprise group", got)
	}
	g1, g2 := m.basic[0].ID, m.basic[1].ID
	r := post(t, actionPost(m.Env, "edit", m.e.ID), m.form("name", "renamed-eni", "description", m.e.Description,
		"sg", g1, "sg", g2, "delete_on_release", "false", "delete_on_release", "true"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("edit: status %d: %s", r.status, r.doc.Find("[data-error],[data-failure]").Text())
	}
	got := mustENI(t, m.Env, m.e.ID)
	if got.Name != "renamed-eni" || !slices.Equal(sorted(got.SecurityGroups), sorted([]string{g1, g2})) || !got.DeleteOnRelease {
		t.Fatalf("cloud has name %q, groups %v, DeleteOnRelease %v", got.Name, got.SecurityGroups, got.DeleteOnRelease)
	}
	es := m.entries(t, audit.ActionModify)
	if len(es) != 1 || es[0].Outcome != audit.OutcomeOK || es[0].Params["name"] != "renamed-eni" ||
		es[0].Params["security_groups"] != g1+","+g2 || es[0].RequestID == "" {
		t.Fatalf("audit: %+v", es)
	}
	if d := get(t, m.URL+r.header.Get("Location")); !strings.Contains(d.body, "renamed-eni") || !strings.Contains(d.body, "Changed ") {
		t.Fatal("the ENI's page does not show the new name and the message")
	}
}

// Each rule of the edit form: 422, every value kept, the message at its
// field, no cloud call.
func TestEditENIValidation(t *testing.T) {
	m := startModify(t)
	g := m.e.SecurityGroups[0]
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"name with a space", m.form("name", "bad name", "sg", g), "name", "may contain only"},
		{"name too short", m.form("name", "a", "sg", g), "name", "it must be 2 to 128"},
		{"name a URL", m.form("name", "http://x", "sg", g), "name", "must not start with http"},
		{"name with a line break", m.form("name", "a\nb", "sg", g), "name", "line break"},
		{"description too short", m.form("name", "ok-name", "description", "x", "sg", g), "description", "2 to 256"},
		{"no group", m.form("name", "ok-name"), "sg", "at least one security group"},
		{"not a group ID", m.form("name", "ok-name", "sg", "web"), "sg", "is not a security group ID"},
		{"group twice", m.form("name", "ok-name", "sg", g, "sg", g), "sg", "chosen twice"},
		{"mixed kinds", m.form("name", "ok-name", "sg", m.basic[0].ID, "sg", m.enterprise[0].ID), "sg", "mixes basic"},
		{"other VPC", m.form("name", "ok-name", "sg", m.other.ID), "sg", "an ENI's security groups are of its VPC"},
		{"flag not a boolean", m.form("name", "ok-name", "sg", g, "delete_on_release", "maybe"), "delete_on_release", "true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, actionPost(m.Env, "edit", m.e.ID), tt.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			if msg := r.doc.Find(`[data-error="` + tt.field + `"]`).Text(); !strings.Contains(msg, tt.want) {
				t.Fatalf("message at %s: %q, want %q", tt.field, msg, tt.want)
			}
			if v, _ := r.doc.Find(`#edit-name`).Attr("value"); v != tt.form.Get("name") {
				t.Errorf("name typed %q came back as %q", tt.form.Get("name"), v)
			}
		})
	}
	if es := m.entries(t, audit.ActionModify); len(es) != 0 {
		t.Fatalf("refused edits reached the audit log: %d", len(es))
	}
}

// A cloud refusal lands at its field, with the code, and is audited as
// an error with the RequestId.
func TestModifyCloudErrorsAtTheirField(t *testing.T) {
	m := startModify(t)
	g := m.e.SecurityGroups[0]
	tests := []struct {
		api, code, path string
		form            url.Values
		field           string
	}{
		{"ModifyNetworkInterfaceAttribute", "InvalidSecurityGroupId.NotFound", "edit", m.form("name", "x-name", "sg", g), "sg"},
		{"ModifyNetworkInterfaceAttribute", "InvalidOperation.MultiGroupType", "edit", m.form("name", "y-name", "sg", g), "sg"},
		{"ModifyNetworkInterfaceAttribute", "InvalidName.Malformed", "edit", m.form("name", "z-name", "sg", g), "name"},
		{"ModifyNetworkInterfaceAttribute", "InvalidOperation.ExceedInstanceTypeQueueNumber", "edit", m.form("name", m.e.Name, "sg", g, "queue_number", "3"), "queue_number"},
		{"ModifyNetworkInterfaceAttribute", "InvalidOperation.InvalidEcsState", "edit", m.form("name", m.e.Name, "sg", g, "queue_number", "5"), "queue_number"},
		{"AssignPrivateIpAddresses", "InvalidOperation.Ipv4CountExceeded", "ips", m.form("family", "ipv4", "op", "assign", "count", "1"), "count"},
		{"AssignPrivateIpAddresses", "InvalidIp.Address.InUse", "ips", m.form("family", "ipv4", "op", "assign", "addresses", "10.0.1.200"), "addresses"},
		{"TagResources", "InvalidTagKey.Malformed", "tags", m.form("tags", "team=a"), "tags"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			m.fail.Store(tt.api)
			m.failCode.Store(tt.code)
			defer m.fail.Store("")
			r := post(t, actionPost(m.Env, tt.path, m.e.ID), tt.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			if msg := r.doc.Find(`[data-error="` + tt.field + `"]`).Text(); !strings.Contains(msg, tt.code) {
				t.Fatalf("message at %s: %q, want the code %s", tt.field, msg, tt.code)
			}
			p, _ := m.Audit.Query(context.Background(), audit.Query{ENIID: m.e.ID, Outcome: audit.OutcomeError})
			if len(p.Entries) == 0 || p.Entries[0].ErrorCode != tt.code || p.Entries[0].RequestID != "REQ-FAKE-1" {
				t.Fatalf("audit: %+v", p.Entries)
			}
		})
	}
}

// Viewers see none of the controls and get 403 on every form and POST.
func TestModifyViewerForbidden(t *testing.T) {
	m := startModify(t)
	viewer := m.SignIn(t, webtest.Viewer)
	detail := m.URL + "/enis/" + m.e.ID + "?region=cn-hangzhou"
	res, err := viewer.Get(detail)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || strings.Contains(string(body), `data-action="edit"`) || strings.Contains(string(body), `data-action="ips"`) {
		t.Fatalf("viewer's detail page: status %d, offers edit or addresses", res.StatusCode)
	}
	for _, path := range []string{"edit", "ips"} {
		req, _ := http.NewRequest(http.MethodGet, actionURL(m.Env, path, m.e.ID), nil)
		if r, err := viewer.Do(req); err != nil || r.StatusCode != http.StatusForbidden {
			t.Fatalf("viewer GET %s: %v %v", path, r.StatusCode, err)
		}
	}
	for _, path := range []string{"edit", "ips", "tags"} {
		req, _ := http.NewRequest(http.MethodPost, actionPost(m.Env, path, m.e.ID), strings.NewReader(m.form("name", "v-name", "tags", "a=b").Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		r, err := viewer.Do(req)
		if err != nil || r.StatusCode != http.StatusForbidden {
			t.Fatalf("viewer POST %s: %v %v", path, r.StatusCode, err)
		}
	}
	page, err := m.Audit.Query(context.Background(), audit.Query{ENIID: m.e.ID})
	if err != nil || len(page.Entries) != 0 {
		t.Fatalf("a viewer's request reached the audit log: %d", len(page.Entries))
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
