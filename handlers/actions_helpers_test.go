package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"enidash/internal/eni"
	"enidash/web/webtest"
)

// post submits a form as a browser on the same site would (Sec-Fetch-Site
// same-origin satisfies the CSRF check), without following redirects.
func post(t *testing.T, rawURL string, form url.Values, header ...string) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return send(t, req, header...)
}

// newENI creates an Available ENI beside inst (same VPC and zone).
func newENI(t *testing.T, env *webtest.Env, inst eni.Instance, name string) eni.ENI {
	t.Helper()
	return mustENI(t, env, env.CreateBeside(t, inst, name))
}

func mustENI(t *testing.T, env *webtest.Env, id string) eni.ENI {
	t.Helper()
	e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// waitStatus waits until the cloud reports the ENI in want ("" = gone).
func waitStatus(t *testing.T, env *webtest.Env, id string, want eni.Status) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		e, err := env.Cloud.GetENI(context.Background(), "cn-hangzhou", id)
		if want == "" && err != nil {
			return
		}
		if err == nil && e.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %s (err %v), want %q", id, e.Status, err, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// firstENI is the first seeded ENI of cn-hangzhou matching ok.
func firstENI(t *testing.T, env *webtest.Env, ok func(eni.ENI) bool) eni.ENI {
	t.Helper()
	for _, e := range allENIs(t, env, "cn-hangzhou") {
		if ok(e) {
			return e
		}
	}
	t.Fatal("no seeded ENI matches")
	return eni.ENI{}
}

func actionURL(env *webtest.Env, action, id string) string {
	return env.URL + "/enis/" + id + "/" + action + "?region=cn-hangzhou"
}

func actionPost(env *webtest.Env, action, id string) string {
	return env.URL + "/enis/" + id + "/" + action
}
