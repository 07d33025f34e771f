package guides_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/guides"
)

func decodeDoc(t *testing.T, b []byte) guides.Document {
	t.Helper()
	var d guides.Document
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, b)
	}
	return d
}

// stripVersionLine drops the informational "Version: N" line, which an
// import always resets to 1.
func stripVersionLine(s string) string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if !strings.HasPrefix(line, "Version: ") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// tricky is content that tests the edges of both formats: paragraphs that
// look like structure, placeholders, non-ASCII, quotes and braces.
func tricky() guides.Content {
	return guides.Content{
		Opener: "# Not a heading\n\nKind: not metadata either\n\n\\ starts with a backslash. Zoë’s “quote” {{event.title}}.",
		Questions: []guides.Question{
			{ID: "braces", Text: "What does {#not-an-id} mean here {{person.name}}?", Probes: []string{"- a dash first?", "Sections: not a line"}, Sections: []guides.Section{"NAR", "OPQ"}},
			{ID: "plain", Text: "1. Numbered text?", Probes: []string{}, Sections: []guides.Section{}},
		},
		Closer:           "Thanks — 謝謝.",
		SuggestedMinutes: 25,
	}
}

func TestJSONAndMarkdownRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		fx := newFixture(t, db)
		fx.ensureBuiltins()
		custom := fx.create("Tricky: # and {{ }}", func(in *guides.GuideInput) {
			in.Content = tricky()
			in.Description = "Kind: looks like metadata\n\nSecond paragraph."
			in.Kind = guides.KindGameDay
		})
		refs := []string{custom.ID}
		for slug := range methodCoverage {
			refs = append(refs, slug)
		}
		for _, ref := range refs {
			orig := must[guides.GuideDetail](t)(fx.svc.Get(ctx, fx.member, ref))

			// JSON: export, import, export again.
			j := must[guides.Export](t)(fx.svc.Export(ctx, fx.member, ref, 0, guides.FormatJSON))
			if j.ContentType != "application/json" || !strings.HasSuffix(j.Filename, "-v1.json") {
				t.Fatalf("json export: %s %s", j.ContentType, j.Filename)
			}
			d1 := decodeDoc(t, j.Body)
			if d1.Format != guides.FormatMarker || d1.Source == nil || d1.Source.GuideID != orig.ID {
				t.Fatalf("%s: json header %+v", ref, d1)
			}
			imp := must[guides.GuideDetail](t)(fx.svc.Import(ctx, fx.facil, guides.FormatJSON, j.Body))
			if imp.Builtin || imp.ID == orig.ID || imp.CurrentVersion != 1 || imp.Kind != orig.Kind {
				t.Fatalf("%s: imported %+v", ref, imp.Guide)
			}
			if !reflect.DeepEqual(imp.Content, orig.Content) || imp.Title != orig.Title || imp.Description != orig.Description {
				t.Fatalf("%s: JSON round trip changed the guide:\n%+v\n%+v", ref, orig.Content, imp.Content)
			}
			d2 := decodeDoc(t, must[guides.Export](t)(fx.svc.Export(ctx, fx.member, imp.ID, 0, guides.FormatJSON)).Body)
			d1.Source, d2.Source = nil, nil
			if !reflect.DeepEqual(d1, d2) {
				t.Fatalf("%s: JSON export of the import differs", ref)
			}

			// Markdown: export, import, export again.
			m := must[guides.Export](t)(fx.svc.Export(ctx, fx.member, ref, 1, guides.FormatMarkdown))
			if !strings.HasPrefix(m.ContentType, "text/markdown") || !strings.HasSuffix(m.Filename, "-v1.md") {
				t.Fatalf("markdown export: %s %s", m.ContentType, m.Filename)
			}
			mi, err := fx.svc.Import(ctx, fx.facil, guides.FormatMarkdown, m.Body)
			if err != nil {
				t.Fatalf("%s: import own Markdown: %v\n%s", ref, err, m.Body)
			}
			if !reflect.DeepEqual(mi.Content, orig.Content) || mi.Title != orig.Title || mi.Description != orig.Description || mi.Kind != orig.Kind {
				t.Fatalf("%s: Markdown round trip changed the guide:\n%s\nwant %+v\n got %+v", ref, m.Body, orig.Content, mi.Content)
			}
			m2 := must[guides.Export](t)(fx.svc.Export(ctx, fx.member, mi.ID, 0, guides.FormatMarkdown))
			if stripVersionLine(string(m2.Body)) != stripVersionLine(string(m.Body)) {
				t.Fatalf("%s: Markdown export of the import differs:\n%s\n---\n%s", ref, m.Body, m2.Body)
			}
		}
	})
}

func TestMarkdownIsReadable(t *testing.T) {
	db := dbtest.New(t, config.SQLite)
	fx := newFixture(t, db)
	fx.ensureBuiltins()
	m := string(must[guides.Export](t)(fx.svc.Export(t.Context(), fx.member, "responder-chat", 0, guides.FormatMarkdown)).Body)
	for _, want := range []string{
		"# Responder chat\n\nFormat: debrief-guide/1\nKind: responder_chat\nSuggested length: 45 minutes\nVersion: 1\n",
		"\n## Opener\n\nThanks for making time",
		"\n## Questions\n\n1. Before we get into it: how are you doing after {{event.title}}? {#wellbeing}\n   - How did the hours",
		"\n   Sections: NAR, PRS\n",
		"\n## Closer\n\n",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, m)
		}
	}
}

func TestImportAcceptsHandWrittenMarkdown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) { importHandWritten(t, db) })
}

func importHandWritten(t *testing.T, db *database.DB) {
	fx := newFixture(t, db)
	src := "\uFEFF# Quick chat\r\n\r\nkind: non_responder_chat\r\nSuggested length: 20 min\r\n\r\nA short one.\r\n" +
		"\r\n## Opener\r\nHello,\r\nwelcome.\r\n\r\nSecond paragraph.\r\n" +
		"\r\n## questions\r\n7) How did it reach you,\r\n  and when?\r\n  * not a probe marker, a continuation\r\n" +
		"  - What were you doing\r\n    at the time?\r\n  sections: nar exp; pRs\r\n" +
		"8. What next? {#next}\r\n  Sections: none\r\n" +
		"\r\n## Closer\r\nBye."
	g, err := fx.svc.Import(t.Context(), fx.facil, guides.FormatMarkdown, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := g.Content
	if g.Title != "Quick chat" || g.Kind != guides.KindNonResponderChat || c.SuggestedMinutes != 20 || g.Description != "A short one." {
		t.Fatalf("header: %+v", g.Guide)
	}
	if c.Opener != "Hello, welcome.\n\nSecond paragraph." || c.Closer != "Bye." {
		t.Fatalf("opener %q closer %q", c.Opener, c.Closer)
	}
	if len(c.Questions) != 2 || c.Questions[0].Text != "How did it reach you, and when? * not a probe marker, a continuation" {
		t.Fatalf("questions: %+v", c.Questions)
	}
	q := c.Questions[0]
	if len(q.Probes) != 1 || q.Probes[0] != "What were you doing at the time?" || len(q.Sections) != 3 || q.Sections[2] != "PRS" {
		t.Fatalf("question 1: %+v", q)
	}
	if c.Questions[1].ID != "next" || len(c.Questions[1].Sections) != 0 || !strings.HasPrefix(q.ID, "q-") {
		t.Fatalf("ids: %q %q", q.ID, c.Questions[1].ID)
	}
}

func TestMarkdownImportErrorsNameLines(t *testing.T) {
	good := strings.Join([]string{
		"# Title",                           // 1
		"",                                  // 2
		"Kind: responder_chat",              // 3
		"Suggested length: 30 minutes",      // 4
		"",                                  // 5
		"## Opener",                         // 6
		"",                                  // 7
		"Hello.",                            // 8
		"",                                  // 9
		"## Questions",                      // 10
		"",                                  // 11
		"1. How did it reach you? {#reach}", // 12
		"   - What were you doing?",         // 13
		"   Sections: NAR",                  // 14
		"",                                  // 15
		"2. What next?",                     // 16
		"   - Who helped?",                  // 17
		"",                                  // 18
		"## Closer",                         // 19
		"",                                  // 20
		"Thanks.",                           // 21
	}, "\n")
	replace := func(line int, text string) string {
		ls := strings.Split(good, "\n")
		ls[line-1] = text
		return strings.Join(ls, "\n")
	}
	cases := []struct {
		name  string
		src   string
		lines map[string]string // field → part of the message
	}{
		{"no title", strings.Replace(good, "# Title", "Title", 1), map[string]string{"line 1": "starts with its title"}},
		{"bad kind", replace(3, "Kind: chat"), map[string]string{"line 3": `"chat" is not a guide kind`}},
		{"bad length", replace(4, "Suggested length: soon"), map[string]string{"line 4": "number of minutes"}},
		{"bad format", replace(2, "Format: other/2"), map[string]string{"line 2": "format must be debrief-guide/1"}},
		{"unknown section", replace(9, "## Notes"), map[string]string{"line 9": `unknown section "Notes"`}},
		{"duplicate section", replace(18, "## Opener"), map[string]string{"line 18": "appears twice (first on line 6)"}},
		{"deep heading", replace(11, "### Part one"), map[string]string{"line 11": "below"}},
		{"probe before question", replace(11, "- stray probe"), map[string]string{"line 11": "must come under a numbered question"}},
		{"text outside question", replace(15, "stray text"), map[string]string{}},
		{"loose text after blank", replace(15, ""), nil},
		{"unknown placeholder", replace(16, "2. What did {{event.owner}} do?"), map[string]string{"line 16": "question 2 uses the unknown placeholder {{event.owner}}"}},
		{"bad section code", replace(14, "   Sections: NAR, XYZ"), map[string]string{"line 14": `"XYZ" is not a section`}},
		{"bad id", replace(12, "1. How did it reach you? {#Reach}"), map[string]string{"line 12": "an id is"}},
		{"duplicate id", replace(16, "2. What next? {#reach}"), map[string]string{"line 16": `same id "reach" as question 1`}},
		{"empty question", replace(16, "2. {#empty}"), map[string]string{"line 16": "question 2 has no text"}},
		{"missing closer", strings.Split(good, "\n## Closer")[0], map[string]string{"line 18": `no "## Closer" section`}},
		{"empty opener", replace(8, ""), map[string]string{"line 6": "is required"}},
		{"no kind", replace(3, ""), map[string]string{"line 1": "Kind:"}},
	}
	// Parsing needs no second dialect; one database stores the good case.
	db := dbtest.New(t, config.SQLite)
	fx := newFixture(t, db)
	if _, err := fx.svc.Import(t.Context(), fx.facil, guides.FormatMarkdown, []byte(good)); err != nil {
		t.Fatalf("the base document must import: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fx.svc.Import(t.Context(), fx.facil, guides.FormatMarkdown, []byte(tc.src))
			if tc.lines == nil {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				return
			}
			e := wantCode(t, err, apperr.Invalid)
			if len(tc.lines) == 0 {
				// Only the line number matters here.
				if len(e.Fields) != 1 || e.Fields[0].Field != "line 15" {
					t.Fatalf("fields = %+v", e.Fields)
				}
				return
			}
			got := map[string]string{}
			for _, f := range e.Fields {
				got[f.Field] += f.Message + "\n"
			}
			if len(got) != len(tc.lines) {
				t.Fatalf("fields = %+v, want lines %v", e.Fields, tc.lines)
			}
			for line, part := range tc.lines {
				if !strings.Contains(got[line], part) {
					t.Fatalf("%s: %q does not contain %q (all: %+v)", line, got[line], part, e.Fields)
				}
			}
		})
	}
}

func TestJSONImportErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) { jsonImportErrors(t, db) })
}

func jsonImportErrors(t *testing.T, db *database.DB) {
	fx := newFixture(t, db)
	imp := func(body string) error {
		_, err := fx.svc.Import(t.Context(), fx.facil, guides.FormatJSON, []byte(body))
		return err
	}
	valid := `{"format":"debrief-guide/1","title":"T","kind":"game_day","suggested_minutes":60,"opener":"Hi.","closer":"Bye.",` +
		`"questions":[{"id":"a","text":"What?","probes":["How?"],"sections":["RSK"]}]}`
	if err := imp(valid); err != nil {
		t.Fatal(err)
	}
	wantFields(t, imp(strings.Replace(valid, `"format":"debrief-guide/1"`, `"format":"other"`, 1)), "format")
	wantFields(t, imp(strings.Replace(valid, `"title":"T"`, `"title":"T","owner":"me"`, 1)), "owner")
	wantFields(t, imp(strings.Replace(valid, `"suggested_minutes":60`, `"suggested_minutes":"sixty"`, 1)), "suggested_minutes")
	wantFields(t, imp(strings.Replace(valid, `"text":"What?"`, `"text":"What {{x}}?"`, 1)), "questions[0].text")
	wantCode(t, imp(``), apperr.Invalid)
	wantCode(t, imp(`{"format":`), apperr.Invalid)
	wantCode(t, imp(`[1,2]`), apperr.Invalid)
	wantCode(t, imp(valid+` {}`), apperr.Invalid)
	wantCode(t, imp("\x00\xff"), apperr.Invalid)
}
