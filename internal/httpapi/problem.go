package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`
}

const problemBase = "https://debrief.dev/problems/"

var codeStatus = map[apperr.Code]int{
	apperr.Invalid:         http.StatusBadRequest,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Conflict:        http.StatusConflict,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.Unavailable:     http.StatusServiceUnavailable,
	apperr.TooManyRequests: http.StatusTooManyRequests,
	apperr.Internal:        http.StatusInternalServerError,
}

// statusCode gives a stable problem type for statuses Echo produces itself.
var statusCode = map[int]string{
	http.StatusBadRequest:            "invalid",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "payload_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "too_many_requests",
	http.StatusServiceUnavailable:    "unavailable",
	http.StatusInternalServerError:   "internal",
}

// errorHandler renders every error as application/problem+json. It is the
// one place where apperr codes become HTTP statuses.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The client went away; nobody is left to read an answer, and it
		// is not a server failure. 499 is nginx's name for it in the logs.
		c.Response().Status = 499
		return
	}
	p := Problem{Instance: c.Request().URL.Path, RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	var he *echo.HTTPError
	if ae, ok := apperr.As(err); ok {
		p.Status = codeStatus[ae.Code]
		if p.Status == 0 {
			p.Status = http.StatusInternalServerError
		}
		p.Detail = ae.Message
		p.Errors = ae.Fields
		if ae.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
		}
		if p.Status == http.StatusInternalServerError {
			p.Detail = "something went wrong on our side; the request id helps an admin find it in the logs"
		}
	} else if errors.As(err, &he) {
		p.Status = he.Code
		switch m := he.Message.(type) {
		case string:
			p.Detail = m
		default:
			p.Detail = http.StatusText(he.Code)
		}
		switch he.Code {
		case http.StatusRequestEntityTooLarge:
			p.Detail = "the request body is larger than this server accepts"
		case http.StatusNotFound:
			p.Detail = "there is nothing at this address"
		case http.StatusMethodNotAllowed:
			p.Detail = "this address does not accept " + c.Request().Method
		}
	} else {
		p.Status = http.StatusInternalServerError
		p.Detail = "something went wrong on our side; the request id helps an admin find it in the logs"
	}
	code := statusCode[p.Status]
	if code == "" {
		code = "error"
	}
	p.Type = problemBase + code
	p.Title = http.StatusText(p.Status)
	if p.Status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", slog.String("request_id", p.RequestID),
			slog.String("path", p.Instance), slog.Any("error", err))
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	_ = writeJSON(c.Response(), p)
}
