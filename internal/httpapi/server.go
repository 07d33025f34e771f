// Package httpapi is Debrief's HTTP layer: the Echo server, its middleware
// and one file per resource. It translates between HTTP and the feature
// services and holds no business rules of its own. routes.go lists every
// route.
package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/availability"
	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/calconn"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/guides"
	"github.com/debrief-dev/debrief/internal/langcheck"
	"github.com/debrief-dev/debrief/internal/oidc"
	"github.com/debrief-dev/debrief/internal/people"
	"github.com/debrief-dev/debrief/internal/settings"
)

// Deps are the server's collaborators.
type Deps struct {
	Log      *slog.Logger
	DB       *database.DB
	Accounts *accounts.Service
	People   *people.Service
	Events   *events.Service
	Guides   *guides.Service
	Settings *settings.Service
	Bookings *bookings.Service
	// Availability finds meeting times.
	Availability *availability.Service
	// CalendarConn connects Google Calendar at run time (Settings).
	CalendarConn *calconn.Service
	// Language checks text people write for blaming language.
	Language *langcheck.Checker
	// OIDC is sign-in with Google (an OpenID provider); nil when
	// DEBRIEF_OIDC_ISSUER is not set.
	OIDC *oidc.RelyingParty
	// Web is the built web app (may lack index.html in a dev build).
	Web fs.FS
	// OpenAPI is the contract served at /api/openapi.yaml.
	OpenAPI []byte
	// Version is reported by /healthz.
	Version       string
	MaxBodyBytes  int64
	SecureCookies bool
	// BaseURL, when set, is an extra origin accepted on state-changing
	// requests (for deployments behind a proxy that rewrites Host).
	BaseURL string
}

// Server is the configured HTTP handler.
type Server struct {
	Deps
	log     *slog.Logger
	echo    *echo.Echo
	metrics *metrics
}

// New builds the server and registers every route.
func New(d Deps) *Server {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.MaxBodyBytes == 0 {
		d.MaxBodyBytes = 4 << 20
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	// The client address is the TCP peer: trusting X-Forwarded-For by
	// default would let anyone dodge the sign-in rate limit.
	e.IPExtractor = echo.ExtractIPDirect()
	s := &Server{Deps: d, log: d.Log, echo: e, metrics: newMetrics()}
	e.HTTPErrorHandler = s.errorHandler
	e.JSONSerializer = jsonSerializer{}

	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		Generator: func() string { return uuid.NewString() },
	}))
	e.Use(s.accessLog)
	e.Use(s.metrics.middleware)
	e.Use(s.recoverPanic)
	e.Use(securityHeaders(d.SecureCookies))
	e.Use(s.limitBody)
	e.Use(s.authenticate)
	e.Use(s.checkCSRF)
	s.routes()
	return s
}

// ServeHTTP lets the server be used as an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Registry exposes the metrics registry (for tests and /metrics).
func (s *Server) Registry() *prometheus.Registry { return s.metrics.registry }

func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		level := slog.LevelInfo
		if res.Status >= 500 {
			level = slog.LevelError
		} else if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			level = slog.LevelDebug
		}
		s.log.LogAttrs(req.Context(), level, "request",
			slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)),
			slog.String("method", req.Method), slog.String("route", route), slog.String("path", req.URL.Path),
			slog.Int("status", res.Status), slog.Int64("bytes", res.Size),
			slog.Duration("duration", time.Since(start)), slog.String("remote", c.RealIP()))
		return nil
	}
}

func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.ErrorContext(c.Request().Context(), "panic in handler", slog.Any("panic", r),
					slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)))
				err = apperr.New(apperr.Internal, "internal error")
			}
		}()
		return next(c)
	}
}

func securityHeaders(secure bool) echo.MiddlewareFunc {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if secure {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			return next(c)
		}
	}
}

// limitBody refuses bodies over the configured size, both when the client
// says so up front and when it streams more than it declared.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > s.MaxBodyBytes {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		if req.Body != nil {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, s.MaxBodyBytes)
		}
		return next(c)
	}
}

// jsonSerializer encodes without HTML escaping (the API is not HTML) and
// decodes strictly: unknown fields are an error, so a typo in a field name
// is reported instead of silently ignored.
type jsonSerializer struct{}

func (jsonSerializer) Serialize(c echo.Context, i any, indent string) error {
	enc := json.NewEncoder(c.Response())
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(i)
}

func (jsonSerializer) Deserialize(c echo.Context, i any) error {
	return decodeJSON(c.Request().Body, i)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return apperr.Invalidf("the body must hold a single JSON value")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return apperr.Invalidf("the body must hold a single JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var (
		syn    *json.SyntaxError
		typ    *json.UnmarshalTypeError
		tooBig *http.MaxBytesError
	)
	switch {
	case err == io.EOF:
		return apperr.Invalidf("the request body is empty; send a JSON object")
	case asErr(err, &tooBig):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
	case asErr(err, &syn):
		return apperr.Invalidf("the body is not valid JSON (at byte %d): %v", syn.Offset, syn)
	case asErr(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return &apperr.Error{Code: apperr.Invalid, Message: field + " has the wrong type",
			Fields: []apperr.FieldError{{Field: field, Message: "must be " + jsonTypeName(typ.Type.String())}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apperr.Error{Code: apperr.Invalid, Message: "unknown field " + name,
			Fields: []apperr.FieldError{{Field: name, Message: "is not a field of this request"}}}
	case err == io.ErrUnexpectedEOF:
		return apperr.Invalidf("the body ends in the middle of a JSON value")
	}
	return apperr.Invalidf("the body could not be read as JSON: %v", err)
}

func jsonTypeName(goType string) string {
	switch {
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "a number"
	case strings.Contains(goType, "bool"):
		return "true or false"
	case strings.HasPrefix(goType, "[]") || strings.HasPrefix(goType, "*[]"):
		return "an array"
	case strings.Contains(goType, "string"), strings.Contains(goType, "Time"):
		return "a string"
	}
	return "an object"
}

// bind reads a JSON body into v after checking the content type.
func bind(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != echo.MIMEApplicationJSON {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the body as application/json")
	}
	return decodeJSON(c.Request().Body, v)
}

// readBody reads a body of the wanted media type whole, respecting the body limit.
func readBody(c echo.Context, want string) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != want {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the body as "+want)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(c.Request().Body); err != nil {
		var tooBig *http.MaxBytesError
		if asErr(err, &tooBig) {
			return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		return nil, apperr.Invalidf("could not read the request body: %v", err)
	}
	return buf.Bytes(), nil
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
