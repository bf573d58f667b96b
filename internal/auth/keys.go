package auth

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"
)

// MinSessionKeyLen is the least key material accepted per session key.
const MinSessionKeyLen = 32

// storedKeyName is the auth_settings row of the generated session key.
const storedKeyName = "session_key"

// ParseSessionKeys splits ENIDASH_SESSION_KEYS: comma-separated, the first
// signs new cookies, all are accepted, so a key is rotated by putting the
// new one first and dropping the old one once its cookies have expired.
// Errors name the key's position, never its value.
func ParseSessionKeys(s string) ([][]byte, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out [][]byte
	for i, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		if len(k) < MinSessionKeyLen {
			return nil, fmt.Errorf("session key %d of %d is shorter than %d characters (make one with `openssl rand -base64 32`)",
				i+1, strings.Count(s, ",")+1, MinSessionKeyLen)
		}
		out = append(out, []byte(k))
	}
	return out, nil
}

// sessionKeyPairs derives gorilla/securecookie's key pairs from each key
// material: HKDF-SHA256 with distinct labels gives a 32-byte HMAC key and a
// 32-byte AES-256 key, so one secret never serves two purposes. Without
// configured keys, a random one is made once and kept in the database, so
// restarts (and replicas sharing the database) keep sessions.
func (s *Store) sessionKeyPairs(ctx context.Context, materials [][]byte) ([][]byte, error) {
	if len(materials) == 0 {
		k, err := s.setting(ctx, storedKeyName, func() ([]byte, error) {
			b := make([]byte, 32)
			_, err := rand.Read(b)
			return b, err
		})
		if err != nil {
			return nil, err
		}
		materials = [][]byte{k}
	}
	var pairs [][]byte
	for _, m := range materials {
		hashKey, err := hkdf.Key(sha256.New, m, nil, "enidash session cookie: authentication", 32)
		if err != nil {
			return nil, fmt.Errorf("auth: deriving session key: %w", err)
		}
		blockKey, err := hkdf.Key(sha256.New, m, nil, "enidash session cookie: encryption", 32)
		if err != nil {
			return nil, fmt.Errorf("auth: deriving session key: %w", err)
		}
		pairs = append(pairs, hashKey, blockKey)
	}
	return pairs, nil
}
