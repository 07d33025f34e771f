package main

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/oidc/oidctest"
)

// Sign in with Google through the real binary's wiring (DEBRIEF_OIDC_*)
// against the project's fake OpenID provider. The handlers' refusals are
// covered in internal/httpapi; this shows serve puts it all together.

func startProvider(t *testing.T) *oidctest.Provider {
	t.Helper()
	p, err := oidctest.Start(oidctest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func oidcEnv(p *oidctest.Provider) map[string]string {
	return map[string]string{"DEBRIEF_OIDC_ISSUER": p.URL, "DEBRIEF_OIDC_CLIENT_ID": p.ClientID,
		"DEBRIEF_OIDC_CLIENT_SECRET": p.ClientSecret}
}

// follow GETs an absolute or server-relative URL without following the
// redirect, and returns the Location it answered with (status 302).
func (c *client) follow(u string) string {
	c.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = c.base + u
	}
	res, err := c.http.Get(u)
	if err != nil {
		c.t.Fatalf("GET %s: %v", u, err)
	}
	defer func() { _ = res.Body.Close() }()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusFound {
		c.t.Fatalf("GET %s: status %d, want 302\n%s", u, res.StatusCode, body)
	}
	return res.Header.Get("Location")
}

// oidcSignIn runs start → provider → callback and returns where the
// callback sent the browser.
func (c *client) oidcSignIn(next string) string {
	c.t.Helper()
	return c.follow(c.follow(c.follow("/api/v1/auth/oidc/start?next=" + url.QueryEscape(next))))
}

func TestSignInWithGoogle(t *testing.T) {
	dialects(t, func(t *testing.T, d config.Dialect) {
		c := loadContract(t)
		p := startProvider(t)
		s := startServer(t, d, oidcEnv(p))
		admin := s.setup(t, c)
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "priya@example.com", "name": "Priya",
			"role": "facilitator", "password": "correct horse battery"})

		anon := s.client(t, c)
		var info struct {
			Enabled bool   `json:"enabled"`
			Name    string `json:"name"`
		}
		anon.must(200, "GET", "/api/v1/auth/oidc", nil).decode(t, &info)
		if !info.Enabled || info.Name != "single sign-on" {
			t.Fatalf("info = %+v", info)
		}

		// Happy path: the account exists, so the browser comes back signed in.
		p.SetUser(oidctest.User{Subject: "google-priya", Email: "priya@example.com", EmailVerified: true})
		b := s.client(t, c)
		if loc := b.oidcSignIn("/events"); loc != "/events" {
			t.Fatalf("signed in and sent to %q", loc)
		}
		var me session
		b.must(200, "GET", "/api/v1/auth/me", nil).decode(t, &me)
		if me.User.Email != "priya@example.com" || me.User.Role != "facilitator" || me.CSRFToken == "" {
			t.Fatalf("me = %+v", me)
		}
		// The session is a real one: it can change things with its CSRF token.
		b.csrf = me.CSRFToken
		b.must(201, "POST", "/api/v1/tokens", map[string]string{"name": "from google"})
		b.must(204, "POST", "/api/v1/auth/sign-out", nil)
		b.must(401, "GET", "/api/v1/auth/me", nil)

		// The subject was recorded: another Google account with the same
		// address is refused.
		p.SetUser(oidctest.User{Subject: "google-impostor", Email: "priya@example.com", EmailVerified: true})
		loc := s.client(t, c).oidcSignIn("/events")
		if !strings.HasPrefix(loc, "/sign-in?error=") || !strings.Contains(loc, "different+account") {
			t.Fatalf("impostor sent to %q", loc)
		}

		// No account, no self-registration.
		p.SetUser(oidctest.User{Subject: "google-x", Email: "newcomer@example.com", EmailVerified: true})
		stranger := s.client(t, c)
		loc = stranger.oidcSignIn("/events")
		u, _ := url.Parse(loc)
		if u.Path != "/sign-in" || u.Query().Get("error") != "No Debrief account uses newcomer@example.com; ask an admin to add you" {
			t.Fatalf("stranger sent to %q", loc)
		}
		stranger.must(401, "GET", "/api/v1/auth/me", nil)

		// next cannot leave the site.
		p.SetUser(oidctest.User{Subject: "google-priya", Email: "priya@example.com", EmailVerified: true})
		for _, next := range []string{"//evil.example", "https://evil.example"} {
			if loc := s.client(t, c).oidcSignIn(next); loc != "/events" {
				t.Errorf("next=%q: sent to %q", next, loc)
			}
		}

		// The password still works for the same account.
		s.signIn(t, c, "priya@example.com", "correct horse battery").must(200, "GET", "/api/v1/auth/me", nil)
	})
}

func TestSignInWithGoogleAllowedDomainsAndDisabled(t *testing.T) {
	c := loadContract(t)
	p := startProvider(t)
	env := oidcEnv(p)
	env["DEBRIEF_OIDC_ALLOWED_DOMAINS"] = "example.com"
	s := startServer(t, config.SQLite, env)
	s.setup(t, c) // ada@example.com, the admin
	p.SetUser(oidctest.User{Subject: "google-ada", Email: "ada@example.com", EmailVerified: true, HostedDomain: "other.example"})
	loc := s.client(t, c).oidcSignIn("/events")
	if !strings.HasPrefix(loc, "/sign-in?error=") || !strings.Contains(loc, "other.example") {
		t.Fatalf("disallowed domain sent to %q", loc)
	}
	p.SetUser(oidctest.User{Subject: "google-ada", Email: "ada@example.com", EmailVerified: true, HostedDomain: "example.com"})
	b := s.client(t, c)
	if loc := b.oidcSignIn("/people"); loc != "/people" {
		t.Fatalf("allowed domain sent to %q", loc)
	}
	b.must(200, "GET", "/api/v1/auth/me", nil)

	// Without DEBRIEF_OIDC_* nothing is offered.
	plain := startServer(t, config.SQLite, nil)
	anon := plain.client(t, c)
	if r := anon.must(200, "GET", "/api/v1/auth/oidc", nil); !strings.Contains(string(r.Body), `"enabled":false`) {
		t.Fatalf("info = %s", r.Body)
	}
	anon.must(404, "GET", "/api/v1/auth/oidc/start?next=/events", nil).problem(t)
}

// serve starts while the provider is down, and sign-in says so instead of
// failing.
func TestSignInWithGoogleProviderDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	_ = ln.Close()
	c := loadContract(t)
	s := startServer(t, config.SQLite, map[string]string{"DEBRIEF_OIDC_ISSUER": dead, "DEBRIEF_OIDC_CLIENT_ID": "x"})
	loc := s.client(t, c).follow("/api/v1/auth/oidc/start?next=/events")
	if !strings.HasPrefix(loc, "/sign-in?error=Could+not+reach") {
		t.Fatalf("sent to %q", loc)
	}
	// A misconfigured issuer stops serve at start, by name.
	err = run(t.Context(), []string{"serve"}, func(k string) string {
		return map[string]string{"DEBRIEF_OIDC_ISSUER": "http://accounts.example.com", "DEBRIEF_OIDC_CLIENT_ID": "x",
			"DEBRIEF_DATA_DIR": t.TempDir(), "DEBRIEF_ADDR": "127.0.0.1:0"}[k]
	}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "DEBRIEF_OIDC_ISSUER") {
		t.Fatalf("serve with an http issuer: %v", err)
	}
}
