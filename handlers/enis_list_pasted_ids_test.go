package handlers_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// ENIs another tool has just created are not in the snapshot until its
// next refresh; a view that names them by ID asks the cloud for them at
// once instead of saying they do not exist.
func TestListPastedIDsNotYetInTheSnapshot(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	env.Warm(t, "cn-hangzhou")
	inst := env.Instance(t, "web-prod-01")
	a, b := env.CreateBeside(t, inst, "fresh-a"), env.CreateBeside(t, inst, "fresh-b")
	p := get(t, env.URL+"/enis?region=cn-hangzhou&id="+a+","+b)
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	for _, id := range []string{a, b} {
		if p.doc.Find("tr#row-"+id).Length() != 1 {
			t.Errorf("%s, just created by another client, is not in the view of its ID", id)
		}
	}
}

// An ID the cloud does not know either (a bookmark of a deleted ENI) is
// asked for once, not once per view of the page.
func TestListUnknownIDAskedOnce(t *testing.T) {
	const ghost = "eni-bp1ghost000000000000"
	var asked atomic.Int32
	env := webtest.StartWith(t, ecsemu.Config{}, webtest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		if apiAction(r) == "DescribeNetworkInterfaces" && (strings.Contains(r.URL.RawQuery, ghost) || strings.Contains(r.Form.Encode(), ghost)) {
			asked.Add(1)
		}
		return false
	}})
	env.Warm(t, "cn-hangzhou")
	for range 3 {
		if p := get(t, env.URL+"/enis?region=cn-hangzhou&id="+ghost); p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
	}
	if n := asked.Load(); n != 1 {
		t.Fatalf("the cloud was asked %d times for an ENI it does not know, want 1", n)
	}
}
