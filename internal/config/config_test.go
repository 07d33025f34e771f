package config_test

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Dialect != config.SQLite || c.SQLitePath != filepath.Join("data", "debrief.db") {
		t.Fatalf("defaults: %+v", c)
	}
	if c.LogLevel != slog.LevelInfo || c.SecureCookies {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestPostgresAndHTTPS(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"DEBRIEF_DATABASE_URL": "postgres://u:p@db:5432/debrief", "DEBRIEF_BASE_URL": "https://debrief.example.com/",
		"DEBRIEF_PG_MAX_OPEN_CONNS": "7", "DEBRIEF_LOG_LEVEL": "debug",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Dialect != config.Postgres || !c.SecureCookies || c.PGMaxOpenConns != 7 || c.BaseURL != "https://debrief.example.com" {
		t.Fatalf("got %+v", c)
	}
	if c.URL("127.0.0.1:8080") != "https://debrief.example.com" {
		t.Fatal(c.URL("x"))
	}
}

// Every wrong variable is reported at once, by name, with the reason.
func TestInvalidValuesAreNamed(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"DEBRIEF_ADDR": "8080", "DEBRIEF_DATABASE_URL": "mysql://x", "DEBRIEF_SECRET_KEY": "short",
		"DEBRIEF_LOG_LEVEL": "loud", "DEBRIEF_PG_MAX_OPEN_CONNS": "-1", "DEBRIEF_BASE_URL": "ftp://x",
		"DEBRIEF_OIDC_ISSUER": "https://accounts.google.com",
	}))
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *config.Error, got %v", err)
	}
	for _, name := range []string{"DEBRIEF_ADDR", "DEBRIEF_DATABASE_URL", "DEBRIEF_SECRET_KEY", "DEBRIEF_LOG_LEVEL",
		"DEBRIEF_PG_MAX_OPEN_CONNS", "DEBRIEF_BASE_URL", "DEBRIEF_OIDC_ISSUER"} {
		if !strings.Contains(err.Error(), name+":") {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
	if len(ce.Problems) != 7 {
		t.Errorf("%d problems, want 7", len(ce.Problems))
	}
}

func TestSecretKeyIsGeneratedOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	c, err := config.Load(env(map[string]string{"DEBRIEF_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.EnsureSecretKey(); err != nil {
		t.Fatal(err)
	}
	first := c.SecretKey
	if len(first) < 32 {
		t.Fatalf("key %q too short", first)
	}
	st, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	c2, _ := config.Load(env(map[string]string{"DEBRIEF_DATA_DIR": dir}))
	if err := c2.EnsureSecretKey(); err != nil || c2.SecretKey != first {
		t.Fatalf("second start read %q (%v), want %q", c2.SecretKey, err, first)
	}
}

func TestOIDCAllowedDomains(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"DEBRIEF_OIDC_ISSUER": "https://accounts.google.com", "DEBRIEF_OIDC_CLIENT_ID": "id",
		"DEBRIEF_OIDC_ALLOWED_DOMAINS": " Example.com, example.org ",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.OIDCAllowedDomains, "|") != "example.com|example.org" {
		t.Fatalf("domains = %q", c.OIDCAllowedDomains)
	}
	for _, v := range []string{"@example.com", "localhost", "https://example.com"} {
		_, err := config.Load(env(map[string]string{
			"DEBRIEF_OIDC_ISSUER": "https://accounts.google.com", "DEBRIEF_OIDC_CLIENT_ID": "id",
			"DEBRIEF_OIDC_ALLOWED_DOMAINS": v,
		}))
		if err == nil || !strings.Contains(err.Error(), "DEBRIEF_OIDC_ALLOWED_DOMAINS:") {
			t.Errorf("%q: %v", v, err)
		}
	}
	if _, err := config.Load(env(map[string]string{"DEBRIEF_OIDC_ALLOWED_DOMAINS": "example.com"})); err == nil {
		t.Error("allowed domains without an issuer accepted")
	}
}

func TestGoogleOAuthClient(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.GoogleOAuthClientID != "" || c.GoogleAuthURL != "https://accounts.google.com/o/oauth2/v2/auth" ||
		c.GoogleTokenURL != "https://oauth2.googleapis.com/token" {
		t.Fatalf("defaults: %+v", c)
	}
	c, err = config.Load(env(map[string]string{
		"DEBRIEF_GOOGLE_OAUTH_CLIENT_ID": "id.apps.example", "DEBRIEF_GOOGLE_OAUTH_CLIENT_SECRET": "s",
		"DEBRIEF_GOOGLE_AUTH_URL": "http://127.0.0.1:9/o/oauth2/auth", "DEBRIEF_GOOGLE_TOKEN_URL": "http://127.0.0.1:9/token",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.GoogleOAuthClientID != "id.apps.example" || c.GoogleOAuthClientSecret != "s" ||
		c.GoogleAuthURL != "http://127.0.0.1:9/o/oauth2/auth" || c.GoogleTokenURL != "http://127.0.0.1:9/token" {
		t.Fatalf("got %+v", c)
	}
	_, err = config.Load(env(map[string]string{
		"DEBRIEF_GOOGLE_OAUTH_CLIENT_ID": "id-without-secret", "DEBRIEF_GOOGLE_AUTH_URL": "accounts.google.com",
		"DEBRIEF_GOOGLE_TOKEN_URL": "ftp://x/token",
	}))
	for _, name := range []string{"DEBRIEF_GOOGLE_OAUTH_CLIENT_ID", "DEBRIEF_GOOGLE_AUTH_URL", "DEBRIEF_GOOGLE_TOKEN_URL"} {
		if err == nil || !strings.Contains(err.Error(), name+":") {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}
