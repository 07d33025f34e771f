// Package pagination encodes the opaque cursors Debrief's list endpoints
// return. A cursor carries the sort key of the last item seen, so a page
// stays stable while rows are added before it (keyset pagination).
package pagination

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// Default and maximum page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page asks for up to Limit items after Cursor.
type Page struct {
	Limit  int
	Cursor string
}

// Normalize applies the default and checks bounds.
func (p Page) Normalize() (Page, error) {
	if p.Limit == 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit < 1 || p.Limit > MaxLimit {
		return p, &apperr.Error{Code: apperr.Invalid, Message: "limit must be between 1 and 200",
			Fields: []apperr.FieldError{{Field: "limit", Message: "must be between 1 and 200"}}}
	}
	return p, nil
}

// Encode turns the sort key of the last item into a cursor.
func Encode(key ...string) string {
	b, _ := json.Marshal(key) // a []string always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode reads a cursor made by Encode and checks it has n parts.
func Decode(cursor string, n int) ([]string, error) {
	bad := &apperr.Error{Code: apperr.Invalid, Message: "cursor is not one this server issued",
		Fields: []apperr.FieldError{{Field: "cursor", Message: "malformed cursor"}}}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	var key []string
	if err := json.Unmarshal(b, &key); err != nil || len(key) != n {
		return nil, bad
	}
	return key, nil
}

// EncodeTimeID is the cursor of a list sorted by a time and then an id.
func EncodeTimeID(t time.Time, id string) string {
	return Encode(t.UTC().Format(time.RFC3339Nano), id)
}

// DecodeTimeID reads a cursor made by EncodeTimeID. The id must be a UUID;
// it comes back in canonical form so it compares equal on both dialects.
func DecodeTimeID(cursor string) (time.Time, string, error) {
	key, err := Decode(cursor, 2)
	if err != nil {
		return time.Time{}, "", err
	}
	at, errT := time.Parse(time.RFC3339Nano, key[0])
	id, errID := uuid.Parse(key[1])
	if errT != nil || errID != nil {
		// Same wording as a malformed cursor: the client only needs to know
		// it did not come from us.
		return time.Time{}, "", &apperr.Error{Code: apperr.Invalid, Message: "cursor is not one this server issued",
			Fields: []apperr.FieldError{{Field: "cursor", Message: "malformed cursor"}}}
	}
	return at.UTC().Truncate(time.Microsecond), id.String(), nil
}

// ParseBound reads a time-range filter: RFC 3339, or a date (YYYY-MM-DD,
// UTC). A lower bound is inclusive. An upper bound is exclusive, and a
// date there means "to the end of that day", so consecutive ranges [a, b)
// and [b, c) never share an item. ok is false when s is empty or invalid
// (invalid adds a field error to f).
func ParseBound(f *apperr.Fields, field, s string, upper bool) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if upper {
			return d.AddDate(0, 0, 1), true
		}
		return d, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		f.Add(field, "must be a date (YYYY-MM-DD) or an RFC 3339 time")
		return time.Time{}, false
	}
	return t.UTC().Truncate(time.Microsecond), true
}
