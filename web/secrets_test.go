package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"enidash/internal/audit"
	"enidash/internal/auth"
	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

// syncBuffer is a log sink the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The cloud's AccessKey secret, the session key and passwords never reach
// a page, a log line or the audit log, whatever happens: sign-ins good and
// bad, a password change, actions that work and fail, error pages.
func TestSecretsNeverShown(t *testing.T) {
	const sessionKey = "session-key-material-that-must-stay-secret-0123456789"
	var logs syncBuffer
	env := webtest.StartWith(t, ecsemu.Config{AccessKeySecret: "emulator-secret-that-must-stay-hidden"}, webtest.Options{
		Log: &logs, Auth: auth.Config{SessionKeys: [][]byte{[]byte(sessionKey)}},
	})
	_, cloudSecret := env.Emulator.AccessKey()
	secrets := []string{cloudSecret, sessionKey, webtest.Password, "wrong-password-typed", "new password for vera"}

	var pages strings.Builder
	keep := func(res *http.Response) {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		pages.Write(b)
		for k, v := range res.Header {
			pages.WriteString(k + ": " + strings.Join(v, ",") + "\n")
		}
	}
	send := func(c *http.Client, method, path string, form url.Values) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, env.URL+path, body)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		keep(res)
	}
	anon := webtest.ClientFor("")
	send(anon, http.MethodPost, "/login", url.Values{"username": {webtest.Viewer}, "password": {"wrong-password-typed"}})
	vera := env.SignIn(t, webtest.Viewer)
	send(vera, http.MethodPost, "/account/password", url.Values{"current": {webtest.Password}, "password": {"new password for vera"},
		"confirm": {"new password for vera"}})
	admin := env.SignIn(t, webtest.Admin)
	send(admin, http.MethodGet, "/admin/users", nil)
	id := firstOf(t, env, "Available")
	send(env.Client, http.MethodPost, "/enis/"+id+"/attach", url.Values{"region": {"cn-hangzhou"}, "instance": {"i-bp1asctz1fgc4dlx84dz"}})
	env.Emulator.SetFaults(ecsemu.Faults{ErrorRate: 1})
	send(env.Client, http.MethodPost, "/enis/"+id+"/delete", url.Values{"region": {"cn-hangzhou"}})
	send(env.Client, http.MethodGet, "/enis?region=cn-hangzhou", nil)
	env.Emulator.SetFaults(ecsemu.Faults{})
	send(env.Client, http.MethodPost, "/enis/"+id+"/delete", url.Values{"region": {"cn-hangzhou"}})
	send(env.Client, http.MethodGet, "/audit", nil)
	send(env.Client, http.MethodGet, "/audit.csv", nil)

	entries, err := env.Audit.Query(context.Background(), audit.Query{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var trail strings.Builder
	for _, e := range entries.Entries {
		trail.WriteString(e.ErrorMsg + " " + e.UserAgent + " ")
		for k, v := range e.Params {
			trail.WriteString(k + "=" + v + " ")
		}
	}
	changed := false
	for _, e := range entries.Entries {
		changed = changed || e.Action == audit.ActionUserChange && e.Actor == webtest.Viewer && e.Outcome == audit.OutcomeOK
	}
	if !changed || len(entries.Entries) < 5 || !strings.Contains(logs.String(), "DeleteNetworkInterface") {
		t.Fatalf("the scenario did not run: %d audit entries, logs:\n%s", len(entries.Entries), logs.String())
	}
	for _, s := range secrets {
		for where, text := range map[string]string{"a page": pages.String(), "the log": logs.String(), "the audit log": trail.String()} {
			if strings.Contains(text, s) {
				t.Errorf("%q appears in %s", s, where)
			}
		}
	}
}
