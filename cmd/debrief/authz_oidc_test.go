package main

import (
	"bytes"
	"testing"
)

// Authorization matrix rows for sign-in with an OpenID provider. The
// fixture's server has none configured: everyone learns that it is off, and
// the browser legs of the flow are 404 problems. With a provider they are
// anonymous navigations that answer with redirects (oidc_http_test.go).
func oidcAuthzCases() []authzCase {
	anyone := want(200, 200, 200, 200, 200)
	off := want(404, 404, 404, 404, 404)
	return []authzCase{
		{method: "GET", route: "/api/v1/auth/oidc", want: anyone,
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/auth/oidc"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte(`"enabled":false`)) {
					t.Errorf("oidc info without a provider = %s", r.Body)
				}
			}},
		{method: "GET", route: "/api/v1/auth/oidc/start", want: off,
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/auth/oidc/start?next=/events"}
			}},
		{method: "GET", route: "/api/v1/auth/oidc/callback", want: off,
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/auth/oidc/callback?code=x&state=y"}
			}},
	}
}
