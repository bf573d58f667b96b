// Package aliyun implements eni.Cloud on the official ECS SDK
// (github.com/alibabacloud-go/ecs-20140526/v4). The SDK's types stop here:
// callers see only the eni package's model and *eni.CloudError.
package aliyun

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/credentials-go/credentials"

	"enidash/internal/eni"
)

// Config says where and as whom the client calls ECS.
type Config struct {
	// Endpoint is "" for the SDK's public endpoint of each region, or a
	// host:port used for every region (an emulator or any ECS-compatible
	// endpoint).
	Endpoint string
	// Protocol is "https" (the default) or "http" (for the emulator).
	Protocol string
	// AccessKeyID and AccessKeySecret are used when both are set; otherwise
	// the SDK's default credential chain (environment, CLI profile,
	// credentials file, ECS RAM role, …) is asked at the first call.
	AccessKeyID, AccessKeySecret string
	// SignatureV2 signs with the RPC signature 1.0 (HMAC-SHA1) instead of the
	// SDK's default ACS3-HMAC-SHA256.
	SignatureV2 bool
	// CallTimeout bounds one HTTP exchange with the cloud; default 10s.
	CallTimeout time.Duration
	// ReadAttempts bounds the tries of a read that the cloud throttles or
	// fails with a transient error; default 4.
	ReadAttempts int
	// Logger receives one record per cloud call; nil discards.
	Logger *slog.Logger
	// OnCall, when set, is told of every attempt at a cloud call: its API
	// action and Outcome. It feeds the call counters of /metrics.
	OnCall func(action, outcome string)
}

// LogValue keeps the secret out of logs even when a Config is logged whole.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("endpoint", c.Endpoint),
		slog.String("protocol", c.Protocol),
		slog.Bool("explicitKey", c.AccessKeyID != "" && c.AccessKeySecret != ""),
		slog.Bool("signatureV2", c.SignatureV2),
		slog.Duration("callTimeout", c.CallTimeout),
		slog.Int("readAttempts", c.ReadAttempts),
	)
}

// String keeps the secret out of fmt output.
func (c Config) String() string {
	return fmt.Sprintf("aliyun.Config{Endpoint:%q Protocol:%q AccessKeyID:%q AccessKeySecret:<redacted> SignatureV2:%t CallTimeout:%s ReadAttempts:%d}",
		c.Endpoint, c.Protocol, c.AccessKeyID, c.SignatureV2, c.CallTimeout, c.ReadAttempts)
}

const (
	defaultCallTimeout  = 10 * time.Second
	defaultReadAttempts = 4
	// maxInFlight bounds the calls one Client has open at a time; more
	// wait for a lane (see lanes below).
	maxInFlight = 16
	// centralEndpoint answers DescribeRegions, which names no region.
	centralEndpoint = "ecs.aliyuncs.com"
)

// Client is eni.Cloud on the ECS SDK. It is safe for concurrent use.
//
// The SDK client is not: every call clears a field of it (GetRpcHeaders)
// and tea writes the Timeout of a process-wide pooled http.Client without a
// lock. So a Client runs each call on a lane, of which it has maxInFlight:
// a lane has its own SDK client per region and its own pooled http.Client
// (see runtimeFor), and serves one call at a time.
type Client struct {
	cfg  Config
	log  *slog.Logger
	cred credentials.Credential // nil when an explicit AccessKey pair is used
	// key makes this Client's pooled http.Clients distinct from those of
	// any other Client in the process.
	key     string
	noProxy string // the endpoint itself when it is on loopback

	lanes chan int // free lane numbers

	retryInitial time.Duration // first backoff; tests shorten it

	mu  sync.Mutex
	sdk map[sdkKey]*ecs.Client // created lazily
}

type sdkKey struct {
	region string
	lane   int
}

var _ eni.Cloud = (*Client)(nil)

// New checks cfg and prepares a Client. It contacts nothing: credentials of
// the default chain are looked up at the first call.
func New(cfg Config) (*Client, error) {
	switch cfg.Protocol = strings.ToLower(cfg.Protocol); cfg.Protocol {
	case "":
		cfg.Protocol = "https"
	case "http", "https":
	default:
		return nil, fmt.Errorf("aliyun: protocol %q: want http or https", cfg.Protocol)
	}
	if strings.Contains(cfg.Endpoint, "://") || strings.Contains(cfg.Endpoint, "/") {
		return nil, fmt.Errorf("aliyun: endpoint %q: want host or host:port, without scheme or path", cfg.Endpoint)
	}
	if (cfg.AccessKeyID == "") != (cfg.AccessKeySecret == "") {
		return nil, errors.New("aliyun: give both AccessKeyID and AccessKeySecret, or neither to use the default credential chain")
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = defaultCallTimeout
	}
	if cfg.ReadAttempts <= 0 {
		cfg.ReadAttempts = defaultReadAttempts
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var salt [8]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return nil, fmt.Errorf("aliyun: %w", err)
	}
	c := &Client{
		cfg:   cfg,
		log:   log.With("component", "aliyun"),
		key:   "enidash-" + hex.EncodeToString(salt[:]),
		lanes: make(chan int, maxInFlight),
		sdk:   make(map[sdkKey]*ecs.Client),

		retryInitial: defaultRetryInitial,
	}
	for i := range maxInFlight {
		c.lanes <- i
	}
	if isLoopback(cfg.Endpoint) {
		// tea honours HTTP(S)_PROXY even for loopback, which would send
		// emulator traffic to a proxy.
		c.noProxy = cfg.Endpoint
	}
	if cfg.AccessKeyID == "" {
		// NewCredential(nil) only builds the chain; providers run at the
		// first GetCredential. The lock serialises them: the chain records
		// its last provider without one.
		cred, err := credentials.NewCredential(nil)
		if err != nil {
			return nil, fmt.Errorf("aliyun: default credential chain: %w", err)
		}
		c.cred = &lockedCredential{inner: cred}
	}
	return c, nil
}

// sdkClient returns the SDK client of one region and lane, making it on
// first use.
func (c *Client) sdkClient(region string, lane int) (*ecs.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := sdkKey{region, lane}
	if api, ok := c.sdk[k]; ok {
		return api, nil
	}
	oc := &openapi.Config{
		Protocol: tea.String(c.cfg.Protocol),
		// The runtime options of each call override these (see runtimeFor).
		ConnectTimeout: tea.Int(int(c.cfg.CallTimeout / 3 / time.Millisecond)),
		ReadTimeout:    tea.Int(int((c.cfg.CallTimeout - c.cfg.CallTimeout/3) / time.Millisecond)),
		UserAgent:      tea.String("enidash"),
	}
	if region != "" {
		oc.RegionId = tea.String(region)
	}
	switch {
	case c.cfg.Endpoint != "":
		oc.Endpoint = tea.String(c.cfg.Endpoint)
	case region == "":
		oc.Endpoint = tea.String(centralEndpoint)
	}
	if c.cfg.AccessKeyID != "" {
		// With both set, openapi builds a static AccessKey credential and
		// never consults the default chain or the metadata service.
		oc.AccessKeyId = tea.String(c.cfg.AccessKeyID)
		oc.AccessKeySecret = tea.String(c.cfg.AccessKeySecret)
	} else {
		oc.Credential = c.cred
	}
	if c.cfg.SignatureV2 {
		oc.SignatureAlgorithm = tea.String("v2")
	}
	api, err := ecs.NewClient(oc)
	if err != nil {
		return nil, fmt.Errorf("aliyun: SDK client for region %q: %w", region, err)
	}
	c.sdk[k] = api
	return api, nil
}

// isLoopback reports whether host:port (or host) names this machine.
func isLoopback(endpoint string) bool {
	if endpoint == "" {
		return false
	}
	host := endpoint
	if h, _, err := net.SplitHostPort(endpoint); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// lockedCredential serialises a credential shared by every SDK client.
type lockedCredential struct {
	mu    sync.Mutex
	inner credentials.Credential
}

func (l *lockedCredential) GetAccessKeyId() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inner.GetAccessKeyId()
}

func (l *lockedCredential) GetAccessKeySecret() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inner.GetAccessKeySecret()
}

func (l *lockedCredential) GetSecurityToken() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inner.GetSecurityToken()
}

func (l *lockedCredential) GetBearerToken() *string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inner.GetBearerToken()
}

func (l *lockedCredential) GetType() *string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inner.GetType()
}

func (l *lockedCredential) GetCredential() (*credentials.CredentialModel, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inner.GetCredential()
}
