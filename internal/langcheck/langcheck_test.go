package langcheck

import (
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
)

func TestParseKind(t *testing.T) {
	for _, k := range []string{"question", "note", "finding", "summary", "quote"} {
		got, err := ParseKind(k)
		if err != nil || string(got) != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	for _, k := range []string{"", "Question", "comment"} {
		if _, err := ParseKind(k); !errors.Is(err, ErrInvalidKind) {
			t.Errorf("ParseKind(%q): want ErrInvalidKind, got %v", k, err)
		}
	}
}

func TestCategories(t *testing.T) {
	cats := Categories()
	if len(cats) != 9 {
		t.Fatalf("want 9 categories, got %d", len(cats))
	}
	snake := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	seen := map[Category]bool{}
	for _, c := range cats {
		if !snake.MatchString(string(c.ID)) || seen[c.ID] || c.Title == "" || c.Description == "" {
			t.Errorf("bad category %+v", c)
		}
		seen[c.ID] = true
	}
	cats[0].Title = "changed"
	if Categories()[0].Title == "changed" {
		t.Error("Categories returns shared state")
	}
}

func TestNewOptions(t *testing.T) {
	if _, err := New(WithDisabled("root_causes")); err == nil {
		t.Error("unknown category: want an error")
	}
	c, err := New(WithLanguage(English()), WithDisabled(CategoryMinimizing, CategoryRootCause))
	if err != nil {
		t.Fatal(err)
	}
	if c.Language() != "en" {
		t.Errorf("language %q", c.Language())
	}
	for _, fl := range c.Check("The root cause was just a typo. Why did you restart it?", KindNote) {
		if fl.Category == CategoryMinimizing || fl.Category == CategoryRootCause {
			t.Errorf("disabled category flagged: %+v", fl)
		}
	}
}

func TestCheckEdgeCases(t *testing.T) {
	c, _ := New()
	for _, text := range []string{"", "   ", "\n\n", "?!.", "—", "🔥🔥"} {
		got := c.Check(text, KindNote)
		if got == nil || len(got) != 0 {
			t.Errorf("Check(%q) = %#v, want an empty non-nil slice", text, got)
		}
	}
	// An unknown kind is checked as a note.
	if got := c.Check("Priya broke prod.", Kind("bogus")); len(got) != 1 {
		t.Errorf("unknown kind: got %+v", got)
	}
	// Kind question makes every sentence a question, even without "?".
	if ws := warnings(t, c, q("Tell me why you picked that replica."), CategoryWhyQuestion); len(ws) != 1 {
		t.Error("question kind without '?': want a why_question warning")
	}
	if ws := warnings(t, c, n("Tell me why you picked that replica."), CategoryWhyQuestion); len(ws) != 0 {
		t.Error("note without '?': want no why_question warning")
	}
}

func TestFlagJSON(t *testing.T) {
	c, _ := New()
	flags := c.Check("Why did you restart the database?", KindQuestion)
	b, err := json.Marshal(map[string]any{"flags": flags})
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Flags []map[string]any `json:"flags"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Flags) != 1 {
		t.Fatalf("got %s", b)
	}
	var keys []string
	for k := range back.Flags[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := "category,confidence,end,explanation,severity,start,suggestions,text"
	if strings.Join(keys, ",") != want {
		t.Errorf("JSON keys %v, want %s", keys, want)
	}
	fl := back.Flags[0]
	if fl["category"] != "why_question" || fl["severity"] != "warning" || fl["start"] != 0.0 || fl["end"] != 3.0 || fl["text"] != "Why" {
		t.Errorf("unexpected flag %v", fl)
	}
}

// TestOffsetsAreRunes checks that offsets count code points: accented
// letters, a dash and emoji come before the flagged words.
func TestOffsetsAreRunes(t *testing.T) {
	c, _ := New()
	tests := []struct {
		text string
		kind Kind
		want string
		at   int
	}{
		{"Zoë, naïve café — why did you restart it?", KindQuestion, "why", 18},
		{"🔥🔥 Priya broke prod 🔥", KindNote, "Priya broke", 3},
		{"Zoë broke the consumer group config.", KindNote, "Zoë broke", 0},
		{"Łukasz said nothing; the café’s on-call obviously missed it.", KindNote, "obviously", 40},
		{"日本語のメモ。 It was just a typo.", KindNote, "just", 15},
	}
	for _, tt := range tests {
		flags := c.Check(tt.text, tt.kind)
		runes := []rune(tt.text)
		found := false
		for _, fl := range flags {
			if fl.Start < 0 || fl.End > len(runes) || fl.Start >= fl.End {
				t.Fatalf("%q: bad span [%d,%d)", tt.text, fl.Start, fl.End)
			}
			if got := string(runes[fl.Start:fl.End]); got != fl.Text {
				t.Errorf("%q: runes[%d:%d] = %q, flag text %q", tt.text, fl.Start, fl.End, got, fl.Text)
			}
			if fl.Text == tt.want {
				found = true
				if fl.Start != tt.at {
					t.Errorf("%q: %q at %d, want %d", tt.text, tt.want, fl.Start, tt.at)
				}
			}
		}
		if !found {
			t.Errorf("%q: no flag on %q; got %+v", tt.text, tt.want, flags)
		}
	}
}

// TestInvariants runs the whole corpus, and the corpus as one long note,
// through the checker and checks what every result must satisfy.
func TestInvariants(t *testing.T) {
	c, _ := New()
	lines := loadCorpus(t)
	texts := make([]string, 0, len(lines)+1)
	kinds := make([]Kind, 0, len(lines)+1)
	var all []string
	for _, l := range lines {
		texts = append(texts, l.text)
		kinds = append(kinds, l.kind)
		all = append(all, l.text)
	}
	texts = append(texts, strings.Join(all, "\n"))
	kinds = append(kinds, KindNote)
	for i, text := range texts {
		flags := c.Check(text, kinds[i])
		runes := []rune(text)
		for j, fl := range flags {
			if j > 0 && fl.Start < flags[j-1].Start {
				t.Errorf("%q: flags not sorted by start", text)
			}
			if string(runes[fl.Start:fl.End]) != fl.Text {
				t.Errorf("%q: span [%d,%d) is not %q", text, fl.Start, fl.End, fl.Text)
			}
			if fl.Confidence <= 0 || fl.Confidence > 1 {
				t.Errorf("%q: confidence %v", text, fl.Confidence)
			}
			if fl.Confidence < 0.5 && fl.Severity != SeverityInfo {
				t.Errorf("%q: low confidence %v but %s", text, fl.Confidence, fl.Severity)
			}
			if fl.Explanation == "" || len(fl.Suggestions) == 0 {
				t.Errorf("%q: flag without explanation or suggestion: %+v", text, fl)
			}
			for _, s := range fl.Suggestions {
				if strings.TrimSpace(s) == "" || strings.Contains(s, "  ") {
					t.Errorf("%q: bad suggestion %q", text, s)
				}
			}
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c, _ := New()
	want := len(c.Check(note2000, KindNote))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := len(c.Check(note2000, KindNote)); got != want {
				t.Errorf("concurrent check: %d flags, want %d", got, want)
			}
		})
	}
	wg.Wait()
}

// TestLongSentencesAreCut guards against quadratic checks: matchers look
// around within a sentence, so an unpunctuated paste must be cut up.
func TestLongSentencesAreCut(t *testing.T) {
	text := strings.Repeat("why did you restart it and ", 500)
	for _, s := range English().analyze(text, KindQuestion) {
		if s.n() > maxSentenceTokens {
			t.Fatalf("sentence of %d tokens, want at most %d", s.n(), maxSentenceTokens)
		}
	}
}
