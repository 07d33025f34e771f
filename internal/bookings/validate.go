package bookings

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debrief-dev/debrief/internal/apperr"
)

func runes(s string) int { return utf8.RuneCountInString(s) }

func joinQuoted[T ~string](vs []T) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

// checkEnum adds a field error unless v is one of allowed.
func checkEnum[T ~string](f *apperr.Fields, field string, v T, allowed []T) bool {
	switch {
	case v == "":
		f.Add(field, "is required; use one of %s", joinQuoted(allowed))
	case !slices.Contains(allowed, v):
		f.Add(field, "%q is not allowed; use one of %s", string(v), joinQuoted(allowed))
	default:
		return true
	}
	return false
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

// parseTime reads an RFC 3339 time with an offset and returns it in UTC,
// truncated to the microsecond PostgreSQL keeps, so a value reads back
// exactly as written on both dialects (and the SQLite text form, always
// UTC, sorts in time order).
func parseTime(f *apperr.Fields, field, s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		f.Add(field, "is required")
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		f.Add(field, "must be an RFC 3339 time with an offset, like 2026-11-25T14:00:00+01:00")
		return time.Time{}, false
	}
	return normTime(t), true
}

// checkSpan applies the duration rules to [start, end).
func checkSpan(f *apperr.Fields, start, end time.Time) {
	d := end.Sub(start)
	switch {
	case d <= 0:
		f.Add("end", "must be after start")
	case d < MinDuration:
		f.Add("end", "a booking lasts at least %d minutes", int(MinDuration/time.Minute))
	case d > MaxDuration:
		f.Add("end", "a booking lasts at most %d hours", int(MaxDuration/time.Hour))
	}
}

func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}
