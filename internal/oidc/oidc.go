// Package oidc is Debrief's OpenID Connect relying party: "Sign in with
// Google" (or any OpenID provider) by the authorization-code flow with PKCE.
//
// It finds the provider's endpoints by discovery, sends the browser there
// with a fresh state, nonce and PKCE verifier, and on the way back exchanges
// the code and verifies the ID token itself: an RS256 signature against the
// provider's published keys (cached, refetched when the provider rotates
// them), the issuer, the audience, the token's age, the nonce, a verified
// email and, when configured, the hosted domain. What it returns is a
// verified email and the provider's stable subject for the person; deciding
// who that is in Debrief is the accounts package's business.
//
// Nothing here is kept in a process's memory that another serve process
// needs: the state of a sign-in in progress travels with the browser in a
// short-lived cookie sealed with the server's secret key (see state.go).
package oidc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// Config configures the relying party. Issuer, ClientID and SecretKey are
// required.
type Config struct {
	// Issuer is the provider's issuer URL, e.g. https://accounts.google.com.
	Issuer       string
	ClientID     string
	ClientSecret string
	// AllowedDomains, when not empty, admits only accounts whose hosted
	// domain (Google's hd claim: the Google Workspace domain) is one of
	// these. A personal account has no hosted domain and is refused.
	AllowedDomains []string
	// Name is what the sign-in page calls the provider; by default
	// "Google" for Google's issuer and "single sign-on" otherwise.
	Name string
	// SecretKey seals the state cookie (DEBRIEF_SECRET_KEY; every serve
	// process must share it). At least 32 bytes.
	SecretKey []byte
	// HTTPClient reaches the provider; by default one with a 10 s timeout.
	HTTPClient *http.Client
	// Now is the clock; time.Now by default.
	Now func() time.Time
}

// Tolerances for the ID token's times.
const (
	// clockSkew is how far the provider's clock may be from ours.
	clockSkew = time.Minute
	// maxTokenAge bounds how long ago the token may have been issued: it
	// was minted for this sign-in moments ago, at the token endpoint.
	maxTokenAge = 10 * time.Minute
	// flowTTL is how long a person has between leaving for the provider
	// and coming back.
	flowTTL = 10 * time.Minute
	// metadataTTL is how long discovery results are trusted.
	metadataTTL = 24 * time.Hour
)

// RelyingParty runs sign-ins against one provider. It is safe for
// concurrent use.
type RelyingParty struct {
	cfg     Config
	name    string
	domains map[string]bool
	client  *http.Client
	now     func() time.Time
	sealer  sealer
	// keyRefresh is the least time between two fetches of the signing keys.
	keyRefresh time.Duration

	mu        sync.Mutex
	meta      *metadata
	fetchedAt time.Time
}

// New checks cfg and returns a relying party. It does not contact the
// provider: discovery happens on the first sign-in, so Debrief starts even
// while the provider is unreachable.
func New(cfg Config) (*RelyingParty, error) {
	iss, err := url.Parse(cfg.Issuer)
	switch {
	case cfg.Issuer == "":
		return nil, errors.New("the issuer URL is required")
	case err != nil || iss.Host == "" || iss.RawQuery != "" || iss.Fragment != "":
		return nil, fmt.Errorf("%q is not an issuer URL like https://accounts.google.com", cfg.Issuer)
	case iss.Scheme != "https" && !(iss.Scheme == "http" && isLoopback(iss.Hostname())):
		// Plain http is only for a provider on this machine (tests).
		return nil, fmt.Errorf("%q must use https", cfg.Issuer)
	case cfg.ClientID == "":
		return nil, errors.New("the client id is required")
	case len(cfg.SecretKey) < 32:
		return nil, errors.New("the secret key must be at least 32 bytes")
	}
	rp := &RelyingParty{cfg: cfg, name: cfg.Name, client: cfg.HTTPClient, now: cfg.Now,
		sealer: newSealer(cfg.SecretKey), keyRefresh: keysMinRefresh}
	if rp.name == "" {
		rp.name = "single sign-on"
		if iss.Host == "accounts.google.com" {
			rp.name = "Google"
		}
	}
	if rp.client == nil {
		rp.client = &http.Client{Timeout: 10 * time.Second}
	}
	if rp.now == nil {
		rp.now = time.Now
	}
	if len(cfg.AllowedDomains) > 0 {
		rp.domains = map[string]bool{}
		for _, d := range cfg.AllowedDomains {
			d = strings.ToLower(strings.TrimSpace(d))
			if d == "" || strings.ContainsAny(d, "@/ ") || !strings.Contains(d, ".") {
				return nil, fmt.Errorf("allowed domain %q is not a domain like example.com", d)
			}
			rp.domains[d] = true
		}
	}
	return rp, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Name is what the sign-in page calls the provider.
func (rp *RelyingParty) Name() string { return rp.name }

// Identity is who the provider vouched for.
type Identity struct {
	// Email is verified by the provider (email_verified was true).
	Email string
	// Subject is the provider's stable, never reassigned id for the
	// account; unlike the email it cannot move to someone else.
	Subject string
	// HostedDomain is Google's hd claim (empty for personal accounts).
	HostedDomain string
	Name         string
}

// Start is a sign-in on its way to the provider.
type Start struct {
	// AuthURL is where to send the browser.
	AuthURL string
	// State is the state parameter; the callback carries it back.
	State string
	// Cookie is the sealed flow state to keep in the browser until the
	// callback; it is worthless without the server's secret key.
	Cookie string
	// MaxAge is how long the cookie is needed.
	MaxAge time.Duration
}

// Begin starts a sign-in. redirectURI is Debrief's callback URL as the
// provider knows it; next is the same-site path to return to afterwards
// (the caller has checked it).
func (rp *RelyingParty) Begin(ctx context.Context, redirectURI, next string) (Start, error) {
	meta, err := rp.metadata(ctx)
	if err != nil {
		return Start{}, err
	}
	st := flowState{
		State:       randomString(32),
		Nonce:       randomString(32),
		Verifier:    oauth2.GenerateVerifier(),
		RedirectURI: redirectURI,
		Next:        next,
		Expires:     rp.now().Add(flowTTL).Unix(),
	}
	cookie, err := rp.sealer.seal(st)
	if err != nil {
		return Start{}, err
	}
	opts := []oauth2.AuthCodeOption{
		oauth2.S256ChallengeOption(st.Verifier),
		oauth2.SetAuthURLParam("nonce", st.Nonce),
		// Let people with several Google accounts pick the one their
		// Debrief account uses instead of being signed in as the last one.
		oauth2.SetAuthURLParam("prompt", "select_account"),
	}
	if len(rp.domains) == 1 {
		for d := range rp.domains {
			// A hint for Google's account chooser; the hd claim is still
			// checked on the way back.
			opts = append(opts, oauth2.SetAuthURLParam("hd", d))
		}
	}
	return Start{AuthURL: rp.oauth2(meta, redirectURI).AuthCodeURL(st.State, opts...), State: st.State,
		Cookie: cookie, MaxAge: flowTTL}, nil
}

// Flow is a sign-in in progress, recovered at the callback.
type Flow struct {
	st flowState
}

// Next is the same-site path to return to after signing in.
func (f Flow) Next() string { return f.st.Next }

// Resume recovers the flow from the cookie Begin issued and checks that the
// callback's state belongs to it: a callback opened in another browser, a
// forged one, or one older than the flow's lifetime is refused.
func (rp *RelyingParty) Resume(cookie, state string) (Flow, error) {
	st, err := rp.sealer.open(cookie)
	if err != nil || state == "" || !equal(st.State, state) {
		if err == nil {
			err = errors.New("state does not match the cookie")
		}
		return Flow{}, apperr.Wrap(apperr.Unauthenticated, err,
			"the sign-in could not be matched to this browser; start again from the sign-in page")
	}
	if rp.now().Unix() > st.Expires {
		return Flow{}, apperr.New(apperr.Unauthenticated, "the sign-in took too long; start again from the sign-in page")
	}
	return Flow{st: st}, nil
}

// Finish exchanges the authorization code for tokens and verifies the ID
// token. Every refusal is an *apperr.Error whose message may be shown to the
// person signing in; the cause (for the logs) is wrapped inside.
func (rp *RelyingParty) Finish(ctx context.Context, f Flow, code string) (Identity, error) {
	if code == "" {
		return Identity{}, apperr.New(apperr.Unauthenticated, "%s sent no authorization code; try again", rp.name)
	}
	meta, err := rp.metadata(ctx)
	if err != nil {
		return Identity{}, err
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, rp.client)
	tok, err := rp.oauth2(meta, f.st.RedirectURI).Exchange(ctx, code, oauth2.VerifierOption(f.st.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return Identity{}, apperr.Wrap(apperr.Unauthenticated, err,
				"%s did not accept the sign-in (it may have been used already); try again", rp.name)
		}
		return Identity{}, apperr.Wrap(apperr.Unavailable, err, "could not reach %s to finish signing in; try again in a minute", rp.name)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, apperr.New(apperr.Unauthenticated, "%s did not send an ID token; try again", rp.name)
	}
	return rp.verify(ctx, meta, raw, f.st.Nonce)
}

func (rp *RelyingParty) oauth2(meta *metadata, redirectURI string) *oauth2.Config {
	style := oauth2.AuthStyleInHeader // client_secret_basic, the spec's default
	if len(meta.TokenAuthMethods) > 0 && !contains(meta.TokenAuthMethods, "client_secret_basic") &&
		contains(meta.TokenAuthMethods, "client_secret_post") {
		style = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID: rp.cfg.ClientID, ClientSecret: rp.cfg.ClientSecret, RedirectURL: redirectURI,
		Endpoint: oauth2.Endpoint{AuthURL: meta.AuthorizationEndpoint, TokenURL: meta.TokenEndpoint, AuthStyle: style},
		Scopes:   []string{"openid", "email", "profile"},
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms; if it did, no
		// state we could issue would be safe.
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
