package ecsemu

import (
	"net/http/httptest"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"
)

// The action tests run their error tables through the official SDK over
// loopback HTTP, with both signature schemes, against an emulator whose
// world they can also inspect. (ecsemutest offers the same for other
// packages; it cannot be imported from here.)

type errCase struct {
	name   string
	kv     []string
	code   string
	status int
}

type harness struct {
	emu     *Emulator
	w       *World
	clients map[string]*ecs.Client // "v3" (ACS3-HMAC-SHA256) and "v2" (HMAC-SHA1)
}

// newHarness serves an emulator with fast transitions and no jitter.
func newHarness(t testing.TB, extra int) *harness {
	t.Helper()
	emu := New(Config{World: WorldConfig{ExtraENIs: extra, AttachDelay: 20 * time.Millisecond,
		DetachDelay: 20 * time.Millisecond, DeleteDelay: 20 * time.Millisecond, Jitter: -1}})
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	h := &harness{emu: emu, w: emu.world, clients: map[string]*ecs.Client{}}
	id, secret := emu.AccessKey()
	for name, v2 := range map[string]bool{"v3": false, "v2": true} {
		cfg := &openapi.Config{AccessKeyId: tea.String(id), AccessKeySecret: tea.String(secret),
			Endpoint: tea.String(srv.Listener.Addr().String()), Protocol: tea.String("http"),
			RegionId: tea.String(hz), NoProxy: tea.String(srv.Listener.Addr().String())}
		if v2 {
			cfg.SignatureAlgorithm = tea.String("v2")
		}
		c, err := ecs.NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		h.clients[name] = c
	}
	return h
}

// raw calls action with the flattened parameters kv through the SDK's
// generic CallApi, so any parameter can be sent as the SDK would.
func raw(c *ecs.Client, action string, kv []string) error {
	query := map[string]*string{}
	for i := 0; i+1 < len(kv); i += 2 {
		query[kv[i]] = tea.String(kv[i+1])
	}
	p := &openapi.Params{
		Action: tea.String(action), Version: tea.String(APIVersion), Protocol: tea.String("HTTPS"),
		Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String("AK"),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	_, err := c.CallApi(p, &openapi.OpenApiRequest{Query: query}, &util.RuntimeOptions{})
	return err
}

// expectErrors runs every case with both signature schemes and checks the
// SDK reports the documented code and HTTP status.
func (h *harness) expectErrors(t *testing.T, action string, cases []errCase) {
	t.Helper()
	for _, c := range cases {
		for _, scheme := range []string{"v3", "v2"} {
			t.Run(c.name+"/"+scheme, func(t *testing.T) {
				err := raw(h.clients[scheme], action, c.kv)
				se, ok := err.(*tea.SDKError)
				if !ok {
					t.Fatalf("got %v, want %s (%d)", err, c.code, c.status)
				}
				if tea.StringValue(se.Code) != c.code || tea.IntValue(se.StatusCode) != c.status {
					t.Fatalf("got %s (%d) %q, want %s (%d)", tea.StringValue(se.Code), tea.IntValue(se.StatusCode),
						tea.StringValue(se.Message), c.code, c.status)
				}
			})
		}
	}
}
