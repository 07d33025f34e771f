package main

import (
	"bytes"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
)

type guideQuestion struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Probes   []string `json:"probes"`
	Sections []string `json:"sections"`
}

type guideContent struct {
	Opener           string          `json:"opener"`
	Questions        []guideQuestion `json:"questions"`
	Closer           string          `json:"closer"`
	SuggestedMinutes int             `json:"suggested_minutes"`
}

type guideDetail struct {
	guideSummary
	Content guideContent `json:"content"`
}

// fieldErrors lists the fields a problem document names, with their messages.
func fieldErrors(t *testing.T, r response) map[string]string {
	t.Helper()
	var p struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	r.problem(t)
	r.decode(t, &p)
	out := map[string]string{}
	for _, e := range p.Errors {
		out[e.Field] = e.Message
	}
	return out
}

var stylesheetRE = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`)

// TestGuidesOverHTTP walks a facilitator's life with guides through the
// real server: from a built-in to a custom guide with history, out and back
// in as Markdown, and rendered, printed and made a PDF for an event.
func TestGuidesOverHTTP(t *testing.T) {
	c := loadContract(t)
	s := startServer(t, config.SQLite, nil)
	admin := s.setup(t, c)
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "fran@example.com", "name": "Fran Facilitator",
		"role": "facilitator", "password": "a long password for fran"})
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "mia@example.com", "name": "Mia Member",
		"role": "member", "password": "a long password for mia"})
	fac := s.signIn(t, c, "fran@example.com", "a long password for fran")
	member := s.signIn(t, c, "mia@example.com", "a long password for mia")
	anon := s.client(t, c)

	// The six built-ins, read-only, listed for any signed-in role.
	var list struct {
		Items []guideSummary `json:"items"`
	}
	member.must(200, "GET", "/api/v1/guides?builtin=true", nil).decode(t, &list)
	var slugs []string
	for _, g := range list.Items {
		if !g.Builtin || g.CurrentVersion < 1 || g.QuestionCount == 0 {
			t.Errorf("built-in %+v", g)
		}
		slugs = append(slugs, g.Slug)
	}
	if !sortedEq(slugs, []string{"responder-chat", "non-responder-chat", "learn-session", "improve-session", "change-addon", "game-day"}) {
		t.Fatalf("built-ins = %v", slugs)
	}
	var builtin guideDetail
	member.must(200, "GET", "/api/v1/guides/responder-chat", nil).decode(t, &builtin)

	// Copy responder-chat: version 1 of the copy is the built-in's content.
	var cp guideDetail
	fac.must(201, "POST", "/api/v1/guides/responder-chat/copy", nil).decode(t, &cp)
	if cp.Title != "Copy of Responder chat" || cp.CurrentVersion != 1 || cp.Builtin || cp.CopiedFrom == nil ||
		cp.CopiedFrom.GuideID != builtin.ID || cp.CopiedFrom.Version != builtin.CurrentVersion {
		t.Fatalf("copy = %+v", cp.guideSummary)
	}
	if !reflect.DeepEqual(cp.Content, builtin.Content) {
		t.Fatalf("copy's content differs from the built-in's:\n%+v\n%+v", cp.Content, builtin.Content)
	}
	g := "/api/v1/guides/" + cp.ID
	v1 := cp.Content

	// Save twice: reword a question and add one, then drop one and retitle.
	c2 := v1
	c2.Questions = slices.Clone(v1.Questions)
	c2.Questions[0].Text = "How are you doing after {{event.title}}, {{person.name}}?"
	c2.Questions = append(c2.Questions, guideQuestion{Text: "What   surprised   you?", Probes: []string{}, Sections: []string{"opq"}})
	// Each answer is decoded into a fresh value: decoding into a used one
	// would reuse its slices and change the contents kept for comparison.
	save := func(body map[string]any) guideDetail {
		t.Helper()
		var d guideDetail
		fac.must(200, "PUT", g, body).decode(t, &d)
		return d
	}
	saved := save(map[string]any{"title": "Copy of Responder chat", "description": cp.Description,
		"content": c2, "note": "first edit", "base_version": 1})
	added := saved.Content.Questions[len(saved.Content.Questions)-1]
	if saved.CurrentVersion != 2 || !strings.HasPrefix(added.ID, "q-") || added.Text != "What surprised you?" ||
		!slices.Equal(added.Sections, []string{"OPQ"}) {
		t.Fatalf("save 1: version %d, new question %+v", saved.CurrentVersion, added)
	}
	v2 := saved.Content
	c3 := v2
	c3.Questions = slices.Delete(slices.Clone(v2.Questions), 1, 2)
	dropped := v2.Questions[1].ID
	saved = save(map[string]any{"title": "Responder chat (payments)", "content": c3, "base_version": 2})
	if saved.CurrentVersion != 3 || saved.Title != "Responder chat (payments)" {
		t.Fatalf("save 2: %+v", saved.guideSummary)
	}
	v3 := saved.Content
	// Saving the same again adds no version; a stale base is a conflict.
	if again := save(map[string]any{"title": "Responder chat (payments)", "content": c3}); again.CurrentVersion != 3 {
		t.Fatalf("identical save moved to version %d", again.CurrentVersion)
	}
	if fe := fieldErrors(t, fac.must(409, "PUT", g, map[string]any{"title": "Late", "content": c3, "base_version": 2})); fe["base_version"] == "" {
		t.Fatalf("stale save: %v", fe)
	}

	var versions struct {
		Items []struct {
			Version int    `json:"version"`
			Note    string `json:"note"`
		} `json:"items"`
	}
	member.must(200, "GET", g+"/versions", nil).decode(t, &versions)
	var nums []int
	for _, v := range versions.Items {
		nums = append(nums, v.Version)
	}
	if !slices.Equal(nums, []int{3, 2, 1}) || versions.Items[1].Note != "first edit" {
		t.Fatalf("versions = %+v", versions.Items)
	}
	for n, want := range map[string]guideContent{"1": v1, "2": v2, "3": v3} {
		var v struct {
			Version int          `json:"version"`
			Content guideContent `json:"content"`
		}
		member.must(200, "GET", g+"/versions/"+n, nil).decode(t, &v)
		if !reflect.DeepEqual(v.Content, want) {
			t.Errorf("version %s changed:\n got %+v\nwant %+v", n, v.Content, want)
		}
	}

	// Diff: by default the last two versions; questions matched by id.
	type guideDiff struct {
		From, To  int
		Title     *struct{ From, To string }
		Questions struct {
			Added   []struct{ Question guideQuestion } `json:"added"`
			Removed []struct{ Question guideQuestion } `json:"removed"`
			Changed []struct {
				ID     string   `json:"id"`
				Fields []string `json:"fields"`
			} `json:"changed"`
		}
	}
	var diff guideDiff
	member.must(200, "GET", g+"/diff", nil).decode(t, &diff)
	if diff.From != 2 || diff.To != 3 || diff.Title == nil || diff.Title.To != "Responder chat (payments)" ||
		len(diff.Questions.Removed) != 1 || diff.Questions.Removed[0].Question.ID != dropped || len(diff.Questions.Added) != 0 {
		t.Fatalf("diff 2→3 = %+v", diff)
	}
	diff = guideDiff{}
	member.must(200, "GET", g+"/diff?from=1&to=2", nil).decode(t, &diff)
	if diff.Title != nil || len(diff.Questions.Added) != 1 || diff.Questions.Added[0].Question.ID != added.ID ||
		len(diff.Questions.Changed) != 1 || diff.Questions.Changed[0].ID != v1.Questions[0].ID ||
		!slices.Equal(diff.Questions.Changed[0].Fields, []string{"text"}) {
		t.Fatalf("diff 1→2 = %+v", diff)
	}

	// Export as Markdown and import it back: the same questions, ids and all.
	md := member.must(200, "GET", g+"/export?format=markdown", nil)
	if !strings.HasPrefix(md.Header.Get("Content-Type"), "text/markdown") ||
		!strings.Contains(md.Header.Get("Content-Disposition"), `-v3.md`) || !bytes.HasPrefix(md.Body, []byte("# Responder chat (payments)\n")) {
		t.Fatalf("markdown export: %v\n%.300s", md.Header, md.Body)
	}
	var imported guideDetail
	fac.must(201, "POST", "/api/v1/guides/import", md.Body, "text/markdown; charset=utf-8").decode(t, &imported)
	if imported.ID == cp.ID || imported.Title != "Responder chat (payments)" || imported.CurrentVersion != 1 || imported.Builtin ||
		imported.Kind != "responder_chat" {
		t.Fatalf("markdown import: %+v", imported.guideSummary)
	}
	if !reflect.DeepEqual(imported.Content, v3) {
		t.Fatalf("markdown round trip changed the guide:\n got %+v\nwant %+v", imported.Content, v3)
	}
	js := member.must(200, "GET", g+"/export?version=1", nil)
	imported = guideDetail{}
	fac.must(201, "POST", "/api/v1/guides/import", js.Body).decode(t, &imported)
	if !reflect.DeepEqual(imported.Content, v1) || imported.Title != "Copy of Responder chat" {
		t.Fatalf("JSON round trip of version 1 changed the guide: %+v", imported.Content)
	}

	// Render for an event: placeholders filled from it and from the caller.
	var ev struct{ ID string }
	admin.must(201, "POST", "/api/v1/events", map[string]any{"title": "Queue backlog", "kind": "incident",
		"started_at": "2026-11-03T08:00:00Z"}).decode(t, &ev)
	var r struct {
		Guide struct {
			GuideID string `json:"guide_id"`
			Version int    `json:"version"`
		} `json:"guide"`
		Opener string `json:"opener"`
		Parts  []struct {
			Questions []struct{ Text string } `json:"questions"`
		} `json:"parts"`
		Event    *struct{ ID, Title string } `json:"event"`
		Timezone string                      `json:"timezone"`
		Missing  []string                    `json:"missing"`
	}
	fac.must(200, "POST", "/api/v1/guides/render", map[string]any{"guide_id": cp.ID, "event_id": ev.ID,
		"timezone": "Europe/Berlin"}).decode(t, &r)
	if r.Guide.GuideID != cp.ID || r.Guide.Version != 3 || r.Event == nil || r.Event.ID != ev.ID || r.Timezone != "Europe/Berlin" ||
		!strings.Contains(r.Opener, "talk about Queue backlog.") || !strings.Contains(r.Opener, "I'm Fran Facilitator.") ||
		r.Parts[0].Questions[0].Text != "How are you doing after Queue backlog, the person you are talking with?" ||
		slices.Contains(r.Missing, "event.title") || !slices.Contains(r.Missing, "person.name") {
		t.Fatalf("render = %+v", r)
	}
	fac.must(200, "POST", "/api/v1/guides/render", map[string]any{"guide_id": cp.ID, "version": 1, "event_id": ev.ID}).decode(t, &r)
	if r.Guide.Version != 1 || !strings.Contains(r.Parts[0].Questions[0].Text, "Queue backlog") || strings.Contains(r.Opener, "{{") {
		t.Fatalf("render of version 1 = %+v", r)
	}

	// The PDF of version 3 for the event.
	pdf := fac.must(200, "GET", g+"/versions/3/pdf?event_id="+ev.ID, nil)
	if pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.Body, []byte("%PDF-")) ||
		// The contract says <slug>-v3.pdf; the server names it after the
		// version's title. Either way: an attachment of version 3.
		!strings.HasPrefix(pdf.Header.Get("Content-Disposition"), "attachment; filename=") ||
		!strings.HasSuffix(pdf.Header.Get("Content-Disposition"), "-v3.pdf") {
		t.Fatalf("pdf: %v %q", pdf.Header, pdf.Body[:min(8, len(pdf.Body))])
	}

	// The print page: HTML with the event filled in, no inline styles, and
	// a stylesheet link that resolves (without signing in).
	page := member.must(200, "GET", "/api/v1/guides/responder-chat/versions/1/print?timezone=UTC", nil)
	if !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(page.Header.Get("Content-Security-Policy"), "style-src 'self'") ||
		bytes.Contains(page.Body, []byte("<style")) || bytes.Contains(page.Body, []byte(" style=")) ||
		bytes.Contains(page.Body, []byte("<script")) || !bytes.Contains(page.Body, []byte("Responder chat")) {
		t.Fatalf("print page: %v\n%.500s", page.Header, page.Body)
	}
	page = fac.must(200, "GET", g+"/versions/3/print?event_id="+ev.ID, nil)
	if !bytes.Contains(page.Body, []byte("Queue backlog")) || bytes.Contains(page.Body, []byte("{{")) {
		t.Fatalf("print page for the event:\n%s", page.Body)
	}
	m := stylesheetRE.FindSubmatch(page.Body)
	if m == nil {
		t.Fatalf("print page links no stylesheet:\n%.500s", page.Body)
	}
	css := anon.must(200, "GET", string(m[1]), nil)
	if ct := css.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") || len(css.Body) == 0 {
		t.Fatalf("stylesheet %s: %q, %d bytes", m[1], ct, len(css.Body))
	}

	// Archived: out of the default list and read-only, but still renderable.
	fac.must(200, "POST", g+"/archive", nil)
	if p := fac.must(409, "PUT", g, map[string]any{"title": "x", "content": c3}).problem(t); !strings.Contains(p["detail"].(string), "archived") {
		t.Fatalf("save of an archived guide: %v", p["detail"])
	}
	member.must(200, "GET", "/api/v1/guides?builtin=false", nil).decode(t, &list)
	if slices.ContainsFunc(list.Items, func(x guideSummary) bool { return x.ID == cp.ID }) {
		t.Fatal("archived guide still in the default list")
	}
	member.must(200, "GET", g+"/versions/3/pdf", nil)
	fac.must(200, "POST", g+"/unarchive", nil)

	// Bad input: a 4xx problem document naming what is wrong.
	unknown := guideInput("Bad placeholder")
	unknown["content"].(map[string]any)["questions"].([]any)[0].(map[string]any)["text"] = "Who is {{event.owner}}?"
	badMD := "# T\n\nKind: game_day\nSuggested length: 60 minutes\n\n## Opener\n\nHi.\n\n## Questions\n\n1. What {{nope}}?\n   - How?\n\n## Closer\n\nBye.\n"
	for _, tc := range []struct {
		name        string
		c           *client
		method      string
		path        string
		body        any
		ctype       string
		status      int
		field, word string
	}{
		{"unknown placeholder", fac, "POST", "/api/v1/guides", unknown, "", 400, "content.questions[0].text", "{{event.owner}}"},
		{"built-in save", fac, "PUT", "/api/v1/guides/responder-chat", map[string]any{"title": "Mine", "content": c3}, "", 409, "", "copy it first"},
		{"truncated JSON", fac, "POST", "/api/v1/guides", `{"title":`, "", 400, "", "JSON"},
		{"bad JSON", fac, "POST", "/api/v1/guides", `{"title": Incident}`, "", 400, "", "not valid JSON"},
		{"unknown field", fac, "POST", "/api/v1/guides", `{"name":"x"}`, "", 400, "name", ""},
		{"wrong content type", fac, "POST", "/api/v1/guides", "title=x", "application/x-www-form-urlencoded", 415, "", "application/json"},
		{"import wrong content type", fac, "POST", "/api/v1/guides/import", "a,b\n", "text/csv", 415, "", "text/markdown"},
		{"import bad markdown", fac, "POST", "/api/v1/guides/import", badMD, "text/markdown", 400, "line 12", "{{nope}}"},
		{"render unknown event", fac, "POST", "/api/v1/guides/render", map[string]any{"guide_id": cp.ID, "event_id": noSuchEvent}, "", 400, "event_id", ""},
		{"render unknown guide", fac, "POST", "/api/v1/guides/render", map[string]any{"guide_id": "no-such-guide"}, "", 400, "guide_id", ""},
		{"print missing version", member, "GET", g + "/versions/9/print", nil, "", 400, "version", ""},
		{"export bad format", member, "GET", g + "/export?format=docx", nil, "", 400, "format", ""},
		{"member creates", member, "POST", "/api/v1/guides", guideInput("Not allowed"), "", 403, "", ""},
		{"anonymous reads", anon, "GET", "/api/v1/guides/responder-chat", nil, "", 401, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := bindClient(t, tc.c)
			var res response
			if tc.ctype != "" {
				res = cl.must(tc.status, tc.method, tc.path, tc.body, tc.ctype)
			} else {
				res = cl.must(tc.status, tc.method, tc.path, tc.body)
			}
			p := res.problem(t)
			fe := fieldErrors(t, res)
			if tc.field != "" {
				if _, ok := fe[tc.field]; !ok {
					t.Errorf("no field error for %q: %s", tc.field, res.Body)
				}
			}
			if tc.word != "" && !strings.Contains(p["detail"].(string)+" "+fe[tc.field], tc.word) {
				t.Errorf("problem does not mention %q: %s", tc.word, res.Body)
			}
		})
	}
	// Nothing was created by the refused or invalid requests.
	admin.must(200, "GET", "/api/v1/guides?archived=all&builtin=false&limit=200", nil).decode(t, &list)
	if len(list.Items) != 3 { // the copy and the two imports
		var titles []string
		for _, g := range list.Items {
			titles = append(titles, g.Title)
		}
		t.Fatalf("custom guides after bad input: %v", titles)
	}
}
