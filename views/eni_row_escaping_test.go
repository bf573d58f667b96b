package views

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/eni"
)

// A name with markup and quotes, from the cloud or typed by a person,
// shows as the text it is wherever the row shows it: no element or
// attribute comes out of it, and every link still leads where it should.
func TestENIRowRendersHostileValuesInert(t *testing.T) {
	e := sampleENI()
	h := func(prefix string) string { return prefix + hostile }
	e.ID, e.Name, e.Type, e.ZoneID, e.MAC = h("eni-"), h("name "), eni.Type(h("type ")), h("zone "), h("mac ")
	e.InstanceID, e.VpcID, e.VSwitchID = h("i-"), h("vpc-"), h("vsw-")
	e.Attachment.InstanceID = e.InstanceID
	e.PrimaryIP = h("ip ")
	e.PrivateIPs = []eni.PrivateIP{{Address: e.PrimaryIP, Primary: true}, {Address: h("ip2 ")}}
	e.IPv6 = []string{h("v6 ")}
	e.SecurityGroups = []string{h("sg-")}
	e.Tags = []eni.Tag{{Key: h("k "), Value: h("v ")}, {Key: h("only ")}}
	e.Status = eni.StatusAvailable
	region, back := h("region "), h("/enis?q=a&b=")
	rc := RowContext{Region: region, Now: testNow, CanAct: true, Back: back,
		Stuck: map[string]time.Duration{e.ID: time.Hour},
		Names: func(id string) string { return "named " + id }}

	doc := parse(t, "<table><tbody>"+renderHTML(t, ENIRow(e, rc))+"</tbody></table>")
	row := doc.Find("tr")
	if row.Length() != 1 {
		t.Fatalf("rendered %d rows, want 1", row.Length())
	}
	allowed := map[string]bool{"tr": true, "td": true, "div": true, "a": true, "input": true, "span": true, "time": true, "details": true, "summary": true}
	row.Find("*").AddSelection(row).Each(func(_ int, s *goquery.Selection) {
		n := s.Nodes[0]
		if !allowed[n.Data] {
			t.Errorf("element <%s> in the row", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || strings.ContainsAny(a.Key, `<>"'`) {
				t.Errorf("attribute %q=%q on <%s>", a.Key, a.Val, n.Data)
			}
		}
	})

	attr := func(sel, name, want string) {
		t.Helper()
		s := row.Find(sel)
		if s.Length() == 0 {
			t.Errorf("%s: not found", sel)
			return
		}
		if got := s.First().AttrOr(name, "<none>"); got != want {
			t.Errorf("%s %s = %q, want %q", sel, name, got, want)
		}
	}
	txt := func(sel, want string) {
		t.Helper()
		if got := row.Find(sel).First().Text(); got != want {
			t.Errorf("%s text = %q, want %q", sel, got, want)
		}
	}
	if got := row.AttrOr("id", ""); got != RowID(e.ID) {
		t.Errorf("row id = %q, want %q", got, RowID(e.ID))
	}
	attr("input.row-select", "value", e.ID)
	attr("input.row-select", "aria-label", "Select "+e.ID)
	attr(`td[data-col="id"] a`, "href", DetailURL(region, e.ID))
	txt(`td[data-col="id"] a`, e.ID)
	attr(`[data-field="name"]`, "title", e.Name)
	txt(`[data-field="name"]`, e.Name)
	txt(`td[data-col="type"]`, string(e.Type))
	txt(`td[data-col="zone"]`, e.ZoneID)
	txt(`td[data-col="mac"]`, e.MAC)
	txt(`[data-ip="primary"]`, e.PrimaryIP)
	for col, v := range map[string]string{"instance": e.InstanceID, "vpc": e.VpcID, "vswitch": e.VSwitchID, "sg": e.SecurityGroups[0]} {
		key := map[string]string{"instance": eni.KeyInstance, "vpc": eni.KeyVPC, "vswitch": eni.KeyVSwitch, "sg": eni.KeySG}[col]
		sel := `td[data-col="` + col + `"] a`
		attr(sel, "href", FilteredURL(region, key, v))
		attr(sel, "hx-get", FilteredURL(region, key, v))
		txt(sel, v)
		attr(`td[data-col="`+col+`"] [data-name]`, "title", "named "+v)
		txt(`td[data-col="`+col+`"] [data-name]`, "named "+v)
	}
	chips := row.Find(`td[data-col="tags"] a`)
	if chips.Length() != len(e.Tags) {
		t.Fatalf("%d tag chips, want %d", chips.Length(), len(e.Tags))
	}
	for i, tag := range e.Tags {
		c := chips.Eq(i)
		if got, want := c.AttrOr("href", ""), FilteredURL(region, eni.KeyTag, tag.String()); got != want {
			t.Errorf("tag %d href = %q, want %q", i, got, want)
		}
		if got, want := c.Text(), tag.Key+tagSep(tag)+tag.Value; got != want {
			t.Errorf("tag %d text = %q, want %q", i, got, want)
		}
	}
	for _, action := range []string{ActionAttach, ActionDelete} {
		attr(`a[data-action="`+action+`"]`, "href", ActionURL(action, region, e.ID, back))
		attr(`a[data-action="`+action+`"]`, "hx-get", ActionURL(action, region, e.ID, back))
	}
	attr(`a[data-action="edit"]`, "href", ModifyURL(FormEdit, region, e.ID))
}
