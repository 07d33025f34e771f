package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// Sign in with Google (or another OpenID provider). The browser goes
// /api/v1/auth/oidc/start → the provider → /api/v1/auth/oidc/callback →
// the page it started from. Both legs are top-level GET navigations, so
// they answer with redirects, never with problem documents: a refusal lands
// on /sign-in?error=<what happened>, which the sign-in page shows.

const (
	oidcCallbackPath = "/api/v1/auth/oidc/callback"
	// oidcCookiePrefix names the cookie that holds one sign-in's sealed
	// state; the rest of the name comes from the state itself, so two
	// sign-ins started in two tabs do not overwrite each other.
	oidcCookiePrefix = "debrief_oidc_"
	// defaultNext is where a sign-in ends when it was not told where to.
	defaultNext = "/events"
)

type oidcInfo struct {
	Enabled bool   `json:"enabled"`
	Name    string `json:"name"`
}

// oidcInfo tells the sign-in page whether to offer the provider's button.
func (s *Server) oidcInfo(c echo.Context) error {
	if s.OIDC == nil {
		return c.JSON(http.StatusOK, oidcInfo{Enabled: false, Name: ""})
	}
	return c.JSON(http.StatusOK, oidcInfo{Enabled: true, Name: s.OIDC.Name()})
}

func oidcNotConfigured() error {
	return apperr.NotFoundf("signing in with an identity provider is not set up on this server")
}

// oidcStart sends the browser to the provider.
func (s *Server) oidcStart(c echo.Context) error {
	if s.OIDC == nil {
		return oidcNotConfigured()
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	st, err := s.OIDC.Begin(c.Request().Context(), s.oidcRedirectURL(c), safeNext(c.QueryParam("next")))
	if err != nil {
		return s.oidcFailed(c, err)
	}
	c.SetCookie(&http.Cookie{
		Name: oidcCookieName(st.State), Value: st.Cookie, Path: oidcCallbackPath,
		MaxAge: int(st.MaxAge.Seconds()), HttpOnly: true, Secure: s.SecureCookies,
		// Lax, not Strict: the provider sends the browser back with a
		// cross-site top-level GET, which must carry this cookie.
		SameSite: http.SameSiteLaxMode,
	})
	return c.Redirect(http.StatusFound, st.AuthURL)
}

// oidcCallback finishes the sign-in the provider sent the browser back from.
func (s *Server) oidcCallback(c echo.Context) error {
	if s.OIDC == nil {
		return oidcNotConfigured()
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	ctx := c.Request().Context()
	q := c.QueryParams()
	state := q.Get("state")
	var sealed string
	if name := oidcCookieName(state); name != "" {
		if ck, err := c.Cookie(name); err == nil {
			sealed = ck.Value
		}
		// One use only, whatever happens next.
		c.SetCookie(&http.Cookie{Name: name, Value: "", Path: oidcCallbackPath, MaxAge: -1, HttpOnly: true,
			Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	if code := q.Get("error"); code != "" {
		return s.oidcFailed(c, providerError(s.OIDC.Name(), code))
	}
	flow, err := s.OIDC.Resume(sealed, state)
	if err != nil {
		return s.oidcFailed(c, err)
	}
	id, err := s.OIDC.Finish(ctx, flow, q.Get("code"))
	if err != nil {
		return s.oidcFailed(c, err)
	}
	secret, _, err := s.Accounts.SignInExternal(ctx, id.Email, id.Subject, client(c))
	if err != nil {
		return s.oidcFailed(c, err)
	}
	// A session this browser already had is replaced, not left behind.
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.Accounts.SignOut(ctx, ck.Value); err != nil {
			s.log.WarnContext(ctx, "ending the previous session", slog.Any("error", err))
		}
	}
	s.setSessionCookie(c, secret)
	return c.Redirect(http.StatusFound, safeNext(flow.Next()))
}

// providerError describes an error the provider sent back instead of a
// code. The code is the provider's word but arrives in a URL anyone can
// craft, so only a short, plain token of it is repeated.
func providerError(name, code string) error {
	if code == "access_denied" {
		return apperr.New(apperr.Unauthenticated, "signing in with %s was canceled", name)
	}
	if len(code) > 40 || strings.IndexFunc(code, func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z') }) >= 0 {
		code = "an error"
	}
	return apperr.New(apperr.Unauthenticated, "%s refused the sign-in (%s); try again", name, code)
}

// oidcFailed sends the browser to the sign-in page with a short message.
// It never answers 500: whatever failed, the person lands somewhere that
// says what happened.
func (s *Server) oidcFailed(c echo.Context, err error) error {
	ctx := c.Request().Context()
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	msg := fmt.Sprintf("signing in did not work because of a problem on our side; try again, or give an admin the request id %s", reqID)
	level := slog.LevelError
	if ae, ok := apperr.As(err); ok && ae.Code != apperr.Internal {
		msg, level = ae.Message, slog.LevelWarn
	}
	s.log.LogAttrs(ctx, level, "oidc sign-in refused", slog.String("request_id", reqID), slog.Any("error", err))
	return c.Redirect(http.StatusFound, "/sign-in?error="+url.QueryEscape(sentence(msg)))
}

// sentence capitalizes a service message for display on its own.
func sentence(s string) string {
	r := []rune(s)
	if len(r) > 300 {
		r = append(r[:299], '…')
	}
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// oidcCookieName is the state cookie's name for state, or "" when state
// cannot be one Debrief issued (base64url, 43 characters).
func oidcCookieName(state string) string {
	if len(state) < 32 || len(state) > 64 {
		return ""
	}
	for _, r := range state {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return ""
		}
	}
	return oidcCookiePrefix + state[:16]
}

// oidcRedirectURL is Debrief's callback as the provider must know it:
// under DEBRIEF_BASE_URL when set, otherwise under the address the browser
// used. (A forged Host only produces a URL the provider does not accept.)
func (s *Server) oidcRedirectURL(c echo.Context) string {
	if s.BaseURL != "" {
		return strings.TrimRight(s.BaseURL, "/") + oidcCallbackPath
	}
	scheme := "http"
	if c.Request().TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host + oidcCallbackPath
}

// safeNext keeps a post-sign-in destination on this site: a path starting
// with a single "/", with no scheme, host, backslash or control character;
// anything else (//evil.example, https://evil.example, /\evil.example)
// becomes /events.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || next[0] != '/' || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, `\`) || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return defaultNext
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.Contains(u.Path, "//") ||
		strings.ContainsAny(u.Path, `\`) || strings.IndexFunc(u.Path, unicode.IsControl) >= 0 {
		// The decoded path is checked too: /%2F/x or /%5Cx would be
		// harmless here but may be decoded by whatever reads it next.
		return defaultNext
	}
	return next
}
