// Package frontend holds Debrief's web app. The React + TypeScript sources live
// beside this file; `npm run build` writes the production bundle to dist/.
package frontend

import "embed"

// Dist is the built web app: dist/index.html plus the hashed files under
// dist/assets/. The server serves index.html for unknown non-API paths (the app
// routes on the client) and the hashed assets with long cache lifetimes.
// dist/.gitkeep keeps the pattern matching before the first build, so a Go
// build never fails for want of the bundle (the app is then just absent).
//
//go:embed all:dist
var Dist embed.FS
