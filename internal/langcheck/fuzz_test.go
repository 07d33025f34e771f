package langcheck

import (
	"testing"
	"unicode/utf8"
)

func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"Why did you restart the database?",
		`She said "just restart it`,
		"Zoë, naïve café — why did you…",
		"Priya's deploy brought the API down, didn't it?",
		"‘’“”''\"\"",
		"e.g. the RCA. Was it a mistake to",
		"If only. Had. Could you have",
	} {
		f.Add(s, "question")
		f.Add(s, "note")
	}
	c, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, kind string) {
		if !utf8.ValidString(text) {
			return
		}
		runes := []rune(text)
		for _, fl := range c.Check(text, Kind(kind)) {
			if fl.Start < 0 || fl.End > len(runes) || fl.Start >= fl.End || string(runes[fl.Start:fl.End]) != fl.Text {
				t.Fatalf("bad span %+v in %q", fl, text)
			}
			if len(fl.Suggestions) == 0 {
				t.Fatalf("no suggestion: %+v", fl)
			}
		}
	})
}
