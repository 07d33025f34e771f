package guides

import (
	"testing"
)

// The importers read whatever a user uploads; no input may make them panic,
// and whatever they accept must survive a second trip unchanged.
func FuzzParseMarkdown(f *testing.F) {
	f.Add("# T\n\nKind: game_day\nSuggested length: 30 minutes\n\n## Opener\n\nHi.\n\n## Questions\n\n1. How? {#a}\n   - What?\n   Sections: NAR\n\n## Closer\n\nBye.\n")
	f.Add("# T\n## Questions\n- x\n12345. y\n3) \\# z\n  Sections: , ;\n## Opener\n\\Kind: k\n")
	f.Add("\uFEFF#\n##\n###\n{{\n1. {#}\n")
	f.Fuzz(func(t *testing.T, src string) {
		title, desc, kind, content, err := parseMarkdown(src)
		if err != nil {
			return
		}
		doc := Document{Format: FormatMarker, Title: title, Kind: kind, Description: desc,
			SuggestedMinutes: content.SuggestedMinutes, Opener: content.Opener, Questions: content.Questions, Closer: content.Closer}
		md := writeMarkdown(doc)
		t2, d2, k2, c2, err := parseMarkdown(md)
		if err != nil {
			t.Fatalf("own export does not parse: %v\n%s", err, md)
		}
		if t2 != title || d2 != desc || k2 != kind || writeMarkdown(Document{Format: FormatMarker, Title: t2, Kind: k2,
			Description: d2, SuggestedMinutes: c2.SuggestedMinutes, Opener: c2.Opener, Questions: c2.Questions, Closer: c2.Closer}) != md {
			t.Fatalf("round trip changed the guide:\n%s", md)
		}
	})
}

func FuzzParseDocumentJSON(f *testing.F) {
	f.Add([]byte(`{"format":"debrief-guide/1","title":"T","kind":"game_day","suggested_minutes":60,"opener":"Hi.","closer":"Bye.","questions":[{"text":"What?"}]}`))
	f.Add([]byte(`{"questions":[{"sections":["x"],"probes":[""]}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _, _, _ = parseDocumentJSON(b)
	})
}

func FuzzPlaceholders(f *testing.F) {
	f.Add("{{event.title}} and {{ timeline.3 }} {{")
	f.Add("}}{{}}{{{{x}}}}")
	f.Fuzz(func(t *testing.T, s string) {
		phs, _ := scanPlaceholders(s)
		for _, p := range phs {
			if p.start < 0 || p.end > len(s) || p.start >= p.end {
				t.Fatalf("bad span %+v in %q", p, s)
			}
		}
		_ = fillPlaceholders(s, func(string) string { return "x" })
		_ = toWinAnsi(s)
	})
}
