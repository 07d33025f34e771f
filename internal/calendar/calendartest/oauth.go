package calendartest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The fake's three-legged OAuth 2.0 (a user's consent), beside the
// service-account and refresh-token grants of token.go:
//
//	GET  /o/oauth2/auth   the consent page: consents at once and redirects
//	                      to redirect_uri with code and state
//	POST /token           grant_type=authorization_code (PKCE checked), on
//	                      top of the grants token.go serves
//	PUT  /_fake/oauth     control: {"email": "...", "deny": true|false}
//
// Who consents: the login_hint when it is an email address, otherwise the
// configured email (DefaultConsentEmail until PUT /_fake/oauth changes
// it). With deny set the page redirects with error=access_denied, as when
// the user clicks Cancel.
//
// The code exchange returns an access token that acts as that user (so
// "primary" is their calendar), a refresh token when access_type=offline
// (as Google does), and an OpenID Connect id_token whose email claim names
// the user. The id_token is signed HS256 with the client secret the client
// sent (alg "none" without one): tests parse it, nothing verifies it.
// Refresh tokens issued here act as the user too, and only for the client
// they were issued to; other refresh tokens are accepted as before.
// Codes and refresh tokens live in memory only (not in Options.StatePath).

// OpAuthorize is a browser's visit to the consent page.
const OpAuthorize Op = "oauth2.authorize"

// DefaultConsentEmail is who consents when the request has no login_hint.
const DefaultConsentEmail = "consent@example.test"

const (
	grantAuthCode = "authorization_code"
	// authCodeTTL is how long a code may wait for its exchange.
	authCodeTTL = 10 * time.Minute
)

type authCode struct {
	clientID, redirectURI string
	challenge, method     string
	email, scope          string
	offline               bool
	expires               time.Time
}

type issuedRefresh struct {
	clientID, email, scope string
}

// oauthFake holds the consent flow's state for one Server. Its mutex is
// never held together with Server.mu.
type oauthFake struct {
	s *Server

	mu      sync.Mutex
	email   string
	deny    bool
	codes   map[string]authCode
	refresh map[string]issuedRefresh
}

func newOAuthFake(s *Server) *oauthFake {
	return &oauthFake{s: s, email: DefaultConsentEmail, codes: map[string]authCode{}, refresh: map[string]issuedRefresh{}}
}

// authorize serves the consent page. Problems with client_id or
// redirect_uri are shown to the user (400), as Google does, since
// redirecting to an unchecked URI would be an open redirect; later
// problems go back to the client as error=... on the redirect.
func (o *oauthFake) authorize(w http.ResponseWriter, r *http.Request) {
	s := o.s
	rec := Request{Time: s.now(), Op: OpAuthorize, Method: r.Method, Path: r.URL.Path}
	finish := func(status int) {
		rec.Status = status
		s.record(rec, r.Pattern)
	}
	fail := func(msg string) {
		finish(http.StatusBadRequest)
		http.Error(w, "Error 400: invalid_request\n"+msg, http.StatusBadRequest)
	}
	if s.initErr != nil {
		finish(http.StatusInternalServerError)
		http.Error(w, "fake not usable: "+s.initErr.Error(), http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	if clientID == "" {
		fail("Missing required parameter: client_id")
		return
	}
	target, err := url.Parse(redirectURI)
	if redirectURI == "" || err != nil || !target.IsAbs() || target.Host == "" || target.Fragment != "" {
		fail("Invalid parameter value for redirect_uri: " + redirectURI)
		return
	}
	back := func(params url.Values) {
		v := target.Query()
		for k, vs := range params {
			v[k] = vs
		}
		if st := q.Get("state"); st != "" {
			v.Set("state", st)
		}
		u := *target
		u.RawQuery = v.Encode()
		finish(http.StatusFound)
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
	oauthErr := func(code, desc string) {
		back(url.Values{"error": {code}, "error_description": {desc}})
	}
	if rt := q.Get("response_type"); rt != "code" {
		oauthErr("unsupported_response_type", "response_type must be code, got "+strconv.Quote(rt))
		return
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "" && method != "":
		oauthErr("invalid_request", "code_challenge_method without code_challenge")
		return
	case challenge != "" && method == "":
		method = "plain" // RFC 7636 §4.3
	case method != "" && method != "S256" && method != "plain":
		oauthErr("invalid_request", "unsupported code_challenge_method "+strconv.Quote(method))
		return
	}

	o.mu.Lock()
	email, deny := o.email, o.deny
	o.mu.Unlock()
	if hint := q.Get("login_hint"); isEmail(hint) {
		email = strings.ToLower(hint)
	}
	if deny {
		oauthErr("access_denied", "The user denied access.")
		return
	}
	code := "4/fake-" + rand.Text()
	o.mu.Lock()
	now := s.now()
	for k, c := range o.codes {
		if now.After(c.expires) {
			delete(o.codes, k)
		}
	}
	o.codes[code] = authCode{
		clientID: clientID, redirectURI: redirectURI, challenge: challenge, method: method,
		email: email, scope: q.Get("scope"), offline: q.Get("access_type") == "offline",
		expires: now.Add(authCodeTTL),
	}
	o.mu.Unlock()
	back(url.Values{"code": {code}, "scope": {q.Get("scope")}})
}

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// token serves POST /token: authorization codes here, everything else as
// token.go does, with refresh tokens issued here made to act as their user.
func (o *oauthFake) token(c *call) reply {
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		return oauthError("invalid_request", "malformed form body")
	}
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if id, pw, ok := c.r.BasicAuth(); ok {
		if clientID == "" {
			clientID = id
		}
		if secret == "" {
			secret = pw
		}
	}
	switch form.Get("grant_type") {
	case grantAuthCode:
		return o.exchange(c, form, clientID, secret)
	case grantRefresh:
		o.mu.Lock()
		issued, ok := o.refresh[form.Get("refresh_token")]
		o.mu.Unlock()
		if !ok {
			return o.s.token(c)
		}
		if issued.clientID != clientID {
			return oauthError("unauthorized_client", "Unauthorized")
		}
		rep := o.s.token(c)
		if at := accessTokenOf(rep); at != "" {
			o.s.mu.Lock()
			o.s.st.Tokens[at] = issued.email
			if n := len(o.s.grants); n > 0 && o.s.grants[n-1].AccessToken == at {
				o.s.grants[n-1].Subject = issued.email
			}
			o.s.persistLocked()
			o.s.mu.Unlock()
		}
		return rep
	}
	return o.s.token(c)
}

func accessTokenOf(rep reply) string {
	if m, ok := rep.body.(map[string]any); ok && rep.status == http.StatusOK {
		at, _ := m["access_token"].(string)
		return at
	}
	return ""
}

func (o *oauthFake) exchange(c *call, form url.Values, clientID, secret string) reply {
	s := o.s
	code := form.Get("code")
	if code == "" {
		return oauthError("invalid_request", "Missing required parameter: code")
	}
	o.mu.Lock()
	ac, ok := o.codes[code]
	// A code is good for one exchange, whatever its outcome.
	delete(o.codes, code)
	o.mu.Unlock()
	switch {
	case !ok:
		return oauthError("invalid_grant", "Malformed auth code.")
	case s.now().After(ac.expires):
		return oauthError("invalid_grant", "Bad Request: the code has expired.")
	case clientID != ac.clientID:
		return oauthError("invalid_grant", "The code was issued to another client.")
	case form.Get("redirect_uri") != ac.redirectURI:
		return oauthError("redirect_uri_mismatch", "Bad Request")
	}
	verifier := form.Get("code_verifier")
	switch {
	case ac.challenge == "" && verifier != "":
		return oauthError("invalid_grant", "code_verifier given, but the authorization request had no code_challenge.")
	case ac.challenge != "" && verifier == "":
		return oauthError("invalid_grant", "Missing code verifier.")
	case ac.challenge != "" && !pkceMatches(ac.method, ac.challenge, verifier):
		return oauthError("invalid_grant", "Invalid code verifier.")
	}

	s.mu.Lock()
	s.st.Seq++
	g := TokenGrant{
		Time: s.now(), GrantType: grantAuthCode, Subject: ac.email, Scope: ac.scope, ClientID: clientID,
		AccessToken: "ya29.fake-" + strconv.FormatInt(s.st.Seq, 36),
	}
	s.st.Tokens[g.AccessToken] = ac.email
	s.grants = append(s.grants, g)
	s.persistLocked()
	now := s.now()
	s.mu.Unlock()

	out := map[string]any{
		"access_token": g.AccessToken,
		"token_type":   "Bearer",
		"expires_in":   3599,
		"scope":        ac.scope,
	}
	if ac.offline {
		rt := "1//fake-refresh-" + rand.Text()
		o.mu.Lock()
		o.refresh[rt] = issuedRefresh{clientID: clientID, email: ac.email, scope: ac.scope}
		o.mu.Unlock()
		out["refresh_token"] = rt
	}
	if hasScope(ac.scope, "openid") {
		out["id_token"] = idToken(issuer(c.r), clientID, secret, ac.email, now)
	}
	return jsonReply(http.StatusOK, out)
}

func pkceMatches(method, challenge, verifier string) bool {
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

func hasScope(scopes, want string) bool {
	for _, sc := range strings.Fields(scopes) {
		if sc == want {
			return true
		}
	}
	return false
}

func issuer(r *http.Request) string { return "http://" + r.Host }

// idToken makes an OpenID Connect id_token for email: HS256 with secret,
// or alg "none" when there is no secret.
func idToken(iss, clientID, secret, email string, now time.Time) string {
	sub := sha256.Sum256([]byte(strings.ToLower(email)))
	claims := map[string]any{
		"iss": iss, "aud": clientID, "azp": clientID,
		"sub":   hex.EncodeToString(sub[:10]),
		"email": email, "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	alg := "HS256"
	if secret == "" {
		alg = "none"
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signing := enc(map[string]string{"alg": alg, "typ": "JWT"}) + "." + enc(claims)
	if secret == "" {
		return signing + "."
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// OAuthConsent is the fake consent page's behaviour, set with PUT
// /_fake/oauth.
type OAuthConsent struct {
	// Email consents when the request has no login_hint ("" restores
	// DefaultConsentEmail).
	Email string `json:"email"`
	// Deny makes the page refuse (error=access_denied).
	Deny bool `json:"deny"`
}

func (o *oauthFake) configure(w http.ResponseWriter, r *http.Request) {
	var in OAuthConsent
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in); err != nil {
		writeReply(w, badRequest("parseError", err.Error()))
		return
	}
	if in.Email != "" && !isEmail(in.Email) {
		writeReply(w, badRequest("invalid", "email is not an email address"))
		return
	}
	if in.Email == "" {
		in.Email = DefaultConsentEmail
	}
	o.mu.Lock()
	o.email, o.deny = strings.ToLower(in.Email), in.Deny
	o.mu.Unlock()
	writeReply(w, reply{status: http.StatusNoContent})
}
