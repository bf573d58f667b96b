// Package config reads enidash's settings: command-line flags, each with
// an ENIDASH_* environment fallback, all declared in one table so --help
// and the README list the same things.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Cloud modes.
const (
	CloudAuto     = ""
	CloudEmulator = "emulator"
	CloudAliyun   = "aliyun"
)

// Config is the dashboard's configuration.
type Config struct {
	Addr        string
	Cloud       string
	ECSEndpoint string
	Region      string
	LogLevel    string
	CallTimeout time.Duration
	LookupTTL   time.Duration
	BulkMax     int
	Team        Team
	Live        Live
	Inventory   Inventory
	Emulator    Emulator
	ShowedHelp  bool
}

// Team is the team-tool configuration: where users and the audit log live,
// how long sessions last, and the company SSO proxy that may name users.
// The secrets (ENIDASH_SESSION_KEYS, ENIDASH_ADMIN_PASSWORD) are read from
// the environment only, so they never appear in a process list.
type Team struct {
	DB              string
	Replica         string
	AuditRetention  time.Duration
	SessionIdle     time.Duration
	SessionMaxAge   time.Duration
	TrustedProxies  string
	AuthProxyHeader string
	AuthProxyRole   string
}

// Live is how the pages are kept up to date (internal/live).
type Live struct {
	Slow, Fast, StuckAfter, Heartbeat time.Duration
	// Caps: open streams per session and overall, pollers running.
	MaxStreamsPerSession, MaxStreams, MaxPollers int
}

// Inventory is how each watched region's snapshot is kept
// (internal/inventory): its cloud calls a minute, and how long it
// outlives its last viewer.
type Inventory struct {
	Budget int
	Linger time.Duration
}

// Emulator is the embedded emulator's configuration.
type Emulator struct {
	Addr                                  string // only for `enidash emulator`
	ExtraENIs                             int
	AttachDelay, DetachDelay, DeleteDelay time.Duration
	ThrottleRate, ErrorRate               float64
	Latency                               time.Duration
	Stuck                                 bool
}

type option struct {
	name, env, usage string
	bind             func(fs *flag.FlagSet, name, def, usage string)
	def              string
}

// options is the table of every setting: flag, environment variable,
// default and meaning.
func options(c *Config, emulatorAlone bool) []option {
	str := func(p *string) func(*flag.FlagSet, string, string, string) {
		return func(fs *flag.FlagSet, n, d, u string) { fs.StringVar(p, n, d, u) }
	}
	dur := func(p *time.Duration) func(*flag.FlagSet, string, string, string) {
		return func(fs *flag.FlagSet, n, d, u string) {
			fs.Var(durationValue{p}, n, u+"; a `duration` like 250ms or 3s")
			fs.Lookup(n).DefValue = d
		}
	}
	num := func(p *int) func(*flag.FlagSet, string, string, string) {
		return func(fs *flag.FlagSet, n, d, u string) {
			fs.Var(intValue{p}, n, u+"; a `count`")
			fs.Lookup(n).DefValue = d
		}
	}
	rate := func(p *float64) func(*flag.FlagSet, string, string, string) {
		return func(fs *flag.FlagSet, n, d, u string) {
			fs.Var(rateValue{p}, n, u+"; a `fraction` from 0 to 1")
			fs.Lookup(n).DefValue = d
		}
	}
	boolean := func(p *bool) func(*flag.FlagSet, string, string, string) {
		return func(fs *flag.FlagSet, n, d, u string) { fs.Var(boolValue{p}, n, u); fs.Lookup(n).DefValue = d }
	}
	e := &c.Emulator
	emu := []option{
		{"emulator-enis", "ENIDASH_EMULATOR_ENIS", "extra ENIs seeded in the emulator, for scale tests", num(&e.ExtraENIs), "0"},
		{"emulator-attach-delay", "ENIDASH_EMULATOR_ATTACH_DELAY", "emulator: how long Attaching lasts", dur(&e.AttachDelay), "3s"},
		{"emulator-detach-delay", "ENIDASH_EMULATOR_DETACH_DELAY", "emulator: how long Detaching lasts", dur(&e.DetachDelay), "3s"},
		{"emulator-delete-delay", "ENIDASH_EMULATOR_DELETE_DELAY", "emulator: how long Deleting lasts", dur(&e.DeleteDelay), "2s"},
		{"emulator-throttle-rate", "ENIDASH_EMULATOR_THROTTLE_RATE", "emulator: fraction of calls answered Throttling", rate(&e.ThrottleRate), "0"},
		{"emulator-error-rate", "ENIDASH_EMULATOR_ERROR_RATE", "emulator: fraction of calls answered InternalError/ServiceUnavailable", rate(&e.ErrorRate), "0"},
		{"emulator-latency", "ENIDASH_EMULATOR_LATENCY", "emulator: latency added to every call", dur(&e.Latency), "0s"},
		{"emulator-stuck", "ENIDASH_EMULATOR_STUCK", "emulator: transitions never complete (rehearse stuck ENIs)", boolean(&e.Stuck), "false"},
	}
	if emulatorAlone {
		return append([]option{
			{"addr", "ENIDASH_EMULATOR_ADDR", "address the emulator listens on", str(&e.Addr), "127.0.0.1:9100"},
			{"log-level", "ENIDASH_LOG_LEVEL", "log level: debug, info, warn or error", str(&c.LogLevel), "info"},
		}, emu...)
	}
	return append([]option{
		{"addr", "ENIDASH_ADDR", "address the dashboard listens on", str(&c.Addr), "127.0.0.1:8080"},
		{"cloud", "ENIDASH_CLOUD", "emulator or aliyun; default: aliyun if Alibaba Cloud credentials are configured, else the embedded emulator", str(&c.Cloud), ""},
		{"ecs-endpoint", "ENIDASH_ECS_ENDPOINT", "an ECS-compatible endpoint (host:port or URL, e.g. a separately started emulator), used with ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET", str(&c.ECSEndpoint), ""},
		{"region", "ENIDASH_REGION", "region shown first", str(&c.Region), "cn-hangzhou"},
		{"log-level", "ENIDASH_LOG_LEVEL", "log level: debug, info, warn or error", str(&c.LogLevel), "info"},
		{"call-timeout", "ENIDASH_CALL_TIMEOUT", "deadline of the cloud calls behind one page", dur(&c.CallTimeout), "20s"},
		{"bulk-max", "ENIDASH_BULK_MAX", "most ENIs one bulk detach or delete may change (a whole view past it is refused with a message)", num(&c.BulkMax), "1000"},
		{"lookup-ttl", "ENIDASH_LOOKUP_TTL", "how long region, VPC, vSwitch, security group and instance lists are cached", dur(&c.LookupTTL), "1m"},
		{"db", "ENIDASH_DB", "where users, sessions' keys and the audit log live: a SQLite file (created if missing), or a postgres://user:password@host/db URL shared by several replicas", str(&c.Team.DB), "enidash.db"},
		{"replica", "ENIDASH_REPLICA", "this replica's name among those sharing PostgreSQL (in logs and the inventory's coordination); default: host name and process ID", str(&c.Team.Replica), ""},
		{"audit-retention", "ENIDASH_AUDIT_RETENTION", "how long audit entries are kept", dur(&c.Team.AuditRetention), "9600h"},
		{"session-idle-timeout", "ENIDASH_SESSION_IDLE_TIMEOUT", "a session ends after this long without a request", dur(&c.Team.SessionIdle), "12h"},
		{"session-max-age", "ENIDASH_SESSION_MAX_AGE", "a session ends this long after sign-in, however active", dur(&c.Team.SessionMaxAge), "168h"},
		{"trusted-proxies", "ENIDASH_TRUSTED_PROXIES", "comma-separated addresses or CIDRs of the SSO proxy allowed to name users and forward client addresses", str(&c.Team.TrustedProxies), ""},
		{"auth-proxy-header", "ENIDASH_AUTH_PROXY_HEADER", "header in which the trusted proxy names the user, e.g. X-Forwarded-Email; empty: off", str(&c.Team.AuthProxyHeader), ""},
		{"auth-proxy-role", "ENIDASH_AUTH_PROXY_ROLE", "role of users named by the proxy who have no local account: viewer, operator or admin", str(&c.Team.AuthProxyRole), "viewer"},
		{"live-slow", "ENIDASH_LIVE_SLOW", "shortest time between two listings of a watched region (a larger region is listed less often, within --inventory-budget)", dur(&c.Live.Slow), "15s"},
		{"live-fast", "ENIDASH_LIVE_FAST", "how often ENIs in transition or just acted on are polled by ID", dur(&c.Live.Fast), "1.5s"},
		{"inventory-budget", "ENIDASH_INVENTORY_BUDGET", "DescribeNetworkInterfaces calls a minute each watched region may make, listings and polls by ID together", num(&c.Inventory.Budget), "120"},
		{"inventory-linger", "ENIDASH_INVENTORY_LINGER", "how long a region's snapshot is kept up to date after its last viewer left", dur(&c.Inventory.Linger), "5m"},
		{"live-stuck-after", "ENIDASH_LIVE_STUCK_AFTER", "an ENI in Attaching, Detaching or Deleting longer than this is flagged stuck", dur(&c.Live.StuckAfter), "5m"},
		{"live-heartbeat", "ENIDASH_LIVE_HEARTBEAT", "interval of the keep-alive comments on live update streams", dur(&c.Live.Heartbeat), "15s"},
		{"live-max-streams-per-session", "ENIDASH_LIVE_MAX_STREAMS_PER_SESSION", "live update streams one session may hold open; past it a page says so and stops updating", num(&c.Live.MaxStreamsPerSession), "12"},
		{"live-max-streams", "ENIDASH_LIVE_MAX_STREAMS", "live update streams the server holds open in all", num(&c.Live.MaxStreams), "5000"},
		{"live-max-pollers", "ENIDASH_LIVE_MAX_POLLERS", "distinct views watched live at once (they cost no cloud call, only work on each change); a view past it is paused and its pages say so", num(&c.Live.MaxPollers), "200"},
	}, emu...)
}

// Parse reads args (without the program name) and the environment. With
// emulatorAlone it reads the settings of `enidash emulator`. --help writes
// the usage to out and returns a Config with ShowedHelp set.
func Parse(args []string, getenv func(string) string, out io.Writer, emulatorAlone bool) (Config, error) {
	var c Config
	name := "enidash"
	if emulatorAlone {
		name = "enidash emulator"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	opts := options(&c, emulatorAlone)
	var errs []error
	for _, o := range opts {
		o.bind(fs, o.name, o.def, o.usage+" [env "+o.env+"]")
		value := o.def
		if v := getenv(o.env); v != "" {
			value = v
		}
		if err := fs.Set(o.name, value); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", o.env, value, err))
		}
	}
	fs.Usage = func() { usage(fs, name, emulatorAlone) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.ShowedHelp = true
			return c, nil
		}
		return c, err
	}
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	switch c.Cloud {
	case CloudAuto, CloudEmulator, CloudAliyun:
	default:
		errs = append(errs, fmt.Errorf("--cloud %q: must be emulator or aliyun", c.Cloud))
	}
	if !emulatorAlone {
		switch c.Team.AuthProxyRole {
		case "viewer", "operator", "admin":
		default:
			errs = append(errs, fmt.Errorf("--auth-proxy-role %q: must be viewer, operator or admin", c.Team.AuthProxyRole))
		}
		if c.Team.DB == "" {
			errs = append(errs, errors.New("--db: must name a file, a postgres:// URL, or :memory: for a database that ends with the process"))
		}
		for _, d := range []struct {
			name string
			v    time.Duration
		}{{"--live-slow", c.Live.Slow}, {"--live-fast", c.Live.Fast}, {"--live-stuck-after", c.Live.StuckAfter}, {"--live-heartbeat", c.Live.Heartbeat},
			{"--inventory-linger", c.Inventory.Linger}} {
			if d.v <= 0 {
				errs = append(errs, fmt.Errorf("%s %s: must be more than zero", d.name, d.v))
			}
		}
		for _, n := range []struct {
			name string
			v    int
		}{{"--live-max-streams-per-session", c.Live.MaxStreamsPerSession}, {"--live-max-streams", c.Live.MaxStreams}, {"--live-max-pollers", c.Live.MaxPollers},
			{"--inventory-budget", c.Inventory.Budget}, {"--bulk-max", c.BulkMax}} {
			if n.v < 1 {
				errs = append(errs, fmt.Errorf("%s %d: must be at least 1", n.name, n.v))
			}
		}
		if c.Live.Fast > c.Live.Slow {
			errs = append(errs, fmt.Errorf("--live-fast %s: must not be longer than --live-slow %s", c.Live.Fast, c.Live.Slow))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: must be debug, info, warn or error", c.LogLevel))
	}
	return c, errors.Join(errs...)
}

func usage(fs *flag.FlagSet, name string, emulatorAlone bool) {
	w := fs.Output()
	if emulatorAlone {
		fmt.Fprintf(w, "Usage: %s [flags]\n\nRuns the ECS emulator alone, for SDKs and scripts.\n\nFlags:\n", name)
	} else {
		fmt.Fprintf(w, "Usage: %s [flags]\n       enidash emulator [flags]\n\nA dashboard for Alibaba Cloud ECS elastic network interfaces.\n\nFlags:\n", name)
	}
	fs.PrintDefaults()
}

// Flag values that parse strictly and say what they expect.
type durationValue struct{ p *time.Duration }

func (v durationValue) String() string {
	if v.p == nil {
		return ""
	}
	return v.p.String()
}
func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return errors.New("want a duration such as 250ms, 3s or 1m")
	}
	*v.p = d
	return nil
}

type intValue struct{ p *int }

func (v intValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.Itoa(*v.p)
}
func (v intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return errors.New("want a whole number, 0 or more")
	}
	*v.p = n
	return nil
}

type rateValue struct{ p *float64 }

func (v rateValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}
func (v rateValue) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1 {
		return errors.New("want a fraction between 0 and 1")
	}
	*v.p = f
	return nil
}

type boolValue struct{ p *bool }

func (v boolValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.FormatBool(*v.p)
}
func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return errors.New("want true or false")
	}
	*v.p = b
	return nil
}
func (v boolValue) IsBoolFlag() bool { return true }
