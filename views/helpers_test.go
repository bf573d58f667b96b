package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"golang.org/x/net/html"

	"enidash/internal/eni"
)

// testNow is the render time of every test page.
var testNow = time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)

// renderHTML renders a component to its HTML text.
func renderHTML(t *testing.T, c templ.Component) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatalf("render: %v", err)
	}
	return b.String()
}

// render renders a component and parses it as a person's browser would.
func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	return parse(t, renderHTML(t, c))
}

func parse(t *testing.T, html string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

// renderRow renders one row inside a table, where a browser parses it.
func renderRow(t *testing.T, e eni.ENI) *goquery.Selection {
	t.Helper()
	doc := parse(t, "<table><tbody>"+renderHTML(t, ENIRow(e, RowContext{Region: "cn-hangzhou", Now: testNow}))+"</tbody></table>")
	row := doc.Find("tr")
	if row.Length() != 1 {
		t.Fatalf("rendered %d rows, want 1", row.Length())
	}
	return row
}

// text is the visible text of a selection as a person reads it: words
// separated where blocks or links separate them, whitespace normalised.
func text(s *goquery.Selection) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.Data == "script" || n.Data == "style" {
				return
			}
		}
		sep := n.Type == html.ElementNode && separates[n.Data]
		if sep {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if sep {
			b.WriteByte(' ')
		}
	}
	for _, n := range s.Nodes {
		walk(n)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

var separates = map[string]bool{"div": true, "p": true, "li": true, "tr": true, "td": true, "th": true,
	"details": true, "summary": true, "dt": true, "dd": true, "a": true, "h1": true, "h2": true, "h3": true, "option": true}

func chrome() Chrome {
	return Chrome{
		Title:   "ENIs",
		Region:  "cn-hangzhou",
		Regions: []eni.Region{{ID: "cn-hangzhou", Name: "China (Hangzhou)"}, {ID: "cn-shanghai", Name: "China (Shanghai)"}},
		Nav:     "enis",
		User:    "otto",
		CanAct:  true,
	}
}

// sampleENI is an attached ENI with something in every column.
func sampleENI() eni.ENI {
	eip := &eni.PublicIP{Address: "47.96.10.20", AllocationID: "eip-bp1abcd1234"}
	return eni.ENI{
		ID: "eni-bp1aaaa1111", Name: "web-01-eth1", Description: "payments web tier",
		Status: eni.StatusInUse, Type: eni.TypeSecondary, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h",
		VpcID: "vpc-bp1vpc0001", VSwitchID: "vsw-bp1vsw0001", InstanceID: "i-bp1inst0001",
		MAC: "00:16:3e:12:34:56", PrimaryIP: "10.1.0.10",
		PrivateIPs: []eni.PrivateIP{
			{Address: "10.1.0.10", Primary: true, PublicIP: eip},
			{Address: "10.1.0.11"}, {Address: "10.1.0.12"}, {Address: "10.1.0.13"}, {Address: "10.1.0.14"},
		},
		IPv6:            []string{"2408:4005::10"},
		IPv4Prefixes:    []string{"10.1.9.16/28"},
		IPv6Prefixes:    []string{"2408:4005:3cc:7190::/80"},
		SecurityGroups:  []string{"sg-bp1sg0001", "sg-bp1sg0002"},
		Tags:            []eni.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "payments"}, {Key: "owner", Value: "alice"}, {Key: "pci"}},
		ResourceGroupID: "rg-acfm0001",
		OwnerID:         "1234567890123456",
		QueueNumber:     2, QueuePairNumber: 4, TrafficMode: "Standard",
		DeleteOnRelease: true,
		PublicIP:        eip,
		Attachment:      &eni.Attachment{InstanceID: "i-bp1inst0001", DeviceIndex: 1, NetworkCardIndex: 0},
		CreatedAt:       testNow.Add(-50 * time.Hour),
	}
}

// sampleList is a first page of a filtered view with a next page.
func sampleList() ListPage {
	f := eni.Filter{Region: "cn-hangzhou", VpcID: "vpc-bp1vpc0001", Status: eni.StatusInUse}
	a, b := sampleENI(), sampleENI()
	b.ID, b.Name, b.Status, b.InstanceID, b.Attachment = "eni-bp1bbbb2222", "", eni.StatusAttaching, "i-bp1inst0002", nil
	return ListPage{
		Chrome: chrome(), Filter: f, ENIs: []eni.ENI{a, b},
		NextToken: "cloud-token-1", TotalCount: 42, Now: testNow,
		Pickers: Pickers{
			VPCs:      []eni.VPC{{ID: "vpc-bp1vpc0001", Name: "prod", CIDR: "10.0.0.0/8"}},
			VSwitches: []eni.VSwitch{{ID: "vsw-bp1vsw0001", Name: "web", ZoneID: "cn-hangzhou-h", CIDR: "10.1.0.0/24", AvailableIP: 200}},
			Instances: []eni.Instance{{ID: "i-bp1inst0001", Name: "web-01", Status: "Running", Type: "ecs.g7.large"}},
		},
	}
}

// hrefs lists the href of every link in a selection.
func hrefs(s *goquery.Selection) []string {
	var out []string
	s.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		out = append(out, a.AttrOr("href", ""))
	})
	return out
}
