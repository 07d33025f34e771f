package calconn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

// ErrNotConnected is the cause of every call to a Manager that has no
// usable connection (wrapped in a Permanent *calendar.Error).
var ErrNotConnected error = notConnectedError{}

type notConnectedError struct{}

func (notConnectedError) Error() string { return "Google Calendar is not connected" }

// unusableError is a stored connection that cannot be used (it does not
// decrypt, or its OAuth client is no longer configured).
type unusableError struct{ reason string }

func (e unusableError) Error() string {
	return "Google Calendar is not connected: the saved connection cannot be used: " + e.reason
}

func (unusableError) Is(target error) bool { return target == ErrNotConnected }

// live is the connection a Manager serves with. It is never changed once
// made; a change makes a new one.
type live struct {
	// version is the stored record as read (its raw JSON), or "" for none;
	// a different version means the connection changed.
	version  string
	conn     *connection
	provider *google.Provider
	// problem is why a stored connection is not usable.
	problem error
}

// Manager is the "google" calendar.Provider whose connection can change
// while Debrief runs: it serves with a google.Provider built from the
// environment's credentials, or else from the connection saved in
// settings, and swaps it when the connection changes. The change is seen
// at once in the process that made it (Service calls Reload) and within
// Config.RefreshInterval in every other serve process, which re-read the
// saved connection when they use the Manager.
//
// When nothing is connected every method but Name fails with a Permanent
// *calendar.Error wrapping ErrNotConnected. Safe for concurrent use; a
// call that started on the old connection finishes on it.
type Manager struct {
	st       store
	box      *Box // nil without a secret key: nothing saved can be opened
	cfg      Config
	log      *slog.Logger
	interval time.Duration

	reload sync.Mutex // one reload at a time

	mu      sync.RWMutex
	cur     *live
	checked time.Time
}

var _ calendar.Provider = (*Manager)(nil)

// Name is "google".
func (m *Manager) Name() string { return "google" }

// Connected reports whether a usable connection is in place. It re-reads
// the saved connection when the last read is older than the refresh
// interval.
func (m *Manager) Connected() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.current(ctx).provider != nil
}

// Organizer is the calendar the connection books on (the service account's
// subject, or the user who consented); "" when not connected. Bookings
// that name no organizer use it.
func (m *Manager) Organizer() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if l := m.current(ctx); l.provider != nil {
		return l.conn.Organizer
	}
	return ""
}

// Reload re-reads the saved connection now and swaps the provider if it
// changed. With a connection from the environment it does nothing.
func (m *Manager) Reload(ctx context.Context) error {
	if m.cfg.envConfigured() {
		return nil
	}
	m.reload.Lock()
	defer m.reload.Unlock()
	return m.reloadLocked(ctx)
}

func (m *Manager) stale() bool {
	return !m.cfg.envConfigured() && m.cfg.now().Sub(m.checked) >= m.interval
}

func (m *Manager) reloadLocked(ctx context.Context) error {
	var rec record
	found, raw, err := m.st.get(ctx, m.st.db, connectionKey, &rec)
	now := m.cfg.now()
	if err != nil {
		// Keep serving what we have; try again after the interval rather
		// than on every call while the database is away.
		m.mu.Lock()
		m.checked = now
		m.mu.Unlock()
		return err
	}
	m.mu.RLock()
	old := m.cur
	m.mu.RUnlock()
	if old != nil && old.version == raw {
		m.mu.Lock()
		m.checked = now
		m.mu.Unlock()
		return nil
	}
	next := &live{version: raw}
	if found {
		next.conn, next.problem = m.open(&rec)
		if next.problem == nil {
			next.provider, next.problem = m.build(ctx, next.conn)
		}
	}
	m.mu.Lock()
	m.cur, m.checked = next, now
	m.mu.Unlock()
	switch {
	case next.problem != nil:
		m.log.LogAttrs(ctx, slog.LevelError, "google calendar: saved connection cannot be used",
			slog.String("connection_id", rec.ID), slog.String("kind", rec.Kind), slog.String("error", next.problem.Error()))
	case next.provider != nil:
		m.log.LogAttrs(ctx, slog.LevelInfo, "google calendar: connected",
			slog.String("connection_id", rec.ID), slog.String("kind", rec.Kind), slog.String("organizer", rec.Organizer))
	case old != nil && old.provider != nil:
		m.log.LogAttrs(ctx, slog.LevelInfo, "google calendar: disconnected")
	}
	if old != nil && old.provider != nil {
		// Only idle connections: calls in flight finish on the old one.
		old.provider.CloseIdleConnections()
	}
	return nil
}

// current returns the live connection, re-reading the saved one when the
// last read is stale.
func (m *Manager) current(ctx context.Context) *live {
	m.mu.RLock()
	cur, stale := m.cur, m.stale()
	m.mu.RUnlock()
	if !stale && cur != nil {
		return cur
	}
	m.reload.Lock()
	m.mu.RLock()
	stale = m.cur == nil || m.stale()
	m.mu.RUnlock()
	var err error
	if stale {
		// Not already done by the caller we waited for.
		err = m.reloadLocked(ctx)
	}
	m.reload.Unlock()
	if err != nil {
		m.log.LogAttrs(ctx, slog.LevelWarn, "google calendar: re-reading the saved connection", slog.String("error", err.Error()))
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.cur == nil {
		return &live{}
	}
	return m.cur
}

// provider returns the provider to call, or the error to fail with.
func (m *Manager) provider(ctx context.Context) (*google.Provider, error) {
	l := m.current(ctx)
	if l.provider != nil {
		return l.provider, nil
	}
	err := ErrNotConnected
	if l.problem != nil {
		err = unusableError{reason: l.problem.Error()}
	}
	return nil, &calendar.Error{Kind: calendar.Permanent, Err: err}
}

// connection is a usable connection with its secrets open. It never
// leaves the package.
type connection struct {
	record
	keyJSON      []byte
	refreshToken string
}

// open decrypts a stored record.
func (m *Manager) open(rec *record) (*connection, error) {
	c := &connection{record: *rec}
	if m.box == nil {
		return nil, errors.New("DEBRIEF_SECRET_KEY is not set, so saved credentials cannot be decrypted")
	}
	switch rec.Kind {
	case KindServiceAccount:
		b, err := m.box.Open(rec.SealedKey, keyPurpose(rec.ID))
		if err != nil {
			return nil, err
		}
		c.keyJSON = b
	case KindOAuth:
		b, err := m.box.Open(rec.SealedRefreshToken, refreshPurpose(rec.ID))
		if err != nil {
			return nil, err
		}
		c.refreshToken = string(b)
	default:
		return nil, fmt.Errorf("unknown connection kind %q", rec.Kind)
	}
	return c, nil
}

// googleConfig is how to reach Google with c.
func (m *Manager) googleConfig(c *connection) (google.Config, error) {
	gc := google.Config{
		Endpoint: m.cfg.Endpoint, ConferenceSolution: c.Conference,
		HTTPClient: m.cfg.HTTPClient, Timeout: m.cfg.Timeout,
	}
	switch c.Kind {
	case KindServiceAccount:
		gc.CredentialsJSON, gc.Subject = c.keyJSON, c.Organizer
	case KindOAuth:
		o := m.cfg.OAuth
		switch {
		case o.ClientID == "" || o.ClientSecret == "":
			return gc, errors.New("it was made with OAuth, and DEBRIEF_GOOGLE_OAUTH_CLIENT_ID and DEBRIEF_GOOGLE_OAUTH_CLIENT_SECRET are no longer set")
		case o.ClientID != c.OAuthClientID:
			return gc, fmt.Errorf("it was made with OAuth client %s, and DEBRIEF_GOOGLE_OAUTH_CLIENT_ID is now %s; connect again", c.OAuthClientID, o.ClientID)
		}
		gc.OAuth = &google.OAuthConfig{ClientID: o.ClientID, ClientSecret: o.ClientSecret,
			RefreshToken: c.refreshToken, TokenURL: o.tokenURL()}
	}
	return gc, nil
}

func (m *Manager) build(ctx context.Context, c *connection) (*google.Provider, error) {
	gc, err := m.googleConfig(c)
	if err != nil {
		return nil, err
	}
	return google.New(ctx, gc)
}

// FreeBusy implements calendar.Provider.
func (m *Manager) FreeBusy(ctx context.Context, calendars []string, start, end time.Time) (map[string]calendar.Availability, error) {
	p, err := m.provider(ctx)
	if err != nil {
		return nil, err
	}
	return p.FreeBusy(ctx, calendars, start, end)
}

// Create implements calendar.Provider.
func (m *Manager) Create(ctx context.Context, ev calendar.Event) (calendar.Event, error) {
	p, err := m.provider(ctx)
	if err != nil {
		return calendar.Event{}, err
	}
	return p.Create(ctx, ev)
}

// Get implements calendar.Provider.
func (m *Manager) Get(ctx context.Context, organizer, id string) (calendar.Event, error) {
	p, err := m.provider(ctx)
	if err != nil {
		return calendar.Event{}, err
	}
	return p.Get(ctx, organizer, id)
}

// Update implements calendar.Provider.
func (m *Manager) Update(ctx context.Context, ev calendar.Event) (calendar.Event, error) {
	p, err := m.provider(ctx)
	if err != nil {
		return calendar.Event{}, err
	}
	return p.Update(ctx, ev)
}

// Cancel implements calendar.Provider.
func (m *Manager) Cancel(ctx context.Context, organizer, id string) error {
	p, err := m.provider(ctx)
	if err != nil {
		return err
	}
	return p.Cancel(ctx, organizer, id)
}

// Changes implements calendar.Provider.
func (m *Manager) Changes(ctx context.Context, organizer, syncToken string) ([]calendar.Event, string, error) {
	p, err := m.provider(ctx)
	if err != nil {
		return nil, "", err
	}
	return p.Changes(ctx, organizer, syncToken)
}

// OrElse returns a provider that is the Manager while it is connected and
// fallback otherwise, decided per call: for a reader of free/busy such as
// availability, which takes one provider for the life of the process.
// Its Name is that of the provider it would use now.
func (m *Manager) OrElse(fallback calendar.Provider) calendar.Provider {
	return orElse{m: m, fallback: fallback}
}

type orElse struct {
	m        *Manager
	fallback calendar.Provider
}

func (o orElse) pick() calendar.Provider {
	if o.m.Connected() {
		return o.m
	}
	return o.fallback
}

func (o orElse) Name() string { return o.pick().Name() }

func (o orElse) FreeBusy(ctx context.Context, calendars []string, start, end time.Time) (map[string]calendar.Availability, error) {
	return o.pick().FreeBusy(ctx, calendars, start, end)
}

func (o orElse) Create(ctx context.Context, ev calendar.Event) (calendar.Event, error) {
	return o.pick().Create(ctx, ev)
}

func (o orElse) Get(ctx context.Context, organizer, id string) (calendar.Event, error) {
	return o.pick().Get(ctx, organizer, id)
}

func (o orElse) Update(ctx context.Context, ev calendar.Event) (calendar.Event, error) {
	return o.pick().Update(ctx, ev)
}

func (o orElse) Cancel(ctx context.Context, organizer, id string) error {
	return o.pick().Cancel(ctx, organizer, id)
}

func (o orElse) Changes(ctx context.Context, organizer, syncToken string) ([]calendar.Event, string, error) {
	return o.pick().Changes(ctx, organizer, syncToken)
}
