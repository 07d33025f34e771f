package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/guides"
	"github.com/debrief-dev/debrief/internal/httpapi"
	"github.com/debrief-dev/debrief/internal/people"
)

// guideAPI is the real server on a test database with one bearer token per
// role.
type guideAPI struct {
	t      *testing.T
	url    string
	tokens map[actor.Role]string
	facil  actor.Actor
	events *events.Service
}

func newGuideAPI(t *testing.T, db *database.DB) *guideAPI {
	t.Helper()
	ctx := t.Context()
	acc, err := accounts.NewService(db.Gorm, accounts.Options{Hash: accounts.HashParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ev := events.NewService(db.Gorm)
	ppl := people.NewService(db.Gorm)
	gs := guides.NewService(db.Gorm, ev, ppl)
	if err := gs.EnsureBuiltins(ctx); err != nil {
		t.Fatal(err)
	}
	api := &guideAPI{t: t, tokens: map[actor.Role]string{}, events: ev}
	for _, role := range actor.Roles() {
		email := string(role) + "@example.com"
		u, err := acc.CreateUser(ctx, actor.Actor{Role: actor.Admin}, accounts.NewUser{
			Email: email, Name: string(role) + " person", Role: string(role), Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := acc.CreateTokenFor(ctx, email, "test")
		if err != nil {
			t.Fatal(err)
		}
		api.tokens[role] = tok.Token
		if role == actor.Facilitator {
			api.facil = actor.Actor{UserID: u.ID, Name: u.Name, Role: role}
		}
	}
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{DB: db, Accounts: acc, People: ppl, Events: ev, Guides: gs}))
	t.Cleanup(srv.Close)
	api.url = srv.URL
	return api
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.body)
	}
	return m
}

// do sends a request as role ("" for nobody); body may be a string (sent
// with contentType) or a value to encode as JSON.
func (a *guideAPI) do(role actor.Role, method, path string, body any, contentType ...string) reply {
	a.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	if len(contentType) > 0 {
		ct = contentType[0]
	}
	req, err := http.NewRequestWithContext(a.t.Context(), method, a.url+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[role])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

func (a *guideAPI) want(r reply, status int) reply {
	a.t.Helper()
	if r.status != status {
		a.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

// problem asserts a problem+json answer with status and, when given, a
// field error naming field.
func (a *guideAPI) problem(r reply, status int, field string) map[string]any {
	a.t.Helper()
	a.want(r, status)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		a.t.Fatalf("content type %q, want application/problem+json: %s", ct, r.body)
	}
	p := r.json(a.t)
	if p["status"] != float64(status) || p["detail"] == "" || !strings.HasPrefix(p["type"].(string), "https://debrief.dev/problems/") {
		a.t.Fatalf("problem document: %s", r.body)
	}
	if field != "" {
		errs, _ := p["errors"].([]any)
		var names []string
		for _, e := range errs {
			names = append(names, e.(map[string]any)["field"].(string))
			if e.(map[string]any)["field"] == field {
				return p
			}
		}
		a.t.Fatalf("no field error for %q (got %v): %s", field, names, r.body)
	}
	return p
}

func sampleGuide() map[string]any {
	return map[string]any{
		"title": "API guide", "kind": "responder_chat", "description": "Made through the API.",
		"content": map[string]any{
			"opener": "Hello {{person.name}}. May I take notes?",
			"questions": []any{
				map[string]any{"id": "reach", "text": "How did it reach you?", "probes": []string{"What were you doing?"}, "sections": []string{"NAR"}},
				map[string]any{"text": "What did you look at first?", "probes": []string{"What did it show?"}, "sections": []string{"EXP"}},
			},
			"closer": "Who else would be good to talk to?", "suggested_minutes": 30,
		},
	}
}

func TestGuidesAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		api := newGuideAPI(t, db)
		const F = actor.Facilitator

		list := api.want(api.do(actor.Leader, "GET", "/api/v1/guides?builtin=true", nil), 200).json(t)
		if items := list["items"].([]any); len(items) != 6 {
			t.Fatalf("%d built-ins listed", len(items))
		}
		builtin := api.want(api.do(actor.Member, "GET", "/api/v1/guides/responder-chat", nil), 200).json(t)
		if builtin["builtin"] != true || builtin["content"] == nil {
			t.Fatalf("built-in: %v", builtin)
		}
		edit := sampleGuide()
		delete(edit, "kind")
		p := api.problem(api.do(F, "PUT", "/api/v1/guides/responder-chat", edit), 409, "")
		if !strings.Contains(p["detail"].(string), "copy it first") {
			t.Fatalf("detail: %v", p["detail"])
		}

		// Copy with no body, then save twice.
		cp := api.want(api.do(F, "POST", "/api/v1/guides/responder-chat/copy", nil), 201).json(t)
		id := cp["id"].(string)
		if cp["title"] != "Copy of Responder chat" || cp["current_version"] != float64(1) {
			t.Fatalf("copy: %v", cp)
		}
		named := api.want(api.do(F, "POST", "/api/v1/guides/responder-chat/copy", map[string]any{"title": "Named", "version": 1}), 201).json(t)
		if named["title"] != "Named" {
			t.Fatalf("named copy: %v", named["title"])
		}
		edit["base_version"] = 1
		saved := api.want(api.do(F, "PUT", "/api/v1/guides/"+id, edit), 200).json(t)
		if saved["current_version"] != float64(2) || saved["title"] != "API guide" {
			t.Fatalf("save: %v", saved)
		}
		qs := saved["content"].(map[string]any)["questions"].([]any)
		if newID := qs[1].(map[string]any)["id"].(string); !strings.HasPrefix(newID, "q-") {
			t.Fatalf("new question id %q", newID)
		}
		api.problem(api.do(F, "PUT", "/api/v1/guides/"+id, edit), 409, "base_version")

		versions := api.want(api.do(actor.Member, "GET", "/api/v1/guides/"+id+"/versions", nil), 200).json(t)
		if items := versions["items"].([]any); len(items) != 2 || items[0].(map[string]any)["version"] != float64(2) {
			t.Fatalf("versions: %s", versions)
		}
		v1 := api.want(api.do(actor.Member, "GET", "/api/v1/guides/"+id+"/versions/1", nil), 200).json(t)
		if v1["title"] != "Copy of Responder chat" {
			t.Fatalf("version 1: %v", v1["title"])
		}
		diff := api.want(api.do(actor.Leader, "GET", "/api/v1/guides/"+id+"/diff?from=1&to=2", nil), 200).json(t)
		if diff["title"].(map[string]any)["to"] != "API guide" || len(diff["questions"].(map[string]any)["removed"].([]any)) == 0 {
			t.Fatalf("diff: %v", diff)
		}

		// Export and import, both formats.
		md := api.want(api.do(actor.Member, "GET", "/api/v1/guides/"+id+"/export?format=markdown&version=2", nil), 200)
		if !strings.HasPrefix(md.header.Get("Content-Type"), "text/markdown") ||
			!strings.Contains(md.header.Get("Content-Disposition"), "attachment") ||
			!strings.HasPrefix(string(md.body), "# API guide\n") {
			t.Fatalf("markdown export: %v\n%s", md.header, md.body)
		}
		imp := api.want(api.do(F, "POST", "/api/v1/guides/import", string(md.body), "text/markdown; charset=utf-8"), 201).json(t)
		if imp["title"] != "API guide" || imp["builtin"] != false {
			t.Fatalf("markdown import: %v", imp)
		}
		js := api.want(api.do(actor.Member, "GET", "/api/v1/guides/"+id+"/export", nil), 200)
		if js.header.Get("Content-Type") != "application/json" || !strings.Contains(string(js.body), `"format": "debrief-guide/1"`) {
			t.Fatalf("json export: %s", js.body)
		}
		api.want(api.do(F, "POST", "/api/v1/guides/import", string(js.body)), 201)

		// Render, print and PDF for an event.
		ev, err := api.events.Create(t.Context(), api.facil, events.EventInput{Title: "Queue backlog", Kind: events.KindIncident, StartedAt: "2026-11-03T08:00:00Z"})
		if err != nil {
			t.Fatal(err)
		}
		r := api.want(api.do(F, "POST", "/api/v1/guides/render", map[string]any{
			"guide_id": "responder-chat", "add_on_ids": []string{"change-addon"}, "event_id": ev.ID, "timezone": "Europe/Berlin"}), 200).json(t)
		if !strings.Contains(r["opener"].(string), "Queue backlog") || len(r["parts"].([]any)) != 2 || r["timezone"] != "Europe/Berlin" {
			t.Fatalf("render: %v", r)
		}
		pr := api.want(api.do(F, "GET", "/api/v1/guides/responder-chat/versions/1/print?event_id="+ev.ID+"&add_on_ids=change-addon", nil), 200)
		if !strings.HasPrefix(pr.header.Get("Content-Type"), "text/html") || !strings.Contains(string(pr.body), `href="/api/v1/guides/print.css"`) ||
			!strings.Contains(string(pr.body), "Queue backlog") || !strings.Contains(pr.header.Get("Content-Security-Policy"), "style-src 'self'") {
			t.Fatalf("print: %v\n%s", pr.header, pr.body)
		}
		css := api.want(api.do("", "GET", "/api/v1/guides/print.css", nil), 200)
		if !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !bytes.Contains(css.body, []byte("@media print")) {
			t.Fatalf("css: %v", css.header)
		}
		pdf := api.want(api.do(actor.Leader, "GET", "/api/v1/guides/"+id+"/versions/2/pdf", nil), 200)
		if pdf.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.body, []byte("%PDF-")) ||
			pdf.header.Get("Content-Disposition") != `attachment; filename=api-guide-v2.pdf` {
			t.Fatalf("pdf: %v %q", pdf.header, pdf.body[:min(10, len(pdf.body))])
		}

		arch := api.want(api.do(F, "POST", "/api/v1/guides/"+id+"/archive", nil), 200).json(t)
		if arch["archived"] != true {
			t.Fatal("not archived")
		}
		api.problem(api.do(F, "PUT", "/api/v1/guides/"+id, edit), 409, "")
		if un := api.want(api.do(actor.Admin, "POST", "/api/v1/guides/"+id+"/unarchive", nil), 200).json(t); un["archived"] != false {
			t.Fatal("not unarchived")
		}
		created := api.want(api.do(actor.Admin, "POST", "/api/v1/guides", sampleGuide()), 201).json(t)
		if created["current_version"] != float64(1) || created["slug"] == "" {
			t.Fatalf("create: %v", created)
		}
	})
}

// Bad input gets a 4xx problem document naming what is wrong, never a 500.
func TestGuidesAPIBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		api := newGuideAPI(t, db)
		const F = actor.Facilitator
		id := api.want(api.do(F, "POST", "/api/v1/guides", sampleGuide()), 201).json(t)["id"].(string)
		g := "/api/v1/guides/" + id

		bad := sampleGuide()
		bad["content"].(map[string]any)["opener"] = "Hi {{event.owner}}"
		badMD := "# T\n\nKind: game_day\nSuggested length: 60 minutes\n\n## Opener\n\nHi.\n\n## Questions\n\n1. What {{nope}}?\n   - How?\n\n## Closer\n\nBye.\n"
		cases := []struct {
			name   string
			role   actor.Role
			method string
			path   string
			body   any
			ct     string
			status int
			field  string
		}{
			{"not signed in", "", "GET", "/api/v1/guides", nil, "", 401, ""},
			{"syntax", F, "POST", "/api/v1/guides", `{"title":`, "", 400, ""},
			{"unknown field", F, "POST", "/api/v1/guides", `{"name":"x"}`, "", 400, "name"},
			{"wrong type", F, "POST", "/api/v1/guides", `{"title":5}`, "", 400, "title"},
			{"not json", F, "POST", "/api/v1/guides", "title=x", "application/x-www-form-urlencoded", 415, ""},
			{"empty guide", F, "POST", "/api/v1/guides", `{}`, "", 400, "content.questions"},
			{"unknown placeholder", F, "POST", "/api/v1/guides", bad, "", 400, "content.opener"},
			{"member creates", actor.Member, "POST", "/api/v1/guides", sampleGuide(), "", 403, ""},
			{"leader saves", actor.Leader, "PUT", g, map[string]any{"title": "x"}, "", 403, ""},
			{"member copies", actor.Member, "POST", g + "/copy", nil, "", 403, ""},
			{"member archives", actor.Member, "POST", g + "/archive", nil, "", 403, ""},
			{"member imports", actor.Member, "POST", "/api/v1/guides/import", badMD, "text/markdown", 403, ""},
			{"bad kind filter", F, "GET", "/api/v1/guides?kind=chat", nil, "", 400, "kind"},
			{"bad builtin filter", F, "GET", "/api/v1/guides?builtin=maybe", nil, "", 400, "builtin"},
			{"bad limit", F, "GET", "/api/v1/guides?limit=ten", nil, "", 400, "limit"},
			{"bad cursor", F, "GET", "/api/v1/guides?cursor=zzz", nil, "", 400, "cursor"},
			{"no such guide", F, "GET", "/api/v1/guides/no-such-guide", nil, "", 404, ""},
			{"odd id", F, "GET", "/api/v1/guides/%2e%2e%2fetc", nil, "", 404, ""},
			{"version not a number", F, "GET", g + "/versions/latest", nil, "", 400, "version"},
			{"version zero", F, "GET", g + "/versions/0", nil, "", 400, "version"},
			{"no such version", F, "GET", g + "/versions/9", nil, "", 404, ""},
			{"diff bad from", F, "GET", g + "/diff?from=one", nil, "", 400, "from"},
			{"diff out of range", F, "GET", g + "/diff?from=1&to=5", nil, "", 400, "to"},
			{"export format", F, "GET", g + "/export?format=docx", nil, "", 400, "format"},
			{"export version", F, "GET", g + "/export?version=x", nil, "", 400, "version"},
			{"import csv", F, "POST", "/api/v1/guides/import", "a,b", "text/csv", 415, ""},
			{"import markdown errors", F, "POST", "/api/v1/guides/import", badMD, "text/markdown", 400, "line 12"},
			{"import json marker", F, "POST", "/api/v1/guides/import", `{"format":"x"}`, "", 400, "format"},
			{"import empty", F, "POST", "/api/v1/guides/import", "", "application/json", 400, ""},
			{"save base version", F, "PUT", g, map[string]any{"base_version": -3}, "", 400, "base_version"},
			{"copy bad body", F, "POST", g + "/copy", `{"version":"two"}`, "", 400, "version"},
			{"copy missing version", F, "POST", g + "/copy", `{"version":7}`, "", 404, ""},
			{"render empty", F, "POST", "/api/v1/guides/render", `{}`, "", 400, "guide_id"},
			{"render add-on as base", F, "POST", "/api/v1/guides/render", `{"guide_id":"change-addon"}`, "", 400, "guide_id"},
			{"render base as add-on", F, "POST", "/api/v1/guides/render", `{"guide_id":"responder-chat","add_on_ids":["learn-session"]}`, "", 400, "add_on_ids[0]"},
			{"render bad event", F, "POST", "/api/v1/guides/render", `{"guide_id":"responder-chat","event_id":"x"}`, "", 400, "event_id"},
			{"render bad person", F, "POST", "/api/v1/guides/render", `{"guide_id":"responder-chat","person_id":"00000000-0000-0000-0000-000000000000"}`, "", 400, "person_id"},
			{"print bad zone", F, "GET", g + "/versions/1/print?timezone=Mars/Base", nil, "", 400, "timezone"},
			{"print bad add-on", F, "GET", g + "/versions/1/print?add_on_ids=,nope", nil, "", 400, "add_on_ids[0]"},
			{"pdf version zero", F, "GET", g + "/versions/0/pdf", nil, "", 400, "version"},
			{"pdf no such version", F, "GET", g + "/versions/3/pdf", nil, "", 400, "version"},
			{"no delete route", F, "DELETE", g, nil, "", 404, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				api.t = t
				var r reply
				if tc.ct != "" {
					r = api.do(tc.role, tc.method, tc.path, tc.body, tc.ct)
				} else {
					r = api.do(tc.role, tc.method, tc.path, tc.body)
				}
				api.problem(r, tc.status, tc.field)
			})
		}
	})
}
