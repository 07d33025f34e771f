// Package langcheck flags wording in Debrief texts (guide questions, notes,
// findings, summaries) that gets in the way of learning from incidents: "why"
// questions, counterfactuals, hindsight, blame on a person, "human error",
// root-cause talk, minimizing, judgmental words and leading questions.
//
// The package is pure: no I/O, no clock, no package-level mutable state. A
// Checker is immutable after New and safe for concurrent use.
//
// # Offsets
//
// Flag.Start and Flag.End count Unicode code points (runes) of the input text,
// not bytes and not UTF-16 code units: in "Zoë broke prod" the name spans
// [0, 3). Runes are what Go, Python and PostgreSQL count as characters, and
// they do not depend on how the input was encoded on the wire. A browser client
// that indexes JavaScript strings (UTF-16) must convert, which only matters for
// characters outside the Basic Multilingual Plane such as emoji:
// Array.from(text).slice(start, end).join("") gives the flagged text.
//
// # Severity
//
// A flag is a "warning" when Debrief's user is likely to want to rephrase it,
// and "info" when it is worth a look but not a problem of the author's own
// wording: text inside quotation marks, text of kind KindQuote (a participant's
// own words), reported speech ("she said she should have caught it"), and
// low-confidence matches such as "only two regions were affected" or "the job
// should have run at 02:00". Quoted words are data to explore with the person,
// not something to rephrase.
//
// # Languages
//
// The core (tokenizing, quotes, sentences, offsets, merging) knows nothing
// about English. A Language holds word lists and small matcher functions keyed
// by trigger words; English returns the English rule set. Adding a language
// means writing one more constructor like English in this package.
package langcheck

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind says what sort of text is being checked. It changes which rules apply:
// every sentence of a question is treated as a question, while in the other
// kinds only sentences ending in "?" are.
type Kind string

// Kinds accepted by Check. The first four are the API's "kind" values.
const (
	KindQuestion Kind = "question"
	KindNote     Kind = "note"
	KindFinding  Kind = "finding"
	KindSummary  Kind = "summary"
	// KindQuote is a note holding a participant's own words (a note with the
	// quote flag set). Everything found in it is reported as info.
	KindQuote Kind = "quote"
)

// ErrInvalidKind is returned by ParseKind for an unknown kind.
var ErrInvalidKind = errors.New("langcheck: invalid kind")

// ParseKind validates s. The empty string is not a kind: callers decide their
// own default.
func ParseKind(s string) (Kind, error) {
	k := Kind(s)
	if !k.Valid() {
		return "", fmt.Errorf("%w %q (want question, note, finding, summary or quote)", ErrInvalidKind, s)
	}
	return k, nil
}

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindQuestion, KindNote, KindFinding, KindSummary, KindQuote:
		return true
	}
	return false
}

// Severity of a flag.
type Severity string

// Severities.
const (
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Category identifies what a flag is about. The identifiers are stable: they
// are stored in team settings and sent to clients.
type Category string

// Categories, in the order of method.md.
const (
	CategoryWhyQuestion     Category = "why_question"
	CategoryCounterfactual  Category = "counterfactual"
	CategoryHindsight       Category = "hindsight"
	CategoryBlameOnPerson   Category = "blame_on_person"
	CategoryHumanError      Category = "human_error"
	CategoryRootCause       Category = "root_cause"
	CategoryMinimizing      Category = "minimizing"
	CategoryJudgmental      Category = "judgmental"
	CategoryLeadingQuestion Category = "leading_question"
)

// CategoryInfo describes a category for a settings screen.
type CategoryInfo struct {
	ID          Category `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
}

// Categories lists every category with a human title and a one-line
// description. It returns a new slice on each call, so callers may modify it.
func Categories() []CategoryInfo {
	return []CategoryInfo{
		{CategoryWhyQuestion, "Why questions", `Questions built on "why", which ask people to justify themselves; ask how or what instead.`},
		{CategoryCounterfactual, "Counterfactuals", `"Should have", "failed to", "if only": judging people against a path they could not see.`},
		{CategoryHindsight, "Hindsight", `"Obviously", "clearly", "in hindsight": knowledge people only had afterwards.`},
		{CategoryBlameOnPerson, "Blame on a person", `A named person as the one who did the damage ("Priya broke prod").`},
		{CategoryHumanError, "Human error", `"Human error", "mistake", "careless", "sloppy": labels that end the inquiry.`},
		{CategoryRootCause, "Root cause", `"Root cause", "the cause": one cause where there are many contributors.`},
		{CategoryMinimizing, "Minimizing", `"Just", "simply", "only", "merely": making work sound smaller than it was.`},
		{CategoryJudgmental, "Judgmental words", `"Wrong", "bad decision", "poor", "lack of": a verdict in place of a description.`},
		{CategoryLeadingQuestion, "Leading questions", `"Didn't you…?", "Was it a mistake to…?": questions that carry their own answer.`},
	}
}

func knownCategory(c Category) bool {
	for _, ci := range Categories() {
		if ci.ID == c {
			return true
		}
	}
	return false
}

// Flag is one finding of the checker. Start and End are offsets in Unicode
// code points (runes) of the checked text, End exclusive; Text is the flagged
// text itself.
type Flag struct {
	Category    Category `json:"category"`
	Severity    Severity `json:"severity"`
	Start       int      `json:"start"`
	End         int      `json:"end"`
	Text        string   `json:"text"`
	Explanation string   `json:"explanation"`
	// Suggestions holds at least one rephrasing: a rewrite of the sentence
	// when one can be made safely, otherwise a direction to take.
	Suggestions []string `json:"suggestions"`
	// Confidence is between 0 and 1. Flags below 0.5 are always info.
	Confidence float64 `json:"confidence"`
}

// Option configures a Checker.
type Option func(*config)

type config struct {
	lang     *Language
	disabled []Category
}

// WithLanguage selects the rule set. The default is English.
func WithLanguage(l *Language) Option {
	return func(c *config) { c.lang = l }
}

// WithDisabled turns categories off (a team-wide setting). Unknown categories
// make New fail, so a typo in a stored setting is noticed.
func WithDisabled(categories ...Category) Option {
	return func(c *config) { c.disabled = append(c.disabled, categories...) }
}

// Checker checks texts against one language's rules.
type Checker struct {
	lang      *Language
	disabled  map[Category]bool
	byTrigger map[string][]*rule
}

// New builds a Checker. With no options it checks English with every
// category enabled.
func New(opts ...Option) (*Checker, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.lang == nil {
		cfg.lang = English()
	}
	c := &Checker{
		lang:      cfg.lang,
		disabled:  make(map[Category]bool),
		byTrigger: make(map[string][]*rule),
	}
	for _, cat := range cfg.disabled {
		if !knownCategory(cat) {
			return nil, fmt.Errorf("langcheck: unknown category %q", cat)
		}
		c.disabled[cat] = true
	}
	for i := range c.lang.rules {
		r := &c.lang.rules[i]
		if c.disabled[r.cat] {
			continue
		}
		for _, t := range r.triggers {
			c.byTrigger[t] = append(c.byTrigger[t], r)
		}
	}
	return c, nil
}

// Language returns the code of the checker's language, e.g. "en".
func (c *Checker) Language() string { return c.lang.code }

// Check returns the flags for text, sorted by Start (then End, then
// category). An invalid kind is checked as a note; validate with ParseKind at
// the edge. The result is never nil, so it encodes as a JSON array.
func (c *Checker) Check(text string, kind Kind) []Flag {
	if !kind.Valid() {
		kind = KindNote
	}
	flags := []Flag{}
	if strings.TrimSpace(text) == "" {
		return flags
	}
	sentences := c.lang.analyze(text, kind)
	var hits []hit
	for si := range sentences {
		s := &sentences[si]
		hits = hits[:0]
		for i := range s.toks {
			for _, r := range c.byTrigger[s.toks[i].lower] {
				if h, ok := r.match(s, i); ok {
					h.cat = r.cat
					hits = append(hits, h)
				}
			}
		}
		for _, h := range resolve(hits) {
			flags = append(flags, c.toFlag(s, h))
		}
	}
	toRuneOffsets(text, flags)
	sort.SliceStable(flags, func(i, j int) bool {
		a, b := flags[i], flags[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.Category < b.Category
	})
	return flags
}

// toFlag turns a hit into a flag with byte offsets; Check converts them to
// rune offsets once all flags are known.
func (c *Checker) toFlag(s *sentence, h hit) Flag {
	l := c.lang
	start, end := s.toks[h.from].start, s.toks[h.to-1].end
	f := Flag{
		Category:    h.cat,
		Severity:    SeverityWarning,
		Start:       start,
		End:         end,
		Text:        s.text[start:end],
		Explanation: h.explain,
		Suggestions: h.suggest,
		Confidence:  h.conf,
	}
	if f.Explanation == "" {
		f.Explanation = l.explain[h.cat]
	}
	switch {
	case s.kind == KindQuote || s.allQuoted(h.from, h.to):
		f.Severity = SeverityInfo
		quote := s.body()
		if s.kind != KindQuote {
			quote = s.quoteAround(h.from)
		}
		f.Explanation = l.quotedExplain
		f.Suggestions = []string{l.quotedSuggest(quote)}
	case s.toks[h.from].reported:
		f.Severity = SeverityInfo
		f.Explanation = l.reportedExplain + " " + f.Explanation
		f.Suggestions = append([]string{l.reportedSuggest}, f.Suggestions...)
	case h.conf < 0.5:
		f.Severity = SeverityInfo
	}
	if len(f.Suggestions) == 0 {
		f.Suggestions = []string{l.direction[h.cat]}
	}
	return f
}
