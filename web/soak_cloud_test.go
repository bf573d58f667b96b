//go:build soak

package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"enidash/internal/aliyun"
	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// The cloud side of the soak: `enidash emulator` as its own process, a
// recording proxy between the dashboard and it, the fault bursts, and an
// oracle that reads the emulator directly.

// emulatorProcess is `enidash emulator` run as a child process.
type emulatorProcess struct {
	addr string
	log  string
}

func startEmulatorProcess(tb testing.TB, bin, dir string) *emulatorProcess {
	tb.Helper()
	e := &emulatorProcess{addr: freeAddr(tb), log: filepath.Join(dir, "emulator.log")}
	logf, err := os.Create(e.log)
	if err != nil {
		tb.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(bin, "emulator", "--addr", e.addr, "--log-level", "warn")
	cmd.Env = append(cleanEnv(), "HOME="+dir)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	tb.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; {
		if _, err := e.faults(context.Background(), http.MethodGet, nil); err == nil {
			return e
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(e.log)
			tb.Fatalf("enidash emulator exited: %s", b)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatal("enidash emulator did not answer within 30s")
		}
	}
}

// faultsBody is the admin endpoint's JSON.
type faultsBody struct {
	ThrottleRate     float64 `json:"throttleRate"`
	ErrorRate        float64 `json:"errorRate"`
	Latency          string  `json:"latency"`
	StuckTransitions bool    `json:"stuckTransitions"`
}

// faults reads (GET) or replaces (PUT) the emulator's faults: JSON with its
// content type and no Origin, as a loopback tool sends it.
func (e *emulatorProcess) faults(ctx context.Context, method string, f *faultsBody) (faultsBody, error) {
	var body io.Reader
	if f != nil {
		b, _ := json.Marshal(f)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+e.addr+"/_emulator/faults", body)
	if err != nil {
		return faultsBody{}, err
	}
	if f != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return faultsBody{}, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return faultsBody{}, fmt.Errorf("%s /_emulator/faults: %s: %s", method, res.Status, b)
	}
	var got faultsBody
	return got, json.Unmarshal(b, &got)
}

// burstPlan alternates calm and faulty periods; every second faulty
// period also holds transitions stuck.
type burstPlan struct {
	calm, faulty time.Duration
	bursts       int // faulty periods started
	stuckBursts  int
}

var faultyCloud = faultsBody{ThrottleRate: 0.10, ErrorRate: 0.05, Latency: "300ms"}

func (p *burstPlan) run(ctx context.Context, tb testing.TB, emu *emulatorProcess) {
	for {
		if !sleepCtx(ctx, p.calm) {
			return
		}
		f := faultyCloud
		f.StuckTransitions = p.bursts%2 == 1
		if _, err := emu.faults(ctx, http.MethodPut, &f); err != nil {
			if ctx.Err() == nil {
				tb.Errorf("starting a fault burst: %v", err)
			}
			return
		}
		p.bursts++
		if f.StuckTransitions {
			p.stuckBursts++
		}
		if !sleepCtx(ctx, p.faulty) {
			return
		}
		if _, err := emu.faults(ctx, http.MethodPut, &faultsBody{Latency: "0s"}); err != nil && ctx.Err() == nil {
			tb.Errorf("ending a fault burst: %v", err)
			return
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// writeAPIs are the calls that change the cloud.
var writeAPIs = map[string]bool{"CreateNetworkInterface": true, "AttachNetworkInterface": true,
	"DetachNetworkInterface": true, "DeleteNetworkInterface": true}

// cloudCall is one write call the dashboard made, as the emulator answered
// it: what the cloud really did.
type cloudCall struct {
	API, ENI, Instance, Token string
	Start, End                time.Time
	Status                    int // the emulator's; 0 if it never answered
	Code, RequestID           string
}

// recorder is the proxy the dashboard talks to instead of the emulator.
// It records every write call and counts every call. It does not pass on
// a caller's going away: like the real cloud, a request that was sent is
// carried out, so a dashboard that gives up does not undo a change.
type recorder struct {
	addr   string
	target string
	tr     *http.Transport

	mu     sync.Mutex
	writes []cloudCall
	calls  map[string]int // by API
}

func startRecorder(tb testing.TB, target string) *recorder {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	r := &recorder{addr: ln.Addr().String(), target: target, calls: map[string]int{},
		tr: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close(); r.tr.CloseIdleConnections() })
	return r
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, in *http.Request) {
	body, err := io.ReadAll(in.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	api := in.Header.Get("x-acs-action")
	params := in.URL.Query()
	if strings.HasPrefix(in.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range form {
				params[k] = v
			}
		}
	}
	if api == "" {
		api = params.Get("Action")
	}
	c := cloudCall{API: api, ENI: params.Get("NetworkInterfaceId"), Instance: params.Get("InstanceId"),
		Token: params.Get("ClientToken"), Start: time.Now()}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(in.Context()), time.Minute)
	defer cancel()
	out, err := http.NewRequestWithContext(ctx, in.Method, "http://"+r.target+in.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = in.Header.Clone()
	out.Host = in.Host // what the SDK signed
	res, err := r.tr.RoundTrip(out)
	var answer []byte
	if err == nil {
		answer, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	c.End = time.Now()
	if err == nil {
		c.Status = res.StatusCode
		var b struct{ RequestId, Code, NetworkInterfaceId string }
		_ = json.Unmarshal(answer, &b)
		c.Code, c.RequestID = b.Code, b.RequestId
		if c.API == "CreateNetworkInterface" {
			c.ENI = b.NetworkInterfaceId
		}
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(answer)
	} else {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
	r.mu.Lock()
	r.calls[api]++
	if writeAPIs[api] {
		r.writes = append(r.writes, c)
	}
	r.mu.Unlock()
}

// snapshot copies what has been recorded.
func (r *recorder) snapshot() ([]cloudCall, map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	calls := make(map[string]int, len(r.calls))
	for k, v := range r.calls {
		calls[k] = v
	}
	return append([]cloudCall(nil), r.writes...), calls
}

// oracle reads the emulator directly, past the recorder, retrying what
// the injected faults refuse, so that the soak knows what the cloud holds.
type oracle struct{ c *aliyun.Client }

func newOracle(tb testing.TB, addr string) *oracle {
	tb.Helper()
	c, err := aliyun.New(aliyun.Config{Endpoint: addr, Protocol: "http", ReadAttempts: 8,
		AccessKeyID: ecsemu.DefaultAccessKeyID, AccessKeySecret: ecsemu.DefaultAccessKeySecret})
	if err != nil {
		tb.Fatal(err)
	}
	return &oracle{c: c}
}

// eni reads one ENI until the cloud answers; found is false once it is
// gone. Only ctx ending stops it.
func (o *oracle) eni(ctx context.Context, region, id string) (e eni.ENI, found bool, err error) {
	for {
		e, err = o.c.GetENI(ctx, region, id)
		if err == nil || errors.Is(err, eni.ErrNotFound) {
			return e, err == nil, nil
		}
		if !sleepCtx(ctx, 200*time.Millisecond) {
			return e, false, ctx.Err()
		}
	}
}

// named lists the ENIs of the region whose name is name.
func (o *oracle) named(ctx context.Context, region, name string) ([]eni.ENI, error) {
	for {
		p, err := o.c.ListENIs(ctx, eni.ListQuery{Filter: eni.Filter{Region: region, Name: name, Size: 100}})
		if err == nil {
			return p.ENIs, nil
		}
		if !sleepCtx(ctx, 200*time.Millisecond) {
			return nil, ctx.Err()
		}
	}
}
