package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/debrief-dev/debrief/api"
	"github.com/debrief-dev/debrief/internal/config"
)

// The authorization matrix: every route × {anonymous, admin, facilitator,
// member, leader}, with cookie sessions (plus CSRF header) and with bearer
// tokens. Each request carries a body that succeeds for a role that is
// allowed, so a 403 or 404 is the authorization decision and not validation.

const (
	roleAnon   = "anonymous"
	roleAdmin  = "admin"
	roleFac    = "facilitator"
	roleMember = "member"
	roleLeader = "leader"
)

var matrixRoles = []string{roleAnon, roleAdmin, roleFac, roleMember, roleLeader}

// outcome is the status each role must get.
type outcome map[string]int

func want(anon, admin, fac, member, leader int) outcome {
	return outcome{roleAnon: anon, roleAdmin: admin, roleFac: fac, roleMember: member, roleLeader: leader}
}

// Event targets of the fixture:
//   - involved: open, the member's person is involved (member sees it, leader does not)
//   - published: published, the member is not involved (leader sees it, member does not)
//   - other: open, the member is not involved (only admins and facilitators see it)
var eventTargets = []string{"involved", "published", "other"}

// evRead is who may read an event target; evWrite who may change it (ok is
// the success status), with 403 for a reader who may not write and 404 for
// a caller who may not see it at all.
func evRead(target string) outcome {
	switch target {
	case "involved":
		return want(401, 200, 200, 200, 404)
	case "published":
		return want(401, 200, 200, 404, 200)
	}
	return want(401, 200, 200, 404, 404)
}

// evRender is what rendering a guide for an event target gives: readers
// of the event get it filled in, everyone else a 400 on event_id.
func evRender(target string) outcome {
	o := evRead(target)
	for role, st := range o {
		if st == 404 {
			o[role] = 400
		}
	}
	return o
}

func evWrite(target string, ok int) outcome {
	switch target {
	case "involved":
		return want(401, ok, ok, 403, 404)
	case "published":
		return want(401, ok, ok, 404, 403)
	}
	return want(401, ok, ok, 404, 404)
}

type fixtureUser struct {
	ID, Email, Password string
	Token, TokenID      string
}

type fixtureEvent struct {
	ID, EntryID, InvID, RefID string
}

type authzFixture struct {
	s        *server
	contract *contract
	admin    *client // ada, cookie session
	users    map[string]*fixtureUser
	// bystander is a member account with no person, the target of user reads and edits.
	bystander string
	mia, sam  string // person ids: mia is the member's person
	events    map[string]fixtureEvent
	// guide is a custom guide with versions 1 and 2 that no case changes;
	// builtinID is the id of the built-in responder-chat.
	guide     string
	builtinID string
	cookie    map[string]*client
	bearer    map[string]*client
	// tokens holds every token id each role created, to check token lists.
	tokens map[string]map[string]bool
	seq    int
}

// authzCtx is what a case sees: the caller and helpers bound to the subtest.
type authzCtx struct {
	f          *authzFixture
	role, mode string
	c          *client // the caller (anonymous client for roleAnon)
	admin      *client // ada, for set-up and for looking behind a refusal
	marker     string  // unique per case run
}

type authzReq struct {
	path  string
	body  any
	ctype string
	// client, when set, replaces the caller's client (sign-in, sign-out).
	client *client
	// ref is a resource the case made; refusal checks look for it.
	ref string
}

type authzCase struct {
	method, route, target string
	want                  outcome
	build                 func(t *testing.T, x *authzCtx) authzReq
	// ok runs after an allowed request, refused after any other outcome.
	ok      func(t *testing.T, x *authzCtx, q authzReq, r response)
	refused func(t *testing.T, x *authzCtx, q authzReq)
	// failed, when set, also runs after a 4xx answer and sees it.
	failed func(t *testing.T, x *authzCtx, q authzReq, r response)
}

func (c authzCase) name() string {
	n := c.method + " " + c.route
	if c.target != "" {
		n += "[" + c.target + "]"
	}
	return n
}

// bindClient returns a copy of c whose failures and contract checks are
// reported on t; the cookie jar is shared.
func bindClient(t *testing.T, c *client) *client {
	cp := *c
	cp.t = t
	hc := *c.http
	if ct, ok := hc.Transport.(checkingTransport); ok {
		ct.t = t
		hc.Transport = ct
	}
	cp.http = &hc
	return &cp
}

// expand fills the fixture's ids into a path written with placeholders.
func (f *authzFixture) expand(path string) string {
	return strings.NewReplacer("{bystander}", f.bystander, "{sam}", f.sam).Replace(path)
}

func (x *authzCtx) ev(target string) fixtureEvent { return x.f.events[target] }

// eventJSON is the admin's view of an event, to look behind a refusal.
func (x *authzCtx) eventJSON(id string) []byte {
	return x.admin.must(200, "GET", "/api/v1/events/"+id, nil).Body
}

func (x *authzCtx) newPerson(t *testing.T) string {
	var p struct{ ID string }
	x.admin.must(201, "POST", "/api/v1/people", map[string]any{
		"name": "Extra " + x.marker, "email": x.marker + "-extra@example.com", "timezone": "UTC"}).decode(t, &p)
	return p.ID
}

func (x *authzCtx) newEntry(t *testing.T, ev string) string {
	var e struct{ ID string }
	x.admin.must(201, "POST", "/api/v1/events/"+ev+"/timeline", map[string]any{
		"occurred_at": "2026-01-10T10:00:00Z", "actor": "pager", "body": "to delete " + x.marker, "kind": "action"}).decode(t, &e)
	return e.ID
}

func (x *authzCtx) newInvolvement(t *testing.T, ev string) string {
	var e struct{ ID string }
	x.admin.must(201, "POST", "/api/v1/events/"+ev+"/involvements", map[string]any{
		"person_id": x.newPerson(t), "role": "affected"}).decode(t, &e)
	return e.ID
}

func (x *authzCtx) newReference(t *testing.T, ev string) string {
	var e struct{ ID string }
	x.admin.must(201, "POST", "/api/v1/events/"+ev+"/references", map[string]any{
		"url": "https://example.com/delete/" + x.marker, "label": "to delete", "kind": "other"}).decode(t, &e)
	return e.ID
}

// newToken creates a token as role (through its cookie session) and returns its id.
func (x *authzCtx) newToken(t *testing.T, role string) string {
	c := bindClient(t, x.f.cookie[role])
	var nt struct {
		APIToken struct{ ID string } `json:"api_token"`
	}
	c.must(201, "POST", "/api/v1/tokens", map[string]string{"name": "target " + x.marker}).decode(t, &nt)
	x.f.tokens[role][nt.APIToken.ID] = true
	return nt.APIToken.ID
}

// tokenRevoked reports whether role's token id is revoked, failing if role has no such token.
func (x *authzCtx) tokenRevoked(t *testing.T, role, id string) bool {
	t.Helper()
	c := bindClient(t, x.f.cookie[role])
	var l struct {
		Items []struct {
			ID        string  `json:"id"`
			RevokedAt *string `json:"revoked_at"`
		} `json:"items"`
	}
	c.must(200, "GET", "/api/v1/tokens", nil).decode(t, &l)
	for _, it := range l.Items {
		if it.ID == id {
			return it.RevokedAt != nil
		}
	}
	t.Fatalf("%s has no token %s", role, id)
	return false
}

func ids(t *testing.T, r response) []string {
	t.Helper()
	var l struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	r.decode(t, &l)
	out := make([]string, len(l.Items))
	for i, it := range l.Items {
		out[i] = it.ID
	}
	return out
}

func names(t *testing.T, r response) []string {
	t.Helper()
	var l struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
	}
	r.decode(t, &l)
	out := make([]string, len(l.Items))
	for i, it := range l.Items {
		out[i] = it.Name
	}
	return out
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func sortedEq(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

// noMarker fails when the admin sees the marker at path: a refused write must change nothing.
func noMarker(path string) func(t *testing.T, x *authzCtx, q authzReq) {
	return func(t *testing.T, x *authzCtx, q authzReq) {
		if b := x.admin.must(200, "GET", x.f.expand(path), nil).Body; bytes.Contains(b, []byte(x.marker)) {
			t.Errorf("refused request still changed %s: %s", path, b)
		}
	}
}

func markerIn(path string) func(t *testing.T, x *authzCtx, q authzReq, r response) {
	return func(t *testing.T, x *authzCtx, q authzReq, r response) {
		if b := x.admin.must(200, "GET", x.f.expand(path), nil).Body; !bytes.Contains(b, []byte(x.marker)) {
			t.Errorf("allowed request did not change %s: %s", path, b)
		}
	}
}

// authzTable is the matrix: one row per route (per event target for routes
// under an event).
func authzTable() []authzCase {
	cases := []authzCase{
		// ---------------------------------------------------------- ops
		{method: "GET", route: "/healthz", want: want(200, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/healthz"} }},
		{method: "GET", route: "/readyz", want: want(200, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/readyz"} }},
		{method: "GET", route: "/metrics", want: want(200, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/metrics"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte("debrief_http_requests_total")) {
					t.Errorf("metrics body lacks the request counter")
				}
			}},
		{method: "GET", route: "/api/openapi.yaml", want: want(200, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/openapi.yaml"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Equal(r.Body, api.Spec) {
					t.Errorf("served spec differs from api.Spec")
				}
			}},

		// ---------------------------------------------------------- setup and auth
		{method: "GET", route: "/api/v1/setup", want: want(200, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/setup"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte(`"needed":false`)) {
					t.Errorf("setup state = %s", r.Body)
				}
			}},
		// Set-up is done, so it is a conflict for everyone, never 401 or 403.
		{method: "POST", route: "/api/v1/setup", want: want(409, 409, 409, 409, 409),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/setup", body: map[string]string{"token": "whatever", "email": x.marker + "@example.com",
					"name": "Eve", "password": "correct horse battery"}}
			},
			refused: noMarker("/api/v1/users?limit=200")},
		// Sign-in is anonymous: a fresh client signs in with the role's
		// credentials (ada's for anonymous) so the caller's session survives.
		{method: "POST", route: "/api/v1/auth/sign-in", want: want(200, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				u := x.f.users[roleAdmin]
				if x.role != roleAnon {
					u = x.f.users[x.role]
				}
				return authzReq{path: "/api/v1/auth/sign-in", body: map[string]string{"email": u.Email, "password": u.Password},
					client: bindClient(t, x.f.s.client(t, x.f.contract)), ref: u.ID}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var sess session
				r.decode(t, &sess)
				if sess.User.ID != q.ref || sess.CSRFToken == "" {
					t.Errorf("session = %+v, want user %s", sess, q.ref)
				}
			}},
		// Signing out ends the caller's session: cookie callers use a fresh
		// session of their own so the shared one survives.
		{method: "POST", route: "/api/v1/auth/sign-out", want: want(401, 204, 204, 204, 204),
			build: func(t *testing.T, x *authzCtx) authzReq {
				q := authzReq{path: "/api/v1/auth/sign-out"}
				if x.mode == "cookie" && x.role != roleAnon {
					u := x.f.users[x.role]
					q.client = bindClient(t, x.f.s.signIn(t, x.f.contract, u.Email, u.Password))
				}
				return q
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if q.client != nil {
					q.client.must(401, "GET", "/api/v1/auth/me", nil)
				}
				// The shared session or token still works.
				x.c.must(200, "GET", "/api/v1/auth/me", nil)
			}},
		{method: "GET", route: "/api/v1/auth/me", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/auth/me"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var sess session
				r.decode(t, &sess)
				u := x.f.users[x.role]
				wantCSRF := x.c.csrf // "" for bearer callers
				if sess.User.ID != u.ID || sess.User.Role != x.role || sess.CSRFToken != wantCSRF {
					t.Errorf("me = %+v, want %s %s csrf %q", sess, u.ID, x.role, wantCSRF)
				}
			}},

		// ---------------------------------------------------------- users (admin only)
		{method: "GET", route: "/api/v1/users", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/users?limit=200"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var all []string
				for _, u := range x.f.users {
					all = append(all, u.ID)
				}
				all = append(all, x.f.bystander)
				if got := ids(t, r); !containsAll(got, all) {
					t.Errorf("users %v lack some of %v", got, all)
				}
			}},
		{method: "POST", route: "/api/v1/users", want: want(401, 201, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/users", body: map[string]string{"email": x.marker + "@example.com",
					"name": "User " + x.marker, "role": "member", "password": "correct horse battery"}}
			},
			ok:      markerIn("/api/v1/users?limit=200"),
			refused: noMarker("/api/v1/users?limit=200")},
		{method: "GET", route: "/api/v1/users/{id}", target: "other user", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/users/" + x.f.bystander} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte(x.f.bystander)) {
					t.Errorf("got %s", r.Body)
				}
			}},
		{method: "PATCH", route: "/api/v1/users/{id}", target: "other user", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/users/" + x.f.bystander, body: map[string]string{"name": "Bob " + x.marker}}
			},
			ok:      markerIn("/api/v1/users/{bystander}"),
			refused: noMarker("/api/v1/users/{bystander}")},

		// ---------------------------------------------------------- tokens (own only)
		{method: "GET", route: "/api/v1/tokens", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/tokens"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				got := ids(t, r)
				if !slices.Contains(got, x.f.users[x.role].TokenID) {
					t.Errorf("%s's tokens %v lack their own token", x.role, got)
				}
				for _, id := range got {
					if !x.f.tokens[x.role][id] {
						t.Errorf("%s sees token %s that is not theirs", x.role, id)
					}
				}
			}},
		{method: "POST", route: "/api/v1/tokens", want: want(401, 201, 201, 201, 201),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/tokens", body: map[string]string{"name": "tok " + x.marker}}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var nt struct {
					Token    string              `json:"token"`
					APIToken struct{ ID string } `json:"api_token"`
				}
				r.decode(t, &nt)
				x.f.tokens[x.role][nt.APIToken.ID] = true
				// The new token acts as its creator.
				c := bindClient(t, x.f.s.client(t, x.f.contract))
				c.token = nt.Token
				var sess session
				c.must(200, "GET", "/api/v1/auth/me", nil).decode(t, &sess)
				if sess.User.Role != x.role {
					t.Errorf("token acts as %q, want %q", sess.User.Role, x.role)
				}
			}},
		{method: "DELETE", route: "/api/v1/tokens/{id}", target: "own", want: want(401, 204, 204, 204, 204),
			build: func(t *testing.T, x *authzCtx) authzReq {
				owner := x.role
				if owner == roleAnon {
					owner = roleAdmin
				}
				id := x.newToken(t, owner)
				return authzReq{path: "/api/v1/tokens/" + id, ref: owner + " " + id}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				owner, id, _ := strings.Cut(q.ref, " ")
				if !x.tokenRevoked(t, owner, id) {
					t.Errorf("token not revoked")
				}
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				owner, id, _ := strings.Cut(q.ref, " ")
				if x.tokenRevoked(t, owner, id) {
					t.Errorf("refused request revoked the token")
				}
			}},
		{method: "DELETE", route: "/api/v1/tokens/{id}", target: "another user's", want: want(401, 404, 404, 404, 404),
			build: func(t *testing.T, x *authzCtx) authzReq {
				owner := roleAdmin
				if x.role == roleAdmin {
					owner = roleMember
				}
				id := x.newToken(t, owner)
				return authzReq{path: "/api/v1/tokens/" + id, ref: owner + " " + id}
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				owner, id, _ := strings.Cut(q.ref, " ")
				if x.tokenRevoked(t, owner, id) {
					t.Errorf("%s revoked %s's token", x.role, owner)
				}
			}},

		// ---------------------------------------------------------- settings
		{method: "GET", route: "/api/v1/settings/levels", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/settings/levels"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if got := names(t, r); !slices.Contains(got, "engineer") {
					t.Errorf("levels = %v", got)
				}
			}},
		{method: "PUT", route: "/api/v1/settings/levels", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				var l struct {
					Items []struct {
						ID   string `json:"id"`
						Name string `json:"name"`
					} `json:"items"`
				}
				x.admin.must(200, "GET", "/api/v1/settings/levels", nil).decode(t, &l)
				in := make([]map[string]string, len(l.Items))
				for i, it := range l.Items {
					in[i] = map[string]string{"id": it.ID, "name": it.Name}
				}
				in[len(in)-1]["name"] = "top " + x.marker
				return authzReq{path: "/api/v1/settings/levels", body: map[string]any{"levels": in}}
			},
			ok:      markerIn("/api/v1/settings/levels"),
			refused: noMarker("/api/v1/settings/levels")},
		// The language preference is org-wide; every case leaves it empty.
		{method: "GET", route: "/api/v1/settings/language", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/settings/language"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if got := languageDisabled(t, r); got == nil || len(got) != 0 {
					t.Errorf("language settings = %s, want nothing disabled", r.Body)
				}
			}},
		{method: "PUT", route: "/api/v1/settings/language", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/settings/language", body: map[string]any{"disabled": []string{"minimizing"}}}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if got := languageDisabled(t, r); !slices.Equal(got, []string{"minimizing"}) {
					t.Errorf("PUT answered %s", r.Body)
				}
				if got := languageDisabled(t, x.admin.must(200, "GET", "/api/v1/settings/language", nil)); !slices.Equal(got, []string{"minimizing"}) {
					t.Errorf("after PUT, disabled = %v", got)
				}
				x.admin.must(200, "PUT", "/api/v1/settings/language", map[string]any{"disabled": []string{}})
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				if got := languageDisabled(t, x.admin.must(200, "GET", "/api/v1/settings/language", nil)); len(got) != 0 {
					t.Errorf("refused PUT changed the language settings: disabled = %v", got)
				}
			}},

		// The Google Calendar connection is for admins only. The fixture has
		// an OAuth client but no Google: nothing here reaches Google, and
		// every case leaves the connection empty.
		{method: "GET", route: "/api/v1/settings/google", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/settings/google"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte(`"connected":false`)) || !bytes.Contains(r.Body, []byte(`"oauth_available":true`)) {
					t.Errorf("google connection = %s", r.Body)
				}
			}},
		{method: "PUT", route: "/api/v1/settings/google/service-account", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/settings/google/service-account", body: map[string]string{
					"key": string(serviceAccountKey(t, "http://127.0.0.1:9/token")), "organizer": x.marker + "@example.com"}}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				markerIn("/api/v1/settings/google")(t, x, q, r)
				x.admin.must(204, "DELETE", "/api/v1/settings/google", nil)
			},
			refused: noMarker("/api/v1/settings/google")},
		{method: "DELETE", route: "/api/v1/settings/google", want: want(401, 204, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				x.admin.must(200, "PUT", "/api/v1/settings/google/service-account", map[string]string{
					"key": string(serviceAccountKey(t, "http://127.0.0.1:9/token")), "organizer": x.marker + "@example.com"})
				return authzReq{path: "/api/v1/settings/google"}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) { noMarker("/api/v1/settings/google")(t, x, q) },
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				markerIn("/api/v1/settings/google")(t, x, q, response{})
				x.admin.must(204, "DELETE", "/api/v1/settings/google", nil)
			}},
		{method: "POST", route: "/api/v1/settings/google/oauth", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/settings/google/oauth", body: map[string]string{"conference": "hangoutsMeet"}}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte(`"auth_url":"http://127.0.0.1:9/o/oauth2/auth?`)) {
					t.Errorf("start consent = %s", r.Body)
				}
			}},
		// Google's redirect back always lands on Settings; without a
		// consent the admin started, with an error.
		{method: "GET", route: "/api/v1/settings/google/oauth/callback", want: want(303, 303, 303, 303, 303),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/settings/google/oauth/callback?state=" + x.marker + "&code=4/forged"}
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				if b := x.admin.must(200, "GET", "/api/v1/settings/google", nil).Body; !bytes.Contains(b, []byte(`"connected":false`)) {
					t.Errorf("a forged callback connected Google: %s", b)
				}
			}},
		// Testing reaches no Google (the key's token_uri is a closed port):
		// a failed check is still a 200.
		{method: "POST", route: "/api/v1/settings/google/test", want: want(401, 200, 403, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				x.admin.must(200, "PUT", "/api/v1/settings/google/service-account", map[string]string{
					"key": string(serviceAccountKey(t, "http://127.0.0.1:9/token")), "organizer": x.marker + "@example.com"})
				return authzReq{path: "/api/v1/settings/google/test"}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte(`"ok":false`)) {
					t.Errorf("test = %s", r.Body)
				}
				x.admin.must(204, "DELETE", "/api/v1/settings/google", nil)
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				if b := x.admin.must(200, "GET", "/api/v1/settings/google", nil).Body; bytes.Contains(b, []byte(`"last_test"`)) {
					t.Errorf("a refused test ran: %s", b)
				}
				x.admin.must(204, "DELETE", "/api/v1/settings/google", nil)
			}},

		// ---------------------------------------------------------- people
		{method: "GET", route: "/api/v1/people", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/people?limit=200"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if got := ids(t, r); !containsAll(got, []string{x.f.mia, x.f.sam}) {
					t.Errorf("people %v lack mia and sam", got)
				}
			}},
		{method: "POST", route: "/api/v1/people", want: want(401, 201, 201, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/people", body: map[string]any{"name": "Person " + x.marker,
					"email": x.marker + "@example.com", "timezone": "Europe/Berlin", "team": "payments"}}
			},
			ok:      markerIn("/api/v1/people?limit=200"),
			refused: noMarker("/api/v1/people?limit=200&active=all")},
		{method: "POST", route: "/api/v1/people/import", want: want(401, 200, 200, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/people/import", ctype: "text/csv",
					body: "name,email,timezone\nImported " + x.marker + "," + x.marker + "@example.com,UTC\n"}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte(`"created":1,`)) {
					t.Errorf("report = %s", r.Body)
				}
				markerIn("/api/v1/people?limit=200")(t, x, q, r)
			},
			refused: noMarker("/api/v1/people?limit=200&active=all")},
		{method: "GET", route: "/api/v1/people/{id}", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/people/" + x.f.mia} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !bytes.Contains(r.Body, []byte(`"email":"mia@example.com"`)) {
					t.Errorf("got %s", r.Body)
				}
			}},
		{method: "PATCH", route: "/api/v1/people/{id}", want: want(401, 200, 200, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/people/" + x.f.sam, body: map[string]string{"team": "team " + x.marker}}
			},
			ok:      markerIn("/api/v1/people/{sam}"),
			refused: noMarker("/api/v1/people/{sam}")},
		{method: "POST", route: "/api/v1/language/check", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/language/check", body: map[string]string{"text": "Why did you restart it?", "kind": "question"}}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var res struct {
					Flags []struct{ Category string } `json:"flags"`
				}
				r.decode(t, &res)
				if len(res.Flags) == 0 || res.Flags[0].Category != "why_question" {
					t.Errorf("flags = %s", r.Body)
				}
			}},
		{method: "GET", route: "/api/v1/language/categories", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/language/categories"} }},
		{method: "GET", route: "/api/v1/teams", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/teams"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if got := names(t, r); !slices.Contains(got, "payments") {
					t.Errorf("teams = %v", got)
				}
			}},

		// ---------------------------------------------------------- guides
		// Reads are for every signed-in role; writes for admins and
		// facilitators. Targets: built-in is responder-chat, custom the
		// fixture's guide (versions 1 and 2) or a fresh one for changes.
		{method: "GET", route: "/api/v1/guides", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/guides?limit=200"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if got := ids(t, r); !containsAll(got, []string{x.f.builtinID, x.f.guide}) {
					t.Errorf("guides %v lack responder-chat %s and the fixture guide %s", got, x.f.builtinID, x.f.guide)
				}
			}},
		{method: "POST", route: "/api/v1/guides", want: want(401, 201, 201, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/guides", body: guideInput("Created " + x.marker)}
			},
			ok:      oneMarkedGuide(func(t *testing.T, x *authzCtx, g guideSummary) {}),
			refused: noMarkedGuide},
		// Cookie callers import Markdown, bearer callers a JSON document.
		{method: "POST", route: "/api/v1/guides/import", want: want(401, 201, 201, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				if x.mode == "cookie" {
					return authzReq{path: "/api/v1/guides/import", body: guideMarkdown("Imported " + x.marker), ctype: "text/markdown; charset=utf-8"}
				}
				return authzReq{path: "/api/v1/guides/import", body: guideDocument("Imported " + x.marker)}
			},
			ok: oneMarkedGuide(func(t *testing.T, x *authzCtx, g guideSummary) {
				if g.Kind != "non_responder_chat" || g.QuestionCount != 1 || g.Builtin {
					t.Errorf("imported guide = %+v", g)
				}
			}),
			refused: noMarkedGuide},
		{method: "POST", route: "/api/v1/guides/render", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/guides/render", body: map[string]any{"guide_id": "responder-chat"}}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var out struct {
					Opener  string          `json:"opener"`
					Event   json.RawMessage `json:"event"`
					Missing []string        `json:"missing"`
				}
				r.decode(t, &out)
				if !strings.Contains(out.Opener, "about the event.") || string(out.Event) != "null" || !slices.Contains(out.Missing, "event.title") {
					t.Errorf("render without an event = %s", r.Body)
				}
			}},
		// The stylesheet of the print page holds no data and needs no sign-in.
		{method: "GET", route: "/api/v1/guides/print.css", want: want(200, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/guides/print.css"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") || !bytes.Contains(r.Body, []byte("@media print")) {
					t.Errorf("print.css: %v\n%.200s", r.Header, r.Body)
				}
			}},
		{method: "GET", route: "/api/v1/guides/{id}", target: "built-in", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/guides/responder-chat"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var g guideSummary
				r.decode(t, &g)
				if g.ID != x.f.builtinID || !g.Builtin || g.Slug != "responder-chat" {
					t.Errorf("got %+v", g)
				}
			}},
		{method: "GET", route: "/api/v1/guides/{id}", target: "custom", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/guides/" + x.f.guide} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var g guideSummary
				r.decode(t, &g)
				if g.ID != x.f.guide || g.Builtin || g.CurrentVersion != 2 {
					t.Errorf("got %+v", g)
				}
			}},
		{method: "PUT", route: "/api/v1/guides/{id}", target: "custom", want: want(401, 200, 200, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				id := x.newGuide(t, false)
				body := guideInput("Saved " + x.marker)
				delete(body, "kind")
				body["base_version"] = 1
				return authzReq{path: "/api/v1/guides/" + id, body: body, ref: id}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if g := x.guide(t, q.ref); g.CurrentVersion != 2 || !strings.Contains(g.Title, x.marker) {
					t.Errorf("after save: %+v", g)
				}
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				if g := x.guide(t, q.ref); g.CurrentVersion != 1 || strings.Contains(g.Title, x.marker) {
					t.Errorf("refused save changed the guide: %+v", g)
				}
				if n := len(ids(t, x.admin.must(200, "GET", "/api/v1/guides/"+q.ref+"/versions", nil))); n != 1 {
					t.Errorf("refused save left %d versions", n)
				}
			}},
		// Built-ins are read-only: 409 for those who may write, 403 for the rest.
		{method: "PUT", route: "/api/v1/guides/{id}", target: "built-in", want: want(401, 409, 409, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				body := guideInput("Saved " + x.marker)
				delete(body, "kind")
				return authzReq{path: "/api/v1/guides/responder-chat", body: body,
					ref: strconv.Itoa(x.guide(t, "responder-chat").CurrentVersion)}
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				if g := x.guide(t, "responder-chat"); strconv.Itoa(g.CurrentVersion) != q.ref || strings.Contains(g.Title, x.marker) {
					t.Errorf("refused save changed the built-in: %+v", g)
				}
			}},
		{method: "POST", route: "/api/v1/guides/{id}/copy", target: "built-in", want: want(401, 201, 201, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/guides/responder-chat/copy", body: map[string]any{"title": "Copy " + x.marker}}
			},
			ok: oneMarkedGuide(func(t *testing.T, x *authzCtx, g guideSummary) {
				if g.CopiedFrom == nil || g.CopiedFrom.GuideID != x.f.builtinID || g.Builtin || g.CurrentVersion != 1 {
					t.Errorf("copy = %+v", g)
				}
			}),
			refused: noMarkedGuide},
		{method: "POST", route: "/api/v1/guides/{id}/archive", target: "custom", want: want(401, 200, 200, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				id := x.newGuide(t, false)
				return authzReq{path: "/api/v1/guides/" + id + "/archive", ref: id}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !x.guide(t, q.ref).Archived {
					t.Errorf("guide not archived")
				}
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				if x.guide(t, q.ref).Archived {
					t.Errorf("refused request archived the guide")
				}
			}},
		{method: "POST", route: "/api/v1/guides/{id}/unarchive", target: "custom", want: want(401, 200, 200, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				id := x.newGuide(t, true)
				return authzReq{path: "/api/v1/guides/" + id + "/unarchive", ref: id}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if x.guide(t, q.ref).Archived {
					t.Errorf("guide still archived")
				}
			},
			refused: func(t *testing.T, x *authzCtx, q authzReq) {
				if !x.guide(t, q.ref).Archived {
					t.Errorf("refused request unarchived the guide")
				}
			}},
		{method: "GET", route: "/api/v1/guides/{id}/versions", target: "custom", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/guides/" + x.f.guide + "/versions"}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var l struct {
					Items []struct{ Version int } `json:"items"`
				}
				r.decode(t, &l)
				if len(l.Items) != 2 || l.Items[0].Version != 2 || l.Items[1].Version != 1 {
					t.Errorf("versions = %s", r.Body)
				}
			}},
		{method: "GET", route: "/api/v1/guides/{id}/versions/{version}", target: "custom", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/guides/" + x.f.guide + "/versions/1"}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var v struct {
					GuideID string `json:"guide_id"`
					Version int    `json:"version"`
					Title   string `json:"title"`
				}
				r.decode(t, &v)
				if v.GuideID != x.f.guide || v.Version != 1 || v.Title != "Fixture guide" {
					t.Errorf("version 1 = %s", r.Body)
				}
			}},
		{method: "GET", route: "/api/v1/guides/{id}/versions/{version}/print", target: "built-in", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/guides/responder-chat/versions/1/print"}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
					!bytes.Contains(r.Body, []byte(`href="/api/v1/guides/print.css"`)) || !bytes.Contains(r.Body, []byte("Responder chat")) {
					t.Errorf("print page: %v\n%.300s", r.Header, r.Body)
				}
			}},
		{method: "GET", route: "/api/v1/guides/{id}/versions/{version}/pdf", target: "custom", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/guides/" + x.f.guide + "/versions/2/pdf"}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				if r.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.Body, []byte("%PDF-")) ||
					!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
					t.Errorf("pdf: %v %q", r.Header, r.Body[:min(8, len(r.Body))])
				}
			}},
		{method: "GET", route: "/api/v1/guides/{id}/diff", target: "custom", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/guides/" + x.f.guide + "/diff?from=1&to=2"}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				var d struct {
					From, To int
					Title    *struct{ From, To string }
				}
				r.decode(t, &d)
				if d.From != 1 || d.To != 2 || d.Title == nil || d.Title.To != "Fixture guide v2" {
					t.Errorf("diff = %s", r.Body)
				}
			}},
		// Cookie callers export Markdown, bearer callers JSON.
		{method: "GET", route: "/api/v1/guides/{id}/export", target: "custom", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq {
				format := "json"
				if x.mode == "cookie" {
					format = "markdown"
				}
				return authzReq{path: "/api/v1/guides/" + x.f.guide + "/export?format=" + format, ref: format}
			},
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				wantType, wantStart := "application/json", "{"
				if q.ref == "markdown" {
					wantType, wantStart = "text/markdown", "# Fixture guide v2\n"
				}
				if !strings.HasPrefix(r.Header.Get("Content-Type"), wantType) || !strings.HasPrefix(string(r.Body), wantStart) ||
					!strings.Contains(r.Header.Get("Content-Disposition"), "-v2.") {
					t.Errorf("export: %v\n%.200s", r.Header, r.Body)
				}
			}},

		// ---------------------------------------------------------- events
		{method: "GET", route: "/api/v1/events", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/events?limit=200"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				got := ids(t, r)
				ev := x.f.events
				switch x.role {
				case roleMember:
					if !slices.Equal(got, []string{ev["involved"].ID}) {
						t.Errorf("member sees %v, want only the involved event %s", got, ev["involved"].ID)
					}
				case roleLeader:
					if !slices.Equal(got, []string{ev["published"].ID}) {
						t.Errorf("leader sees %v, want only the published event %s", got, ev["published"].ID)
					}
				default:
					if !containsAll(got, []string{ev["involved"].ID, ev["published"].ID, ev["other"].ID}) {
						t.Errorf("%s sees %v, want every fixture event", x.role, got)
					}
				}
			}},
		{method: "POST", route: "/api/v1/events", want: want(401, 201, 201, 403, 403),
			build: func(t *testing.T, x *authzCtx) authzReq {
				return authzReq{path: "/api/v1/events", body: map[string]any{"title": "Created " + x.marker,
					"kind": "near_miss", "started_at": "2026-02-01T09:00:00+01:00"}}
			},
			ok:      markerIn("/api/v1/events?limit=200"),
			refused: noMarker("/api/v1/events?limit=200")},
		{method: "GET", route: "/api/v1/systems", want: want(401, 200, 200, 200, 200),
			build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: "/api/v1/systems"} },
			ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
				got := names(t, r)
				switch x.role {
				case roleMember:
					if !slices.Equal(got, []string{"sys-involved"}) {
						t.Errorf("member sees systems %v", got)
					}
				case roleLeader:
					if !slices.Equal(got, []string{"sys-published"}) {
						t.Errorf("leader sees systems %v", got)
					}
				default:
					if !slices.Equal(got, []string{"sys-involved", "sys-other", "sys-published"}) {
						t.Errorf("%s sees systems %v", x.role, got)
					}
				}
			}},
	}

	for _, target := range eventTargets {
		target := target
		evPath := func(x *authzCtx, rest string) string { return "/api/v1/events/" + x.ev(target).ID + rest }
		behind := func(t *testing.T, x *authzCtx) []byte { return x.eventJSON(x.ev(target).ID) }
		markerGone := func(t *testing.T, x *authzCtx, q authzReq) {
			if b := behind(t, x); bytes.Contains(b, []byte(x.marker)) {
				t.Errorf("refused request changed the event: %s", b)
			}
		}
		markerThere := func(t *testing.T, x *authzCtx, q authzReq, r response) {
			if b := behind(t, x); !bytes.Contains(b, []byte(x.marker)) {
				t.Errorf("allowed request did not change the event: %s", b)
			}
		}
		refStays := func(t *testing.T, x *authzCtx, q authzReq) {
			if b := behind(t, x); !bytes.Contains(b, []byte(q.ref)) {
				t.Errorf("refused delete removed %s", q.ref)
			}
		}
		refGone := func(t *testing.T, x *authzCtx, q authzReq, r response) {
			if b := behind(t, x); bytes.Contains(b, []byte(q.ref)) {
				t.Errorf("%s is still there after delete", q.ref)
			}
		}
		cases = append(cases,
			// Rendering for an event reads the event as the caller: one they
			// may not see is a 400 on event_id, worded as for a missing one.
			authzCase{method: "POST", route: "/api/v1/guides/render", target: target, want: evRender(target),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: "/api/v1/guides/render", body: map[string]any{"guide_id": "responder-chat", "event_id": x.ev(target).ID}}
				},
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					var out struct {
						Opener string `json:"opener"`
						Event  *struct {
							ID string `json:"id"`
						} `json:"event"`
					}
					r.decode(t, &out)
					if out.Event == nil || out.Event.ID != x.ev(target).ID || !strings.Contains(out.Opener, "Fixture "+target) {
						t.Errorf("render for %s = %s", target, r.Body)
					}
				},
				failed: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					if r.Status != 400 {
						return
					}
					missing := x.c.do("POST", "/api/v1/guides/render", map[string]any{"guide_id": "responder-chat", "event_id": noSuchEvent})
					sameAsMissingEvent(t, r, missing)
				}},
			authzCase{method: "GET", route: "/api/v1/guides/{id}/versions/{version}/print", target: target, want: evRender(target),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: "/api/v1/guides/responder-chat/versions/1/print?event_id=" + x.ev(target).ID}
				},
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					if !bytes.Contains(r.Body, []byte("Fixture "+target)) {
						t.Errorf("print page for %s lacks the event title:\n%.500s", target, r.Body)
					}
				},
				failed: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					if r.Status != 400 {
						return
					}
					if bytes.Contains(r.Body, []byte("Fixture "+target)) {
						t.Errorf("refusal reveals the event title: %s", r.Body)
					}
					sameAsMissingEvent(t, r, x.c.do("GET", "/api/v1/guides/responder-chat/versions/1/print?event_id="+noSuchEvent, nil))
				}},
			authzCase{method: "GET", route: "/api/v1/events/{id}", target: target, want: evRead(target),
				build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: evPath(x, "")} },
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					var d struct {
						ID              string   `json:"id"`
						AllowedStatuses []string `json:"allowed_statuses"`
					}
					r.decode(t, &d)
					if d.ID != x.ev(target).ID {
						t.Errorf("got event %s", d.ID)
					}
					// Only callers who may edit are offered transitions.
					canEdit := x.role == roleAdmin || x.role == roleFac
					if canEdit != (len(d.AllowedStatuses) > 0) {
						t.Errorf("%s gets allowed_statuses %v", x.role, d.AllowedStatuses)
					}
				}},
			authzCase{method: "PATCH", route: "/api/v1/events/{id}", target: target, want: evWrite(target, 200),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: evPath(x, ""), body: map[string]string{"summary": "summary " + x.marker}}
				},
				ok: markerThere, refused: markerGone},
			authzCase{method: "GET", route: "/api/v1/events/{id}/timeline", target: target, want: evRead(target),
				build: func(t *testing.T, x *authzCtx) authzReq { return authzReq{path: evPath(x, "/timeline")} },
				ok: func(t *testing.T, x *authzCtx, q authzReq, r response) {
					if got := ids(t, r); !slices.Contains(got, x.ev(target).EntryID) {
						t.Errorf("timeline %v lacks %s", got, x.ev(target).EntryID)
					}
				}},
			authzCase{method: "POST", route: "/api/v1/events/{id}/timeline", target: target, want: evWrite(target, 201),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: evPath(x, "/timeline"), body: map[string]string{
						"occurred_at": "2026-01-10T09:00:00+01:00", "actor": "on-call", "body": "saw " + x.marker, "kind": "observation"}}
				},
				ok: markerThere, refused: markerGone},
			authzCase{method: "PATCH", route: "/api/v1/events/{id}/timeline/{entry_id}", target: target, want: evWrite(target, 200),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: evPath(x, "/timeline/"+x.ev(target).EntryID), body: map[string]string{"body": "edited " + x.marker}}
				},
				ok: markerThere, refused: markerGone},
			authzCase{method: "DELETE", route: "/api/v1/events/{id}/timeline/{entry_id}", target: target, want: evWrite(target, 204),
				build: func(t *testing.T, x *authzCtx) authzReq {
					id := x.newEntry(t, x.ev(target).ID)
					return authzReq{path: evPath(x, "/timeline/"+id), ref: id}
				},
				ok: refGone, refused: refStays},
			authzCase{method: "POST", route: "/api/v1/events/{id}/involvements", target: target, want: evWrite(target, 201),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: evPath(x, "/involvements"), body: map[string]string{
						"person_id": x.newPerson(t), "role": "expert", "note": "note " + x.marker}}
				},
				ok: markerThere, refused: markerGone},
			authzCase{method: "PATCH", route: "/api/v1/events/{id}/involvements/{inv_id}", target: target, want: evWrite(target, 200),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: evPath(x, "/involvements/"+x.ev(target).InvID), body: map[string]string{"note": "note " + x.marker}}
				},
				ok: markerThere, refused: markerGone},
			authzCase{method: "DELETE", route: "/api/v1/events/{id}/involvements/{inv_id}", target: target, want: evWrite(target, 204),
				build: func(t *testing.T, x *authzCtx) authzReq {
					id := x.newInvolvement(t, x.ev(target).ID)
					return authzReq{path: evPath(x, "/involvements/"+id), ref: id}
				},
				ok: refGone, refused: refStays},
			authzCase{method: "POST", route: "/api/v1/events/{id}/references", target: target, want: evWrite(target, 201),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: evPath(x, "/references"), body: map[string]string{
						"url": "https://example.com/" + x.marker, "label": "dashboard " + x.marker, "kind": "dashboard"}}
				},
				ok: markerThere, refused: markerGone},
			authzCase{method: "PATCH", route: "/api/v1/events/{id}/references/{ref_id}", target: target, want: evWrite(target, 200),
				build: func(t *testing.T, x *authzCtx) authzReq {
					return authzReq{path: evPath(x, "/references/"+x.ev(target).RefID), body: map[string]string{"label": "label " + x.marker}}
				},
				ok: markerThere, refused: markerGone},
			authzCase{method: "DELETE", route: "/api/v1/events/{id}/references/{ref_id}", target: target, want: evWrite(target, 204),
				build: func(t *testing.T, x *authzCtx) authzReq {
					id := x.newReference(t, x.ev(target).ID)
					return authzReq{path: evPath(x, "/references/"+id), ref: id}
				},
				ok: refGone, refused: refStays},
		)
	}
	cases = append(cases, bookingAuthzCases()...) // authz_bookings_test.go
	cases = append(cases, oidcAuthzCases()...)    // authz_oidc_test.go
	return cases
}

// routeRE matches a route registration in routes.go.
var routeRE = regexp.MustCompile(`(?m)^\s*(e|v1)\.(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\("([^"]+)"`)

var pathParamRE = regexp.MustCompile(`:([a-z_]+)`)

// registeredRoutes lists "METHOD /path/{param}" for every concrete route in
// routes.go (catch-alls excluded).
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("../../internal/httpapi/routes.go")
	if err != nil {
		t.Fatalf("read routes.go: %v", err)
	}
	var out []string
	for _, m := range routeRE.FindAllStringSubmatch(string(src), -1) {
		p := m[3]
		if strings.Contains(p, "*") {
			continue
		}
		if m[1] == "v1" {
			p = "/api/v1" + p
		}
		out = append(out, m[2]+" "+pathParamRE.ReplaceAllString(p, "{$1}"))
	}
	if len(out) < 30 {
		t.Fatalf("found only %d routes in routes.go; has its style changed? %v", len(out), out)
	}
	return out
}

func contractOperations(t *testing.T) []string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for p, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			out = append(out, m+" "+p)
		}
	}
	return out
}

func TestAuthorizationMatrix(t *testing.T) {
	table := authzTable()

	t.Run("every route is in the matrix", func(t *testing.T) {
		inTable := map[string]bool{}
		for _, c := range table {
			inTable[c.method+" "+c.route] = true
			for _, r := range matrixRoles {
				if _, ok := c.want[r]; !ok {
					t.Errorf("%s has no expectation for %s", c.name(), r)
				}
			}
		}
		routes := registeredRoutes(t)
		for _, r := range routes {
			if !inTable[r] {
				t.Errorf("route %s (routes.go) has no row in the authorization matrix", r)
			}
		}
		ops := contractOperations(t)
		for _, op := range ops {
			if !inTable[op] {
				t.Errorf("operation %s (openapi.yaml) has no row in the authorization matrix", op)
			}
			if !slices.Contains(routes, op) {
				t.Errorf("operation %s (openapi.yaml) is not registered in routes.go", op)
			}
		}
		for r := range inTable {
			if !slices.Contains(routes, r) {
				t.Errorf("matrix row %s is not a route in routes.go", r)
			}
			if !slices.Contains(ops, r) {
				t.Errorf("matrix row %s is not an operation in openapi.yaml", r)
			}
		}
	})

	f := newAuthzFixture(t)
	run := func(t *testing.T, mode, role string, caller *client) {
		for _, c := range table {
			c := c
			t.Run(c.name()+"/"+role, func(t *testing.T) {
				f.seq++
				x := &authzCtx{f: f, role: role, mode: mode, c: bindClient(t, caller),
					admin: bindClient(t, f.admin), marker: fmt.Sprintf("mx%04d", f.seq)}
				q := c.build(t, x)
				cl := x.c
				if q.client != nil {
					cl = q.client
				}
				var r response
				if q.ctype != "" {
					r = cl.do(c.method, q.path, q.body, q.ctype)
				} else {
					r = cl.do(c.method, q.path, q.body)
				}
				wantStatus := c.want[role]
				if r.Status != wantStatus {
					t.Fatalf("%s %s as %s (%s): status %d, want %d\n%s", c.method, q.path, role, mode, r.Status, wantStatus, r.Body)
				}
				if r.Status >= 400 {
					p := r.problem(t)
					code := map[int]string{400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}[r.Status]
					if p["type"] != "https://debrief.dev/problems/"+code {
						t.Errorf("problem type %v for %d", p["type"], r.Status)
					}
					if c.failed != nil {
						c.failed(t, x, q, r)
					}
				}
				if r.Status < 300 {
					if c.ok != nil {
						c.ok(t, x, q, r)
					}
				} else if c.refused != nil {
					c.refused(t, x, q)
				}
			})
		}
	}
	t.Run("anonymous", func(t *testing.T) {
		run(t, "anonymous", roleAnon, f.s.client(t, f.contract))
	})
	for _, mode := range []string{"cookie", "bearer"} {
		t.Run(mode, func(t *testing.T) {
			for _, role := range matrixRoles[1:] {
				c := f.cookie[role]
				if mode == "bearer" {
					c = f.bearer[role]
				}
				run(t, mode, role, c)
			}
		})
	}

	// A revoked bearer token or a signed-out session is anonymous again,
	// for reads and writes alike.
	t.Run("revoked credentials", func(t *testing.T) {
		fac := bindClient(t, f.cookie[roleFac])
		var nt struct {
			Token    string              `json:"token"`
			APIToken struct{ ID string } `json:"api_token"`
		}
		fac.must(201, "POST", "/api/v1/tokens", map[string]string{"name": "to revoke"}).decode(t, &nt)
		script := bindClient(t, f.s.client(t, f.contract))
		script.token = nt.Token
		script.must(200, "GET", "/api/v1/events", nil)
		fac.must(204, "DELETE", "/api/v1/tokens/"+nt.APIToken.ID, nil)
		script.must(401, "GET", "/api/v1/events", nil).problem(t)
		script.must(401, "POST", "/api/v1/events", map[string]any{"title": "x", "kind": "incident", "started_at": "2026-01-01T00:00:00Z"}).problem(t)

		u := f.users[roleFac]
		browser := bindClient(t, f.s.signIn(t, f.contract, u.Email, u.Password))
		base, _ := url.Parse(f.s.URL)
		old := browser.http.Jar.Cookies(base)
		if len(old) != 1 {
			t.Fatalf("cookies = %v", old)
		}
		browser.must(204, "POST", "/api/v1/auth/sign-out", nil)
		// Replay the old cookie (and CSRF token), as a copy taken before
		// sign-out would.
		replay := bindClient(t, f.s.client(t, f.contract))
		replay.http.Jar.SetCookies(base, old)
		replay.csrf = browser.csrf
		replay.must(401, "GET", "/api/v1/events", nil).problem(t)
		replay.must(401, "POST", "/api/v1/events", map[string]any{"title": "x", "kind": "incident", "started_at": "2026-01-01T00:00:00Z"}).problem(t)
	})
}

// newAuthzFixture starts one server and builds the accounts, people, events
// and tokens the matrix needs.
func newAuthzFixture(t *testing.T) *authzFixture {
	t.Helper()
	c := loadContract(t)
	s := startServer(t, config.SQLite, map[string]string{
		// An OAuth client so "connect Google Calendar" can start; nothing
		// listens on port 9, and no case reaches it.
		"DEBRIEF_GOOGLE_OAUTH_CLIENT_ID": "authz-client.apps.example", "DEBRIEF_GOOGLE_OAUTH_CLIENT_SECRET": "authz-secret",
		"DEBRIEF_GOOGLE_AUTH_URL": "http://127.0.0.1:9/o/oauth2/auth", "DEBRIEF_GOOGLE_TOKEN_URL": "http://127.0.0.1:9/token",
	})
	f := &authzFixture{s: s, contract: c, admin: s.setup(t, c), users: map[string]*fixtureUser{},
		events: map[string]fixtureEvent{}, cookie: map[string]*client{}, bearer: map[string]*client{},
		tokens: map[string]map[string]bool{}}
	admin := f.admin
	var me session
	admin.must(200, "GET", "/api/v1/auth/me", nil).decode(t, &me)
	f.users[roleAdmin] = &fixtureUser{ID: me.User.ID, Email: "ada@example.com", Password: "correct horse battery"}

	var p struct{ ID string }
	// The member's person exists before the member's account, so the
	// account links to it by email.
	admin.must(201, "POST", "/api/v1/people", map[string]any{"name": "Mia Member", "email": "mia@example.com",
		"team": "payments", "timezone": "Europe/Berlin"}).decode(t, &p)
	f.mia = p.ID
	admin.must(201, "POST", "/api/v1/people", map[string]any{"name": "Sam Second", "email": "sam@example.com",
		"team": "platform", "timezone": "America/New_York"}).decode(t, &p)
	f.sam = p.ID

	for _, u := range []struct{ role, email, name string }{
		{roleFac, "fran@example.com", "Fran Facilitator"},
		{roleMember, "mia@example.com", "Mia Member"},
		{roleLeader, "leo@example.com", "Leo Leader"},
		{"bystander", "bob@example.com", "Bob Bystander"},
	} {
		role := u.role
		if role == "bystander" {
			role = roleMember
		}
		var created struct {
			ID       string  `json:"id"`
			PersonID *string `json:"person_id"`
		}
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": u.email, "name": u.name, "role": role,
			"password": "a long password for " + u.role}).decode(t, &created)
		if u.role == "bystander" {
			f.bystander = created.ID
			continue
		}
		if u.role == roleMember && (created.PersonID == nil || *created.PersonID != f.mia) {
			t.Fatalf("member account is linked to %v, want Mia's person %s", created.PersonID, f.mia)
		}
		f.users[u.role] = &fixtureUser{ID: created.ID, Email: u.email, Password: "a long password for " + u.role}
	}

	for _, role := range matrixRoles[1:] {
		u := f.users[role]
		cl := admin
		if role != roleAdmin {
			cl = s.signIn(t, c, u.Email, u.Password)
		}
		f.cookie[role] = cl
		var nt struct {
			Token    string              `json:"token"`
			APIToken struct{ ID string } `json:"api_token"`
		}
		cl.must(201, "POST", "/api/v1/tokens", map[string]string{"name": role + " script"}).decode(t, &nt)
		u.Token, u.TokenID = nt.Token, nt.APIToken.ID
		f.tokens[role] = map[string]bool{nt.APIToken.ID: true}
		b := s.client(t, c)
		b.token = nt.Token
		f.bearer[role] = b
	}

	mkEvent := func(target string, involve string) fixtureEvent {
		var ev fixtureEvent
		var d struct{ ID string }
		admin.must(201, "POST", "/api/v1/events", map[string]any{"title": "Fixture " + target, "kind": "incident",
			"started_at": "2026-01-10T08:00:00Z", "systems": []string{"sys-" + target}}).decode(t, &d)
		ev.ID = d.ID
		admin.must(201, "POST", "/api/v1/events/"+ev.ID+"/involvements", map[string]any{"person_id": involve, "role": "responder"}).decode(t, &d)
		ev.InvID = d.ID
		admin.must(201, "POST", "/api/v1/events/"+ev.ID+"/timeline", map[string]any{"occurred_at": "2026-01-10T08:05:00Z",
			"person_id": involve, "body": "paged", "kind": "communication"}).decode(t, &d)
		ev.EntryID = d.ID
		admin.must(201, "POST", "/api/v1/events/"+ev.ID+"/references", map[string]any{"url": "https://chat.example.com/" + target,
			"label": "chat", "kind": "chat_log"}).decode(t, &d)
		ev.RefID = d.ID
		return ev
	}
	f.events["involved"] = mkEvent("involved", f.mia)
	f.events["published"] = mkEvent("published", f.sam)
	f.events["other"] = mkEvent("other", f.sam)
	pub := f.events["published"].ID
	for _, st := range []string{"gathering", "analyzing", "reviewing", "published"} {
		var d struct{ Status string }
		admin.must(200, "PATCH", "/api/v1/events/"+pub, map[string]string{"status": st}).decode(t, &d)
		if d.Status != st {
			t.Fatalf("status %q after moving to %q", d.Status, st)
		}
	}

	var g guideSummary
	admin.must(200, "GET", "/api/v1/guides/responder-chat", nil).decode(t, &g)
	f.builtinID = g.ID
	admin.must(201, "POST", "/api/v1/guides", guideInput("Fixture guide")).decode(t, &g)
	f.guide = g.ID
	v2 := guideInput("Fixture guide v2")
	delete(v2, "kind")
	v2["content"].(map[string]any)["questions"].([]any)[0].(map[string]any)["text"] = "When did {{event.title}} first reach you?"
	admin.must(200, "PUT", "/api/v1/guides/"+f.guide, v2).decode(t, &g)
	if g.CurrentVersion != 2 {
		t.Fatalf("fixture guide is at version %d after one save", g.CurrentVersion)
	}
	return f
}

// ---------------------------------------------------------- guide helpers

// guideSummary is the part of a guide the matrix looks at.
type guideSummary struct {
	ID             string `json:"id"`
	Slug           string `json:"slug"`
	Title          string `json:"title"`
	Kind           string `json:"kind"`
	Description    string `json:"description"`
	Builtin        bool   `json:"builtin"`
	Archived       bool   `json:"archived"`
	CurrentVersion int    `json:"current_version"`
	QuestionCount  int    `json:"question_count"`
	CopiedFrom     *struct {
		GuideID string `json:"guide_id"`
		Version int    `json:"version"`
	} `json:"copied_from"`
	CreatedBy *string `json:"created_by"`
}

// guideInput is a valid body for creating a guide titled title; without
// "kind" it is a valid body for saving one.
func guideInput(title string) map[string]any {
	return map[string]any{"title": title, "kind": "responder_chat", "description": "A guide for the tests.",
		"content": map[string]any{
			"opener": "Thanks for talking about {{event.title}}, {{person.name}}. May I take notes?",
			"questions": []any{
				map[string]any{"id": "reach", "text": "How did {{event.title}} reach you?", "probes": []string{"What were you doing?"}, "sections": []string{"NAR"}},
				map[string]any{"id": "first-look", "text": "What did you look at first?", "probes": []string{}, "sections": []string{"exp"}},
			},
			"closer": "Who else would be good to talk to?", "suggested_minutes": 30,
		}}
}

// guideMarkdown and guideDocument are the same one-question guide to import.
func guideMarkdown(title string) string {
	return "# " + title + "\n\nKind: non_responder_chat\nSuggested length: 20 minutes\n\n## Opener\n\n" +
		"Thanks for talking with me. May I take notes?\n\n## Questions\n\n" +
		"1. How did this come onto your radar? {#on-your-radar}\n   - What were you doing at the time?\n\n   Sections: NAR\n\n" +
		"## Closer\n\nWho else would be good to talk to?\n"
}

func guideDocument(title string) map[string]any {
	return map[string]any{"format": "debrief-guide/1", "title": title, "kind": "non_responder_chat", "suggested_minutes": 20,
		"opener": "Thanks for talking with me. May I take notes?",
		"questions": []any{map[string]any{"id": "on-your-radar", "text": "How did this come onto your radar?",
			"probes": []string{"What were you doing at the time?"}, "sections": []string{"NAR"}}},
		"closer": "Who else would be good to talk to?"}
}

// noSuchEvent is a well-formed event id that no event has.
const noSuchEvent = "00000000-0000-4000-8000-000000000000"

// sameAsMissingEvent fails unless refused is the 400 on event_id that a
// missing event gets, word for word: a hidden event must not be told apart.
func sameAsMissingEvent(t *testing.T, refused, missing response) {
	t.Helper()
	if missing.Status != 400 {
		t.Fatalf("a missing event got %d, want 400: %s", missing.Status, missing.Body)
	}
	var a, b struct {
		Detail string          `json:"detail"`
		Errors json.RawMessage `json:"errors"`
	}
	refused.decode(t, &a)
	missing.decode(t, &b)
	if !bytes.Contains(a.Errors, []byte(`"field":"event_id"`)) {
		t.Errorf("refusal names no event_id field: %s", refused.Body)
	}
	if a.Detail != b.Detail || !bytes.Equal(a.Errors, b.Errors) {
		t.Errorf("a hidden event reads differently from a missing one:\n hidden:  %s\n missing: %s", refused.Body, missing.Body)
	}
}

// guide is the admin's view of a guide.
func (x *authzCtx) guide(t *testing.T, ref string) guideSummary {
	t.Helper()
	var g guideSummary
	x.admin.must(200, "GET", "/api/v1/guides/"+ref, nil).decode(t, &g)
	return g
}

// newGuide has the admin create a custom guide, archived if asked.
func (x *authzCtx) newGuide(t *testing.T, archived bool) string {
	t.Helper()
	var g guideSummary
	x.admin.must(201, "POST", "/api/v1/guides", guideInput("Target guide")).decode(t, &g)
	if archived {
		x.admin.must(200, "POST", "/api/v1/guides/"+g.ID+"/archive", nil)
	}
	return g.ID
}

// markedGuides lists, as the admin, every guide (archived or not) whose
// title holds the case's marker.
func (x *authzCtx) markedGuides(t *testing.T) []guideSummary {
	t.Helper()
	var l struct {
		Items []guideSummary `json:"items"`
	}
	x.admin.must(200, "GET", "/api/v1/guides?archived=all&limit=200&q="+x.marker, nil).decode(t, &l)
	return l.Items
}

// oneMarkedGuide checks that an allowed request made exactly one guide,
// a custom one by the caller, and passes it to check.
func oneMarkedGuide(check func(t *testing.T, x *authzCtx, g guideSummary)) func(t *testing.T, x *authzCtx, q authzReq, r response) {
	return func(t *testing.T, x *authzCtx, q authzReq, r response) {
		var made guideSummary
		r.decode(t, &made)
		gs := x.markedGuides(t)
		if len(gs) != 1 || gs[0].ID != made.ID {
			t.Fatalf("guides with %s: %+v, want just %s", x.marker, gs, made.ID)
		}
		if g := gs[0]; g.Builtin || g.CreatedBy == nil || *g.CreatedBy != x.f.users[x.role].ID {
			t.Errorf("new guide %+v, want a custom guide by %s", g, x.f.users[x.role].ID)
		}
		check(t, x, gs[0])
	}
}

func noMarkedGuide(t *testing.T, x *authzCtx, q authzReq) {
	if gs := x.markedGuides(t); len(gs) != 0 {
		t.Errorf("refused request still made guides: %+v", gs)
	}
}

// languageDisabled reads the disabled categories of a language settings body.
func languageDisabled(t *testing.T, r response) []string {
	t.Helper()
	var l struct {
		Disabled []string `json:"disabled"`
	}
	r.decode(t, &l)
	return l.Disabled
}
