// Package config reads Debrief's settings from DEBRIEF_* environment
// variables and validates them once, at start, so that a wrong value is
// reported by name before anything else happens.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Dialect names the database engine behind DatabaseURL.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Config is every setting the binary understands.
type Config struct {
	Addr        string
	BaseURL     string
	DatabaseURL string
	Dialect     Dialect
	// SQLitePath is the file behind a sqlite DatabaseURL.
	SQLitePath string
	DataDir    string
	SecretKey  string
	LogLevel   slog.Level

	PGMaxOpenConns int
	PGMaxIdleConns int

	// Background jobs: how they retry and how often responses are read.
	JobRetryBase    time.Duration
	JobMaxAttempts  int
	JobTimeout      time.Duration
	JobPollInterval time.Duration
	JobRescueAfter  time.Duration
	JobRetryCap     time.Duration
	SyncInterval    time.Duration

	MaxBodyBytes    int64
	SessionTTL      time.Duration
	SignInLimit     int
	SignInWindow    time.Duration
	SecureCookies   bool
	GoogleCredFile  string
	GoogleOrganizer string
	GoogleEndpoint  string
	// GoogleConference is the conference solution for video links, e.g.
	// hangoutsMeet; empty books without one.
	GoogleConference string
	// The OAuth client admins give consent to when they connect Google
	// Calendar with their own account (Settings), and Google's OAuth
	// endpoints (overridable so tests and staging can use a fake).
	GoogleOAuthClientID     string
	GoogleOAuthClientSecret string
	GoogleAuthURL           string
	GoogleTokenURL          string

	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	// OIDCAllowedDomains, when set, admits only accounts of these hosted
	// (Google Workspace) domains to sign in with the OpenID provider.
	OIDCAllowedDomains []string
}

// Error lists every invalid variable, each with the reason.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	return "invalid configuration:\n  " + strings.Join(e.Problems, "\n  ")
}

// Load reads the configuration through getenv (os.Getenv in production, a
// map in tests) and validates it.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "data",
		LogLevel:        slog.LevelInfo,
		PGMaxOpenConns:  20,
		PGMaxIdleConns:  10,
		MaxBodyBytes:    4 << 20,
		SessionTTL:      14 * 24 * time.Hour,
		SignInLimit:     10,
		SignInWindow:    15 * time.Minute,
		JobRetryBase:    2 * time.Second,
		JobMaxAttempts:  10,
		JobTimeout:      time.Minute,
		JobPollInterval: time.Second,
		SyncInterval:    5 * time.Minute,
	}
	var problems []string
	bad := func(name, format string, args ...any) {
		problems = append(problems, name+": "+fmt.Sprintf(format, args...))
	}

	if v := getenv("DEBRIEF_ADDR"); v != "" {
		if _, port, err := net.SplitHostPort(v); err != nil {
			bad("DEBRIEF_ADDR", "%q is not host:port (for example 127.0.0.1:8080): %v", v, err)
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			bad("DEBRIEF_ADDR", "port %q is not a number between 0 and 65535", port)
		} else {
			c.Addr = v
		}
	}
	if v := getenv("DEBRIEF_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	if v := getenv("DEBRIEF_BASE_URL"); v != "" {
		u, err := url.Parse(v)
		switch {
		case err != nil:
			bad("DEBRIEF_BASE_URL", "%q is not a URL: %v", v, err)
		case u.Scheme != "http" && u.Scheme != "https":
			bad("DEBRIEF_BASE_URL", "%q must start with http:// or https://", v)
		case u.Host == "":
			bad("DEBRIEF_BASE_URL", "%q has no host", v)
		default:
			c.BaseURL = strings.TrimRight(v, "/")
			c.SecureCookies = u.Scheme == "https"
		}
	}

	c.DatabaseURL = getenv("DEBRIEF_DATABASE_URL")
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "debrief.db")
	}
	switch {
	case strings.HasPrefix(c.DatabaseURL, "postgres://"), strings.HasPrefix(c.DatabaseURL, "postgresql://"):
		if _, err := url.Parse(c.DatabaseURL); err != nil {
			bad("DEBRIEF_DATABASE_URL", "not a valid postgres:// URL: %v", err)
		}
		c.Dialect = Postgres
	case strings.HasPrefix(c.DatabaseURL, "sqlite:"):
		c.Dialect = SQLite
		c.SQLitePath = strings.TrimPrefix(strings.TrimPrefix(c.DatabaseURL, "sqlite:"), "//")
		if c.SQLitePath == "" {
			bad("DEBRIEF_DATABASE_URL", "sqlite: needs a file path, for example sqlite:data/debrief.db")
		}
	default:
		bad("DEBRIEF_DATABASE_URL", "%q must start with postgres://, postgresql:// or sqlite:", redact(c.DatabaseURL))
	}

	c.SecretKey = getenv("DEBRIEF_SECRET_KEY")
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		bad("DEBRIEF_SECRET_KEY", "must be at least 32 characters (got %d); `openssl rand -hex 32` makes one", len(c.SecretKey))
	}

	if v := getenv("DEBRIEF_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			bad("DEBRIEF_LOG_LEVEL", "%q is not one of debug, info, warn, error", v)
		}
	}
	intVar := func(name string, dst *int, minimum int) {
		v := getenv(name)
		if v == "" {
			return
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < minimum {
			bad(name, "%q must be a whole number of at least %d", v, minimum)
			return
		}
		*dst = n
	}
	intVar("DEBRIEF_PG_MAX_OPEN_CONNS", &c.PGMaxOpenConns, 1)
	intVar("DEBRIEF_PG_MAX_IDLE_CONNS", &c.PGMaxIdleConns, 0)
	intVar("DEBRIEF_SIGNIN_LIMIT", &c.SignInLimit, 1)
	intVar("DEBRIEF_JOBS_MAX_ATTEMPTS", &c.JobMaxAttempts, 1)
	durVar := func(name string, dst *time.Duration, minimum time.Duration) {
		v := getenv(name)
		if v == "" {
			return
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < minimum {
			bad(name, "%q must be a duration of at least %s, such as 2s or 5m", v, minimum)
			return
		}
		*dst = d
	}
	durVar("DEBRIEF_JOBS_RETRY_BASE", &c.JobRetryBase, time.Millisecond)
	durVar("DEBRIEF_JOBS_TIMEOUT", &c.JobTimeout, time.Second)
	durVar("DEBRIEF_JOBS_POLL_INTERVAL", &c.JobPollInterval, 10*time.Millisecond)
	durVar("DEBRIEF_CALENDAR_SYNC_INTERVAL", &c.SyncInterval, time.Second)
	durVar("DEBRIEF_JOBS_RETRY_CAP", &c.JobRetryCap, time.Millisecond)
	durVar("DEBRIEF_JOBS_RESCUE_AFTER", &c.JobRescueAfter, time.Second)
	if c.JobRescueAfter != 0 && c.JobRescueAfter <= c.JobTimeout {
		bad("DEBRIEF_JOBS_RESCUE_AFTER", "must be longer than DEBRIEF_JOBS_TIMEOUT (%s): a job still running is not yet abandoned", c.JobTimeout)
	}
	if v := getenv("DEBRIEF_MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			bad("DEBRIEF_MAX_BODY_BYTES", "%q must be a whole number of bytes, at least 1024", v)
		} else {
			c.MaxBodyBytes = n
		}
	}

	c.GoogleCredFile = getenv("DEBRIEF_GOOGLE_CREDENTIALS_FILE")
	c.GoogleOrganizer = getenv("DEBRIEF_GOOGLE_ORGANIZER")
	c.GoogleEndpoint = getenv("DEBRIEF_GOOGLE_ENDPOINT")
	c.GoogleConference = getenv("DEBRIEF_GOOGLE_CONFERENCE")
	if c.GoogleCredFile != "" && c.GoogleOrganizer == "" {
		bad("DEBRIEF_GOOGLE_ORGANIZER", "is required with DEBRIEF_GOOGLE_CREDENTIALS_FILE: the mailbox the service account books as")
	}
	if c.GoogleCredFile != "" {
		if _, err := os.Stat(c.GoogleCredFile); err != nil {
			bad("DEBRIEF_GOOGLE_CREDENTIALS_FILE", "cannot read %q: %v", c.GoogleCredFile, err)
		}
	}
	c.GoogleOAuthClientID = getenv("DEBRIEF_GOOGLE_OAUTH_CLIENT_ID")
	c.GoogleOAuthClientSecret = getenv("DEBRIEF_GOOGLE_OAUTH_CLIENT_SECRET")
	if (c.GoogleOAuthClientID != "") != (c.GoogleOAuthClientSecret != "") {
		bad("DEBRIEF_GOOGLE_OAUTH_CLIENT_ID", "DEBRIEF_GOOGLE_OAUTH_CLIENT_ID and DEBRIEF_GOOGLE_OAUTH_CLIENT_SECRET must be set together")
	}
	c.GoogleAuthURL = "https://accounts.google.com/o/oauth2/v2/auth"
	c.GoogleTokenURL = "https://oauth2.googleapis.com/token"
	for _, v := range []struct {
		name string
		dst  *string
	}{{"DEBRIEF_GOOGLE_AUTH_URL", &c.GoogleAuthURL}, {"DEBRIEF_GOOGLE_TOKEN_URL", &c.GoogleTokenURL}} {
		raw := getenv(v.name)
		if raw == "" {
			continue
		}
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(v.name, "%q must be an http:// or https:// URL", raw)
			continue
		}
		*v.dst = raw
	}
	c.OIDCIssuer = getenv("DEBRIEF_OIDC_ISSUER")
	c.OIDCClientID = getenv("DEBRIEF_OIDC_CLIENT_ID")
	c.OIDCClientSecret = getenv("DEBRIEF_OIDC_CLIENT_SECRET")
	if (c.OIDCIssuer != "") != (c.OIDCClientID != "") {
		bad("DEBRIEF_OIDC_ISSUER", "DEBRIEF_OIDC_ISSUER and DEBRIEF_OIDC_CLIENT_ID must be set together")
	}
	if v := getenv("DEBRIEF_OIDC_ALLOWED_DOMAINS"); v != "" {
		for _, d := range strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return r == ',' || r == ' ' }) {
			if strings.ContainsAny(d, "@/:") || !strings.Contains(d, ".") || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") {
				bad("DEBRIEF_OIDC_ALLOWED_DOMAINS", "%q is not a domain like example.com (list them separated by commas)", d)
				continue
			}
			c.OIDCAllowedDomains = append(c.OIDCAllowedDomains, d)
		}
		if c.OIDCIssuer == "" {
			bad("DEBRIEF_OIDC_ALLOWED_DOMAINS", "has no effect without DEBRIEF_OIDC_ISSUER and DEBRIEF_OIDC_CLIENT_ID")
		}
	}

	if len(problems) > 0 {
		return Config{}, &Error{Problems: problems}
	}
	return c, nil
}

// URL is where people reach the service: BaseURL when set, otherwise the
// listen address. listen is the address actually bound (it differs from
// Addr when Addr asks for port 0).
func (c Config) URL(listen string) string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// EnsureSecretKey returns the configured secret key or, on a laptop where
// none is set, one generated once and kept in the data directory so that
// encrypted values survive restarts.
func (c *Config) EnsureSecretKey() error {
	if c.SecretKey != "" {
		return nil
	}
	path := filepath.Join(c.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		c.SecretKey = strings.TrimSpace(string(b))
		if len(c.SecretKey) < 32 {
			return fmt.Errorf("secret key in %s is too short; delete it to generate a new one", path)
		}
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read secret key: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return fmt.Errorf("generate secret key: %w", err)
	}
	c.SecretKey = hex.EncodeToString(buf)
	if err := os.WriteFile(path, []byte(c.SecretKey+"\n"), 0o600); err != nil {
		return fmt.Errorf("write secret key: %w", err)
	}
	return nil
}

func redact(u string) string {
	if i := strings.Index(u, "@"); i > 0 {
		if j := strings.Index(u, "://"); j > 0 && j < i {
			return u[:j+3] + "…" + u[i:]
		}
	}
	return u
}
