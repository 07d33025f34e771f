package google

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"

	"github.com/debrief-dev/debrief/internal/calendar"
)

// classify turns the error of one request into what the caller should do.
// ctx is the caller's context (not the per-call one), which tells a caller
// who gave up apart from a call that ran out of its own time.
//
//   - The caller's context ended: the error wraps ctx's error and is not a
//     *calendar.Error (KindOf says Permanent). There is no kind for it; the
//     caller knows it stopped, and must not take it for a verdict on the
//     request, which may have been applied.
//   - A Google error reply: by status and reason (kindFor).
//   - A token request refused by the token endpoint: 408, 429 and 5xx are
//     Retryable, anything else (invalid_grant, a revoked consent, a bad
//     key) is Permanent.
//   - A certificate that fails verification: Permanent (configuration).
//   - Anything else is a transport problem: the per-call timeout, a reset
//     or closed connection, a reply cut short. All Retryable. For a write
//     the change may have been applied; the retry finds out (Exists on
//     insert, a changed etag on a conditional update).
func (p *Provider) classify(ctx context.Context, o op, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(err, cerr) {
			return fmt.Errorf("google %s: %w", o, err)
		}
		return fmt.Errorf("google %s: %w: %w", o, context.Cause(ctx), err)
	}
	wrapped := fmt.Errorf("google %s: %w", o, err)
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		return &calendar.Error{Kind: kindFor(o, gerr), RetryAfter: retryAfter(gerr.Header, p.now()), Err: wrapped}
	}
	var rerr *oauth2.RetrieveError
	if errors.As(err, &rerr) {
		kind := calendar.Permanent
		var h http.Header
		if rerr.Response != nil {
			h = rerr.Response.Header
			if c := rerr.Response.StatusCode; c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500 {
				kind = calendar.Retryable
			}
		}
		return &calendar.Error{Kind: kind, RetryAfter: retryAfter(h, p.now()), Err: fmt.Errorf("google %s: token: %w", o, err)}
	}
	if isCertificateError(err) {
		return &calendar.Error{Kind: calendar.Permanent, Err: wrapped}
	}
	return &calendar.Error{Kind: calendar.Retryable, Err: wrapped}
}

// isRateLimitReason reports the 403 reasons Calendar uses for request
// rates, which pass with time. Other 403s (forbidden, quotaExceeded for a
// daily quota, a calendar not shared) do not. A switch rather than a
// package-level map, so there is no shared value anything could change.
func isRateLimitReason(reason string) bool {
	switch reason {
	case "rateLimitExceeded", "userRateLimitExceeded":
		return true
	}
	return false
}

// kindFor maps a Google error reply to a kind. Status codes that mean
// different things per method:
//   - 409: on insert the id is taken (Exists: fetch and reconcile);
//     elsewhere a concurrent change (Precondition: refetch and reapply).
//   - 410: on list the sync token expired (Gone: full sync); on an event
//     the event was deleted (NotFound). Cancel turns 404 and 410 into
//     success itself.
func kindFor(o op, e *googleapi.Error) calendar.Kind {
	switch c := e.Code; {
	case c == http.StatusTooManyRequests, c == http.StatusRequestTimeout, c >= 500:
		return calendar.Retryable
	case c == http.StatusForbidden:
		for _, it := range e.Errors {
			if isRateLimitReason(it.Reason) {
				return calendar.Retryable
			}
		}
		return calendar.Permanent
	case c == http.StatusConflict:
		if o == opInsert {
			return calendar.Exists
		}
		return calendar.Precondition
	case c == http.StatusPreconditionFailed:
		return calendar.Precondition
	case c == http.StatusNotFound:
		return calendar.NotFound
	case c == http.StatusGone:
		if o == opList {
			return calendar.Gone
		}
		return calendar.NotFound
	}
	return calendar.Permanent
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d.Round(time.Second)
		}
	}
	return 0
}

func isCertificateError(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr)
}

// permanent is a refusal by this package before any request is sent.
func permanent(format string, args ...any) error {
	return &calendar.Error{Kind: calendar.Permanent, Err: fmt.Errorf("google: "+format, args...)}
}
