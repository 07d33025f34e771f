package calconn_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/calconn"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/database"
)

const (
	organizer    = "organizer@example.test"
	clientSecret = "oauth-client-secret-do-not-show"
	callbackURL  = "http://127.0.0.1:8080/api/v1/settings/google/oauth/callback"
)

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// clock is a settable clock: real time plus an offset.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

type fixture struct {
	t                    *testing.T
	ctx                  context.Context
	db                   *database.DB
	fake                 *calendartest.Server
	base                 string
	admin, admin2, staff actor.Actor
	logs                 *syncBuffer
	clock                *clock
	pem                  string
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	fake := calendartest.New(calendartest.Options{RequireIssuedTokens: true})
	base, err := fake.Start("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	f := &fixture{t: t, ctx: ctx, db: db, fake: fake, base: base, logs: &syncBuffer{}, clock: &clock{}, pem: rsaPEM(t)}
	acc, err := accounts.NewService(db.Gorm, accounts.Options{Hash: accounts.HashParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(email string, role actor.Role) actor.Actor {
		u, err := acc.CreateUser(ctx, actor.Actor{Role: actor.Admin}, accounts.NewUser{
			Email: email, Name: strings.Split(email, "@")[0], Role: string(role), Password: "correct horse battery",
		})
		if err != nil {
			t.Fatal(err)
		}
		return actor.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}
	}
	f.admin = mk("ada@example.test", actor.Admin)
	f.admin2 = mk("bob@example.test", actor.Admin)
	f.staff = mk("fay@example.test", actor.Facilitator)
	return f
}

// config is the default configuration; mod changes it.
func (f *fixture) config(mod func(*calconn.Config)) calconn.Config {
	cfg := calconn.Config{
		SecretKey: keyA,
		Endpoint:  f.base + "/calendar/v3/",
		OAuth: calconn.OAuthClient{
			ClientID: "debrief-web.apps.example", ClientSecret: clientSecret,
			AuthURL: f.base + "/o/oauth2/auth", TokenURL: f.base + "/token",
		},
		Now: f.clock.now,
		Log: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mod != nil {
		mod(&cfg)
	}
	return cfg
}

func (f *fixture) service(mod func(*calconn.Config)) *calconn.Service {
	f.t.Helper()
	s, err := calconn.New(f.ctx, f.db.Gorm, f.config(mod))
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func rsaPEM(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// saKey is a service-account key file whose token_uri is the fake's.
func (f *fixture) saKey(mod func(map[string]string)) []byte {
	f.t.Helper()
	m := map[string]string{
		"type":           "service_account",
		"project_id":     "debrief-test",
		"private_key_id": "key-1",
		"private_key":    f.pem,
		"client_email":   "debrief@debrief-test.iam.gserviceaccount.com",
		"client_id":      "1234567890",
		"token_uri":      f.base + "/token",
	}
	if mod != nil {
		mod(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

// secrets are strings that must never be shown or logged.
func (f *fixture) secrets() []string {
	body := strings.Join(strings.Split(f.pem, "\n")[1:3], "")
	return []string{"PRIVATE KEY", body[:40], clientSecret, "1//fake-refresh-"}
}

// noSecrets fails if any secret appears in what.
func (f *fixture) noSecrets(where, what string) {
	f.t.Helper()
	for _, s := range f.secrets() {
		if strings.Contains(what, s) {
			f.t.Fatalf("%s shows a secret (%.20s…):\n%.2000s", where, s, what)
		}
	}
}

// storedValues is every app_settings value, as a database reader sees it.
func (f *fixture) storedValues() string {
	f.t.Helper()
	var vals []string
	if err := f.db.Gorm.WithContext(f.ctx).Raw("SELECT value FROM app_settings").Scan(&vals).Error; err != nil {
		f.t.Fatal(err)
	}
	return strings.Join(vals, "\n")
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// consent visits the consent page like a browser and returns the query
// Google's redirect sends back to Debrief.
func (f *fixture) consent(authURL string) url.Values {
	f.t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(f.ctx, http.MethodGet, authURL, nil)
	res, err := hc.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusFound {
		f.t.Fatalf("consent page answered %d", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		f.t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != callbackURL {
		f.t.Fatalf("consent redirected to %s, want %s", got, callbackURL)
	}
	return loc.Query()
}

func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("error %v (code %s), want %s", err, apperr.CodeOf(err), code)
	}
	ae, _ := apperr.As(err)
	return ae
}

func fieldsOf(err error) []string {
	ae, ok := apperr.As(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range ae.Fields {
		out = append(out, f.Field)
	}
	return out
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
