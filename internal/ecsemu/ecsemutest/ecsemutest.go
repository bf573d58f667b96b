// Package ecsemutest runs the ECS emulator for tests and builds official SDK
// clients pointed at it, over loopback HTTP.
//
//	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{})
//	id, secret := emu.AccessKey()
//	client := ecsemutest.Client(t, endpoint, id, secret, false)
//	_, err := client.DescribeRegions(&ecs.DescribeRegionsRequest{})
//	code, status := ecsemutest.ErrorCode(err)
package ecsemutest

import (
	"errors"
	"net/http/httptest"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"enidash/internal/ecsemu"
)

// Region is the RegionId the clients made here are configured with.
const Region = "cn-hangzhou"

// Start serves a new emulator on a loopback port and returns it with its
// endpoint (host:port). Both are shut down when the test ends.
func Start(t testing.TB, cfg ecsemu.Config) (*ecsemu.Emulator, string) {
	t.Helper()
	emu := ecsemu.New(cfg)
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	return emu, srv.Listener.Addr().String()
}

// Config is the SDK configuration Client uses: the given AccessKey pair
// (so the SDK consults no environment, profile or metadata service), plain
// HTTP to endpoint, RegionId cn-hangzhou, and RPC signature 1.0 (HMAC-SHA1)
// when v2 is set instead of the default ACS3-HMAC-SHA256.
func Config(endpoint, accessKeyID, secret string, v2 bool) *openapi.Config {
	cfg := &openapi.Config{
		AccessKeyId:     tea.String(accessKeyID),
		AccessKeySecret: tea.String(secret),
		Endpoint:        tea.String(endpoint),
		Protocol:        tea.String("http"),
		RegionId:        tea.String(Region),
		// The SDK honours HTTP_PROXY even for loopback; keep it direct.
		NoProxy: tea.String(endpoint),
	}
	if v2 {
		cfg.SignatureAlgorithm = tea.String("v2")
	}
	return cfg
}

// Client builds the official ECS SDK client for the emulator at endpoint.
func Client(t testing.TB, endpoint, accessKeyID, secret string, v2 bool) *ecs.Client {
	t.Helper()
	c, err := ecs.NewClient(Config(endpoint, accessKeyID, secret, v2))
	if err != nil {
		t.Fatalf("building ECS client for %s: %v", endpoint, err)
	}
	return c
}

// ErrorCode returns the cloud error code and HTTP status the SDK reported in
// err (a *tea.SDKError), or "" and 0 when err is not one.
func ErrorCode(err error) (code string, status int) {
	var se *tea.SDKError
	if !errors.As(err, &se) {
		return "", 0
	}
	return tea.StringValue(se.Code), tea.IntValue(se.StatusCode)
}
