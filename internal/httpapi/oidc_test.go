package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/httpapi"
	"github.com/debrief-dev/debrief/internal/oidc"
	"github.com/debrief-dev/debrief/internal/oidc/oidctest"
)

// oidcEnv is the real server with sign-in through the fake provider.
type oidcEnv struct {
	t   *testing.T
	db  *database.DB
	acc *accounts.Service
	p   *oidctest.Provider
	url string
}

var oidcKey = []byte(strings.Repeat("k", 40))

func newOIDCEnv(t *testing.T, db *database.DB, p *oidctest.Provider, mods ...func(*oidc.Config, *httpapi.Deps)) *oidcEnv {
	t.Helper()
	acc, err := accounts.NewService(db.Gorm, accounts.Options{Hash: accounts.HashParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := oidc.Config{Issuer: p.URL, ClientID: p.ClientID, ClientSecret: p.ClientSecret, SecretKey: oidcKey, Name: "Google"}
	deps := httpapi.Deps{DB: db, Accounts: acc}
	for _, m := range mods {
		m(&cfg, &deps)
	}
	rp, err := oidc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	deps.OIDC = rp
	srv := httptest.NewServer(httpapi.New(deps))
	t.Cleanup(srv.Close)
	return &oidcEnv{t: t, db: db, acc: acc, p: p, url: srv.URL}
}

func startFakeProvider(t *testing.T) *oidctest.Provider {
	t.Helper()
	p, err := oidctest.Start(oidctest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func (e *oidcEnv) addUser(email string, role actor.Role) accounts.User {
	e.t.Helper()
	u, err := e.acc.CreateUser(e.t.Context(), actor.Actor{Role: actor.Admin}, accounts.NewUser{
		Email: email, Name: strings.Split(email, "@")[0], Role: string(role), Password: "correct horse battery"})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *oidcEnv) subject(userID string) string {
	e.t.Helper()
	var s *string
	if err := e.db.Gorm.Raw("SELECT oidc_subject FROM users WHERE id = ?", userID).Scan(&s).Error; err != nil {
		e.t.Fatal(err)
	}
	if s == nil {
		return ""
	}
	return *s
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t    *testing.T
	e    *oidcEnv
	http *http.Client
}

func (e *oidcEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, http: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type hop struct {
	status   int
	location string
	header   http.Header
	body     []byte
}

func (b *browser) get(u string) hop {
	b.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = b.e.url + u
	}
	res, err := b.http.Get(u)
	if err != nil {
		b.t.Fatalf("GET %s: %v", u, err)
	}
	defer func() { _ = res.Body.Close() }()
	body, _ := io.ReadAll(res.Body)
	return hop{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header, body: body}
}

func (b *browser) redirected(u string) hop {
	b.t.Helper()
	h := b.get(u)
	if h.status != http.StatusFound {
		b.t.Fatalf("GET %s: status %d, want 302\n%s", u, h.status, h.body)
	}
	return h
}

// start opens /start and returns the provider URL it redirects to.
func (b *browser) start(next string) string {
	b.t.Helper()
	h := b.redirected("/api/v1/auth/oidc/start?next=" + url.QueryEscape(next))
	if !strings.HasPrefix(h.location, b.e.p.URL+"/authorize?") {
		b.t.Fatalf("start sent the browser to %s", h.location)
	}
	return h.location
}

// atProvider lets the provider consent and returns the callback URL.
func (b *browser) atProvider(authURL string) string {
	b.t.Helper()
	h := b.redirected(authURL)
	if !strings.HasPrefix(h.location, b.e.url+"/api/v1/auth/oidc/callback?") {
		b.t.Fatalf("provider sent the browser to %s", h.location)
	}
	return h.location
}

// signIn runs the whole flow and returns where the callback sent the
// browser.
func (b *browser) signIn(next string) string {
	b.t.Helper()
	return b.redirected(b.atProvider(b.start(next))).location
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.e.url + "/api/v1/auth/oidc/callback")
	for _, c := range b.http.Jar.Cookies(u) {
		if c.Name == name || (strings.HasSuffix(name, "*") && strings.HasPrefix(c.Name, strings.TrimSuffix(name, "*"))) {
			return c
		}
	}
	return nil
}

func (b *browser) me() (int, map[string]any) {
	b.t.Helper()
	h := b.get("/api/v1/auth/me")
	var m map[string]any
	_ = json.Unmarshal(h.body, &m)
	return h.status, m
}

// refusedWith checks a callback's redirect is to the sign-in page with a
// message containing want, and that no session was opened.
func (b *browser) refusedWith(loc, want string) {
	b.t.Helper()
	u, err := url.Parse(loc)
	if err != nil || u.Path != "/sign-in" || u.Host != "" {
		b.t.Fatalf("refusal went to %q, want /sign-in?error=…", loc)
	}
	if msg := u.Query().Get("error"); !strings.Contains(msg, want) {
		b.t.Fatalf("error = %q, want it to contain %q", msg, want)
	}
	if b.cookie("debrief_session") != nil {
		b.t.Fatal("a refused sign-in set a session cookie")
	}
	if st, _ := b.me(); st != http.StatusUnauthorized {
		b.t.Fatalf("after a refused sign-in /auth/me = %d", st)
	}
}

func TestOIDCSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		p := startFakeProvider(t)
		e := newOIDCEnv(t, db, p)
		priya := e.addUser("priya@example.com", actor.Member)

		t.Run("info", func(t *testing.T) {
			h := e.browser().get("/api/v1/auth/oidc")
			if h.status != 200 || strings.TrimSpace(string(h.body)) != `{"enabled":true,"name":"Google"}` {
				t.Fatalf("%d %s", h.status, h.body)
			}
		})

		t.Run("happy path", func(t *testing.T) {
			p.SetUser(oidctest.User{Subject: "google-priya", Email: "Priya@example.com", EmailVerified: true})
			b := e.browser()
			authURL := b.start("/events/123?tab=chats")
			q, _ := url.Parse(authURL)
			if got := q.Query().Get("redirect_uri"); got != e.url+"/api/v1/auth/oidc/callback" {
				t.Fatalf("redirect_uri = %q", got)
			}
			st := b.cookie("debrief_oidc_*")
			if st == nil || st.Value == "" {
				t.Fatal("no state cookie after /start")
			}
			callback := b.atProvider(authURL)
			h := b.redirected(callback)
			if h.location != "/events/123?tab=chats" {
				t.Fatalf("signed in and sent to %q", h.location)
			}
			if h.header.Get("Cache-Control") != "no-store" {
				t.Errorf("callback Cache-Control = %q", h.header.Get("Cache-Control"))
			}
			var session, cleared *http.Cookie
			for _, c := range (&http.Response{Header: h.header}).Cookies() {
				switch {
				case c.Name == "debrief_session":
					session = c
				case strings.HasPrefix(c.Name, "debrief_oidc_"):
					cleared = c
				}
			}
			if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
				t.Fatalf("session cookie = %+v", session)
			}
			if cleared == nil || cleared.MaxAge >= 0 || b.cookie("debrief_oidc_*") != nil {
				t.Fatalf("state cookie not cleared: %+v", cleared)
			}
			status, me := b.me()
			if status != 200 || me["user"].(map[string]any)["email"] != "priya@example.com" || me["csrf_token"] == "" {
				t.Fatalf("/auth/me = %d %v", status, me)
			}
			if got := e.subject(priya.ID); got != "google-priya" {
				t.Fatalf("subject recorded as %q", got)
			}
			// The callback cannot be replayed: the state cookie is gone and
			// the code was used.
			b.refusedWithSession(b.redirected(callback).location, "could not be matched to this browser")
		})

		t.Run("signing in again replaces the old session", func(t *testing.T) {
			p.SetUser(oidctest.User{Subject: "google-priya", Email: "priya@example.com", EmailVerified: true})
			b := e.browser()
			b.signIn("/events")
			first := b.cookie("debrief_session").Value
			if loc := b.signIn("/people"); loc != "/people" {
				t.Fatalf("second sign-in went to %s", loc)
			}
			if b.cookie("debrief_session").Value == first {
				t.Fatal("the session secret did not change")
			}
			if _, err := e.acc.AuthenticateSession(t.Context(), first); !accounts.IsUnauthenticated(err) {
				t.Fatalf("the replaced session still works: %v", err)
			}
		})

		t.Run("unknown email", func(t *testing.T) {
			p.SetUser(oidctest.User{Subject: "google-newcomer", Email: "newcomer@example.com", EmailVerified: true})
			b := e.browser()
			b.refusedWith(b.signIn("/events"), "No Debrief account uses newcomer@example.com; ask an admin to add you")
		})

		t.Run("email not verified", func(t *testing.T) {
			p.SetUser(oidctest.User{Subject: "google-priya", Email: "priya@example.com", EmailVerified: false})
			b := e.browser()
			b.refusedWith(b.signIn("/events"), "Google has not verified the email address priya@example.com")
		})

		p.SetUser(oidctest.User{Subject: "google-priya", Email: "priya@example.com", EmailVerified: true})
		for name, tc := range map[string]struct {
			claims func(map[string]any)
			token  func(string) string
		}{
			"wrong nonce": {claims: func(c map[string]any) { c["nonce"] = "not-the-one" }},
			"expired token": {claims: func(c map[string]any) {
				c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
			}},
			"tampered signature": {token: func(s string) string {
				i := strings.LastIndex(s, ".")
				sig := []byte(s[i+1:])
				sig[5] = map[bool]byte{true: 'B', false: 'A'}[sig[5] == 'A']
				return s[:i+1] + string(sig)
			}},
			"wrong audience": {claims: func(c map[string]any) { c["aud"], c["azp"] = "someone-else", "someone-else" }},
		} {
			t.Run(name, func(t *testing.T) {
				p.Claims(tc.claims)
				p.Token(tc.token)
				defer p.Claims(nil)
				defer p.Token(nil)
				b := e.browser()
				b.refusedWith(b.signIn("/events"), "Google's answer could not be verified")
			})
		}

		t.Run("wrong state", func(t *testing.T) {
			b := e.browser()
			cb, _ := url.Parse(b.atProvider(b.start("/events")))
			q := cb.Query()
			q.Set("state", strings.Repeat("A", 43))
			cb.RawQuery = q.Encode()
			b.refusedWith(b.redirected(cb.String()).location, "could not be matched to this browser")
		})

		t.Run("callback carried to another browser", func(t *testing.T) {
			// Login CSRF: an attacker's own callback URL opened in the
			// victim's browser, which holds no state cookie for it.
			attacker := e.browser()
			cb := attacker.atProvider(attacker.start("/events"))
			victim := e.browser()
			victim.refusedWith(victim.redirected(cb).location, "could not be matched to this browser")
		})

		t.Run("provider refused", func(t *testing.T) {
			p.Deny("access_denied")
			defer p.Deny("")
			b := e.browser()
			b.refusedWith(b.signIn("/events"), "Signing in with Google was canceled")
			p.Deny("<script>alert(1)</script>")
			b.refusedWith(b.signIn("/events"), "Google refused the sign-in (an error)")
		})

		t.Run("subject mismatch on a later sign-in", func(t *testing.T) {
			p.SetUser(oidctest.User{Subject: "google-someone-else", Email: "priya@example.com", EmailVerified: true})
			b := e.browser()
			b.refusedWith(b.signIn("/events"), "The Debrief account for priya@example.com signs in with a different account at the identity provider")
			if got := e.subject(priya.ID); got != "google-priya" {
				t.Fatalf("subject changed to %q", got)
			}
		})

		t.Run("inactive user", func(t *testing.T) {
			u := e.addUser("omar@example.com", actor.Facilitator)
			if _, err := e.acc.UpdateUser(t.Context(), actor.Actor{Role: actor.Admin}, u.ID, accounts.UserPatch{Active: new(false)}); err != nil {
				t.Fatal(err)
			}
			p.SetUser(oidctest.User{Subject: "google-omar", Email: "omar@example.com", EmailVerified: true})
			b := e.browser()
			b.refusedWith(b.signIn("/events"), "The Debrief account for omar@example.com is deactivated")
			if got := e.subject(u.ID); got != "" {
				t.Fatalf("an inactive account got subject %q", got)
			}
		})

		t.Run("next must stay on this site", func(t *testing.T) {
			p.SetUser(oidctest.User{Subject: "google-priya", Email: "priya@example.com", EmailVerified: true})
			for _, next := range []string{"//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example",
				"javascript:alert(1)", "evil.example", "/%0a/evil.example", "/%2F/evil.example", "/%5Cevil.example", "///evil.example", "/ok//evil.example",
				"http:/evil.example", ""} {
				b := e.browser()
				if loc := b.signIn(next); loc != "/events" {
					t.Errorf("next=%q: sent to %q, want /events", next, loc)
				}
			}
			b := e.browser()
			if loc := b.signIn("/guides/x?y=1#z"); loc != "/guides/x?y=1#z" {
				t.Errorf("a good next was not kept: %q", loc)
			}
		})
	})
}

// refusedWithSession is refusedWith for a browser that is already signed
// in: the refusal must leave its session alone.
func (b *browser) refusedWithSession(loc, want string) {
	b.t.Helper()
	u, _ := url.Parse(loc)
	if u.Path != "/sign-in" || !strings.Contains(u.Query().Get("error"), want) {
		b.t.Fatalf("went to %q, want /sign-in with %q", loc, want)
	}
}

func TestOIDCAllowedDomains(t *testing.T) {
	db := dbtest.New(t, "sqlite")
	p := startFakeProvider(t)
	e := newOIDCEnv(t, db, p, func(c *oidc.Config, _ *httpapi.Deps) { c.AllowedDomains = []string{"example.com"} })
	e.addUser("ada@example.com", actor.Admin)
	e.addUser("eve@evil.example", actor.Member)

	p.SetUser(oidctest.User{Subject: "g-eve", Email: "eve@evil.example", EmailVerified: true, HostedDomain: "evil.example"})
	b := e.browser()
	b.refusedWith(b.signIn("/events"), "Accounts of evil.example cannot sign in to Debrief")

	// A personal Google account with the work address is not the
	// organization's account.
	p.SetUser(oidctest.User{Subject: "g-ada-personal", Email: "ada@example.com", EmailVerified: true})
	b = e.browser()
	b.refusedWith(b.signIn("/events"), "Only accounts of example.com can sign in to Debrief, and ada@example.com is not one")

	p.SetUser(oidctest.User{Subject: "g-ada", Email: "ada@example.com", EmailVerified: true, HostedDomain: "example.com"})
	b = e.browser()
	if loc := b.signIn("/events"); loc != "/events" {
		t.Fatalf("allowed domain went to %s", loc)
	}
	if st, _ := b.me(); st != 200 {
		t.Fatalf("/auth/me = %d", st)
	}
}

func TestOIDCRedirectURLFromBaseURL(t *testing.T) {
	db := dbtest.New(t, "sqlite")
	p := startFakeProvider(t)
	e := newOIDCEnv(t, db, p, func(_ *oidc.Config, d *httpapi.Deps) { d.BaseURL = "https://debrief.example.com" })
	u, _ := url.Parse(e.browser().start("/events"))
	if got := u.Query().Get("redirect_uri"); got != "https://debrief.example.com/api/v1/auth/oidc/callback" {
		t.Fatalf("redirect_uri = %q", got)
	}
}

func TestOIDCProviderUnreachable(t *testing.T) {
	db := dbtest.New(t, "sqlite")
	p := startFakeProvider(t)
	e := newOIDCEnv(t, db, p)
	p.Close()
	b := e.browser()
	h := b.redirected("/api/v1/auth/oidc/start?next=/events")
	b.refusedWith(h.location, "Could not reach Google; try again in a minute")
}

func TestOIDCDisabled(t *testing.T) {
	db := dbtest.New(t, "sqlite")
	acc, err := accounts.NewService(db.Gorm, accounts.Options{Hash: accounts.HashParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{DB: db, Accounts: acc}))
	t.Cleanup(srv.Close)
	b := (&oidcEnv{t: t, url: srv.URL}).browser()
	h := b.get("/api/v1/auth/oidc")
	if h.status != 200 || strings.TrimSpace(string(h.body)) != `{"enabled":false,"name":""}` {
		t.Fatalf("%d %s", h.status, h.body)
	}
	for _, path := range []string{"/api/v1/auth/oidc/start?next=/events", "/api/v1/auth/oidc/callback?code=x&state=y"} {
		h := b.get(path)
		if h.status != 404 || !strings.HasPrefix(h.header.Get("Content-Type"), "application/problem+json") ||
			!strings.Contains(string(h.body), "https://debrief.dev/problems/not_found") {
			t.Fatalf("GET %s: %d %s %s", path, h.status, h.header.Get("Content-Type"), h.body)
		}
	}
}
