package auth

import "testing"

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/enis?region=cn-hangzhou&status=InUse", "/enis?region=cn-hangzhou&status=InUse"},
		{"/enis/eni-bp1?region=cn-hangzhou#top", "/enis/eni-bp1?region=cn-hangzhou#top"},
		{"/admin/users", "/admin/users"},
		{"https://evil.example/", "/"},
		{"//evil.example/path", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/%2F/evil.example", "/%2F/evil.example"}, // a path on this site
		{"javascript:alert(1)", "/"},
		{"enis", "/"},
		{"/enis\r\nSet-Cookie: x=1", "/"},
		{"/en\tis", "/"},
		{"/login?next=/enis", "/"},
		{"/" + string(make([]byte, 3000)), "/"},
	}
	for _, tt := range tests {
		if got := SafeNext(tt.in); got != tt.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoginURL(t *testing.T) {
	tests := []struct{ next, want string }{
		{"", "/login"},
		{"/", "/login"},
		{"/enis?region=cn-hangzhou&status=InUse", "/login?next=%2Fenis%3Fregion%3Dcn-hangzhou%26status%3DInUse"},
		{"https://evil.example/", "/login"},
	}
	for _, tt := range tests {
		if got := LoginURL(tt.next); got != tt.want {
			t.Errorf("LoginURL(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
