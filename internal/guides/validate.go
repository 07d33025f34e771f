package guides

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// Limits on guide texts. They keep one guide printable and one request from
// storing megabytes; real guides are far below them.
const (
	maxTitle       = 200
	maxDescription = 2000
	maxFrame       = 4000 // opener and closer
	maxQuestion    = 1000
	maxProbe       = 500
	maxQuestions   = 100
	maxProbes      = 5
	maxNote        = 500
	minMinutes     = 5
	maxMinutes     = 480
	maxQuestionID  = 64
	maxAddOns      = 5
	maxQueryChars  = 200
)

func runes(s string) int { return utf8.RuneCountInString(s) }

func checkLen(f *apperr.Fields, field, s string, lo, hi int) {
	n := runes(s)
	switch {
	case lo > 0 && n == 0:
		f.Add(field, "is required")
	case n < lo:
		f.Add(field, "must be at least %d characters", lo)
	case n > hi:
		f.Add(field, "must be at most %d characters", hi)
	}
}

func joinList[T ~string](vs []T) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

func checkKind(f *apperr.Fields, field string, k Kind) {
	switch {
	case k == "":
		f.Add(field, "is required; use one of %s", joinList(Kinds()))
	case !slices.Contains(Kinds(), k):
		f.Add(field, "%q is not a guide kind; use one of %s", string(k), joinList(Kinds()))
	}
}

// cleanLine collapses all whitespace to single spaces: a question or probe
// is one paragraph, and a canonical form lets Markdown round-trip exactly.
func cleanLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cleanParagraphs keeps paragraph breaks (a blank line) and collapses
// whitespace inside each paragraph.
func cleanParagraphs(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, cleanLine(strings.Join(cur, " ")))
			cur = nil
		}
	}
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return strings.Join(paras, "\n\n")
}

// paragraphs splits a cleaned opener or closer into its paragraphs.
func paragraphs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n\n")
}

// isQuestionID accepts short lower-case ids such as "wellbeing" or
// "q-3fa9c1d2": stable handles that survive rewording.
func isQuestionID(s string) bool {
	if s == "" || len(s) > maxQuestionID {
		return false
	}
	for i, r := range s {
		ok := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (i > 0 && (r == '-' || r == '_'))
		if !ok {
			return false
		}
	}
	return true
}

func newQuestionID() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new question id: %w", err)
	}
	return "q-" + hex.EncodeToString(b), nil
}

// checkPlaceholders reports unknown and unclosed placeholders in s. where
// says which text it is in words ("question 3"), so the message makes sense
// even where field names are not shown.
func checkPlaceholders(f *apperr.Fields, field, where, s string) {
	phs, unclosed := scanPlaceholders(s)
	for _, p := range phs {
		if !knownPlaceholder(p.name) {
			f.Add(field, "%s uses the unknown placeholder {{%s}}; use one of %s", where, p.name,
				strings.Join(Placeholders(), ", "))
		}
	}
	if unclosed {
		f.Add(field, "%s has a {{ with no closing }}", where)
	}
}

// cleanContent normalizes c (whitespace, section codes, blank probes
// dropped, ids for new questions) and records every problem under prefix,
// e.g. "content.". Only a failure to make an id is returned as an error.
func cleanContent(f *apperr.Fields, prefix string, c Content) (Content, error) {
	out := Content{
		Opener:           cleanParagraphs(c.Opener),
		Closer:           cleanParagraphs(c.Closer),
		SuggestedMinutes: c.SuggestedMinutes,
		Questions:        make([]Question, 0, len(c.Questions)),
	}
	checkLen(f, prefix+"opener", out.Opener, 1, maxFrame)
	checkPlaceholders(f, prefix+"opener", "the opener", out.Opener)
	checkLen(f, prefix+"closer", out.Closer, 1, maxFrame)
	checkPlaceholders(f, prefix+"closer", "the closer", out.Closer)
	if out.SuggestedMinutes < minMinutes || out.SuggestedMinutes > maxMinutes {
		f.Add(prefix+"suggested_minutes", "must be between %d and %d minutes", minMinutes, maxMinutes)
	}
	switch {
	case len(c.Questions) == 0:
		f.Add(prefix+"questions", "a guide needs at least one question")
	case len(c.Questions) > maxQuestions:
		f.Add(prefix+"questions", "a guide can have at most %d questions", maxQuestions)
	}
	seen := map[string]int{}
	for i, q := range c.Questions {
		field := fmt.Sprintf("%squestions[%d]", prefix, i)
		where := fmt.Sprintf("question %d", i+1)
		nq := Question{ID: strings.TrimSpace(q.ID), Text: cleanLine(q.Text), Probes: []string{}, Sections: []Section{}}
		if nq.ID == "" {
			id, err := newQuestionID()
			if err != nil {
				return Content{}, err
			}
			nq.ID = id
		} else if !isQuestionID(nq.ID) {
			f.Add(field+".id", "%s: an id is 1 to %d lower-case letters, digits, - or _, starting with a letter or digit",
				where, maxQuestionID)
		}
		if j, dup := seen[nq.ID]; dup {
			f.Add(field+".id", "%s has the same id %q as question %d; ids must be unique", where, nq.ID, j+1)
		}
		seen[nq.ID] = i
		if nq.Text == "" {
			f.Add(field+".text", "%s has no text", where)
		} else if runes(nq.Text) > maxQuestion {
			f.Add(field+".text", "%s must be at most %d characters", where, maxQuestion)
		}
		checkPlaceholders(f, field+".text", where, nq.Text)
		for j, p := range q.Probes {
			p = cleanLine(p)
			if p == "" {
				continue // an empty probe box in an editor is not a probe
			}
			pf := fmt.Sprintf("%s.probes[%d]", field, j)
			if runes(p) > maxProbe {
				f.Add(pf, "a probe of %s must be at most %d characters", where, maxProbe)
			}
			checkPlaceholders(f, pf, "a probe of "+where, p)
			nq.Probes = append(nq.Probes, p)
		}
		if len(nq.Probes) > maxProbes {
			f.Add(field+".probes", "%s can have at most %d probes", where, maxProbes)
		}
		for j, sec := range q.Sections {
			code := Section(strings.ToUpper(strings.TrimSpace(string(sec))))
			if !slices.Contains(Sections(), code) {
				f.Add(fmt.Sprintf("%s.sections[%d]", field, j), "%s: %q is not a section; use one of %s",
					where, string(sec), joinList(Sections()))
				continue
			}
			if !slices.Contains(nq.Sections, code) {
				nq.Sections = append(nq.Sections, code)
			}
		}
		out.Questions = append(out.Questions, nq)
	}
	return out, nil
}

// cleanMeta checks a guide's title, description and version note.
func cleanMeta(f *apperr.Fields, title, description, note string) (string, string, string) {
	title = cleanLine(title)
	checkLen(f, "title", title, 1, maxTitle)
	description = cleanParagraphs(description)
	checkLen(f, "description", description, 0, maxDescription)
	note = cleanLine(note)
	checkLen(f, "note", note, 0, maxNote)
	return title, description, note
}

// slugify turns a title into the readable part of a custom guide's slug.
func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "guide"
	}
	return s
}

// customSlug adds a random suffix so a custom guide's slug never collides
// with another guide's or with a built-in's (built-in slugs have none).
func customSlug(title string) (string, error) {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new slug: %w", err)
	}
	return slugify(title) + "-" + hex.EncodeToString(b), nil
}
