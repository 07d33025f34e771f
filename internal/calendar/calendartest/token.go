package calendartest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	grantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantRefresh   = "refresh_token"
)

// oauthError is the OAuth 2.0 error reply (RFC 6749 §5.2), which is what
// Google's token endpoint sends, not the API error format.
func oauthError(code, desc string) reply {
	return jsonReply(http.StatusBadRequest, map[string]string{"error": code, "error_description": desc})
}

// token serves POST /token for service-account JWT assertions (two-legged
// OAuth, with domain-wide delegation when the JWT has a sub claim) and for
// refresh tokens. Signatures are not checked: the fake only records who the
// client claimed to be, so tests can check the impersonated user.
func (s *Server) token(c *call) reply {
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		return oauthError("invalid_request", "malformed form body")
	}
	g := TokenGrant{Time: s.now(), GrantType: form.Get("grant_type")}
	switch g.GrantType {
	case grantJWTBearer:
		claims, ok := jwtClaims(form.Get("assertion"))
		if !ok {
			return oauthError("invalid_grant", "Invalid JWT assertion.")
		}
		g.Issuer, g.Subject, g.Scope, g.Audience = claims.Iss, claims.Sub, claims.Scope, claims.audience()
		if g.Issuer == "" {
			return oauthError("invalid_grant", "Invalid JWT: no iss claim.")
		}
	case grantRefresh:
		if form.Get("refresh_token") == "" {
			return oauthError("invalid_request", "Missing required parameter: refresh_token")
		}
		g.ClientID = form.Get("client_id")
		if id, _, ok := c.r.BasicAuth(); ok && g.ClientID == "" {
			g.ClientID = id
		}
		g.Scope = form.Get("scope")
	default:
		return oauthError("unsupported_grant_type", "Invalid grant_type: "+g.GrantType)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Seq++
	g.AccessToken = "ya29.fake-" + strconv.FormatInt(s.st.Seq, 36)
	// Without sub, a service account acts as itself.
	acting := g.Subject
	if acting == "" && g.GrantType == grantJWTBearer {
		acting = g.Issuer
	}
	s.st.Tokens[g.AccessToken] = acting
	s.grants = append(s.grants, g)
	s.persistLocked()
	return jsonReply(http.StatusOK, map[string]any{
		"access_token": g.AccessToken,
		"token_type":   "Bearer",
		"expires_in":   3600,
	})
}

type jwtClaimSet struct {
	Iss   string `json:"iss"`
	Sub   string `json:"sub"`
	Scope string `json:"scope"`
	// Aud may be a string or a list of strings (RFC 7519 §4.1.3).
	Aud any `json:"aud"`
}

func (c jwtClaimSet) audience() string {
	switch v := c.Aud.(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			if s, ok := v[0].(string); ok {
				return s
			}
		}
	}
	return ""
}

// jwtClaims decodes a JWT's payload without checking its signature.
func jwtClaims(tok string) (jwtClaimSet, bool) {
	var cs jwtClaimSet
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return cs, false
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return cs, false
	}
	if err := json.Unmarshal(b, &cs); err != nil {
		return cs, false
	}
	return cs, true
}
