package aliyun

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// CredentialsConfigured reports whether Alibaba Cloud credentials are
// configured for this user: in the environment, in the CLI's
// ~/.aliyun/config.json or in the shared ~/.alibabacloud/credentials file.
// It only reads variables and files; it never contacts anything, in
// particular not the ECS metadata service, so an ECS RAM role that is not
// named in the environment does not count.
//
// getenv is os.Getenv in production; home is the user's home directory
// ("" skips the files).
func CredentialsConfigured(getenv func(string) string, home string) bool {
	set := func(names ...string) bool {
		for _, n := range names {
			if strings.TrimSpace(getenv(n)) == "" {
				return false
			}
		}
		return true
	}
	switch {
	case set("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
		set("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY"), // older tools' names
		// Naming a credentials file or profile is a choice of credentials.
		set("ALIBABA_CLOUD_CREDENTIALS_FILE"),
		set("ALIBABA_CLOUD_PROFILE"),
		// Providers of the SDK's chain configured wholly by variables.
		set("ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
		set("ALIBABA_CLOUD_CREDENTIALS_URI"),
		set("ALIBABA_CLOUD_ECS_METADATA"):
		return true
	}
	if !strings.EqualFold(getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"), "true") {
		path := getenv("ALIBABA_CLOUD_CONFIG_FILE")
		if path == "" && home != "" {
			path = filepath.Join(home, ".aliyun", "config.json")
		}
		if path != "" && cliProfileConfigured(path) {
			return true
		}
	}
	return home != "" && sharedProfileConfigured(filepath.Join(home, ".alibabacloud", "credentials"))
}

// cliProfile is the part of an aliyun CLI profile that says whether it
// holds credentials.
type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
}

// cliProfileConfigured reads the aliyun CLI's config.json: its current
// profile must exist and carry credentials. The CLI writes an empty AK
// profile before `aliyun configure` has run, which does not count.
func cliProfileConfigured(path string) bool {
	raw, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var conf struct {
		Current  string       `json:"current"`
		Profiles []cliProfile `json:"profiles"`
	}
	if json.Unmarshal(raw, &conf) != nil {
		return false
	}
	name := conf.Current
	if name == "" {
		name = "default"
	}
	for _, p := range conf.Profiles {
		if p.Name != name {
			continue
		}
		switch p.Mode {
		case "":
			return false
		case "AK", "StsToken":
			return p.AccessKeyID != "" && p.AccessKeySecret != ""
		default: // RamRoleArn, EcsRamRole, OIDC, CloudSSO, External, …
			return true
		}
	}
	return false
}

// sharedProfileConfigured reads the credentials-go ini file: its [default]
// section must name a credential type, and an access_key type both keys.
func sharedProfileConfigured(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	keys := map[string]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[':
			in = strings.TrimSpace(strings.Trim(line, "[]")) == "default"
		case in:
			if k, v, ok := strings.Cut(line, "="); ok {
				keys[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
			}
		}
	}
	if sc.Err() != nil {
		return false
	}
	if strings.EqualFold(keys["enable"], "false") {
		return false
	}
	switch keys["type"] {
	case "":
		return false
	case "access_key":
		return keys["access_key_id"] != "" && keys["access_key_secret"] != ""
	default: // ecs_ram_role, ram_role_arn, rsa_key_pair, …
		return true
	}
}
