package events

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// Limits on free text. Summary and URL limits are not in the contract;
// they exist so one request cannot store megabytes in a row.
const (
	maxTitle      = 200
	maxSeverity   = 40
	maxSummary    = 20000
	maxSystem     = 100
	maxSystems    = 50
	maxBody       = 4000
	maxActor      = 200
	maxNote       = 2000
	maxLabel      = 200
	maxURL        = 2048
	maxQueryChars = 200
)

func runes(s string) int { return utf8.RuneCountInString(s) }

func joinQuoted[T ~string](vs []T) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

// checkEnum adds a field error unless v is one of allowed. Empty values are
// reported as missing because that is what a client most likely did.
func checkEnum[T ~string](f *apperr.Fields, field string, v T, allowed []T) {
	switch {
	case v == "":
		f.Add(field, "is required; use one of %s", joinQuoted(allowed))
	case !slices.Contains(allowed, v):
		f.Add(field, "%q is not allowed; use one of %s", string(v), joinQuoted(allowed))
	}
}

// parseTime reads an RFC 3339 time with an offset and returns it in UTC,
// truncated to the microsecond PostgreSQL keeps, so a value reads back
// exactly as it was written on both dialects.
func parseTime(f *apperr.Fields, field, s string, required bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			f.Add(field, "is required")
		}
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		f.Add(field, "must be an RFC 3339 time with an offset, like 2026-11-25T17:09:00+01:00")
		return time.Time{}, false
	}
	return normTime(t), true
}

func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// cleanSystems trims names, drops blanks and removes duplicates ignoring
// case, keeping the first spelling: "Payments" and "payments" on one event
// are the same system, and the list filter ignores case too.
func cleanSystems(f *apperr.Fields, in []string) []string {
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if runes(s) > maxSystem {
			f.Add("systems", "%q is longer than %d characters", s, maxSystem)
			continue
		}
		k := strings.ToLower(s)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	if len(out) > maxSystems {
		f.Add("systems", "at most %d systems per event", maxSystems)
	}
	return out
}

// checkURL accepts absolute http(s) URLs with a host and returns the host.
func checkURL(f *apperr.Fields, field, s string) (string, bool) {
	if runes(s) > maxURL {
		f.Add(field, "must be at most %d characters", maxURL)
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) || u.Hostname() == "" {
		f.Add(field, "must be an http or https link, like https://example.com/page")
		return "", false
	}
	return u.Hostname(), true
}

func checkLen(f *apperr.Fields, field, s string, lo, hi int) {
	n := runes(s)
	switch {
	case lo > 0 && n == 0:
		f.Add(field, "is required")
	case n < lo:
		f.Add(field, "must be at least %d characters", lo)
	case n > hi:
		f.Add(field, "must be at most %d characters", hi)
	}
}
