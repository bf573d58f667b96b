package auth

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestParseProxies(t *testing.T) {
	tests := []struct {
		in      string
		n       int
		wantErr bool
	}{
		{"", 0, false},
		{"10.0.0.0/8", 1, false},
		{" 10.0.0.0/8 , 127.0.0.1,::1 ,", 3, false},
		{"192.168.1.7/24", 1, false},
		{"fd00::/8", 1, false},
		{"10.0.0.0/33", 0, true},
		{"proxy.example.com", 0, true},
		{"10.0.0.1:8080", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParseProxies(tt.in)
			if (err != nil) != tt.wantErr || len(p) != tt.n {
				t.Fatalf("ParseProxies(%q) = %v, %v; want %d entries, error %v", tt.in, p, err, tt.n, tt.wantErr)
			}
		})
	}
}

func TestClientAddrAndSecure(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8, 127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		remote string
		xff    []string
		proto  string
		tls    bool
		client string
		secure bool
	}{
		{"direct client", "203.0.113.9:5000", nil, "", false, "203.0.113.9", false},
		{"direct client forging headers", "203.0.113.9:5000", []string{"1.2.3.4"}, "https", false, "203.0.113.9", false},
		{"direct over TLS", "203.0.113.9:5000", nil, "", true, "203.0.113.9", true},
		{"one trusted proxy", "10.1.2.3:443", []string{"198.51.100.7"}, "https", false, "198.51.100.7", true},
		{"client-forged hop left of the real one", "10.1.2.3:443", []string{"1.2.3.4, 198.51.100.7"}, "http", false, "198.51.100.7", false},
		{"chain of trusted proxies", "127.0.0.1:9999", []string{"198.51.100.7, 10.9.9.9"}, "https", false, "198.51.100.7", true},
		{"repeated headers", "10.1.2.3:443", []string{"1.2.3.4", "198.51.100.7"}, "", false, "198.51.100.7", false},
		{"proto appended by our proxy wins", "10.1.2.3:443", nil, "https, http", false, "10.1.2.3", false},
		{"trusted proxy without XFF", "10.1.2.3:443", nil, "HTTPS", false, "10.1.2.3", true},
		{"garbage hop", "10.1.2.3:443", []string{"1.2.3.4, not-an-ip"}, "", false, "10.1.2.3", false},
		{"IPv4-mapped peer", "[::ffff:10.1.2.3]:443", []string{"2001:db8::1"}, "", false, "2001:db8::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := proxies.ClientAddr(r); got != tt.client {
				t.Errorf("ClientAddr = %s, want %s", got, tt.client)
			}
			if got := proxies.Secure(r); got != tt.secure {
				t.Errorf("Secure = %v, want %v", got, tt.secure)
			}
		})
	}
}

func TestLimiterKey(t *testing.T) {
	tests := map[string]string{
		"198.51.100.7":          "198.51.100.7",
		"2001:db8:1:2:3:4:5:6":  "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":  "2001:db8:1:2::/64",
		"not an address at all": "not an address at all",
	}
	for in, want := range tests {
		if got := limiterKey(in); got != want {
			t.Errorf("limiterKey(%q) = %q, want %q", in, got, want)
		}
	}
}
