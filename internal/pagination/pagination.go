// Package pagination encodes the opaque cursors Debrief's list endpoints
// return. A cursor carries the sort key of the last item seen, so a page
// stays stable while rows are added before it (keyset pagination).
package pagination

import (
	"encoding/base64"
	"encoding/json"

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
