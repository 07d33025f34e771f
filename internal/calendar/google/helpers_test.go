package google_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

const org = "organizer@example.test"

var t0 = time.Date(2030, 3, 4, 15, 0, 0, 0, time.UTC)

// startFake starts the fake Google on 127.0.0.1 and returns its base URL.
func startFake(t *testing.T, opts calendartest.Options) (*calendartest.Server, string) {
	t.Helper()
	s := calendartest.New(opts)
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("fake at %q, not on 127.0.0.1", url)
	}
	return s, url
}

// newProvider builds a Provider against the fake, authenticated through
// the fake's /token with a refresh token unless edit says otherwise.
func newProvider(t *testing.T, url string, edit func(*google.Config)) *google.Provider {
	t.Helper()
	cfg := google.Config{
		OAuth: &google.OAuthConfig{
			ClientID: "debrief-test", ClientSecret: "secret", RefreshToken: "refresh-1", TokenURL: url + "/token",
		},
		Endpoint:           url + "/calendar/v3/",
		Timeout:            5 * time.Second,
		ConferenceSolution: "hangoutsMeet",
	}
	if edit != nil {
		edit(&cfg)
	}
	p, err := google.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Runs before the fake's Close (cleanups run last first): a
	// connection dialled but never used would hold up its shutdown.
	t.Cleanup(p.CloseIdleConnections)
	return p
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// booking is the event Debrief's booking job would write.
func booking(bookingID string, start time.Time) calendar.Event {
	return calendar.Event{
		ID:          calendar.EventID(bookingID),
		BookingID:   bookingID,
		Title:       "Chat about the outage (optional)",
		Description: "A learning review conversation.",
		Start:       start,
		End:         start.Add(45 * time.Minute),
		Organizer:   org,
		Attendees: []calendar.Attendee{
			{Email: "alice@example.test", Name: "Alice Liddell"},
			{Email: "bob@example.test", Name: "Bob Builder", Optional: true},
		},
		ConferenceRequestID: calendar.ConferenceRequestID(bookingID),
	}
}

func wantKind(t *testing.T, err error, k calendar.Kind) *calendar.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want kind %s", k)
	}
	if got := calendar.KindOf(err); got != k {
		t.Fatalf("kind %s, want %s: %v", got, k, err)
	}
	var ce *calendar.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%T is not a *calendar.Error: %v", err, err)
	}
	return ce
}

// serviceAccountJSON makes a service-account key whose token_uri is
// tokenURL.
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

func fakeEvent(t *testing.T, s *calendartest.Server, calID, id string) calendartest.Event {
	t.Helper()
	for _, e := range s.Events(calID) {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("fake has no event %s on %s", id, calID)
	return calendartest.Event{}
}
