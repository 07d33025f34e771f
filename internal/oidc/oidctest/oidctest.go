// Package oidctest is Debrief's own fake OpenID provider for tests: just
// enough of Google's sign-in to drive the real relying party end to end,
// on 127.0.0.1.
//
// It serves discovery, a JWKS with an RSA key generated at start, an
// /authorize endpoint that consents at once and redirects back with a code
// for the configured user, and a /token endpoint that checks the client's
// credentials, the redirect URI and the PKCE verifier (S256 only) before it
// returns an RS256-signed ID token carrying the nonce. Tests choose who signs
// in (SetUser), change the claims or the token before it is sent (Claims,
// Token), rotate the signing key, or make /authorize refuse (Deny).
package oidctest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// User is who /authorize signs in.
type User struct {
	Subject       string
	Email         string
	EmailVerified bool
	// HostedDomain is Google's hd claim; empty for a personal account.
	HostedDomain string
	Name         string
}

// Options configure a Provider; zero values take the defaults.
type Options struct {
	// ClientID and ClientSecret are the one registered client
	// ("debrief-test" and "debrief-test-secret" by default).
	ClientID     string
	ClientSecret string
}

// Provider is a running fake.
type Provider struct {
	// URL is the issuer, http://127.0.0.1:port.
	URL          string
	ClientID     string
	ClientSecret string

	srv *httptest.Server

	mu      sync.Mutex
	keys    []*signingKey // the last one signs; all are published
	user    User
	deny    string
	codes   map[string]*grant
	claims  func(map[string]any)
	token   func(string) string
	jwksHit int
	issued  int
}

type signingKey struct {
	kid string
	key *rsa.PrivateKey
}

type grant struct {
	clientID    string
	redirectURI string
	challenge   string
	nonce       string
	user        User
	expires     time.Time
}

// Start starts a fake on 127.0.0.1. Close it when done.
func Start(o Options) (*Provider, error) {
	if o.ClientID == "" {
		o.ClientID = "debrief-test"
	}
	if o.ClientSecret == "" {
		o.ClientSecret = "debrief-test-secret"
	}
	p := &Provider{ClientID: o.ClientID, ClientSecret: o.ClientSecret, codes: map[string]*grant{},
		user: User{Subject: "100000000000000000001", Email: "ada@example.com", EmailVerified: true, Name: "Ada"}}
	if err := p.addKey(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.tokenEndpoint)
	p.srv = httptest.NewUnstartedServer(mux)
	_ = p.srv.Listener.Close()
	p.srv.Listener = ln
	p.srv.Start()
	p.URL = p.srv.URL
	return p, nil
}

// Close stops the fake.
func (p *Provider) Close() { p.srv.Close() }

// SetUser sets who the next /authorize signs in.
func (p *Provider) SetUser(u User) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.user = u
}

// Deny makes /authorize send the browser back with error=code (for
// example access_denied, as when the person clicks Cancel); "" consents
// again.
func (p *Provider) Deny(code string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deny = code
}

// Claims sets a function that may change the ID token's claims before they
// are signed (to make an expired token, a wrong nonce or audience…); nil
// removes it.
func (p *Provider) Claims(f func(map[string]any)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.claims = f
}

// Token sets a function that may change the signed ID token before it is
// sent (to tamper with it); nil removes it.
func (p *Provider) Token(f func(string) string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.token = f
}

// RotateKey signs from now on with a new key, published beside the old
// ones (as a provider does while rotating); drop removes the old ones.
func (p *Provider) RotateKey(drop bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if drop {
		p.keys = nil
	}
	return p.addKey()
}

// JWKSFetches counts requests for the signing keys.
func (p *Provider) JWKSFetches() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.jwksHit
}

// TokensIssued counts ID tokens the token endpoint handed out.
func (p *Provider) TokensIssued() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.issued
}

func (p *Provider) addKey() error {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("generate key: %w", err)
	}
	p.keys = append(p.keys, &signingKey{kid: fmt.Sprintf("key-%d-%s", len(p.keys)+1, random(4)), key: k})
	return nil
}

// Sign returns an RS256 JWT over claims with the current key; header
// entries override the defaults (alg, typ, kid).
func (p *Provider) Sign(claims map[string]any, header map[string]any) string {
	p.mu.Lock()
	k := p.keys[len(p.keys)-1]
	p.mu.Unlock()
	return SignWith(k.key, k.kid, claims, header)
}

// SignWith signs claims with key as an RS256 JWT whose header names kid.
func SignWith(key *rsa.PrivateKey, kid string, claims map[string]any, header map[string]any) string {
	h := map[string]any{"alg": "RS256", "typ": "JWT", "kid": kid}
	for k, v := range header {
		h[k] = v
	}
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(claims)
	input := b64(hb) + "." + b64(cb)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err) // signing with a valid 2048-bit key does not fail
	}
	return input + "." + b64(sig)
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.URL,
		"authorization_endpoint":                p.URL + "/authorize",
		"token_endpoint":                        p.URL + "/token",
		"jwks_uri":                              p.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "email", "profile"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":      []string{"S256"},
		"claims_supported":                      []string{"aud", "email", "email_verified", "exp", "hd", "iat", "iss", "name", "sub"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.jwksHit++
	var keys []map[string]string
	for _, k := range p.keys {
		pub := k.key.PublicKey
		keys = append(keys, map[string]string{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": k.kid,
			"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())})
	}
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
}

// authorize consents at once: it checks the request as Google would and
// sends the browser back to redirect_uri with a code.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("client_id") != p.ClientID:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	case err != nil || !redirect.IsAbs():
		http.Error(w, "redirect_uri must be an absolute URL", http.StatusBadRequest)
		return
	case q.Get("response_type") != "code":
		http.Error(w, "response_type must be code", http.StatusBadRequest)
		return
	case !strings.Contains(" "+q.Get("scope")+" ", " openid "):
		http.Error(w, "scope must include openid", http.StatusBadRequest)
		return
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		http.Error(w, "PKCE with S256 is required", http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	p.mu.Lock()
	if p.deny != "" {
		back.Set("error", p.deny)
	} else {
		code := random(24)
		p.codes[code] = &grant{clientID: p.ClientID, redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"),
			nonce: q.Get("nonce"), user: p.user, expires: time.Now().Add(time.Minute)}
		back.Set("code", code)
	}
	p.mu.Unlock()
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (p *Provider) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	p.mu.Lock()
	code := r.PostForm.Get("code")
	g := p.codes[code]
	delete(p.codes, code) // single use, whatever happens next
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case g == nil || time.Now().After(g.expires) || g.clientID != id:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case r.PostForm.Get("redirect_uri") != g.redirectURI:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case r.PostForm.Get("code_verifier") == "" || b64(sum[:]) != g.challenge:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := time.Now()
	claims := map[string]any{
		"iss": p.URL, "aud": p.ClientID, "azp": p.ClientID, "sub": g.user.Subject,
		"email": g.user.Email, "email_verified": g.user.EmailVerified,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "nonce": g.nonce,
	}
	if g.user.HostedDomain != "" {
		claims["hd"] = g.user.HostedDomain
	}
	if g.user.Name != "" {
		claims["name"] = g.user.Name
	}
	p.mu.Lock()
	mutate, tamper := p.claims, p.token
	p.issued++
	p.mu.Unlock()
	if mutate != nil {
		mutate(claims)
	}
	idToken := p.Sign(claims, nil)
	if tamper != nil {
		idToken = tamper(idToken)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"access_token": random(24), "token_type": "Bearer",
		"expires_in": 3600, "scope": "openid email profile", "id_token": idToken})
}

func tokenError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b64(b)
}
