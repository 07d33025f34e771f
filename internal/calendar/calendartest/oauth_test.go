package calendartest_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
)

const callback = "http://127.0.0.1:1/api/v1/settings/google/oauth/callback"

func oauthConf(base string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: "web-client.apps.example", ClientSecret: "web-secret",
		Endpoint:    oauth2.Endpoint{AuthURL: base + "/o/oauth2/auth", TokenURL: base + "/token"},
		RedirectURL: callback,
		Scopes:      []string{calendar.CalendarScope, "openid", "email"},
	}
}

// consent visits the consent page like a browser that does not follow the
// redirect, and returns where it was sent.
func consent(t *testing.T, authURL string) *url.URL {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("consent page: status %d, want 302", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func idClaims(t *testing.T, tok *oauth2.Token) map[string]any {
	t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("id_token %q is not a JWT", raw)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAuthorizationCodeFlow(t *testing.T) {
	s, base := startFake(t, calendartest.Options{RequireIssuedTokens: true})
	ctx := ctxT(t)
	conf := oauthConf(base)
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("state-1", oauth2.AccessTypeOffline, oauth2.ApprovalForce,
		oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("login_hint", "Organizer@Example.test"))

	loc := consent(t, authURL)
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != callback {
		t.Fatalf("redirected to %s, want %s", got, callback)
	}
	q := loc.Query()
	if q.Get("state") != "state-1" || q.Get("code") == "" || q.Get("error") != "" {
		t.Fatalf("redirect query %v", q)
	}

	// A wrong verifier is refused and uses the code up.
	if _, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier())); !isOAuthErr(err, "invalid_grant") {
		t.Fatalf("wrong verifier: %v", err)
	}
	if _, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier)); !isOAuthErr(err, "invalid_grant") {
		t.Fatalf("reused code: %v", err)
	}

	q = consent(t, authURL).Query()
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("token %+v lacks an access or refresh token", tok)
	}
	claims := idClaims(t, tok)
	if claims["email"] != "organizer@example.test" || claims["aud"] != conf.ClientID || claims["email_verified"] != true {
		t.Fatalf("id_token claims %v", claims)
	}

	// The refresh token gives access tokens that act as the user.
	ts := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken})
	svc, err := calendar.NewService(ctx, option.WithEndpoint(base+"/calendar/v3/"), option.WithTokenSource(ts))
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Events.Insert("primary", booking("consent01", "x", t0)).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Organizer.Email != "organizer@example.test" {
		t.Fatalf("primary resolved to %q", got.Organizer.Email)
	}
	var kinds []string
	for _, g := range s.TokenGrants() {
		kinds = append(kinds, g.GrantType+"/"+g.Subject+"/"+g.ClientID)
	}
	want := "authorization_code/organizer@example.test/web-client.apps.example,refresh_token/organizer@example.test/web-client.apps.example"
	if strings.Join(kinds, ",") != want {
		t.Fatalf("grants %v, want %s", kinds, want)
	}

	// Another client cannot use the refresh token.
	other := oauthConf(base)
	other.ClientID = "someone-else"
	if _, err := other.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); !isOAuthErr(err, "unauthorized_client") {
		t.Fatalf("refresh by another client: %v", err)
	}
}

func TestConsentDefaultsAndDenial(t *testing.T) {
	_, base := startFake(t, calendartest.Options{})
	ctx := ctxT(t)
	conf := oauthConf(base)

	// No PKCE, no login_hint, online access: the default user, no refresh
	// token.
	q := consent(t, conf.AuthCodeURL("s")).Query()
	tok, err := conf.Exchange(ctx, q.Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "" {
		t.Fatal("online access got a refresh token")
	}
	if e := idClaims(t, tok)["email"]; e != calendartest.DefaultConsentEmail {
		t.Fatalf("email %v", e)
	}
	// A verifier without a challenge is refused.
	q = consent(t, conf.AuthCodeURL("s")).Query()
	if _, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier())); !isOAuthErr(err, "invalid_grant") {
		t.Fatalf("verifier without challenge: %v", err)
	}
	// A different redirect_uri at the exchange is refused.
	q = consent(t, conf.AuthCodeURL("s")).Query()
	moved := *conf
	moved.RedirectURL = "http://127.0.0.1:2/elsewhere"
	if _, err := moved.Exchange(ctx, q.Get("code")); !isOAuthErr(err, "redirect_uri_mismatch") {
		t.Fatalf("moved redirect_uri: %v", err)
	}

	put := func(body string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, base+"/_fake/oauth", strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("PUT /_fake/oauth %s: %d", body, res.StatusCode)
		}
	}
	put(`{"email":"someone@example.test"}`)
	q = consent(t, conf.AuthCodeURL("s")).Query()
	if tok, err = conf.Exchange(ctx, q.Get("code")); err != nil || idClaims(t, tok)["email"] != "someone@example.test" {
		t.Fatalf("configured email: %v %v", err, tok)
	}

	put(`{"deny":true}`)
	q = consent(t, conf.AuthCodeURL("s-9")).Query()
	if q.Get("error") != "access_denied" || q.Get("state") != "s-9" || q.Get("code") != "" {
		t.Fatalf("denied consent redirected with %v", q)
	}

	// A bad redirect_uri is shown, not followed.
	bad := strings.Replace(conf.AuthCodeURL("s"), url.QueryEscape(callback), "not-a-url", 1)
	res, err := http.Get(bad)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad redirect_uri: %d", res.StatusCode)
	}
}

func isOAuthErr(err error, code string) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) && re.ErrorCode == code
}
