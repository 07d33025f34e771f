package calconn

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"
	gcal "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/calendar"
)

// Scopes asked for with OAuth: the calendar, and who the user is (the
// organizer is the consenting user's own address).
func oauthScopes() []string { return []string{gcal.CalendarScope, "openid", "email"} }

func (s *Service) oauthConfig(redirectURL string) *oauth2.Config {
	o := s.cfg.OAuth
	return &oauth2.Config{
		ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: redirectURL, Scopes: oauthScopes(),
		// Google documents the client secret in the form body; saying so
		// spares the library's guess, which costs a second request (and,
		// for a code, a second use of it) when the first style fails.
		Endpoint: oauth2.Endpoint{AuthURL: o.authURL(), TokenURL: o.tokenURL(), AuthStyle: oauth2.AuthStyleInParams},
	}
}

func stateKey(state string) string {
	sum := sha256.Sum256([]byte(state))
	return statePrefix + hex.EncodeToString(sum[:])
}

// StartOAuth begins an admin's consent at Google and returns the URL to
// send their browser to. redirectURL is Debrief's callback as Google must
// see it (it is registered with the OAuth client). The consent is for
// offline access (a refresh token), with PKCE (S256), and is bound to the
// admin: only they can finish it, within Config.StateTTL. conference is
// "hangoutsMeet" or "".
func (s *Service) StartOAuth(ctx context.Context, a actor.Actor, redirectURL, conference string) (string, error) {
	if err := requireAdmin(a); err != nil {
		return "", err
	}
	if err := s.writable(); err != nil {
		return "", err
	}
	if !s.cfg.OAuth.configured() {
		return "", apperr.New(apperr.Unavailable, "connecting with Google needs an OAuth client: set DEBRIEF_GOOGLE_OAUTH_CLIENT_ID and DEBRIEF_GOOGLE_OAUTH_CLIENT_SECRET")
	}
	var f apperr.Fields
	checkConference(&f, conference)
	if err := f.Err(); err != nil {
		return "", err
	}
	if u, err := url.Parse(redirectURL); err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("calconn: redirect URL %q is not an absolute http(s) URL", redirectURL)
	}
	now := s.cfg.now()
	if err := s.st.sweepStates(ctx, now); err != nil {
		return "", err
	}
	state := rand.Text()
	verifier := oauth2.GenerateVerifier()
	key := stateKey(state)
	sealed, err := s.box.Seal([]byte(verifier), verifierPurpose(key))
	if err != nil {
		return "", err
	}
	pc := pendingConsent{UserID: a.UserID, RedirectURL: redirectURL, Conference: conference,
		SealedVerifier: sealed, ExpiresAt: now.Add(s.cfg.StateTTL)}
	if err := s.st.put(ctx, s.db, key, pc, now); err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier)}
	if isEmail(a.Email) {
		// Google preselects this account; the admin may still pick another.
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", a.Email))
	}
	return s.oauthConfig(redirectURL).AuthCodeURL(state, opts...), nil
}

// FinishOAuth completes a consent on Google's redirect back: state and
// code are the callback's parameters (code is "" when Google sent an
// error instead). The state is used up whatever the outcome. The refresh
// token is saved sealed; the organizer is the consenting user's verified
// email from the id_token.
func (s *Service) FinishOAuth(ctx context.Context, a actor.Actor, state, code string) (Status, error) {
	if err := requireAdmin(a); err != nil {
		return Status{}, err
	}
	if err := s.writable(); err != nil {
		return Status{}, err
	}
	if state == "" {
		return Status{}, apperr.Invalidf("the reply from Google has no state; start again from Settings")
	}
	key := stateKey(state)
	var pc pendingConsent
	found, _, err := s.st.get(ctx, s.db, key, &pc)
	if err != nil {
		return Status{}, err
	}
	if found {
		// Only the caller that deletes the row may go on: a replayed
		// callback finds it gone.
		if found, err = s.st.del(ctx, s.db, key); err != nil {
			return Status{}, err
		}
	}
	switch {
	case !found:
		return Status{}, apperr.Invalidf("this Google consent is unknown or was already used; start again from Settings")
	case !s.cfg.now().Before(pc.ExpiresAt):
		return Status{}, apperr.Invalidf("this Google consent took too long and expired; start again from Settings")
	case pc.UserID != a.UserID:
		return Status{}, apperr.Forbiddenf("this Google consent was started by another user")
	case code == "":
		return Status{}, apperr.Invalidf("Google did not grant access")
	}
	verifier, err := s.box.Open(pc.SealedVerifier, verifierPurpose(key))
	if err != nil {
		return Status{}, err
	}
	conf := s.oauthConfig(pc.RedirectURL)
	xctx := context.WithValue(ctx, oauth2.HTTPClient, s.cfg.httpClient())
	tok, err := conf.Exchange(xctx, code, oauth2.VerifierOption(string(verifier)))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return Status{}, apperr.Wrap(apperr.Invalid, err, "Google refused the authorization code (%s); start again from Settings", oauthCode(re))
		}
		return Status{}, apperr.Wrap(apperr.Unavailable, err, "could not reach Google to finish connecting; try again")
	}
	if tok.RefreshToken == "" {
		return Status{}, apperr.Invalidf("Google sent no refresh token, so Debrief could not stay connected; start again from Settings")
	}
	if sc, _ := tok.Extra("scope").(string); sc != "" && !hasScope(sc, gcal.CalendarScope) {
		return Status{}, apperr.Invalidf("Google did not grant access to Calendar; start again and allow it")
	}
	idt, _ := tok.Extra("id_token").(string)
	email, err := emailFromIDToken(idt, conf.ClientID, s.cfg.now())
	if err != nil {
		return Status{}, apperr.Wrap(apperr.Invalid, err, "Google did not say which account gave consent; start again from Settings")
	}
	rec := record{
		ID: uuid.NewString(), Kind: KindOAuth, Organizer: email, Conference: pc.Conference,
		OAuthClientID: conf.ClientID, Scope: strings.Join(oauthScopes(), " "),
		ConnectedByID: a.UserID, ConnectedByEmail: a.Email, ConnectedAt: s.cfg.now(),
	}
	if sc, _ := tok.Extra("scope").(string); sc != "" {
		rec.Scope = sc
	}
	if rec.SealedRefreshToken, err = s.box.Seal([]byte(tok.RefreshToken), refreshPurpose(rec.ID)); err != nil {
		return Status{}, err
	}
	if err := s.save(ctx, a, rec); err != nil {
		return Status{}, err
	}
	return s.Status(ctx, a)
}

func hasScope(scopes, want string) bool {
	for _, sc := range strings.Fields(scopes) {
		if sc == want {
			return true
		}
	}
	return false
}

// emailFromIDToken reads the verified email from an OpenID Connect
// id_token. The signature is not checked: the token came straight from
// the token endpoint over the connection Debrief opened to it, which
// OpenID Connect Core (3.1.3.7) accepts in place of the signature. The
// audience and expiry are checked.
func emailFromIDToken(raw, clientID string, now time.Time) (string, error) {
	parts := strings.Split(raw, ".")
	if raw == "" || len(parts) != 3 {
		return "", errors.New("no id_token in the token response")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", errors.New("id_token payload is not base64url")
	}
	var c struct {
		Aud           any    `json:"aud"`
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"`
		Exp           int64  `json:"exp"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return "", errors.New("id_token payload is not JSON")
	}
	aud := false
	switch v := c.Aud.(type) {
	case string:
		aud = v == clientID
	case []any:
		for _, x := range v {
			aud = aud || x == clientID
		}
	}
	switch {
	case !aud:
		return "", errors.New("id_token is for another client")
	case c.Exp != 0 && now.After(time.Unix(c.Exp, 0).Add(5*time.Minute)):
		return "", errors.New("id_token has expired")
	case !isEmail(c.Email):
		return "", errors.New("id_token has no email claim (was the email scope granted?)")
	case c.EmailVerified == false || c.EmailVerified == "false":
		return "", errors.New("the account's email address is not verified")
	}
	return strings.ToLower(c.Email), nil
}

func oauthCode(re *oauth2.RetrieveError) string {
	if re.ErrorCode != "" {
		return re.ErrorCode
	}
	if re.Response != nil {
		return re.Response.Status
	}
	return "no reason given"
}

// explain turns a failed check into a message for the admin, with what to
// do for the usual causes. It never includes a secret: token errors carry
// only the OAuth error code and description.
func explain(err error, c *connection) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		detail := oauthCode(re)
		if re.ErrorDescription != "" {
			detail += ": " + re.ErrorDescription
		}
		switch {
		case c.Kind == KindServiceAccount && re.ErrorCode == "unauthorized_client":
			return fmt.Sprintf("Google refused to let the service account act as %s (%s). In the Google Workspace Admin console "+
				"(Security → API controls → Domain-wide delegation), allow client ID %s the scope %s.",
				c.Organizer, detail, c.ServiceAccountClientID, gcal.CalendarScope)
		case c.Kind == KindServiceAccount && re.ErrorCode == "invalid_grant":
			return fmt.Sprintf("Google refused the service account's sign-in (%s). Check that %s is a user of your Workspace domain "+
				"and that the key has not been deleted.", detail, c.Organizer)
		case c.Kind == KindOAuth && re.ErrorCode == "invalid_grant":
			return fmt.Sprintf("Google refused the saved consent (%s): it was revoked or has expired. Connect with Google again.", detail)
		}
		return fmt.Sprintf("Google refused to issue a token (%s).", detail)
	}
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		msg := gerr.Message
		if msg == "" && len(gerr.Errors) > 0 {
			msg = gerr.Errors[0].Message
		}
		if calendar.KindOf(err) == calendar.Retryable {
			return fmt.Sprintf("Google Calendar answered %d: %s. This usually passes; try again shortly.", gerr.Code, msg)
		}
		return fmt.Sprintf("Google Calendar answered %d: %s", gerr.Code, msg)
	}
	if errors.Is(err, context.DeadlineExceeded) || calendar.KindOf(err) == calendar.Retryable {
		return "Google did not answer in time or could not be reached (" + err.Error() + "). Try again."
	}
	return err.Error()
}
