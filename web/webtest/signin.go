package webtest

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func noFollow(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// SignIn signs user in through the sign-in form and returns a client that
// keeps the session cookie and does not follow redirects.
func (e *Env) SignIn(t testing.TB, user string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: noFollow}
	req, err := http.NewRequest(http.MethodPost, e.URL+"/login",
		strings.NewReader(url.Values{"username": {user}, "password": {Password}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in %s: status %d", user, res.StatusCode)
	}
	return c
}

// SignInBrowser signs user in with the browser, through the sign-in page,
// and waits for the page it leads to.
func (e *Env) SignInBrowser(t testing.TB, ctx context.Context, user string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), user),
	)
	if err == nil {
		// Enter submits the form natively, with or without scripts; the
		// key press may be cut short by the navigation it causes.
		err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), Password+"\r"))
		if err != nil && strings.Contains(err.Error(), "navigated or closed") {
			err = nil
		}
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`[data-user="`+user+`"]`)))
	}
	if err != nil {
		t.Fatalf("signing in %s in the browser: %v", user, err)
	}
}
