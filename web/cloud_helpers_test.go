package web

import (
	"testing"
	"time"

	"enidash/internal/aliyun"
	"enidash/internal/ecsemu"
	"enidash/internal/ecsemu/ecsemutest"
)

// emulatorCloud is the real client of a fresh emulator, for handlers
// whose tests never reach the cloud but which need one to be built.
func emulatorCloud(t *testing.T) *aliyun.Client {
	t.Helper()
	emu, endpoint := ecsemutest.Start(t, ecsemu.Config{})
	id, secret := emu.AccessKey()
	c, err := aliyun.New(aliyun.Config{Endpoint: endpoint, Protocol: "http", AccessKeyID: id, AccessKeySecret: secret,
		CallTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
