// Package migrations holds the versioned SQL schema, one directory per
// dialect. Both directories carry the same version numbers; a test in
// internal/database fails when they drift apart.
package migrations

import "embed"

// FS contains postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
