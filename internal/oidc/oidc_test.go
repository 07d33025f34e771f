package oidc_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/oidc"
	"github.com/debrief-dev/debrief/internal/oidc/oidctest"
)

const callback = "http://127.0.0.1:9/api/v1/auth/oidc/callback"

var secret = []byte(strings.Repeat("s", 40))

func startProvider(t *testing.T) *oidctest.Provider {
	t.Helper()
	p, err := oidctest.Start(oidctest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") {
		t.Fatalf("fake provider at %s, want 127.0.0.1", p.URL)
	}
	return p
}

// clock is a settable time source that starts at the real time (the fake
// signs with the real time).
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func newRP(t *testing.T, p *oidctest.Provider, mods ...func(*oidc.Config)) (*oidc.RelyingParty, *clock) {
	t.Helper()
	clk := &clock{}
	cfg := oidc.Config{Issuer: p.URL, ClientID: p.ClientID, ClientSecret: p.ClientSecret, SecretKey: secret, Now: clk.Now}
	for _, m := range mods {
		m(&cfg)
	}
	rp, err := oidc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rp, clk
}

// browser follows the flow as a browser would, without following the
// provider's redirect back: it returns the callback's query.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != callback {
		t.Fatalf("provider sent the browser to %s, want %s", got, callback)
	}
	return loc.Query()
}

// signIn runs a whole sign-in and returns the identity or the refusal.
func signIn(t *testing.T, rp *oidc.RelyingParty) (oidc.Identity, error) {
	t.Helper()
	ctx := context.Background()
	st, err := rp.Begin(ctx, callback, "/events")
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	q := authorize(t, st.AuthURL)
	if q.Get("state") != st.State {
		t.Fatalf("state came back as %q, want %q", q.Get("state"), st.State)
	}
	f, err := rp.Resume(st.Cookie, q.Get("state"))
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if f.Next() != "/events" {
		t.Fatalf("next = %q", f.Next())
	}
	return rp.Finish(ctx, f, q.Get("code"))
}

// refused checks err is an apperr with code whose message mentions want.
func refused(t *testing.T, err error, code apperr.Code, want string) {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok {
		t.Fatalf("err = %v, want an apperr %s", err, code)
	}
	t.Logf("refused: %v", ae)
	if ae.Code != code || !strings.Contains(ae.Message, want) {
		t.Fatalf("err = %s %q, want %s mentioning %q", ae.Code, ae.Message, code, want)
	}
}

func TestHappyPath(t *testing.T) {
	p := startProvider(t)
	p.SetUser(oidctest.User{Subject: "sub-priya", Email: "Priya@Example.com", EmailVerified: true,
		HostedDomain: "example.com", Name: "Priya"})
	rp, _ := newRP(t, p)
	st, err := rp.Begin(context.Background(), callback, "/events")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(st.AuthURL)
	q := u.Query()
	for k, want := range map[string]string{"response_type": "code", "client_id": p.ClientID, "redirect_uri": callback,
		"code_challenge_method": "S256", "scope": "openid email profile", "state": st.State, "prompt": "select_account"} {
		if q.Get(k) != want {
			t.Errorf("auth URL %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if q.Get("nonce") == "" || len(q.Get("code_challenge")) != 43 {
		t.Errorf("auth URL lacks a nonce or an S256 challenge: %s", st.AuthURL)
	}
	if strings.Contains(st.Cookie, q.Get("nonce")) || st.MaxAge <= 0 {
		t.Errorf("the cookie shows the nonce in clear or has no lifetime")
	}
	id, err := signIn(t, rp)
	if err != nil {
		t.Fatal(err)
	}
	if id.Email != "Priya@Example.com" || id.Subject != "sub-priya" || id.HostedDomain != "example.com" || id.Name != "Priya" {
		t.Fatalf("identity = %+v", id)
	}
	if rp.Name() != "single sign-on" {
		t.Errorf("name = %q", rp.Name())
	}
}

func TestNameAndConfig(t *testing.T) {
	rp, err := oidc.New(oidc.Config{Issuer: "https://accounts.google.com", ClientID: "x", SecretKey: secret})
	if err != nil || rp.Name() != "Google" {
		t.Fatalf("google: %v %v", rp, err)
	}
	for _, c := range []oidc.Config{
		{Issuer: "http://accounts.example.com", ClientID: "x", SecretKey: secret}, // http off loopback
		{Issuer: "https://accounts.google.com", SecretKey: secret},                // no client id
		{Issuer: "https://accounts.google.com", ClientID: "x", SecretKey: []byte("short")},
		{Issuer: "accounts.google.com", ClientID: "x", SecretKey: secret},
		{Issuer: "https://accounts.google.com", ClientID: "x", SecretKey: secret, AllowedDomains: []string{"@example.com"}},
	} {
		if _, err := oidc.New(c); err == nil {
			t.Errorf("New(%+v) accepted", c)
		}
	}
}

func TestRefusals(t *testing.T) {
	p := startProvider(t)
	rp, _ := newRP(t, p)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := time.Now()
	cases := []struct {
		name   string
		user   *oidctest.User
		claims func(map[string]any)
		token  func(string) string
		code   apperr.Code
		want   string
	}{
		{name: "email not verified", user: &oidctest.User{Subject: "s", Email: "eve@example.com", EmailVerified: false},
			code: apperr.Unauthenticated, want: "has not verified the email address eve@example.com"},
		{name: "no email", claims: func(c map[string]any) { delete(c, "email") }, code: apperr.Unauthenticated, want: "did not share an email"},
		{name: "wrong nonce", claims: func(c map[string]any) { c["nonce"] = "someone-elses" }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "no nonce", claims: func(c map[string]any) { delete(c, "nonce") }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "expired", claims: func(c map[string]any) {
			c["iat"], c["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-time.Hour).Unix()
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "issued long ago", claims: func(c map[string]any) { c["iat"] = now.Add(-time.Hour).Unix() }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "issued in the future", claims: func(c map[string]any) { c["iat"] = now.Add(time.Hour).Unix() }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "not yet valid", claims: func(c map[string]any) { c["nbf"] = now.Add(time.Hour).Unix() }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "no exp", claims: func(c map[string]any) { delete(c, "exp") }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "wrong issuer", claims: func(c map[string]any) { c["iss"] = "https://accounts.google.com" }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "wrong audience", claims: func(c map[string]any) { c["aud"] = "another-client"; delete(c, "azp") }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "several audiences without azp", claims: func(c map[string]any) {
			c["aud"] = []string{p.ClientID, "another-client"}
			delete(c, "azp")
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "wrong azp", claims: func(c map[string]any) { c["azp"] = "another-client" }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "no subject", claims: func(c map[string]any) { c["sub"] = "" }, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "tampered signature", token: func(s string) string {
			sig := []byte(s[strings.LastIndex(s, ".")+1:])
			sig[10] ^= 'A' ^ 'B'
			if sig[10] == s[strings.LastIndex(s, ".")+11] {
				sig[10] = 'Q'
			}
			return s[:strings.LastIndex(s, ".")+1] + string(sig)
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "tampered claims", token: func(s string) string {
			parts := strings.Split(s, ".")
			b, _ := base64.RawURLEncoding.DecodeString(parts[1])
			var c map[string]any
			_ = json.Unmarshal(b, &c)
			c["email"] = "admin@example.com"
			b, _ = json.Marshal(c)
			return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "signed by an unknown key", token: func(s string) string {
			return oidctest.SignWith(other, "rogue", claimsOf(s), nil)
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "unknown key claiming the real kid", token: func(s string) string {
			return oidctest.SignWith(other, headerOf(s)["kid"].(string), claimsOf(s), nil)
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "alg none", token: func(s string) string {
			h, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT"})
			parts := strings.Split(s, ".")
			return base64.RawURLEncoding.EncodeToString(h) + "." + parts[1] + "."
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "HS256 keyed with the public key", token: func(s string) string {
			jwks := fetchJWKS(t, p.URL+"/jwks")
			h, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT", "kid": headerOf(s)["kid"].(string)})
			input := base64.RawURLEncoding.EncodeToString(h) + "." + strings.Split(s, ".")[1]
			m := hmac.New(sha256.New, jwks)
			m.Write([]byte(input))
			return input + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "critical header", token: func(s string) string {
			return p.Sign(claimsOf(s), map[string]any{"crit": []string{"exp"}})
		}, code: apperr.Unauthenticated, want: "could not be verified"},
		{name: "not a JWT", token: func(string) string { return "not.a-jwt" }, code: apperr.Unauthenticated, want: "could not be verified"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := oidctest.User{Subject: "sub-1", Email: "ada@example.com", EmailVerified: true}
			if c.user != nil {
				u = *c.user
			}
			p.SetUser(u)
			p.Claims(c.claims)
			p.Token(c.token)
			defer p.Claims(nil)
			defer p.Token(nil)
			id, err := signIn(t, rp)
			if err == nil {
				t.Fatalf("signed in as %+v", id)
			}
			refused(t, err, c.code, c.want)
		})
	}
	// After all that, a good token still works.
	p.SetUser(oidctest.User{Subject: "sub-1", Email: "ada@example.com", EmailVerified: true})
	if _, err := signIn(t, rp); err != nil {
		t.Fatal(err)
	}
}

func TestEmailVerifiedAsString(t *testing.T) {
	p := startProvider(t)
	rp, _ := newRP(t, p)
	p.Claims(func(c map[string]any) { c["email_verified"] = "true" })
	if _, err := signIn(t, rp); err != nil {
		t.Fatalf(`"true" as a string: %v`, err)
	}
	p.Claims(func(c map[string]any) { c["email_verified"] = "false" })
	_, err := signIn(t, rp)
	refused(t, err, apperr.Unauthenticated, "has not verified")
}

func TestAllowedDomains(t *testing.T) {
	p := startProvider(t)
	rp, _ := newRP(t, p, func(c *oidc.Config) { c.AllowedDomains = []string{"Example.com", "example.org"} })
	st, err := rp.Begin(context.Background(), callback, "/")
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse(st.AuthURL); u.Query().Has("hd") {
		t.Errorf("hd hint sent with two allowed domains: %s", st.AuthURL)
	}
	p.SetUser(oidctest.User{Subject: "a", Email: "ada@example.com", EmailVerified: true, HostedDomain: "example.com"})
	if _, err := signIn(t, rp); err != nil {
		t.Fatalf("allowed domain: %v", err)
	}
	p.SetUser(oidctest.User{Subject: "b", Email: "eve@evil.example", EmailVerified: true, HostedDomain: "evil.example"})
	_, err = signIn(t, rp)
	refused(t, err, apperr.Forbidden, "accounts of evil.example cannot sign in")
	// A personal account (no hd) whose address is on an allowed domain is
	// still not the organization's account.
	p.SetUser(oidctest.User{Subject: "c", Email: "ada@example.com", EmailVerified: true})
	_, err = signIn(t, rp)
	refused(t, err, apperr.Forbidden, "only accounts of example.com or example.org can sign in to Debrief, and ada@example.com is not one")

	one, _ := newRP(t, p, func(c *oidc.Config) { c.AllowedDomains = []string{"example.com"} })
	st, err = one.Begin(context.Background(), callback, "/")
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse(st.AuthURL); u.Query().Get("hd") != "example.com" {
		t.Errorf("no hd hint with one allowed domain: %s", st.AuthURL)
	}
}

func TestStateIsBoundToTheBrowser(t *testing.T) {
	p := startProvider(t)
	rp, clk := newRP(t, p)
	ctx := context.Background()
	a, err := rp.Begin(ctx, callback, "/a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := rp.Begin(ctx, callback, "/b")
	if err != nil {
		t.Fatal(err)
	}
	if a.State == b.State || a.Cookie == b.Cookie {
		t.Fatal("two flows share a state")
	}
	qa := authorize(t, a.AuthURL)
	// The callback for flow a arriving in a browser that holds only b's
	// cookie (a code injected from elsewhere) is refused.
	_, err = rp.Resume(b.Cookie, qa.Get("state"))
	refused(t, err, apperr.Unauthenticated, "could not be matched to this browser")
	// No cookie at all.
	_, err = rp.Resume("", qa.Get("state"))
	refused(t, err, apperr.Unauthenticated, "could not be matched")
	// No state.
	_, err = rp.Resume(a.Cookie, "")
	refused(t, err, apperr.Unauthenticated, "could not be matched")
	// A changed cookie does not open.
	raw, _ := base64.RawURLEncoding.DecodeString(a.Cookie)
	raw[len(raw)-1] ^= 1
	_, err = rp.Resume(base64.RawURLEncoding.EncodeToString(raw), qa.Get("state"))
	refused(t, err, apperr.Unauthenticated, "could not be matched")
	// A cookie sealed under another key does not open either.
	stranger, _ := newRP(t, p, func(c *oidc.Config) { c.SecretKey = []byte(strings.Repeat("t", 40)) })
	_, err = stranger.Resume(a.Cookie, qa.Get("state"))
	refused(t, err, apperr.Unauthenticated, "could not be matched")

	// The right pair works, once: the code is single-use at the provider.
	f, err := rp.Resume(a.Cookie, qa.Get("state"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rp.Finish(ctx, f, qa.Get("code")); err != nil {
		t.Fatal(err)
	}
	_, err = rp.Finish(ctx, f, qa.Get("code"))
	refused(t, err, apperr.Unauthenticated, "did not accept the sign-in")
	// No code.
	_, err = rp.Finish(ctx, f, "")
	refused(t, err, apperr.Unauthenticated, "sent no authorization code")

	// A flow left for longer than its lifetime is refused.
	qb := authorize(t, b.AuthURL)
	clk.Advance(11 * time.Minute)
	_, err = rp.Resume(b.Cookie, qb.Get("state"))
	refused(t, err, apperr.Unauthenticated, "took too long")
}

func TestKeyRotation(t *testing.T) {
	p := startProvider(t)
	rp, _ := newRP(t, p)
	if _, err := signIn(t, rp); err != nil {
		t.Fatal(err)
	}
	if _, err := signIn(t, rp); err != nil {
		t.Fatal(err)
	}
	if n := p.JWKSFetches(); n != 1 {
		t.Fatalf("keys fetched %d times for two sign-ins, want 1 (cached)", n)
	}
	// The provider rotates and withdraws the old key. Within the refresh
	// guard the new key is not fetched yet...
	if err := p.RotateKey(true); err != nil {
		t.Fatal(err)
	}
	_, err := signIn(t, rp)
	refused(t, err, apperr.Unauthenticated, "could not be verified")
	// ...and once it has passed, an unknown kid fetches the keys again.
	oidc.SetKeyRefresh(rp, 0)
	if _, err := signIn(t, rp); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if n := p.JWKSFetches(); n != 2 {
		t.Fatalf("keys fetched %d times, want 2", n)
	}
	if _, err := signIn(t, rp); err != nil {
		t.Fatal(err)
	}
	if n := p.JWKSFetches(); n != 2 {
		t.Fatalf("keys fetched %d times after a known kid, want 2", n)
	}
}

func TestUnknownKidsDoNotFloodTheProvider(t *testing.T) {
	p := startProvider(t)
	rp, _ := newRP(t, p)
	if _, err := signIn(t, rp); err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	for i := range 5 {
		p.Token(func(s string) string {
			return oidctest.SignWith(other, "rogue-"+string(rune('a'+i)), claimsOf(s), nil)
		})
		_, err := signIn(t, rp)
		refused(t, err, apperr.Unauthenticated, "could not be verified")
	}
	if n := p.JWKSFetches(); n != 1 {
		t.Fatalf("keys fetched %d times, want 1: unknown kids must not each trigger a fetch", n)
	}
}

func TestProviderUnreachable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	u := dead.URL
	dead.Close()
	rp, err := oidc.New(oidc.Config{Issuer: u, ClientID: "x", SecretKey: secret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = rp.Begin(context.Background(), callback, "/")
	refused(t, err, apperr.Unavailable, "could not reach single sign-on")
}

func TestDiscoveryMustBeTheIssuers(t *testing.T) {
	p := startProvider(t)
	// A server whose discovery document names another issuer.
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
			"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/jwks"})
	})
	imp := httptest.NewServer(mux)
	defer imp.Close()
	rp, err := oidc.New(oidc.Config{Issuer: imp.URL, ClientID: p.ClientID, SecretKey: secret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = rp.Begin(context.Background(), callback, "/")
	refused(t, err, apperr.Unavailable, "could not reach")
	if ae, _ := apperr.As(err); !strings.Contains(ae.Error(), "is for issuer") {
		t.Fatalf("cause = %v", ae)
	}
}

func claimsOf(tok string) map[string]any { return segment(tok, 1) }
func headerOf(tok string) map[string]any { return segment(tok, 0) }

func segment(tok string, i int) map[string]any {
	b, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[i])
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func fetchJWKS(t *testing.T, u string) []byte {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	n, _ := base64.RawURLEncoding.DecodeString(doc.Keys[0]["n"])
	return n
}
