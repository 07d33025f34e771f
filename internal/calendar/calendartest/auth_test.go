package calendartest_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http/httptest"
	"strings"
	"testing"

	"cloud.google.com/go/auth/credentials"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"
)

// serviceAccountJSON makes a service-account key file whose token_uri is
// the fake's /token.
func serviceAccountJSON(t *testing.T, tokenURL string) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]string{
		"type":           "service_account",
		"project_id":     "debrief-test",
		"private_key_id": "key-1",
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":   "debrief@debrief-test.iam.gserviceaccount.com",
		"client_id":      "1234567890",
		"token_uri":      tokenURL,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func startFake(t *testing.T, opts calendartest.Options) (*calendartest.Server, string) {
	t.Helper()
	s := calendartest.New(opts)
	url, err := s.Start("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url %q is not on 127.0.0.1", url)
	}
	return s, url
}

func TestDomainWideDelegation(t *testing.T) {
	s, url := startFake(t, calendartest.Options{RequireIssuedTokens: true})
	ctx := ctxT(t)
	keyJSON := serviceAccountJSON(t, url+"/token")

	// golang.org/x/oauth2's JWT flow, with Subject for delegation.
	conf, err := google.JWTConfigFromJSON(keyJSON, calendar.CalendarScope)
	if err != nil {
		t.Fatal(err)
	}
	conf.Subject = "organizer@example.test"
	svc, err := calendar.NewService(ctx, option.WithEndpoint(url+"/calendar/v3/"), option.WithTokenSource(conf.TokenSource(ctx)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Events.Insert("primary", booking("deleg0001", "x", t0)).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Organizer.Email != "organizer@example.test" {
		t.Fatalf("primary resolved to %q", got.Organizer.Email)
	}
	if n := len(s.Events("organizer@example.test")); n != 1 {
		t.Fatalf("%d events on the organizer's calendar", n)
	}

	// cloud.google.com/go/auth's credentials, which the client library
	// uses itself, with DetectOptions.Subject.
	creds, err := credentials.NewCredentialsFromJSON(credentials.ServiceAccount, keyJSON, &credentials.DetectOptions{
		Scopes:  []string{calendar.CalendarEventsScope},
		Subject: "facilitator@example.test",
	})
	if err != nil {
		t.Fatal(err)
	}
	svc2, err := calendar.NewService(ctx, option.WithEndpoint(url+"/calendar/v3/"), option.WithAuthCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc2.Events.Get("primary", "deleg0001").Context(ctx).Do(); err == nil {
		t.Fatal("facilitator's primary calendar should not have the organizer's event")
	}

	grants := s.TokenGrants()
	if len(grants) != 2 {
		t.Fatalf("%d token grants, want 2: %+v", len(grants), grants)
	}
	for i, want := range []string{"organizer@example.test", "facilitator@example.test"} {
		g := grants[i]
		if g.GrantType != "urn:ietf:params:oauth:grant-type:jwt-bearer" || g.Subject != want ||
			g.Issuer != "debrief@debrief-test.iam.gserviceaccount.com" || !strings.Contains(g.Scope, "auth/calendar") {
			t.Fatalf("grant %d = %+v, want subject %s", i, g, want)
		}
	}
	var subjects []string
	for _, r := range s.Requests() {
		if r.Op != calendartest.OpToken {
			subjects = append(subjects, r.Subject)
		}
	}
	if strings.Join(subjects, ",") != "organizer@example.test,facilitator@example.test" {
		t.Fatalf("calls made as %v", subjects)
	}
}

func TestRefreshTokenGrant(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	ctx := ctxT(t)
	conf := &oauth2.Config{ClientID: "web-client", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: url + "/token"}}
	ts := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: "refresh-1"})
	svc, err := calendar.NewService(ctx, option.WithEndpoint(url+"/calendar/v3/"), option.WithTokenSource(ts))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Events.Insert("someone@example.test", booking("refresh01", "x", t0)).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	g := s.TokenGrants()
	if len(g) != 1 || g[0].GrantType != "refresh_token" || g[0].ClientID != "web-client" {
		t.Fatalf("grants = %+v", g)
	}
}

func TestAuthRequired(t *testing.T) {
	s := calendartest.New(calendartest.Options{RequireIssuedTokens: true})
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	ctx := ctxT(t)
	noAuth, err := calendar.NewService(ctx, option.WithEndpoint(ts.URL+"/calendar/v3/"), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	_, err = noAuth.Events.Insert(org, booking("auth00001", "x", t0)).Context(ctx).Do()
	apiErr(t, err, 401, "required")
	_, err = newService(t, ts.URL).Events.Get(org, "auth00001").Context(ctx).Do()
	apiErr(t, err, 401, "authError") // a token the fake never issued
	if n := len(s.Events("")); n != 0 {
		t.Fatalf("unauthenticated insert stored %d events", n)
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	s := calendartest.New(calendartest.Options{})
	defer s.Close()
	if _, err := s.Start("0.0.0.0:0"); err == nil {
		t.Fatal("listening on every interface was allowed")
	}
	if _, err := s.Start("not-an-address"); err == nil {
		t.Fatal("a malformed address was accepted")
	}
}
