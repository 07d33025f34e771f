package calconn_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/calconn"
)

const (
	keyA = "0123456789abcdef0123456789abcdef-key-a"
	keyB = "0123456789abcdef0123456789abcdef-key-b"
)

func mustBox(t *testing.T, key string) *calconn.Box {
	t.Helper()
	b, err := calconn.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBoxRoundTrip(t *testing.T) {
	b := mustBox(t, keyA)
	for _, pt := range [][]byte{nil, []byte("x"), bytes.Repeat([]byte("refresh-token "), 300)} {
		sealed, err := b.Seal(pt, "purpose")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sealed, "v1:") {
			t.Fatalf("sealed value %q lacks the version prefix", sealed)
		}
		if len(pt) > 8 && strings.Contains(sealed, string(pt[:8])) {
			t.Fatal("plaintext visible in the sealed value")
		}
		got, err := b.Open(sealed, "purpose")
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("open: %q %v, want %q", got, err, pt)
		}
		// The same key from another process (another Box) opens it.
		if got, err := mustBox(t, keyA).Open(sealed, "purpose"); err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("second box: %v", err)
		}
	}
	s1, _ := b.Seal([]byte("same"), "p")
	s2, _ := b.Seal([]byte("same"), "p")
	if s1 == s2 {
		t.Fatal("two seals of the same value are equal: nonce reused")
	}
}

func TestBoxRefuses(t *testing.T) {
	b := mustBox(t, keyA)
	sealed, err := b.Seal([]byte("-----BEGIN PRIVATE KEY-----"), "google.connection/1/service_account_key")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.TrimPrefix(sealed, "v1:")
	flip := func(s string, i int) string {
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	cases := map[string]struct {
		box     *calconn.Box
		sealed  string
		purpose string
	}{
		"tampered ciphertext":    {b, "v1:" + flip(body, len(body)/2), "google.connection/1/service_account_key"},
		"tampered nonce":         {b, "v1:" + flip(body, 0), "google.connection/1/service_account_key"},
		"truncated":              {b, sealed[:len(sealed)-4], "google.connection/1/service_account_key"},
		"wrong key":              {mustBox(t, keyB), sealed, "google.connection/1/service_account_key"},
		"another purpose":        {b, sealed, "google.connection/2/service_account_key"},
		"unknown version":        {b, "v2:" + body, "google.connection/1/service_account_key"},
		"not base64":             {b, "v1:***", "google.connection/1/service_account_key"},
		"empty":                  {b, "", "google.connection/1/service_account_key"},
		"too short for a nonce":  {b, "v1:AAAA", "google.connection/1/service_account_key"},
		"plaintext passed as is": {b, "-----BEGIN PRIVATE KEY-----", "google.connection/1/service_account_key"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := c.box.Open(c.sealed, c.purpose)
			if !errors.Is(err, calconn.ErrSecretKey) || got != nil {
				t.Fatalf("open = %q, %v; want ErrSecretKey", got, err)
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Fatalf("error %q shows the plaintext", err)
			}
		})
	}
}

func TestBoxNeedsALongKey(t *testing.T) {
	for _, k := range []string{"", "short", strings.Repeat("k", calconn.MinSecretKeyLength-1)} {
		if _, err := calconn.NewBox(k); err == nil {
			t.Fatalf("key of %d characters accepted", len(k))
		}
	}
}
