package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/eni"
	"enidash/web/webtest"
)

// noRedirect sends a request with the signed-in session of the Env it
// goes to, and shows redirects instead of following them.
var noRedirect sessionClient

type sessionClient struct{}

func (sessionClient) Do(r *http.Request) (*http.Response, error) {
	return webtest.ClientFor(r.URL.String()).Do(r)
}

type page struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func get(t *testing.T, rawURL string, header ...string) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, req, header...)
}

// send makes the request with the session of the Env it goes to and reads
// the answer as a page.
func send(t *testing.T, req *http.Request, header ...string) page {
	t.Helper()
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return page{status: res.StatusCode, header: res.Header, body: string(b), doc: doc}
}

// rowIDs are the ENI IDs of the table rows, in order.
func (p page) rowIDs() []string {
	var ids []string
	p.doc.Find(`tr[id^="row-"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		ids = append(ids, strings.TrimPrefix(id, "row-"))
	})
	return ids
}

// link returns the href of the first element matching sel.
func (p page) link(t *testing.T, sel string) string {
	t.Helper()
	href, ok := p.doc.Find(sel).First().Attr("href")
	if !ok {
		t.Fatalf("no %s link on the page", sel)
	}
	return href
}

// allENIs lists every ENI of a region straight from the cloud.
func allENIs(t *testing.T, env *webtest.Env, region string) []eni.ENI {
	t.Helper()
	var out []eni.ENI
	f := eni.Filter{Region: region, Size: 500}
	token := ""
	for {
		p, err := env.Cloud.ListENIs(context.Background(), eni.ListQuery{Filter: f, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.ENIs...)
		if p.NextToken == "" {
			return out
		}
		token = p.NextToken
	}
}

func listURL(env *webtest.Env, v url.Values) string {
	f, errs := eni.ParseFilter(v)
	if len(errs) > 0 {
		panic(errs)
	}
	return env.URL + "/enis?" + f.Query()
}
