package config

import (
	"io"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsNeedNoConfiguration(t *testing.T) {
	c, err := Parse(nil, env(nil), io.Discard, false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Cloud != CloudAuto || c.Region != "cn-hangzhou" || c.CallTimeout != 20*time.Second {
		t.Errorf("defaults: %+v", c)
	}
	if l := c.Live; l.MaxStreamsPerSession != 12 || l.MaxStreams != 5000 || l.MaxPollers != 200 {
		t.Errorf("live caps: %+v", l)
	}
	if i := c.Inventory; i.Budget != 120 || i.Linger != 5*time.Minute {
		t.Errorf("inventory: %+v", i)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	e := env(map[string]string{"ENIDASH_ADDR": "127.0.0.1:9000", "ENIDASH_REGION": "cn-beijing",
		"ENIDASH_EMULATOR_ENIS": "20000", "ENIDASH_EMULATOR_STUCK": "true"})
	c, err := Parse([]string{"--addr", "127.0.0.1:9999", "--emulator-throttle-rate", "0.5"}, e, io.Discard, false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.Region != "cn-beijing" || c.Emulator.ExtraENIs != 20000 ||
		!c.Emulator.Stuck || c.Emulator.ThrottleRate != 0.5 {
		t.Errorf("got %+v", c)
	}
}

func TestRejectsBadValuesNamingThem(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--cloud", "gcp"}, nil, "--cloud"},
		{nil, map[string]string{"ENIDASH_CLOUD": "aws"}, "--cloud"},
		{nil, map[string]string{"ENIDASH_EMULATOR_ERROR_RATE": "2"}, "ENIDASH_EMULATOR_ERROR_RATE"},
		{[]string{"--emulator-latency", "soon"}, nil, "duration"},
		{nil, map[string]string{"ENIDASH_EMULATOR_ENIS": "-1"}, "ENIDASH_EMULATOR_ENIS"},
		{[]string{"--log-level", "loud"}, nil, "--log-level"},
		{[]string{"extra"}, nil, "unexpected argument"},
		{[]string{"--live-max-streams-per-session", "0"}, nil, "--live-max-streams-per-session 0: must be at least 1"},
		{nil, map[string]string{"ENIDASH_LIVE_MAX_POLLERS": "many"}, "ENIDASH_LIVE_MAX_POLLERS"},
		{[]string{"--inventory-budget", "0"}, nil, "--inventory-budget 0: must be at least 1"},
		{nil, map[string]string{"ENIDASH_INVENTORY_LINGER": "0s"}, "--inventory-linger 0s: must be more than zero"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.args, env(tt.env), io.Discard, false)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%v, %v) = %v, want an error mentioning %q", tt.args, tt.env, err, tt.want)
		}
	}
}

func TestHelpListsEveryFlagWithItsVariable(t *testing.T) {
	var out strings.Builder
	c, err := Parse([]string{"--help"}, env(nil), &out, false)
	if err != nil || !c.ShowedHelp {
		t.Fatalf("help: %v %v", c.ShowedHelp, err)
	}
	var probe Config
	for _, o := range options(&probe, false) {
		if !strings.Contains(out.String(), "-"+o.name) || !strings.Contains(out.String(), o.env) {
			t.Errorf("--help lacks %s / %s", o.name, o.env)
		}
	}
}

func TestEmulatorAloneHasItsOwnAddress(t *testing.T) {
	c, err := Parse([]string{"--addr", "127.0.0.1:9200"}, env(nil), io.Discard, true)
	if err != nil || c.Emulator.Addr != "127.0.0.1:9200" {
		t.Fatalf("got %+v, %v", c.Emulator, err)
	}
}
