// Package calconn connects Debrief to Google Calendar at run time: an
// admin uploads a service-account key (domain-wide delegation, acting as
// an organizer) or gives their own OAuth consent (an offline refresh
// token), tests the connection, and disconnects it, from the Settings
// page. Secrets are sealed at rest with a key derived from
// DEBRIEF_SECRET_KEY (Box) and kept in app_settings, so every serve
// process uses the same connection. Credentials from the environment
// (DEBRIEF_GOOGLE_CREDENTIALS_FILE) take precedence and cannot be changed
// here.
//
// Manager is the "google" calendar.Provider that follows the connection;
// Service holds the rules (admins only) and the OAuth flow.
package calconn

import (
	"log/slog"
	"net/http"
	"time"
)

// Google's OAuth endpoints, the defaults of OAuthClient.
const (
	DefaultAuthURL  = "https://accounts.google.com/o/oauth2/v2/auth"
	DefaultTokenURL = "https://oauth2.googleapis.com/token"
)

// Defaults.
const (
	// DefaultRefreshInterval is how often a Manager re-reads the saved
	// connection, which is how other serve processes learn of a change.
	DefaultRefreshInterval = 10 * time.Second
	// DefaultStateTTL is how long an admin has to give consent at Google.
	DefaultStateTTL = 10 * time.Minute
	// testWindow is how far ahead "test connection" reads free/busy.
	testWindow = 24 * time.Hour
	// testTimeout bounds "test connection" as a whole.
	testTimeout = 30 * time.Second
)

// OAuthClient is the OAuth client (a "Web application" client in Google
// Cloud) admins give consent to: DEBRIEF_GOOGLE_OAUTH_CLIENT_ID,
// DEBRIEF_GOOGLE_OAUTH_CLIENT_SECRET, DEBRIEF_GOOGLE_AUTH_URL and
// DEBRIEF_GOOGLE_TOKEN_URL. Without a client id, only service accounts
// can be connected.
type OAuthClient struct {
	ClientID     string
	ClientSecret string
	// AuthURL is the consent page (default DefaultAuthURL).
	AuthURL string
	// TokenURL exchanges codes and refreshes tokens (default
	// DefaultTokenURL).
	TokenURL string
}

func (o OAuthClient) configured() bool { return o.ClientID != "" && o.ClientSecret != "" }

func (o OAuthClient) authURL() string {
	if o.AuthURL != "" {
		return o.AuthURL
	}
	return DefaultAuthURL
}

func (o OAuthClient) tokenURL() string {
	if o.TokenURL != "" {
		return o.TokenURL
	}
	return DefaultTokenURL
}

// Config configures a Service and its Manager.
type Config struct {
	// SecretKey is DEBRIEF_SECRET_KEY. Without it nothing can be saved and
	// nothing saved can be used; environment credentials still work.
	SecretKey string
	// EnvCredentialsJSON is the service-account key read from
	// DEBRIEF_GOOGLE_CREDENTIALS_FILE and EnvOrganizer is
	// DEBRIEF_GOOGLE_ORGANIZER. When set they are the connection, shown
	// as source "environment" and read-only.
	EnvCredentialsJSON []byte
	EnvOrganizer       string
	// Endpoint is DEBRIEF_GOOGLE_ENDPOINT: the Calendar API base URL
	// (empty: Google's).
	Endpoint string
	// DefaultConference is DEBRIEF_GOOGLE_CONFERENCE, used by the
	// environment connection and when a connection names none.
	DefaultConference string
	OAuth             OAuthClient
	// HTTPClient carries requests to Google (its Transport; nil: a clone of
	// the default transport per provider).
	HTTPClient *http.Client
	// Timeout bounds each call to Google (default google.DefaultTimeout).
	Timeout time.Duration
	// RefreshInterval: see DefaultRefreshInterval.
	RefreshInterval time.Duration
	// StateTTL: see DefaultStateTTL.
	StateTTL time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives connection changes; never a secret.
	Log *slog.Logger
}

func (c Config) envConfigured() bool { return len(c.EnvCredentialsJSON) > 0 }

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

func (c Config) httpClient() *http.Client {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	hc := &http.Client{Timeout: timeout}
	if c.HTTPClient != nil {
		hc.Transport = c.HTTPClient.Transport
	}
	return hc
}
