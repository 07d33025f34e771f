// Package google implements calendar.Provider over the Google Calendar API
// v3 (google.golang.org/api/calendar/v3).
//
// It authenticates either as a service account with domain-wide delegation
// acting as an organizer (Config.CredentialsJSON + Config.Subject), or with a
// user's own OAuth consent (Config.OAuth, an offline refresh token). The API
// endpoint and the token URL are configurable, so tests and staging can point
// it at a fake (internal/calendar/calendartest).
//
// Every method sends each request once and never retries. Errors come back
// as *calendar.Error classified by what the caller should do (Retryable,
// Exists, Precondition, NotFound, Gone, Permanent). The caller is a durable
// job: it owns the attempt count, the backoff and, above all, the
// reconciliation after an ambiguous failure (a lost reply to an insert is
// retried as an insert that yields Exists, then a Get that checks the
// booking id). A retry loop hidden in here would multiply the job's attempts,
// hold a job slot through long backoffs, and hide from the job the fact that
// a write may have been applied.
package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"
	gcal "google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"github.com/debrief-dev/debrief/internal/calendar"
)

// BookingIDProperty is the key of the private extended property that
// carries the Debrief booking id on every event Debrief creates.
const BookingIDProperty = "debrief_booking_id"

// Defaults and limits.
const (
	// DefaultTimeout bounds one API call, token fetch included.
	DefaultTimeout = 20 * time.Second
	// MaxFreeBusyCalendars is Google's limit on calendars per freeBusy
	// query (calendarExpansionMax's maximum).
	MaxFreeBusyCalendars = 50
	// DefaultFreeBusyChunk is the longest window one freeBusy query asks
	// for. Google documents no maximum; queries beyond about three months
	// are refused with timeRangeTooLong, so 60 days stays well inside.
	DefaultFreeBusyChunk = 60 * 24 * time.Hour
	// MaxFreeBusyChunk is the largest chunk Config.FreeBusyChunk may ask
	// for.
	MaxFreeBusyChunk = 90 * 24 * time.Hour
	// DefaultFreeBusyParallel is how many freeBusy queries one FreeBusy
	// call runs at once.
	DefaultFreeBusyParallel = 4
	// DefaultSyncWindow is how far back the first (full) Changes call
	// lists events.
	DefaultSyncWindow = 30 * 24 * time.Hour
	// defaultPageSize is maxResults for events.list (Google allows 2500).
	defaultPageSize = 500
	// maxPages stops a Changes call that would page for ever (a server
	// that keeps returning nextPageToken).
	maxPages = 10000
)

// OAuthConfig is a user's own OAuth consent: a client and an offline
// refresh token.
type OAuthConfig struct {
	ClientID     string
	ClientSecret string
	RefreshToken string
	// TokenURL defaults to Google's (https://oauth2.googleapis.com/token).
	TokenURL string
}

// Config configures a Provider. Exactly one of CredentialsJSON and OAuth
// must be set.
type Config struct {
	// CredentialsJSON is a service-account key file. Its token_uri is
	// where tokens are requested, so a key made for a fake points at the
	// fake.
	CredentialsJSON []byte
	// OAuth is a user's consent, used instead of a service account.
	OAuth *OAuthConfig
	// Subject is the user a service account acts as (domain-wide
	// delegation): normally the organizer whose calendar holds the
	// bookings. Empty: the service account acts as itself. Ignored with
	// OAuth.
	Subject string
	// Endpoint is the API base URL, e.g. fakeURL+"/calendar/v3/" (a
	// missing trailing slash is added). Empty means Google's.
	Endpoint string
	// HTTPClient carries the requests: its Transport is used under the
	// authentication layer (nil: a clone of http.DefaultTransport). Its
	// Timeout is not used; see Timeout.
	HTTPClient *http.Client
	// Timeout bounds each API call, and each token request (default
	// DefaultTimeout). A call that runs out of time is Retryable.
	Timeout time.Duration
	// ConferenceSolution is the conference type to attach to new events,
	// e.g. "hangoutsMeet". Empty: no video link.
	ConferenceSolution string
	// FreeBusyChunk is the longest window per freeBusy query (default
	// DefaultFreeBusyChunk, at most MaxFreeBusyChunk).
	FreeBusyChunk time.Duration
	// FreeBusyParallel is how many freeBusy queries run at once (default
	// DefaultFreeBusyParallel).
	FreeBusyParallel int
	// SyncWindow is how far back a full sync (Changes with no token)
	// reaches (default DefaultSyncWindow).
	SyncWindow time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Calls counts the API requests a Provider has sent, per method. A request
// net/http resends on its own (a GET whose reply was lost on a reused
// connection) counts once.
type Calls struct {
	FreeBusy, Insert, Get, Patch, Delete, List int64
}

// Total is the sum over all methods.
func (c Calls) Total() int64 {
	return c.FreeBusy + c.Insert + c.Get + c.Patch + c.Delete + c.List
}

// callCounters are the live counters behind Calls. They live in the
// Provider, not at package level: two providers (two organizers, or a test
// beside production wiring) must never share or reset each other's counts.
type callCounters struct {
	freeBusy, insert, get, patch, delete, list atomic.Int64
}

// Provider is the Google calendar.Provider. It is safe for concurrent use.
type Provider struct {
	svc        *gcal.Service
	timeout    time.Duration
	conference string
	fbChunk    time.Duration
	fbParallel int
	syncWindow time.Duration
	pageSize   int64
	now        func() time.Time
	subject    string
	base       http.RoundTripper
	calls      callCounters
}

var _ calendar.Provider = (*Provider)(nil)

// New builds a Provider. It checks the configuration and the credentials'
// shape but makes no request: the first token is fetched by the first
// call. ctx is used for construction only; its cancellation does not stop
// later token refreshes.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	p := &Provider{
		timeout:    orDefault(cfg.Timeout, DefaultTimeout),
		conference: cfg.ConferenceSolution,
		fbChunk:    orDefault(cfg.FreeBusyChunk, DefaultFreeBusyChunk),
		fbParallel: cfg.FreeBusyParallel,
		syncWindow: orDefault(cfg.SyncWindow, DefaultSyncWindow),
		pageSize:   defaultPageSize,
		now:        cfg.Now,
		subject:    cfg.Subject,
	}
	if p.fbParallel <= 0 {
		p.fbParallel = DefaultFreeBusyParallel
	}
	if p.now == nil {
		p.now = time.Now
	}

	base := baseTransport(cfg.HTTPClient)
	// Token requests go through the same transport, bounded by the same
	// timeout: oauth2.Transport asks its TokenSource for a token without
	// the request's context, so only this client's Timeout can stop a
	// token endpoint that hangs. WithoutCancel keeps a short-lived ctx
	// given to New from breaking every later refresh.
	tokenCtx := context.WithValue(context.WithoutCancel(ctx), oauth2.HTTPClient,
		&http.Client{Transport: base, Timeout: p.timeout})
	ts, err := tokenSource(tokenCtx, cfg)
	if err != nil {
		return nil, err
	}
	p.base = base
	client := &http.Client{Transport: &oauth2.Transport{Source: ts, Base: base}}
	opts := []option.ClientOption{option.WithHTTPClient(client)}
	if cfg.Endpoint != "" {
		ep := cfg.Endpoint
		if !strings.HasSuffix(ep, "/") {
			// The client resolves "calendars/..." against the endpoint
			// as a relative URL; without the slash the last path
			// segment would be replaced.
			ep += "/"
		}
		opts = append(opts, option.WithEndpoint(ep))
	}
	svc, err := gcal.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("google: calendar service: %w", err)
	}
	p.svc = svc
	return p, nil
}

func (cfg Config) validate() error {
	switch {
	case len(cfg.CredentialsJSON) == 0 && cfg.OAuth == nil:
		return errors.New("google: no credentials: set CredentialsJSON (service account) or OAuth")
	case len(cfg.CredentialsJSON) > 0 && cfg.OAuth != nil:
		return errors.New("google: both CredentialsJSON and OAuth are set; use one")
	case cfg.Timeout < 0:
		return fmt.Errorf("google: negative timeout %v", cfg.Timeout)
	case cfg.FreeBusyChunk < 0 || cfg.FreeBusyChunk > MaxFreeBusyChunk:
		return fmt.Errorf("google: free/busy chunk %v not in (0, %v]", cfg.FreeBusyChunk, MaxFreeBusyChunk)
	case cfg.FreeBusyChunk > 0 && cfg.FreeBusyChunk < time.Hour:
		return fmt.Errorf("google: free/busy chunk %v is shorter than an hour", cfg.FreeBusyChunk)
	case cfg.SyncWindow < 0:
		return fmt.Errorf("google: negative sync window %v", cfg.SyncWindow)
	}
	if o := cfg.OAuth; o != nil {
		var missing []string
		if o.ClientID == "" {
			missing = append(missing, "ClientID")
		}
		if o.ClientSecret == "" {
			missing = append(missing, "ClientSecret")
		}
		if o.RefreshToken == "" {
			missing = append(missing, "RefreshToken")
		}
		if len(missing) > 0 {
			return fmt.Errorf("google: OAuth config lacks %s", strings.Join(missing, ", "))
		}
	}
	return nil
}

func tokenSource(ctx context.Context, cfg Config) (oauth2.TokenSource, error) {
	if o := cfg.OAuth; o != nil {
		ep := googleoauth.Endpoint
		if o.TokenURL != "" {
			ep.TokenURL = o.TokenURL
		}
		conf := &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, Endpoint: ep, Scopes: []string{gcal.CalendarScope}}
		return conf.TokenSource(ctx, &oauth2.Token{RefreshToken: o.RefreshToken}), nil
	}
	var probe struct {
		Type        string `json:"type"`
		ClientEmail string `json:"client_email"`
		PrivateKey  string `json:"private_key"`
	}
	if err := json.Unmarshal(cfg.CredentialsJSON, &probe); err != nil {
		return nil, fmt.Errorf("google: credentials are not JSON: %w", err)
	}
	if probe.Type != "service_account" {
		return nil, fmt.Errorf("google: credentials have type %q; want a service-account key (\"service_account\")", probe.Type)
	}
	if probe.ClientEmail == "" || probe.PrivateKey == "" {
		return nil, errors.New("google: service-account key lacks client_email or private_key")
	}
	// JWTConfigFromJSON takes the token URL from the key's token_uri.
	conf, err := googleoauth.JWTConfigFromJSON(cfg.CredentialsJSON, gcal.CalendarScope)
	if err != nil {
		return nil, fmt.Errorf("google: service-account key: %w", err)
	}
	conf.Subject = cfg.Subject
	return conf.TokenSource(ctx), nil
}

// baseTransport is the transport under the authentication layer. A clone
// of the default one gives each Provider its own connection pool.
func baseTransport(hc *http.Client) http.RoundTripper {
	if hc != nil && hc.Transport != nil {
		return hc.Transport
	}
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return http.DefaultTransport
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Name is "google".
func (p *Provider) Name() string { return "google" }

// Subject is the user a service account acts as ("" for none or OAuth).
func (p *Provider) Subject() string { return p.subject }

// Calls returns how many API requests this Provider has sent.
func (p *Provider) Calls() Calls {
	c := &p.calls
	return Calls{
		FreeBusy: c.freeBusy.Load(), Insert: c.insert.Load(), Get: c.get.Load(),
		Patch: c.patch.Load(), Delete: c.delete.Load(), List: c.list.Load(),
	}
}

// CloseIdleConnections closes the connections the Provider keeps open
// for reuse (those of Config.HTTPClient's transport when one was given).
func (p *Provider) CloseIdleConnections() {
	if c, ok := p.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// op names an API method, as Google does; it picks the counter and the
// error mapping.
type op string

const (
	opFreeBusy op = "freebusy.query"
	opInsert   op = "events.insert"
	opGet      op = "events.get"
	opPatch    op = "events.patch"
	opDelete   op = "events.delete"
	opList     op = "events.list"
)

func (p *Provider) counter(o op) *atomic.Int64 {
	switch o {
	case opFreeBusy:
		return &p.calls.freeBusy
	case opInsert:
		return &p.calls.insert
	case opGet:
		return &p.calls.get
	case opPatch:
		return &p.calls.patch
	case opDelete:
		return &p.calls.delete
	}
	return &p.calls.list
}

// do sends one request under the per-call timeout and classifies its
// error. It never retries (see the package comment).
func do[T any](ctx context.Context, p *Provider, o op, fn func(ctx context.Context) (T, error)) (T, error) {
	p.counter(o).Add(1)
	cctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	v, err := fn(cctx)
	if err != nil {
		return v, p.classify(ctx, o, err)
	}
	return v, nil
}
