package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/config"
)

type wireGoogleConnection struct {
	Connected      bool   `json:"connected"`
	Source         string `json:"source"`
	ReadOnly       bool   `json:"read_only"`
	Kind           string `json:"kind"`
	Organizer      string `json:"organizer"`
	Conference     string `json:"conference"`
	OAuthAvailable bool   `json:"oauth_available"`
	LastTest       *struct {
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	} `json:"last_test"`
}

// TestGoogleConnectionOverHTTP: an admin connects Google from Settings
// with a service-account upload and with their own OAuth consent (through
// the fake's consent page), tests it, and disconnects; availability and
// the connection follow at run time.
func TestGoogleConnectionOverHTTP(t *testing.T) {
	dialects(t, func(t *testing.T, d config.Dialect) {
		fake := calendartest.New(calendartest.Options{RequireIssuedTokens: true})
		fu, err := fake.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = fake.Close() })
		c := loadContract(t)
		s := startServer(t, d, map[string]string{
			"DEBRIEF_GOOGLE_ENDPOINT":            fu + "/calendar/v3/",
			"DEBRIEF_GOOGLE_OAUTH_CLIENT_ID":     "debrief-web.apps.example",
			"DEBRIEF_GOOGLE_OAUTH_CLIENT_SECRET": "client-secret-not-shown",
			"DEBRIEF_GOOGLE_AUTH_URL":            fu + "/o/oauth2/auth",
			"DEBRIEF_GOOGLE_TOKEN_URL":           fu + "/token",
		})
		admin := s.setup(t, c)
		status := func() wireGoogleConnection {
			t.Helper()
			var st wireGoogleConnection
			r := admin.must(200, "GET", "/api/v1/settings/google", nil)
			r.decode(t, &st)
			for _, secret := range []string{"PRIVATE KEY", "client-secret-not-shown", "1//fake-refresh-"} {
				if bytes.Contains(r.Body, []byte(secret)) {
					t.Fatalf("status shows a secret: %s", r.Body)
				}
			}
			return st
		}
		if st := status(); st.Connected || st.Source != "none" || !st.OAuthAvailable {
			t.Fatalf("initial %+v", st)
		}
		pat := bkPerson(t, admin, "Pat Pager", "pat@example.com", "America/New_York")
		sources := func() string {
			t.Helper()
			var av wireAvailability
			admin.must(200, "POST", "/api/v1/availability", map[string]any{"people": []string{pat},
				"window":           map[string]string{"start": "2027-04-06T00:00:00Z", "end": "2027-04-07T00:00:00Z"},
				"duration_minutes": 30}).decode(t, &av)
			return av.Sources[pat]
		}
		if src := sources(); src != "builtin" {
			t.Fatalf("source before connecting %q", src)
		}

		// Others may not look or touch.
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "fay@example.com", "name": "Fay",
			"role": "facilitator", "password": "a long password for fay"})
		fay := s.signIn(t, c, "fay@example.com", "a long password for fay")
		fay.must(403, "GET", "/api/v1/settings/google", nil).problem(t)
		fay.must(403, "PUT", "/api/v1/settings/google/service-account", map[string]string{"key": "{}", "organizer": "x@example.com"}).problem(t)
		fay.must(403, "POST", "/api/v1/settings/google/oauth", nil).problem(t)
		fay.must(403, "POST", "/api/v1/settings/google/test", nil).problem(t)
		fay.must(403, "DELETE", "/api/v1/settings/google", nil).problem(t)
		admin.must(409, "POST", "/api/v1/settings/google/test", nil).problem(t)

		// A bad key is a 400 naming the field.
		p := admin.must(400, "PUT", "/api/v1/settings/google/service-account", map[string]string{
			"key": `{"type":"authorized_user"}`, "organizer": "organizer@example.com"}).problem(t)
		if f := fieldNames(p); !slices.Contains(f, "key.type") {
			t.Fatalf("fields %v", f)
		}

		// Upload a key file.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("key", "debrief-sa.json")
		_, _ = fw.Write(serviceAccountKey(t, fu+"/token"))
		_ = mw.WriteField("organizer", "organizer@example.com")
		_ = mw.WriteField("conference", "hangoutsMeet")
		_ = mw.Close()
		var st wireGoogleConnection
		admin.must(200, "PUT", "/api/v1/settings/google/service-account", body.Bytes(), mw.FormDataContentType()).decode(t, &st)
		if !st.Connected || st.Kind != "service_account" || st.Organizer != "organizer@example.com" || st.Conference != "hangoutsMeet" {
			t.Fatalf("after upload %+v", st)
		}
		var res struct {
			OK      bool   `json:"ok"`
			Message string `json:"message"`
		}
		admin.must(200, "POST", "/api/v1/settings/google/test", nil).decode(t, &res)
		if !res.OK {
			t.Fatalf("test: %+v", res)
		}
		if st := status(); st.LastTest == nil || !st.LastTest.OK {
			t.Fatalf("last test %+v", st.LastTest)
		}
		if src := sources(); src != "google" {
			t.Fatalf("source after connecting %q", src)
		}
		admin.must(204, "DELETE", "/api/v1/settings/google", nil)
		if st := status(); st.Connected || st.Source != "none" {
			t.Fatalf("after disconnect %+v", st)
		}
		if src := sources(); src != "builtin" {
			t.Fatalf("source after disconnecting %q", src)
		}

		// Connect with Google: the consent page sends the browser back to
		// the callback, which lands on Settings.
		consent := func(cl *client) url.Values {
			t.Helper()
			var start struct {
				AuthURL string `json:"auth_url"`
			}
			cl.must(200, "POST", "/api/v1/settings/google/oauth", nil).decode(t, &start)
			if !strings.HasPrefix(start.AuthURL, fu+"/o/oauth2/auth?") {
				t.Fatalf("auth_url %s", start.AuthURL)
			}
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := hc.Get(start.AuthURL)
			if err != nil {
				t.Fatal(err)
			}
			_ = res.Body.Close()
			loc, err := url.Parse(res.Header.Get("Location"))
			if err != nil || res.StatusCode != http.StatusFound || loc.Path != "/api/v1/settings/google/oauth/callback" ||
				!strings.HasPrefix(res.Header.Get("Location"), s.URL) {
				t.Fatalf("consent page: %d %s", res.StatusCode, res.Header.Get("Location"))
			}
			return loc.Query()
		}
		callback := func(cl *client, q url.Values) url.Values {
			t.Helper()
			r := cl.must(http.StatusSeeOther, "GET", "/api/v1/settings/google/oauth/callback?"+q.Encode(), nil)
			loc, err := url.Parse(r.Header.Get("Location"))
			if err != nil || loc.Path != "/settings" {
				t.Fatalf("callback redirected to %q", r.Header.Get("Location"))
			}
			return loc.Query()
		}

		q := consent(admin)
		// Only the admin who started it can finish it; the attempt uses it up.
		if got := callback(fay, q); got.Get("google") != "error" {
			t.Fatalf("facilitator's callback: %v", got)
		}
		q = consent(admin)
		if got := callback(admin, q); got.Get("google") != "connected" {
			t.Fatalf("callback: %v", got)
		}
		if got := callback(admin, q); got.Get("google") != "error" || got.Get("message") == "" {
			t.Fatalf("replayed callback: %v", got)
		}
		st = status()
		if !st.Connected || st.Kind != "oauth" || st.Organizer != "ada@example.com" || st.Source != "settings" {
			t.Fatalf("after consent %+v", st)
		}
		admin.must(200, "POST", "/api/v1/settings/google/test", nil).decode(t, &res)
		if !res.OK {
			t.Fatalf("test after consent: %+v", res)
		}
		// Consent refused at Google.
		q = consent(admin)
		q.Del("code")
		q.Set("error", "access_denied")
		if got := callback(admin, q); got.Get("google") != "error" || !strings.Contains(got.Get("message"), "not granted") {
			t.Fatalf("denied: %v", got)
		}
		// Signed out: sent back to sign in.
		if got := callback(s.client(t, c), consent(admin)); got.Get("google") != "error" {
			t.Fatalf("signed out: %v", got)
		}
		if st := status(); !st.Connected || st.Kind != "oauth" {
			t.Fatalf("refused callbacks changed the connection: %+v", st)
		}
	})
}

// TestGoogleConnectionFromEnvironment: credentials from the environment
// are shown read-only and cannot be replaced from Settings.
func TestGoogleConnectionFromEnvironment(t *testing.T) {
	fake := calendartest.New(calendartest.Options{})
	fu, err := fake.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	creds := t.TempDir() + "/sa.json"
	if err := os.WriteFile(creds, serviceAccountKey(t, fu+"/token"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := loadContract(t)
	s := startServer(t, config.SQLite, map[string]string{"DEBRIEF_GOOGLE_CREDENTIALS_FILE": creds,
		"DEBRIEF_GOOGLE_ORGANIZER": "organizer@example.com", "DEBRIEF_GOOGLE_ENDPOINT": fu + "/calendar/v3/"})
	admin := s.setup(t, c)
	var st wireGoogleConnection
	admin.must(200, "GET", "/api/v1/settings/google", nil).decode(t, &st)
	if !st.Connected || st.Source != "environment" || !st.ReadOnly || st.Organizer != "organizer@example.com" {
		t.Fatalf("status %+v", st)
	}
	admin.must(409, "DELETE", "/api/v1/settings/google", nil).problem(t)
	admin.must(409, "PUT", "/api/v1/settings/google/service-account", map[string]string{
		"key": string(serviceAccountKey(t, fu+"/token")), "organizer": "organizer@example.com"}).problem(t)
	var res struct {
		OK bool `json:"ok"`
	}
	admin.must(200, "POST", "/api/v1/settings/google/test", nil).decode(t, &res)
	if !res.OK {
		t.Fatal("test of the environment's connection failed")
	}
}
