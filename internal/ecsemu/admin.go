package ecsemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"
)

// The admin endpoint lets a person or a test change the injected faults of a
// running emulator:
//
//	GET  /_emulator/faults   the current faults as JSON
//	PUT  /_emulator/faults   replace them; absent fields become zero
//	POST /_emulator/faults   change only the fields present in the body
//
// Body and answer: {"throttleRate":0.2,"errorRate":0,"latency":"250ms",
// "stuckTransitions":false}. Invalid input is answered 400 with
// {"error": "..."} naming the field.
//
// It is not signed: the emulator is a loopback tool and these requests do
// not exist in the cloud's API, so no SDK would sign them anyway. Do not
// expose the emulator beyond the machine. What a loopback port does not
// stop is a web page in the operator's browser: so a change must have a
// JSON body (which a cross-site page cannot send without a CORS preflight
// the emulator never answers), and a request that says it comes from
// another origin (Origin, Sec-Fetch-Site) is refused (403).
const adminPrefix = "/_emulator/"

const adminFaultsPath = adminPrefix + "faults"

// maxAdminBody bounds what an admin request may upload.
const maxAdminBody = 64 << 10

// faultsPatch is the admin request body: pointers tell absent from zero.
type faultsPatch struct {
	ThrottleRate     *float64        `json:"throttleRate"`
	ErrorRate        *float64        `json:"errorRate"`
	Latency          json.RawMessage `json:"latency"`
	StuckTransitions *bool           `json:"stuckTransitions"`
}

func (p faultsPatch) apply(f Faults) (Faults, error) {
	if p.ThrottleRate != nil {
		f.ThrottleRate = *p.ThrottleRate
	}
	if p.ErrorRate != nil {
		f.ErrorRate = *p.ErrorRate
	}
	if p.Latency != nil {
		var s string
		if err := json.Unmarshal(p.Latency, &s); err != nil {
			return f, errors.New(`latency must be a duration string such as "250ms"`)
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return f, fmt.Errorf(`latency %q is not a duration such as "250ms"`, s)
		}
		f.Latency = d
	}
	if p.StuckTransitions != nil {
		f.StuckTransitions = *p.StuckTransitions
	}
	return f, f.Validate()
}

func (s *server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != adminFaultsPath {
		writeAdminError(w, http.StatusNotFound, fmt.Sprintf("no admin resource %s; try %s", r.URL.Path, adminFaultsPath))
		return
	}
	if msg := foreignOrigin(r); msg != "" {
		writeAdminError(w, http.StatusForbidden, msg)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		writeAdminJSON(w, http.StatusOK, s.faults.get())
	case http.MethodPut, http.MethodPost:
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			writeAdminError(w, http.StatusUnsupportedMediaType,
				fmt.Sprintf("Content-Type must be application/json, not %q; send -H 'Content-Type: application/json'", r.Header.Get("Content-Type")))
			return
		}
		patch, err := decodeFaultsPatch(r.Body)
		if err != nil {
			writeAdminError(w, http.StatusBadRequest, err.Error())
			return
		}
		replace := r.Method == http.MethodPut
		f, err := s.faults.update(func(cur Faults) (Faults, error) {
			if replace {
				cur = Faults{}
			}
			return patch.apply(cur)
		})
		if err != nil {
			writeAdminError(w, http.StatusBadRequest, err.Error())
			return
		}
		s.log.Info("faults changed", "throttleRate", f.ThrottleRate, "errorRate", f.ErrorRate,
			"latency", f.Latency, "stuckTransitions", f.StuckTransitions)
		writeAdminJSON(w, http.StatusOK, f)
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT, POST")
		writeAdminError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+adminFaultsPath)
	}
}

// foreignOrigin says why r comes from a page of another origin, or "".
// Tools such as curl send neither header and are served.
func foreignOrigin(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host || (u.Scheme != "http" && u.Scheme != "https") {
			return fmt.Sprintf("Origin %q is not the emulator's own (%s); its admin endpoint is not for web pages", o, r.Host)
		}
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return "Sec-Fetch-Site " + site + ": the admin endpoint is not for web pages of other origins"
	}
	return ""
}

func decodeFaultsPatch(body io.Reader) (faultsPatch, error) {
	var p faultsPatch
	raw, err := io.ReadAll(io.LimitReader(body, maxAdminBody+1))
	if err != nil {
		return p, fmt.Errorf("reading body: %w", err)
	}
	if len(raw) > maxAdminBody {
		return p, fmt.Errorf("body larger than %d bytes", maxAdminBody)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return p, errors.New(`empty body; send JSON such as {"throttleRate":0.5}`)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("invalid JSON body: %w", err)
	}
	if dec.More() {
		return p, errors.New("invalid JSON body: more than one value")
	}
	return p, nil
}

func writeAdminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeAdminError(w http.ResponseWriter, status int, msg string) {
	writeAdminJSON(w, status, map[string]string{"error": msg})
}
