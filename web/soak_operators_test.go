//go:build soak

package web_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"enidash/internal/eni"
)

// The operators of the soak: each creates an ENI through the form, attaches
// it to its instance, detaches and deletes it, over and over, as a browser
// would (half of the posts as htmx sends them), some with a client that
// gives up mid-request. What the cloud holds decides each next step, read
// from the emulator directly (the oracle), so a failed or abandoned
// request is followed by what a person would do after looking at the ENI.

const soakRegion = "cn-hangzhou"

// opTarget is where an operator works: an instance with room for one more
// ENI, a vSwitch of its zone with free addresses, the instance's groups.
type opTarget struct {
	inst eni.Instance
	vsw  eni.VSwitch
	sgs  []string
}

// opRequest is one action an operator sent. Its User-Agent is unique, so
// the audit entry it produced can be found.
type opRequest struct {
	Op, UA, Kind string // Kind: create, attach, detach, delete
	ENI, Token   string
	HTMX         bool
	Timeout      time.Duration // the client's own deadline; 0 for none
	Start, End   time.Time
	Status       int // 0: no answer (the client gave up, or the connection failed)
	Err          string
}

type operator struct {
	name, base string
	client     *http.Client
	target     opTarget
	oracle     *oracle
	rng        *rand.Rand
	errs       *serverErrors
	giveUp     float64 // fraction of actions sent with a short client deadline
	back       string  // the list view the actions come from

	csrf     string
	took     map[string]time.Duration // how long each kind of action took when last done
	cycles   int
	requests []opRequest // read once run has returned
	formErrs []string    // why the create form could not be filled in
}

func (o *operator) run(ctx context.Context) {
	o.took = map[string]time.Duration{}
	for ctx.Err() == nil {
		o.cycle(ctx)
	}
}

// cycle takes one ENI from creation to deletion, or until ctx ends.
func (o *operator) cycle(ctx context.Context) {
	o.cycles++
	name := fmt.Sprintf("soak-%s-%03d", o.name, o.cycles)
	id := o.create(ctx, name)
	if id == "" {
		return
	}
	attached := false
	for ctx.Err() == nil {
		e, found := o.settled(ctx, id)
		if !found || ctx.Err() != nil {
			return
		}
		var kind string
		switch {
		case e.Status == eni.StatusInUse:
			kind, attached = "detach", true
		case e.Status == eni.StatusAvailable && !attached:
			kind = "attach"
		case e.Status == eni.StatusAvailable:
			kind = "delete"
		default:
			return
		}
		form := url.Values{"region": {soakRegion}, "back": {o.back}}
		if kind == "attach" {
			form.Set("instance", o.target.inst.ID)
		}
		r := o.send(ctx, kind, id, "", "/enis/"+id+"/"+kind, form)
		if !r.succeeded() {
			// Let a request the dashboard is still carrying out land
			// before the ENI is looked at again.
			sleepCtx(ctx, time.Second+time.Duration(o.rng.IntN(1000))*time.Millisecond)
		}
	}
}

// create fills in the create form and submits it until the dashboard
// answers with the new ENI, submitting the same form (the same
// ClientToken) again after a failure, as a person would. If it never
// does, an ENI of that name the cloud made all the same is taken over.
func (o *operator) create(ctx context.Context, name string) string {
	form, err := o.createForm(ctx, name)
	if err != nil {
		if ctx.Err() == nil {
			o.formErrs = append(o.formErrs, err.Error())
		}
		sleepCtx(ctx, 2*time.Second)
		return ""
	}
	for range 6 {
		r := o.send(ctx, "create", "", form.Get(eni.FormClientToken), "/enis", form)
		if r.succeeded() && r.ENI != "" {
			return r.ENI
		}
		if ctx.Err() != nil || r.Status >= 400 && r.Status < 500 && r.Status != http.StatusForbidden {
			break
		}
		sleepCtx(ctx, time.Second)
	}
	if got, err := o.oracle.named(ctx, soakRegion, name); err == nil && len(got) > 0 {
		return got[0].ID
	}
	return ""
}

// createForm opens the create form with the operator's zone and vSwitch
// chosen, and fills it in: every field as the page offers it, then the
// groups and the name.
func (o *operator) createForm(ctx context.Context, name string) (url.Values, error) {
	q := url.Values{eni.FormRegion: {soakRegion}, eni.FormZone: {o.target.vsw.ZoneID}, eni.FormVSwitch: {o.target.vsw.ID}}
	doc, err := o.page(ctx, "/enis/new?"+q.Encode())
	if err != nil {
		return nil, err
	}
	form := formFields(doc.Find("form#create-form"))
	if form.Get(eni.FormClientToken) == "" {
		return nil, fmt.Errorf("the create form has no %s", eni.FormClientToken)
	}
	form.Set(eni.FormZone, o.target.vsw.ZoneID)
	form.Set(eni.FormVSwitch, o.target.vsw.ID)
	form[eni.FormSG] = o.target.sgs
	form.Set(eni.FormName, name)
	return form, nil
}

// page GETs a page of the dashboard and keeps its CSRF token.
func (o *operator) page(ctx context.Context, path string) (*goquery.Document, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "enidash-soak ("+o.name+")")
	res, err := o.client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	o.errs.note(o.name, http.MethodGet, path, res.StatusCode, body)
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, res.Status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		return nil, err
	}
	if tok, ok := doc.Find(`meta[name="csrf-token"]`).Attr("content"); ok && tok != "" {
		o.csrf = tok
	}
	return doc, nil
}

// send posts one action as a browser does, htmx or not at random, and
// records it. Some get a client deadline short enough to end them while
// the dashboard is working on them.
func (o *operator) send(ctx context.Context, kind, id, token, path string, form url.Values) opRequest {
	if o.csrf == "" {
		o.page(ctx, "/enis/new?region="+soakRegion)
	}
	r := opRequest{Op: o.name, UA: fmt.Sprintf("enidash-soak (%s #%d)", o.name, len(o.requests)+1),
		Kind: kind, ENI: id, Token: token, HTMX: o.rng.IntN(2) == 0}
	if o.rng.Float64() < o.giveUp {
		// Somewhere within the time this action took last: most likely
		// while the dashboard is reading the ENI or calling the cloud.
		took := o.took[kind]
		if took == 0 {
			took = 300 * time.Millisecond
		}
		r.Timeout = max(time.Millisecond, time.Duration(float64(took)*(0.2+0.8*o.rng.Float64())))
	}
	limit := time.Minute
	if r.Timeout > 0 {
		limit = r.Timeout
	}
	rctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	form.Set("_csrf", o.csrf)
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, o.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("User-Agent", r.UA)
	if r.HTMX {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-CSRF-Token", o.csrf)
	}
	r.Start = time.Now()
	res, err := o.client.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	r.End = time.Now()
	if err != nil {
		r.Err = err.Error()
	} else {
		r.Status = res.StatusCode
		o.errs.note(o.name, http.MethodPost, path, res.StatusCode, body)
		if r.succeeded() {
			o.took[kind] = r.End.Sub(r.Start)
		}
		if kind == "create" && r.succeeded() {
			r.ENI = createdENI(res)
		}
		if res.StatusCode == http.StatusForbidden {
			o.csrf = "" // a stale token: read a fresh one next time
		}
	}
	o.requests = append(o.requests, r)
	return r
}

// succeeded: the dashboard said the change was made (htmx: 200, else a
// redirect).
func (r opRequest) succeeded() bool {
	if r.HTMX {
		return r.Status == http.StatusOK
	}
	return r.Status == http.StatusSeeOther
}

// createdENI reads the new ENI's ID from where the answer sends the
// browser: /enis/eni-…?region=….
func createdENI(res *http.Response) string {
	to := res.Header.Get("HX-Redirect")
	if to == "" {
		to = res.Header.Get("Location")
	}
	u, err := url.Parse(to)
	if err != nil {
		return ""
	}
	id, ok := strings.CutPrefix(u.Path, "/enis/")
	if !ok || !strings.HasPrefix(id, "eni-") {
		return ""
	}
	return id
}

// settled waits until the ENI is in no transition, and says whether it
// still exists.
func (o *operator) settled(ctx context.Context, id string) (eni.ENI, bool) {
	for {
		e, found, err := o.oracle.eni(ctx, soakRegion, id)
		if err != nil || !found || !e.Status.Transitional() {
			return e, found
		}
		if !sleepCtx(ctx, 500*time.Millisecond) {
			return e, found
		}
	}
}

// formFields is what a browser would submit of form as the page shows it.
func formFields(form *goquery.Selection) url.Values {
	v := url.Values{}
	form.Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		if _, off := s.Attr("disabled"); off {
			return
		}
		name := s.AttrOr("name", "")
		switch goquery.NodeName(s) {
		case "input":
			switch strings.ToLower(s.AttrOr("type", "text")) {
			case "checkbox", "radio":
				if _, on := s.Attr("checked"); on {
					v.Add(name, s.AttrOr("value", "on"))
				}
			case "submit", "button", "image", "reset", "file":
			default:
				v.Add(name, s.AttrOr("value", ""))
			}
		case "select":
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			if opt.Length() > 0 {
				v.Add(name, opt.AttrOr("value", opt.Text()))
			}
		case "textarea":
			v.Add(name, s.Text())
		}
	})
	return v
}
