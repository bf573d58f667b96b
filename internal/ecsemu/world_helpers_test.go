package ecsemu

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"
)

// Helpers for tests that call the world's actions directly.

const hz = "cn-hangzhou"

// quickWorld is a world whose transitions complete in a few milliseconds,
// without jitter.
func quickWorld(t testing.TB, extra int) *World {
	t.Helper()
	w := NewWorld(WorldConfig{ExtraENIs: extra, AttachDelay: 20 * time.Millisecond,
		DetachDelay: 20 * time.Millisecond, DeleteDelay: 20 * time.Millisecond, Jitter: -1})
	t.Cleanup(w.Close)
	return w
}

// params builds url.Values from name/value pairs.
func params(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func (w *World) call(action string, v url.Values) (any, error) {
	fn, ok := w.Actions()[action]
	if !ok {
		return nil, errors.New("no action " + action)
	}
	return fn(context.Background(), &Request{Action: action, RegionID: v.Get("RegionId"), Params: v, RequestID: "test"})
}

func mustCall[T any](t testing.TB, w *World, action string, kv ...string) T {
	t.Helper()
	body, err := w.call(action, params(kv...))
	if err != nil {
		t.Fatalf("%s %v: %v", action, kv, err)
	}
	out, ok := body.(T)
	if !ok {
		t.Fatalf("%s answered %T", action, body)
	}
	return out
}

// wantAPIError checks err is the documented error.
func wantAPIError(t testing.TB, err error, code string, status int) {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s (%d)", err, code, status)
	}
	if ae.Code != code || ae.Status != status {
		t.Fatalf("got %s (%d) %q, want %s (%d)", ae.Code, ae.Status, ae.Message, code, status)
	}
}

func (w *World) instanceNamed(t testing.TB, name string) *instance {
	t.Helper()
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, r := range w.regions {
		for _, inst := range r.instances {
			if inst.name == name {
				return inst
			}
		}
	}
	t.Fatalf("no instance %q", name)
	return nil
}

func (w *World) eniNamed(t testing.TB, name string) *eni {
	t.Helper()
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, r := range w.regions {
		for _, e := range r.enis {
			if e.name == name {
				return e
			}
		}
	}
	t.Fatalf("no ENI %q", name)
	return nil
}

func (w *World) vswitchNamed(t testing.TB, name string) *vswitch {
	t.Helper()
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, r := range w.regions {
		for _, v := range r.vpcs {
			for _, vs := range v.vswitches {
				if vs.name == name {
					return vs
				}
			}
		}
	}
	t.Fatalf("no vSwitch %q", name)
	return nil
}

func (w *World) groupNamed(t testing.TB, region, name string) *secGroup {
	t.Helper()
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, g := range w.regionByID[region].groups {
		if g.name == name {
			return g
		}
	}
	t.Fatalf("no security group %q in %s", name, region)
	return nil
}

// statusOf reads an ENI's status under the lock; "" once it is gone.
func (w *World) statusOf(id string) string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if e, ok := w.enis[id]; ok {
		return e.status
	}
	return ""
}

// waitStatus polls until the ENI reaches want ("" for deleted).
func (w *World) waitStatus(t testing.TB, id, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for w.statusOf(id) != want {
		if time.Now().After(deadline) {
			t.Fatalf("ENI %s stayed %q, want %q", id, w.statusOf(id), want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
