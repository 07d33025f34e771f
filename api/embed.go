// Package api holds Debrief's HTTP API contract, api/openapi.yaml (OpenAPI
// 3.0.3), embedded so the server can serve it at /api/openapi.yaml and tests
// can check handlers against it. The frontend's types are generated from the
// same file.
package api

import _ "embed"

// Spec is the raw OpenAPI document. It is shared by every caller: treat it as
// immutable and copy it before changing anything.
//
//go:embed openapi.yaml
var Spec []byte
