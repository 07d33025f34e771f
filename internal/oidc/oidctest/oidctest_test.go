package oidctest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/oidc/oidctest"
)

const redirect = "http://127.0.0.1:9/cb"

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func start(t *testing.T) *oidctest.Provider {
	t.Helper()
	p, err := oidctest.Start(oidctest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// code asks /authorize for a code with the PKCE challenge of verifier.
func code(t *testing.T, p *oidctest.Provider, verifier string) string {
	t.Helper()
	q := url.Values{"client_id": {p.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"},
		"scope": {"openid email"}, "state": {"st"}, "nonce": {"n"}, "code_challenge": {challenge(verifier)},
		"code_challenge_method": {"S256"}}
	res, err := noFollow.Get(p.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || loc.Query().Get("state") != "st" || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: %d %s", res.StatusCode, loc)
	}
	return loc.Query().Get("code")
}

func exchange(t *testing.T, p *oidctest.Provider, form url.Values, basic bool) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", p.URL+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(p.ClientID, p.ClientSecret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var body map[string]any
	_ = json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body
}

func TestTokenEndpointChecksPKCEClientAndRedirect(t *testing.T) {
	p := start(t)
	const v = "a-verifier-that-is-long-enough-for-pkce-0123456789"
	good := func(c string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {redirect}, "code_verifier": {v}}
	}
	for name, tc := range map[string]struct {
		form   func(url.Values)
		basic  bool
		status int
		err    string
	}{
		"wrong verifier":     {form: func(f url.Values) { f.Set("code_verifier", v+"x") }, basic: true, status: 400, err: "invalid_grant"},
		"no verifier":        {form: func(f url.Values) { f.Del("code_verifier") }, basic: true, status: 400, err: "invalid_grant"},
		"other redirect":     {form: func(f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:9/other") }, basic: true, status: 400, err: "invalid_grant"},
		"no client auth":     {form: func(url.Values) {}, status: 401, err: "invalid_client"},
		"wrong secret":       {form: func(f url.Values) { f.Set("client_id", p.ClientID); f.Set("client_secret", "nope") }, status: 401, err: "invalid_client"},
		"secret in the body": {form: func(f url.Values) { f.Set("client_id", p.ClientID); f.Set("client_secret", p.ClientSecret) }, status: 200},
		"basic":              {form: func(url.Values) {}, basic: true, status: 200},
	} {
		t.Run(name, func(t *testing.T) {
			f := good(code(t, p, v))
			tc.form(f)
			status, body := exchange(t, p, f, tc.basic)
			if status != tc.status || (tc.err != "" && body["error"] != tc.err) {
				t.Fatalf("status %d %v, want %d %s", status, body, tc.status, tc.err)
			}
			if status == 200 && body["id_token"] == "" {
				t.Fatalf("no id_token: %v", body)
			}
		})
	}
	// A code is single-use.
	c := code(t, p, v)
	if s, _ := exchange(t, p, good(c), true); s != 200 {
		t.Fatalf("first use: %d", s)
	}
	if s, body := exchange(t, p, good(c), true); s != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("second use: %d %v", s, body)
	}
}

func TestAuthorizeRequiresPKCE(t *testing.T) {
	p := start(t)
	q := url.Values{"client_id": {p.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"openid"}, "state": {"s"}}
	res, err := noFollow.Get(p.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("authorize without PKCE: %d", res.StatusCode)
	}
	p.Deny("access_denied")
	q.Set("code_challenge", challenge("v"))
	q.Set("code_challenge_method", "S256")
	res, err = noFollow.Get(p.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	if loc.Query().Get("error") != "access_denied" || loc.Query().Has("code") {
		t.Fatalf("denied: %s", loc)
	}
}
