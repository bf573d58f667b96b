package aliyun

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// The retry policy of writes, counted at a proxy in front of the emulator:
// create is retried only with its ClientToken; attach, detach and delete
// only on Throttling, where the cloud did nothing.

// writeCalls are the four writes, each of which would succeed on the seed
// if nothing stood in its way.
func writeCalls(t *testing.T, env *writeEnv) map[string]func(ctx context.Context) error {
	s, c := env.seed, env.c
	web1 := s.instance(t, "web-prod-01")
	spare, front := s.spareIn(t, "prod-app-h").ID, s.eniNamed(t, "web1-frontend").ID
	create := func(token string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.CreateENI(ctx, eni.CreateRequest{Region: emuRegion, VSwitchID: s.vswitch(t, "prod-app-h"),
				SecurityGroupIDs: []string{s.group(t, "prod-web")}, Name: "retry-eni", ClientToken: token})
			return err
		}
	}
	return map[string]func(ctx context.Context) error{
		"create with token":    create("retry-token"),
		"create without token": create(""),
		"attach": func(ctx context.Context) error {
			_, err := c.AttachENI(ctx, eni.AttachRequest{Region: emuRegion, ENIID: spare, InstanceID: web1})
			return err
		},
		"detach": func(ctx context.Context) error {
			_, err := c.DetachENI(ctx, eni.DetachRequest{Region: emuRegion, ENIID: front, InstanceID: web1})
			return err
		},
		"delete": func(ctx context.Context) error {
			_, err := c.DeleteENI(ctx, emuRegion, spare)
			return err
		},
	}
}

var writeActions = map[string]string{
	"create with token": actionCreate, "create without token": actionCreate,
	"attach": actionAttach, "detach": actionDetach, "delete": actionDelete,
}

// TestEmulatorWriteRetryPolicy counts the attempts of each write while
// every call is throttled or fails with a 5xx.
func TestEmulatorWriteRetryPolicy(t *testing.T) {
	const attempts = 3
	env := startWriteEnv(t, Config{ReadAttempts: attempts})
	calls := writeCalls(t, env)
	tests := []struct {
		call   string
		faults ecsemu.Faults
		want   int // requests that reach the cloud
	}{
		{"create with token", ecsemu.Faults{ThrottleRate: 1}, attempts},
		{"create with token", ecsemu.Faults{ErrorRate: 1}, attempts},
		{"create without token", ecsemu.Faults{ThrottleRate: 1}, 1},
		{"create without token", ecsemu.Faults{ErrorRate: 1}, 1},
		{"attach", ecsemu.Faults{ThrottleRate: 1}, attempts},
		{"attach", ecsemu.Faults{ErrorRate: 1}, 1},
		{"detach", ecsemu.Faults{ThrottleRate: 1}, attempts},
		{"detach", ecsemu.Faults{ErrorRate: 1}, 1},
		{"delete", ecsemu.Faults{ThrottleRate: 1}, attempts},
		{"delete", ecsemu.Faults{ErrorRate: 1}, 1},
	}
	for _, tt := range tests {
		kind := "throttled"
		if tt.faults.ErrorRate > 0 {
			kind = "5xx"
		}
		t.Run(tt.call+" "+kind, func(t *testing.T) {
			action := writeActions[tt.call]
			env.emu.SetFaults(tt.faults)
			defer env.emu.SetFaults(ecsemu.Faults{})
			before := env.proxy.count(action)
			err := calls[tt.call](context.Background())
			if n := env.proxy.count(action) - before; n != tt.want {
				t.Errorf("%d requests reached the cloud, want %d", n, tt.want)
			}
			ce, ok := eni.AsCloudError(err)
			switch {
			case !ok || ce.RequestID == "" || ce.Action != action:
				t.Errorf("err = %v, want the cloud's last answer with its RequestId", err)
			case kind == "throttled" && !ce.Throttled():
				t.Errorf("err = %v, want Throttling", err)
			case kind == "5xx" && ce.HTTPStatus < 500:
				t.Errorf("err = %v, want a 5xx", err)
			}
		})
	}
}

// TestEmulatorWriteRetriedUntilThrottlingStops throttles every call until
// the write has been refused twice, then lifts it: the write succeeds on a
// later attempt.
func TestEmulatorWriteRetriedUntilThrottlingStops(t *testing.T) {
	for _, tc := range []struct{ call, fault string }{
		{"attach", "throttled"}, {"detach", "throttled"}, {"delete", "throttled"},
		{"create with token", "throttled"}, {"create with token", "5xx"},
	} {
		t.Run(tc.call+" "+tc.fault, func(t *testing.T) {
			// Enough attempts that the backoff, from 1ms, outlasts the
			// two refusals and the lifting of the fault.
			env := startWriteEnv(t, Config{ReadAttempts: 30})
			call, action := writeCalls(t, env)[tc.call], writeActions[tc.call]
			f := ecsemu.Faults{ThrottleRate: 1}
			if tc.fault == "5xx" {
				f = ecsemu.Faults{ErrorRate: 1}
			}
			env.emu.SetFaults(f)
			done := make(chan error, 1)
			go func() { done <- call(context.Background()) }()
			waitFor(t, "two refused attempts", func() bool { return len(env.proxy.statuses(action)) >= 2 })
			env.emu.SetFaults(ecsemu.Faults{})
			if err := <-done; err != nil {
				t.Fatalf("the write failed once the fault was lifted: %v", err)
			}
			got := env.proxy.statuses(action)
			if refused := slices.IndexFunc(got, func(s int) bool { return s == 200 }); refused < 2 || refused != len(got)-1 {
				t.Errorf("answers %v; want at least two refusals, then one success", got)
			}
			if tc.call == "create with token" {
				if named := walk(t, env.c, eni.Filter{Region: emuRegion, Name: "retry-eni"}); len(named) != 1 {
					t.Errorf("%d ENIs created, want 1", len(named))
				}
			}
		})
	}
}

// TestEmulatorWriteLostAnswer has the cloud do the work and its answer be
// lost (the proxy forwards the call, then answers 503). Create with a
// ClientToken tries again and gets the same ENI; every other write gives
// up after the one call, which did change the ENI, so a blind retry would
// have created a second ENI or failed on a state the first call caused.
func TestEmulatorWriteLostAnswer(t *testing.T) {
	for _, name := range []string{"create with token", "create without token", "attach", "detach", "delete"} {
		t.Run(name, func(t *testing.T) {
			env := startWriteEnv(t, Config{})
			call, action := writeCalls(t, env)[name], writeActions[name]
			env.proxy.setLose(func(a string, n int) bool { return a == action && n == 1 })
			err := call(context.Background())
			calls := env.proxy.count(action)
			env.proxy.setLose(nil)
			if name == "create with token" {
				if err != nil || calls != 2 {
					t.Errorf("err %v after %d calls; want success on the second", err, calls)
				}
			} else {
				ce, ok := eni.AsCloudError(err)
				if !ok || ce.Code != "ServiceUnavailable" || ce.RequestID != fmt.Sprintf("LOST-%s-1", action) || calls != 1 {
					t.Errorf("err %v after %d calls; want the lost answer's 503 after one", err, calls)
				}
			}
			// The one call did its work.
			s := env.seed
			switch name {
			case "create with token", "create without token":
				if named := walk(t, env.c, eni.Filter{Region: emuRegion, Name: "retry-eni"}); len(named) != 1 {
					t.Errorf("%d ENIs created, want 1", len(named))
				}
			case "attach":
				waitENI(t, env.c, s.spareIn(t, "prod-app-h").ID, eni.StatusInUse)
			case "detach":
				waitENI(t, env.c, s.eniNamed(t, "web1-frontend").ID, eni.StatusAvailable)
			case "delete":
				waitENI(t, env.c, s.spareIn(t, "prod-app-h").ID, "")
			}
		})
	}
}
