package ecsemu

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// server is the protocol layer: it authenticates ECS OpenAPI calls as the
// cloud's gateway does, injects faults, runs the action and renders the
// answer. It knows nothing of the modelled account beyond the action map.
type server struct {
	keys    keyPair
	actions map[string]ActionFunc
	nonces  *nonceCache
	faults  *faultInjector
	now     func() time.Time
	log     *slog.Logger
}

// serverOptions are the optional parts of a server; the zero value works.
type serverOptions struct {
	logger  *slog.Logger     // nil discards
	now     func() time.Time // nil is time.Now
	seed    uint64           // seeds fault draws
	onStuck func(bool)       // receives Faults.StuckTransitions; may be nil
}

// maxBody bounds a request body, far above what any ECS call sends.
const maxBody = 8 << 20

func newServer(keyID, secret string, actions map[string]ActionFunc, opts serverOptions) *server {
	if opts.logger == nil {
		opts.logger = slog.New(slog.DiscardHandler)
	}
	if opts.now == nil {
		opts.now = time.Now
	}
	return &server{
		keys:    keyPair{id: keyID, secret: secret},
		actions: actions,
		nonces:  newNonceCache(2*timestampWindow, maxNonces),
		faults:  newFaultInjector(opts.seed, opts.onStuck),
		now:     opts.now,
		log:     opts.logger,
	}
}

// regionFree lists the actions whose API takes no RegionId: the SDK has no
// field for it, so the gateway cannot demand it.
func regionFree(action string) bool {
	switch action {
	case "DescribeRegions", "DescribeInstanceTypes":
		return true
	}
	return false
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		s.serveAdmin(w, r)
		return
	}
	s.serveAPI(w, r)
}

// call is one API request on its way through the server.
type call struct {
	requestID string
	action    string
	asXML     bool
	start     time.Time
}

func (s *server) serveAPI(w http.ResponseWriter, r *http.Request) {
	c := &call{requestID: newRequestID(), start: time.Now()}
	req, aerr := s.admit(r, c)
	if aerr != nil {
		s.writeError(w, r, c, aerr)
		return
	}
	latency, injected := s.faults.decide()
	if err := sleep(r.Context(), latency); err != nil {
		s.log.Debug("caller left during injected latency", "action", c.action, "requestId", c.requestID, "err", err)
		return
	}
	if injected != nil {
		s.writeError(w, r, c, injected)
		return
	}
	result, err := s.run(r, req)
	if err != nil {
		var ae *APIError
		if !errors.As(err, &ae) {
			s.log.Error("action failed", "action", c.action, "requestId", c.requestID, "err", err)
			ae = errInternal()
		}
		s.writeError(w, r, c, ae)
		return
	}
	body, err := jsonBody(c.requestID, result)
	if err == nil && c.asXML {
		body, err = jsonToXML(c.action+"Response", body)
	}
	if err != nil {
		s.log.Error("rendering response", "action", c.action, "requestId", c.requestID, "err", err)
		s.writeError(w, r, c, errInternal())
		return
	}
	s.write(w, c, http.StatusOK, body)
}

// admit checks everything the gateway checks before an action runs, in the
// gateway's order: method, parameters, API, signature, replay, RegionId.
func (s *server) admit(r *http.Request, c *call) (*Request, *APIError) {
	if r.URL.Path != "/" {
		return nil, errActionNotFound()
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return nil, newAPIError(http.StatusBadRequest, "UnsupportedHTTPMethod", "This http method is not supported.")
	}
	query, params, body, aerr := readParams(r)
	if aerr != nil {
		return nil, aerr
	}
	switch strings.ToUpper(params.Get("Format")) {
	case "", "JSON":
	case "XML":
		c.asXML = true
	default:
		return nil, newAPIError(http.StatusBadRequest, "InvalidParameter.Format", "Specified parameter format is not valid.")
	}

	v3 := isV3(r)
	action, version := params.Get("Action"), params.Get("Version")
	if v3 {
		action = firstNonEmpty(r.Header.Get("x-acs-action"), action)
		version = firstNonEmpty(r.Header.Get("x-acs-version"), version)
	}
	c.action = action
	switch {
	case action == "":
		return nil, errMissing("Action")
	case version == "":
		return nil, errMissing("Version")
	case version != APIVersion:
		return nil, errInvalidParam("Version")
	}
	fn, ok := s.actions[action]
	if !ok || fn == nil {
		return nil, errActionNotFound()
	}

	now := s.now()
	var auth authResult
	switch {
	case v3:
		auth, aerr = verifyV3(r, query, body, s.keys, now)
	case params.Get("AccessKeyId") == "" && params.Get("Signature") == "":
		aerr = errMissing("AccessKeyId")
	default:
		auth, aerr = verifyV2(r.Method, params, s.keys, now)
	}
	if aerr != nil {
		return nil, aerr
	}
	if !s.nonces.use(auth.keyID+"\x00"+auth.nonce, now) {
		return nil, errNonceUsed()
	}
	region := params.Get("RegionId")
	if region == "" && !regionFree(action) {
		return nil, errMissing("RegionId")
	}
	return &Request{Action: action, RegionID: region, Params: params, RequestID: c.requestID}, nil
}

func errActionNotFound() *APIError {
	return newAPIError(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
}

// run calls the action, turning a panic into an error so one bad action
// cannot take the emulator down.
func (s *server) run(r *http.Request, req *Request) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("action %s panicked: %v", req.Action, p)
		}
	}()
	return s.actions[req.Action](r.Context(), req)
}

// readParams returns the query parameters alone, all parameters (query and
// form body merged, the body winning), and the raw body for hashing.
func readParams(r *http.Request) (query, params url.Values, body []byte, aerr *APIError) {
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, nil, nil, newAPIError(http.StatusBadRequest, "InvalidParameter", "The query string is not well formed.")
	}
	if r.Body != nil {
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			return nil, nil, nil, newAPIError(http.StatusBadRequest, "InvalidParameter", "The request body could not be read or is too large.")
		}
	}
	params = make(url.Values, len(query))
	for k, v := range query {
		params[k] = v
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" && len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, nil, newAPIError(http.StatusBadRequest, "InvalidParameter", "The form body is not well formed.")
		}
		for k, v := range form {
			params[k] = v
		}
	}
	return query, params, body, nil
}

func (s *server) writeError(w http.ResponseWriter, r *http.Request, c *call, ae *APIError) {
	status := ae.Status
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	body, err := encodeError(errorBody{
		RequestID: c.requestID,
		HostID:    r.Host,
		Code:      ae.Code,
		Message:   ae.Message,
		Recommend: recommendURL(ae.Code, c.requestID),
	}, c.asXML)
	if err != nil { // cannot happen with string fields; answer plainly anyway
		s.log.Error("rendering error", "requestId", c.requestID, "err", err)
		c.asXML, body = false, []byte(`{"Code":"InternalError"}`)
	}
	s.write(w, c, status, body)
	s.log.Debug("call rejected", "action", c.action, "requestId", c.requestID, "status", status, "code", ae.Code)
}

func (s *server) write(w http.ResponseWriter, c *call, status int, body []byte) {
	h := w.Header()
	if c.asXML {
		h.Set("Content-Type", contentTypeXML)
	} else {
		h.Set("Content-Type", contentTypeJSON)
	}
	h.Set("x-acs-request-id", c.requestID)
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		s.log.Debug("writing response", "requestId", c.requestID, "err", err)
	}
	if status == http.StatusOK {
		s.log.Debug("call served", "action", c.action, "requestId", c.requestID, "took", time.Since(c.start))
	}
}

// newRequestID mints an ID shaped like the cloud's
// (473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E).
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
