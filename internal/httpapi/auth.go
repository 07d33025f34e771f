package httpapi

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
)

const (
	sessionCookie = "debrief_session"
	csrfHeader    = "X-CSRF-Token"
	authKey       = "debrief.auth"
	viaCookieKey  = "debrief.via_cookie"
)

// authenticate resolves the caller from a bearer token or the session
// cookie. It never rejects: routes decide with requireUser what they need.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !strings.HasPrefix(c.Request().URL.Path, "/api/") {
			return next(c)
		}
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, tok, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return apperr.New(apperr.Unauthenticated, "the Authorization header must be `Bearer <token>`")
			}
			a, err := s.Accounts.AuthenticateToken(ctx, strings.TrimSpace(tok))
			if err != nil {
				return err
			}
			c.Set(authKey, a)
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			a, err := s.Accounts.AuthenticateSession(ctx, ck.Value)
			switch {
			case err == nil:
				c.Set(authKey, a)
				c.Set(viaCookieKey, true)
			case accounts.IsUnauthenticated(err):
				// A stale cookie is not an error by itself; clear it so the
				// browser stops sending it.
				s.clearCookie(c)
			default:
				return err
			}
		}
		return next(c)
	}
}

// checkCSRF requires the session's CSRF token on every state-changing
// request that a cookie authenticates, and a same-origin Origin header (when
// the browser sends one) on every state-changing request, so a form on
// another site can neither act as a signed-in user nor sign someone in.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if !strings.HasPrefix(c.Request().URL.Path, "/api/") {
			return next(c)
		}
		if origin := c.Request().Header.Get("Origin"); origin != "" && !s.sameOrigin(c, origin) {
			return apperr.Forbiddenf("cross-site requests are not accepted")
		}
		if via, _ := c.Get(viaCookieKey).(bool); via {
			a := c.Get(authKey).(accounts.Authenticated)
			got := c.Request().Header.Get(csrfHeader)
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.CSRFToken)) != 1 {
				return apperr.Forbiddenf("missing or wrong %s header; reload the page and try again", csrfHeader)
			}
		}
		return next(c)
	}
}

func (s *Server) sameOrigin(c echo.Context, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, c.Request().Host) {
		return true
	}
	if s.BaseURL != "" {
		if b, err := url.Parse(s.BaseURL); err == nil && strings.EqualFold(b.Host, u.Host) {
			return true
		}
	}
	return false
}

// caller returns the authenticated caller or an Unauthenticated error.
func caller(c echo.Context) (actor.Actor, error) {
	a, ok := c.Get(authKey).(accounts.Authenticated)
	if !ok {
		return actor.Actor{}, apperr.New(apperr.Unauthenticated, "sign in to continue")
	}
	return a.Actor, nil
}

func (s *Server) setSessionCookie(c echo.Context, secret string) {
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int((14 * 24 * time.Hour).Seconds()),
	})
}

func (s *Server) clearCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func client(c echo.Context) accounts.Client {
	return accounts.Client{IP: c.RealIP(), UserAgent: c.Request().UserAgent()}
}

type signInRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) signIn(c echo.Context) error {
	var in signInRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	secret, sess, err := s.Accounts.SignIn(c.Request().Context(), in.Email, in.Password, client(c))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, secret)
	return c.JSON(http.StatusOK, sess)
}

func (s *Server) signOut(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err // the contract lists sign-out for signed-in users only (401 otherwise)
	}
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.Accounts.SignOut(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error {
	a, ok := c.Get(authKey).(accounts.Authenticated)
	if !ok {
		return apperr.New(apperr.Unauthenticated, "sign in to continue")
	}
	sess, err := s.Accounts.Me(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sess)
}

func (s *Server) setupState(c echo.Context) error {
	need, err := s.Accounts.NeedsSetup(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]bool{"needed": need})
}

func (s *Server) completeSetup(c echo.Context) error {
	var in accounts.SetupInput
	if err := bind(c, &in); err != nil {
		return err
	}
	secret, sess, err := s.Accounts.CompleteSetup(c.Request().Context(), in, client(c))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, secret)
	return c.JSON(http.StatusCreated, sess)
}
