package calconn

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

// Audit actions.
const (
	AuditConnected    = "settings.google_connected"
	AuditDisconnected = "settings.google_disconnected"
	auditSubjectType  = "settings"
)

// maxKeyBytes bounds an uploaded key file; Google's are about 2.3 KB.
const maxKeyBytes = 64 << 10

// Service holds the rules for the Google connection. Every method is for
// admins only. Safe for concurrent use.
type Service struct {
	db  *gorm.DB
	st  store
	box *Box
	cfg Config
	log *slog.Logger
	mgr *Manager
}

// New returns a Service over db (app_settings and audit_entries) and its
// Manager, with the current connection loaded. It fails when the
// environment's credentials are unusable, as a bad
// DEBRIEF_GOOGLE_CREDENTIALS_FILE should stop the start; a saved
// connection that cannot be used is reported by Status instead.
func New(ctx context.Context, db *gorm.DB, cfg Config) (*Service, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.RefreshInterval <= 0 {
		cfg.RefreshInterval = DefaultRefreshInterval
	}
	if cfg.StateTTL <= 0 {
		cfg.StateTTL = DefaultStateTTL
	}
	s := &Service{db: db, st: store{db: db}, cfg: cfg, log: cfg.Log}
	if cfg.SecretKey != "" {
		box, err := NewBox(cfg.SecretKey)
		if err != nil {
			return nil, err
		}
		s.box = box
	}
	s.mgr = &Manager{st: s.st, box: s.box, cfg: cfg, log: cfg.Log, interval: cfg.RefreshInterval}
	if cfg.envConfigured() {
		conn, err := envConnection(cfg)
		if err != nil {
			return nil, err
		}
		p, err := s.mgr.build(ctx, conn)
		if err != nil {
			return nil, fmt.Errorf("google calendar: %w", err)
		}
		s.mgr.cur = &live{version: envConnectionID, conn: conn, provider: p}
		return s, nil
	}
	if err := s.mgr.Reload(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func envConnection(cfg Config) (*connection, error) {
	var f apperr.Fields
	key := parseServiceAccountKey(cfg.EnvCredentialsJSON, &f)
	if !isEmail(cfg.EnvOrganizer) {
		f.Add("organizer", "must be an email address")
	}
	if err := f.Err(); err != nil {
		return nil, fmt.Errorf("DEBRIEF_GOOGLE_CREDENTIALS_FILE / DEBRIEF_GOOGLE_ORGANIZER: %w", err)
	}
	return &connection{
		record: record{
			ID: envConnectionID, Kind: KindServiceAccount, Organizer: strings.ToLower(cfg.EnvOrganizer),
			Conference: cfg.DefaultConference, ServiceAccountEmail: key.ClientEmail, ServiceAccountClientID: key.ClientID,
		},
		keyJSON: cfg.EnvCredentialsJSON,
	}, nil
}

// Manager is the "google" calendar.Provider that follows the connection.
func (s *Service) Manager() *Manager { return s.mgr }

// UserRef names the admin who made a connection.
type UserRef struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// TestResult is the outcome of "test connection".
type TestResult struct {
	OK        bool      `json:"ok"`
	Message   string    `json:"message"`
	At        time.Time `json:"at"`
	LatencyMS int64     `json:"latency_ms"`
}

// Status is the connection as admins see it. It never holds a secret.
type Status struct {
	// Connected is true when calendar calls can be made.
	Connected bool `json:"connected"`
	// Source is "none", "environment" or "settings".
	Source string `json:"source"`
	// ReadOnly is true when the environment sets the connection.
	ReadOnly bool `json:"read_only"`
	// Kind is "service_account" or "oauth" ("" with source none).
	Kind       string `json:"kind,omitempty"`
	Organizer  string `json:"organizer,omitempty"`
	Conference string `json:"conference,omitempty"`
	// The service account's address and client id: the id is what a
	// Workspace admin grants domain-wide delegation to.
	ServiceAccountEmail    string     `json:"service_account_email,omitempty"`
	ServiceAccountClientID string     `json:"service_account_client_id,omitempty"`
	ConnectedBy            *UserRef   `json:"connected_by,omitempty"`
	ConnectedAt            *time.Time `json:"connected_at,omitempty"`
	// LastTest is the last "test connection" of this connection.
	LastTest *TestResult `json:"last_test,omitempty"`
	// OAuthAvailable is true when an OAuth client is configured, so
	// "Connect with Google" can be offered.
	OAuthAvailable bool `json:"oauth_available"`
	// CanSave is false when no secret key is configured.
	CanSave bool `json:"can_save"`
	// Problem says why a saved connection cannot be used.
	Problem string `json:"problem,omitempty"`
}

func requireAdmin(a actor.Actor) error {
	if !a.IsAdmin() {
		return apperr.Forbiddenf("only admins can see or change the Google Calendar connection")
	}
	return nil
}

// writable checks that settings may change the connection.
func (s *Service) writable() error {
	if s.cfg.envConfigured() {
		return apperr.Conflictf("Google Calendar is set up by DEBRIEF_GOOGLE_CREDENTIALS_FILE; change or unset it there")
	}
	if s.box == nil {
		return apperr.New(apperr.Unavailable, "DEBRIEF_SECRET_KEY is not set, so credentials cannot be stored encrypted")
	}
	return nil
}

// Status reports the connection.
func (s *Service) Status(ctx context.Context, a actor.Actor) (Status, error) {
	if err := requireAdmin(a); err != nil {
		return Status{}, err
	}
	if err := s.mgr.Reload(ctx); err != nil {
		return Status{}, err
	}
	s.mgr.mu.RLock()
	l := s.mgr.cur
	s.mgr.mu.RUnlock()
	st := Status{Source: SourceNone, OAuthAvailable: s.cfg.OAuth.configured() && !s.cfg.envConfigured(),
		CanSave: s.box != nil && !s.cfg.envConfigured()}
	var rec *record
	switch {
	case l == nil:
	case l.conn != nil:
		rec = &l.conn.record
	case l.version != "":
		// Saved but unusable: show what it is from the stored record.
		var r record
		if err := json.Unmarshal([]byte(l.version), &r); err == nil {
			rec = &r
		}
	}
	if l != nil && l.problem != nil {
		st.Problem = l.problem.Error()
	}
	if rec == nil {
		return st, nil
	}
	st.Connected = l.provider != nil
	st.Source, st.ReadOnly = SourceSettings, false
	if rec.ID == envConnectionID {
		st.Source, st.ReadOnly = SourceEnvironment, true
	}
	st.Kind, st.Organizer, st.Conference = rec.Kind, rec.Organizer, rec.Conference
	st.ServiceAccountEmail, st.ServiceAccountClientID = rec.ServiceAccountEmail, rec.ServiceAccountClientID
	if rec.ConnectedByID != "" {
		st.ConnectedBy = &UserRef{ID: rec.ConnectedByID, Email: rec.ConnectedByEmail}
	}
	if !rec.ConnectedAt.IsZero() {
		at := rec.ConnectedAt
		st.ConnectedAt = &at
	}
	var lt lastTest
	found, _, err := s.st.get(ctx, s.db, lastTestKey, &lt)
	if err != nil {
		return Status{}, err
	}
	if found && lt.ConnectionID == rec.ID {
		st.LastTest = &lt.Result
	}
	return st, nil
}

// serviceAccountKey is the part of a key file Debrief checks.
type serviceAccountKey struct {
	Type        string `json:"type"`
	ClientEmail string `json:"client_email"`
	ClientID    string `json:"client_id"`
	PrivateKey  string `json:"private_key"`
	TokenURI    string `json:"token_uri"`
}

// parseServiceAccountKey checks a key file's shape, adding what is wrong
// to f under "key" and "key.<field>". Messages never quote the key.
func parseServiceAccountKey(b []byte, f *apperr.Fields) serviceAccountKey {
	var k serviceAccountKey
	switch {
	case len(b) == 0:
		f.Add("key", "is required: the JSON key file of a Google Cloud service account")
		return k
	case len(b) > maxKeyBytes:
		f.Add("key", "is larger than %d KB; a service-account key file is about 2 KB", maxKeyBytes>>10)
		return k
	}
	if err := json.Unmarshal(b, &k); err != nil {
		f.Add("key", "is not a JSON key file")
		return k
	}
	if k.Type != "service_account" {
		f.Add("key.type", "must be \"service_account\" (got %q): create a key for a service account, not an OAuth client", k.Type)
	}
	if !isEmail(k.ClientEmail) {
		f.Add("key.client_email", "must be the service account's email address")
	}
	if msg := checkPrivateKey(k.PrivateKey); msg != "" {
		f.Add("key.private_key", "%s", msg)
	}
	if msg := checkTokenURI(k.TokenURI); msg != "" {
		f.Add("key.token_uri", "%s", msg)
	}
	return k
}

func checkPrivateKey(s string) string {
	if s == "" {
		return "is required"
	}
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return "is not a PEM-encoded private key"
	}
	var key any
	var err error
	if key, err = x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
		if key, err = x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			return "cannot be read as a private key"
		}
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return "must be an RSA key"
	}
	return ""
}

// checkTokenURI accepts https URLs, and http only on the loopback
// interface (a fake Google in tests or staging).
func checkTokenURI(s string) string {
	if s == "" {
		return "is required (Google's key files have " + DefaultTokenURL + ")"
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "must be an https URL"
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "must be an https URL (http is accepted on the loopback interface only)"
	}
	return ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s, "@")
}

func checkConference(f *apperr.Fields, conference string) {
	switch conference {
	case "", "hangoutsMeet":
	default:
		f.Add("conference", "must be \"hangoutsMeet\" (a Google Meet link on every booking) or empty (none)")
	}
}

// ConnectServiceAccount saves a service-account key that acts as
// organizer (domain-wide delegation) and switches to it. conference is
// "hangoutsMeet" or "". It makes no call to Google; Test does.
func (s *Service) ConnectServiceAccount(ctx context.Context, a actor.Actor, keyJSON []byte, organizer, conference string) (Status, error) {
	if err := requireAdmin(a); err != nil {
		return Status{}, err
	}
	if err := s.writable(); err != nil {
		return Status{}, err
	}
	var f apperr.Fields
	key := parseServiceAccountKey(keyJSON, &f)
	organizer = strings.TrimSpace(organizer)
	if !isEmail(organizer) {
		f.Add("organizer", "must be the email address of the Workspace user whose calendar holds the bookings")
	}
	checkConference(&f, conference)
	if err := f.Err(); err != nil {
		return Status{}, err
	}
	// What google.New will do with it, so a key it would refuse is
	// refused here and not on the first booking.
	if _, err := google.New(ctx, google.Config{CredentialsJSON: keyJSON, Subject: organizer}); err != nil {
		f.Add("key", "is not a usable service-account key")
		return Status{}, f.Err()
	}
	rec := record{
		ID: uuid.NewString(), Kind: KindServiceAccount, Organizer: strings.ToLower(organizer), Conference: conference,
		ServiceAccountEmail: key.ClientEmail, ServiceAccountClientID: key.ClientID,
		ConnectedByID: a.UserID, ConnectedByEmail: a.Email, ConnectedAt: s.cfg.now(),
	}
	sealed, err := s.box.Seal(keyJSON, keyPurpose(rec.ID))
	if err != nil {
		return Status{}, err
	}
	rec.SealedKey = sealed
	if err := s.save(ctx, a, rec); err != nil {
		return Status{}, err
	}
	return s.Status(ctx, a)
}

// save replaces the connection, with an audit entry, and switches to it.
func (s *Service) save(ctx context.Context, a actor.Actor, rec record) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.st.put(ctx, tx, connectionKey, rec, s.cfg.now()); err != nil {
			return err
		}
		if _, err := s.st.del(ctx, tx, lastTestKey); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a.UserID, AuditConnected, auditSubjectType, connectionKey, map[string]string{
			"connection_id": rec.ID, "kind": rec.Kind, "organizer": rec.Organizer,
			"service_account_email": rec.ServiceAccountEmail, "oauth_client_id": rec.OAuthClientID,
		})
	})
	if err != nil {
		return err
	}
	return s.mgr.Reload(ctx)
}

// Disconnect forgets the saved connection; bookings on Google fail with
// "not connected" until another is made. Disconnecting when nothing is
// connected is not an error.
func (s *Service) Disconnect(ctx context.Context, a actor.Actor) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	if s.cfg.envConfigured() {
		return s.writable()
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rec record
		found, _, err := s.st.get(ctx, tx, connectionKey, &rec)
		if err != nil || !found {
			return err
		}
		if _, err := s.st.del(ctx, tx, connectionKey); err != nil {
			return err
		}
		if _, err := s.st.del(ctx, tx, lastTestKey); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a.UserID, AuditDisconnected, auditSubjectType, connectionKey, map[string]string{
			"connection_id": rec.ID, "kind": rec.Kind, "organizer": rec.Organizer,
		})
	})
	if err != nil {
		return err
	}
	return s.mgr.Reload(ctx)
}

// Test checks the connection end to end: it builds a new provider from
// it, which fetches a token, and reads the organizer's free/busy for the
// next day. The result is saved for Status. A failed check is a result
// with OK false, not an error.
func (s *Service) Test(ctx context.Context, a actor.Actor) (TestResult, error) {
	if err := requireAdmin(a); err != nil {
		return TestResult{}, err
	}
	if err := s.mgr.Reload(ctx); err != nil {
		return TestResult{}, err
	}
	l := s.mgr.current(ctx)
	if l.conn == nil && l.problem == nil {
		return TestResult{}, apperr.Conflictf("Google Calendar is not connected; connect it first")
	}
	start := time.Now()
	res := TestResult{At: s.cfg.now()}
	var connID string
	if l.conn == nil {
		var r record
		_ = json.Unmarshal([]byte(l.version), &r)
		connID = r.ID
		res.Message = "The saved connection cannot be used: " + l.problem.Error()
	} else {
		connID = l.conn.ID
		res.OK, res.Message = s.probe(ctx, l.conn)
	}
	res.LatencyMS = time.Since(start).Milliseconds()
	if err := s.st.put(ctx, s.db, lastTestKey, lastTest{ConnectionID: connID, Result: res}, s.cfg.now()); err != nil {
		return TestResult{}, err
	}
	level := slog.LevelInfo
	if !res.OK {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(ctx, level, "google calendar: connection tested", slog.String("connection_id", connID),
		slog.Bool("ok", res.OK), slog.String("message", res.Message), slog.Int64("latency_ms", res.LatencyMS))
	return res, nil
}

// probe runs the check on a fresh provider, so it measures a token fetch
// and is not served by the Manager's cached token.
func (s *Service) probe(ctx context.Context, c *connection) (bool, string) {
	ctx, cancel := context.WithTimeout(ctx, testTimeout)
	defer cancel()
	gc, err := s.mgr.googleConfig(c)
	if err != nil {
		return false, "The saved connection cannot be used: " + err.Error()
	}
	p, err := google.New(ctx, gc)
	if err != nil {
		return false, "The credentials cannot be used: " + err.Error()
	}
	defer p.CloseIdleConnections()
	now := s.cfg.now()
	got, err := p.FreeBusy(ctx, []string{c.Organizer}, now, now.Add(testWindow))
	if err != nil {
		return false, explain(err, c)
	}
	av := got[c.Organizer]
	if av.Err != nil {
		// The per-calendar reason is the last part: "… calendar x: notFound".
		reason := av.Err.Error()
		if i := strings.LastIndex(reason, ": "); i >= 0 {
			reason = reason[i+2:]
		}
		hint := ""
		if reason == "notFound" {
			hint = " Check the address: it must be a calendar this connection can see."
		}
		return false, fmt.Sprintf("Signed in to Google, but %s's calendar could not be read (Google said %q).%s", c.Organizer, reason, hint)
	}
	return true, fmt.Sprintf("Connected: read %s's free/busy for the next 24 hours (%d busy %s).",
		c.Organizer, len(av.Busy), plural(len(av.Busy), "period", "periods"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
