// Package idgen makes and checks the ids of Debrief's records. They are
// UUIDs; version 7 keeps new rows close together in indexes because the id
// starts with the time.
package idgen

import (
	"strings"

	"github.com/google/uuid"
)

// New returns a fresh id.
func New() string { return uuid.Must(uuid.NewV7()).String() }

// Canonical returns s in the one spelling the database stores (lower
// case, hyphenated), so lookups match on SQLite (text) as they do on
// PostgreSQL (uuid), and a malformed id never reaches PostgreSQL, which
// would answer it with a server error instead of "not found".
func Canonical(s string) (string, bool) {
	u, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	return u.String(), true
}
