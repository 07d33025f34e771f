package httpapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
)

// The Google Calendar connection (Settings → Google Calendar). Every route
// is for admins; calconn.Service decides. Deps.CalendarConn serves them.

const (
	googleCallbackPath = "/api/v1/settings/google/oauth/callback"
	// settingsPage is where the browser lands after consent at Google.
	settingsPage = "/settings"
	// maxKeyUpload bounds an uploaded key file (Google's are about 2 KB).
	maxKeyUpload = 64 << 10
)

// serviceAccountRequest is the JSON form of PUT
// /settings/google/service-account: key is the key file's content.
type serviceAccountRequest struct {
	Key        string `json:"key"`
	Organizer  string `json:"organizer"`
	Conference string `json:"conference"`
}

type oauthStartRequest struct {
	Conference string `json:"conference"`
}

type oauthStartResponse struct {
	AuthURL string `json:"auth_url"`
}

func (s *Server) googleConnection(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	st, err := s.CalendarConn.Status(c.Request().Context(), a)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, st)
}

// connectServiceAccount takes the key as a multipart upload (fields key —
// a file or text — organizer and conference) or as JSON.
func (s *Server) connectServiceAccount(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	if !a.IsAdmin() {
		// Refuse before reading a key nobody asked for.
		return apperr.Forbiddenf("only admins can see or change the Google Calendar connection")
	}
	var in serviceAccountRequest
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	switch mt {
	case echo.MIMEMultipartForm:
		key, err := uploadedKey(c)
		if err != nil {
			return err
		}
		in = serviceAccountRequest{Key: key, Organizer: c.FormValue("organizer"), Conference: c.FormValue("conference")}
	case echo.MIMEApplicationJSON:
		if err := bind(c, &in); err != nil {
			return err
		}
	default:
		return echo.NewHTTPError(http.StatusUnsupportedMediaType,
			"send the key file as multipart/form-data (fields key, organizer, conference) or as application/json")
	}
	st, err := s.CalendarConn.ConnectServiceAccount(c.Request().Context(), a, []byte(in.Key), in.Organizer, in.Conference)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, st)
}

// uploadedKey reads the multipart field "key", a file or a text field.
func uploadedKey(c echo.Context) (string, error) {
	fh, err := c.FormFile("key")
	switch {
	case errors.Is(err, http.ErrMissingFile):
		return c.FormValue("key"), nil
	case err != nil:
		var tooBig *http.MaxBytesError
		if asErr(err, &tooBig) {
			return "", echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		return "", apperr.Invalidf("the upload could not be read: %v", err)
	}
	if fh.Size > maxKeyUpload {
		return "", &apperr.Error{Code: apperr.Invalid, Message: "key: the file is too large for a service-account key",
			Fields: []apperr.FieldError{{Field: "key", Message: "must be a service-account JSON key file (about 2 KB)"}}}
	}
	f, err := fh.Open()
	if err != nil {
		return "", apperr.Invalidf("the uploaded key could not be read: %v", err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyUpload+1))
	if err != nil {
		return "", apperr.Invalidf("the uploaded key could not be read: %v", err)
	}
	return string(b), nil
}

// startGoogleOAuth returns the consent URL the browser goes to; the body
// ({conference}) is optional.
func (s *Server) startGoogleOAuth(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in oauthStartRequest
	if c.Request().ContentLength != 0 && c.Request().Header.Get(echo.HeaderContentType) != "" {
		if err := bind(c, &in); err != nil {
			return err
		}
	}
	u, err := s.CalendarConn.StartOAuth(c.Request().Context(), a, s.absoluteURL(c, googleCallbackPath), in.Conference)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, oauthStartResponse{AuthURL: u})
}

// googleOAuthCallback is where Google sends the admin's browser back. It
// answers with a redirect to the Settings page in every case, with
// ?google=connected or ?google=error&message=…. The state, bound to the
// admin's session user and used once, is what protects this GET against
// forgery.
func (s *Server) googleOAuthCallback(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	back := func(q url.Values) error {
		return c.Redirect(http.StatusSeeOther, settingsPage+"?"+q.Encode())
	}
	fail := func(msg string) error {
		return back(url.Values{"google": {"error"}, "message": {msg}})
	}
	a, err := caller(c)
	if err != nil {
		return fail("Sign in as the admin who started connecting Google, then try again.")
	}
	q := c.QueryParams()
	code := q.Get("code")
	if e := q.Get("error"); e != "" {
		// Use the state up all the same; the reason goes to the page.
		_, _ = s.CalendarConn.FinishOAuth(c.Request().Context(), a, q.Get("state"), "")
		if e == "access_denied" {
			return fail("Google access was not granted.")
		}
		return fail("Google did not connect (" + e + ").")
	}
	if _, err := s.CalendarConn.FinishOAuth(c.Request().Context(), a, q.Get("state"), code); err != nil {
		if ae, ok := apperr.As(err); ok && ae.Code != apperr.Internal {
			return fail(ae.Message)
		}
		s.log.ErrorContext(c.Request().Context(), "google oauth callback", slog.String("error", err.Error()),
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)))
		return fail("Connecting Google failed; try again.")
	}
	return back(url.Values{"google": {"connected"}})
}

func (s *Server) testGoogleConnection(c echo.Context) error {
	return asCaller(c, http.StatusOK, func(ctx context.Context, a actor.Actor) (any, error) {
		return s.CalendarConn.Test(ctx, a)
	})
}

func (s *Server) disconnectGoogle(c echo.Context) error {
	return noContent(c, func(ctx context.Context, a actor.Actor) error {
		return s.CalendarConn.Disconnect(ctx, a)
	})
}
