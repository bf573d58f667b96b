package aliyun

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCredentialsConfigured(t *testing.T) {
	const (
		cliAK       = `{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "LTAIid", "access_key_secret": "s3cret"}]}`
		cliEmpty    = `{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "", "access_key_secret": ""}]}`
		cliRole     = `{"current": "ops", "profiles": [{"name": "default", "mode": "AK"}, {"name": "ops", "mode": "EcsRamRole", "ram_role_name": "ops"}]}`
		cliNoCur    = `{"current": "missing", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "a", "access_key_secret": "b"}]}`
		iniAK       = "[default]\nenable = true\ntype = access_key\naccess_key_id = LTAIid\naccess_key_secret = s3cret\n"
		iniEmptyKey = "[default]\ntype = access_key\naccess_key_id = LTAIid\naccess_key_secret =\n"
		iniRole     = "; comment\n[default]\ntype = ecs_ram_role\nrole_name = ops\n"
		iniOther    = "[project]\ntype = access_key\naccess_key_id = a\naccess_key_secret = b\n"
		iniDisabled = "[default]\nenable = false\ntype = access_key\naccess_key_id = a\naccess_key_secret = b\n"
	)
	tests := []struct {
		name  string
		env   map[string]string
		cli   string // ~/.aliyun/config.json
		ini   string // ~/.alibabacloud/credentials
		noHom bool
		want  bool
	}{
		{name: "nothing", want: false},
		{name: "env key pair", env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "secret"}, want: true},
		{name: "env id without secret", env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "id"}, want: false},
		{name: "env blank secret", env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "  "}, want: false},
		{name: "legacy env pair", env: map[string]string{"ALICLOUD_ACCESS_KEY": "id", "ALICLOUD_SECRET_KEY": "secret"}, want: true},
		{name: "legacy env half", env: map[string]string{"ALICLOUD_ACCESS_KEY": "id"}, want: false},
		{name: "credentials file named", env: map[string]string{"ALIBABA_CLOUD_CREDENTIALS_FILE": "/etc/aliyun/creds"}, want: true},
		{name: "profile named", env: map[string]string{"ALIBABA_CLOUD_PROFILE": "ops"}, want: true},
		{name: "OIDC role", env: map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/x", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/y", "ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/var/run/token"}, want: true},
		{name: "role ARN alone", env: map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/x"}, want: false},
		{name: "credentials URI", env: map[string]string{"ALIBABA_CLOUD_CREDENTIALS_URI": "http://127.0.0.1:9/creds"}, want: true},
		{name: "ECS role named", env: map[string]string{"ALIBABA_CLOUD_ECS_METADATA": "ops"}, want: true},
		{name: "security token alone", env: map[string]string{"ALIBABA_CLOUD_SECURITY_TOKEN": "tok"}, want: false},
		{name: "CLI AK profile", cli: cliAK, want: true},
		{name: "CLI profile never configured", cli: cliEmpty, want: false},
		{name: "CLI role profile", cli: cliRole, want: true},
		{name: "CLI current profile missing", cli: cliNoCur, want: false},
		{name: "CLI not JSON", cli: "{", want: false},
		{name: "CLI disabled", cli: cliAK, env: map[string]string{"ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true"}, want: false},
		{name: "ini AK", ini: iniAK, want: true},
		{name: "ini empty secret", ini: iniEmptyKey, want: false},
		{name: "ini role", ini: iniRole, want: true},
		{name: "ini without default section", ini: iniOther, want: false},
		{name: "ini disabled", ini: iniDisabled, want: false},
		{name: "no home", cli: cliAK, ini: iniAK, noHom: true, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			write := func(rel, content string) {
				if content == "" {
					return
				}
				p := filepath.Join(home, rel)
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			write(".aliyun/config.json", tt.cli)
			write(".alibabacloud/credentials", tt.ini)
			if tt.noHom {
				home = ""
			}
			getenv := func(k string) string { return tt.env[k] }
			if got := CredentialsConfigured(getenv, home); got != tt.want {
				t.Errorf("CredentialsConfigured = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCredentialsConfiguredConfigFileEnv(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "cli.json")
	cfg := `{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "a", "access_key_secret": "b"}]}`
	if err := os.WriteFile(p, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		if k == "ALIBABA_CLOUD_CONFIG_FILE" {
			return p
		}
		return ""
	}
	if !CredentialsConfigured(getenv, t.TempDir()) {
		t.Error("a CLI config named by ALIBABA_CLOUD_CONFIG_FILE was not seen")
	}
}
