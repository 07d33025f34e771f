package langcheck

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of the input. Offsets are bytes into the whole input;
// they become rune offsets only when flags are returned.
type token struct {
	text  string
	lower string // lower-cased, typographic apostrophes folded to '
	start int
	end   int
	// gap is the input between the previous token (anywhere in the text) and
	// this one: spaces and punctuation, which rules use to see clause edges.
	gap      string
	cap      bool // starts with an upper-case letter
	hasLower bool // contains a lower-case letter (so not an acronym)
	quoted   bool
	reported bool
}

// sentence is a run of tokens between sentence ends. Rules see one sentence
// at a time and address tokens by index within it.
type sentence struct {
	text     string // the whole input
	toks     []token
	trail    string // input after the last token up to the next sentence
	question bool
	kind     Kind
	quotes   []span
}

type span struct{ start, end int }

// quotePair is an opening and closing quotation mark. When open == close the
// mark toggles.
type quotePair struct{ open, close rune }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// findQuotes returns the byte spans of quoted passages, marks included. A
// quote left open at the end of a line is dropped rather than swallowing the
// rest of the text: while someone is typing, a half-written quote should not
// hide warnings on everything after it.
func findQuotes(text string, pairs []quotePair, apostrophes []rune) []span {
	type open struct {
		pair  int
		start int
	}
	isMark := func(r rune) bool {
		for _, p := range pairs {
			if r == p.open || r == p.close {
				return true
			}
		}
		return false
	}
	var stack []open
	var spans []span
	prev := rune(-1)
	for i, r := range text {
		if r == '\n' {
			stack = stack[:0]
			prev = r
			continue
		}
		if !isMark(r) {
			prev = r
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
		if i+utf8.RuneLen(r) >= len(text) {
			next = -1
		}
		inWord := prev >= 0 && next >= 0 && isWordRune(prev) && isWordRune(next)
		apostrophe := false
		for _, a := range apostrophes {
			if r == a {
				apostrophe = true
			}
		}
		if apostrophe && inWord {
			prev = r
			continue
		}
		handled := false
		if n := len(stack); n > 0 && pairs[stack[n-1].pair].close == r {
			// A closing mark that is also an apostrophe only closes when it
			// is not glued to the next word.
			if !apostrophe || next < 0 || !isWordRune(next) {
				spans = append(spans, span{stack[n-1].start, i + utf8.RuneLen(r)})
				stack = stack[:n-1]
				handled = true
			}
		}
		if !handled {
			for pi, p := range pairs {
				if p.open != r {
					continue
				}
				if apostrophe && (next < 0 || !isWordRune(next) || (prev >= 0 && isWordRune(prev))) {
					break
				}
				stack = append(stack, open{pi, i})
				break
			}
		}
		prev = r
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	return spans
}

func inSpans(spans []span, pos int) bool {
	for _, s := range spans {
		if pos >= s.start && pos < s.end {
			return true
		}
		if s.start > pos {
			break
		}
	}
	return false
}

// tokenize splits text into words. Apostrophes and hyphens inside a word keep
// it whole ("didn't", "on-call", "just-in-time"), as does a dot between
// digits ("3.5").
func tokenize(text string, apostrophes []rune, quotes []span) []token {
	toks := make([]token, 0, len(text)/5+1)
	prevEnd := 0
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		var lastWord rune
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				lastWord = r
				i += size
				continue
			}
			joiner := r == '-' || r == '‐' || r == '.' || r == '\''
			for _, a := range apostrophes {
				if r == a {
					joiner = true
				}
			}
			if !joiner || i+size >= len(text) {
				break
			}
			nr, _ := utf8.DecodeRuneInString(text[i+size:])
			if !isWordRune(nr) || (r == '.' && !(unicode.IsDigit(lastWord) && unicode.IsDigit(nr))) {
				break
			}
			i += size
		}
		t := token{text: text[start:i], start: start, end: i, gap: text[prevEnd:start]}
		first, _ := utf8.DecodeRuneInString(t.text)
		t.cap = unicode.IsUpper(first)
		t.lower = t.text
		for _, c := range t.text {
			if unicode.IsLower(c) {
				t.hasLower = true
			}
			if unicode.IsUpper(c) || c > unicode.MaxASCII {
				t.lower = ""
			}
		}
		if t.lower == "" {
			t.lower = strings.ToLower(t.text)
			for _, a := range apostrophes {
				if a != '\'' {
					t.lower = strings.ReplaceAll(t.lower, string(a), "'")
				}
			}
		}
		t.quoted = inSpans(quotes, start)
		toks = append(toks, t)
		prevEnd = i
	}
	return toks
}

// maxSentenceTokens bounds a sentence. Matchers look around their trigger
// word within the sentence, so an unpunctuated paste (a log, a transcript)
// would otherwise make a check quadratic in its length. Real sentences are
// far shorter.
const maxSentenceTokens = 120

// splitSentences cuts the token list at sentence ends: ., ! or ? followed by
// a space, a closing mark or the end, and at line breaks (notes are often
// lists). A terminator inside a quotation does not end the sentence unless
// the quotation closes the sentence and a capitalised word follows.
func (l *Language) splitSentences(text string, toks []token, quotes []span, kind Kind) []sentence {
	var out []sentence
	begin := 0
	for k := range toks {
		gapStart := toks[k].end
		gapEnd := len(text)
		if k+1 < len(toks) {
			gapEnd = toks[k+1].start
		}
		gap := text[gapStart:gapEnd]
		end, question := false, false
		if k+1 == len(toks) || k+1-begin >= maxSentenceTokens {
			end = true
		}
		for j, r := range gap {
			pos := gapStart + j
			switch r {
			case '\n':
				end = true
			case '.', '!', '?':
				if r == '.' && l.isAbbreviation(toks[k]) {
					continue
				}
				if inSpans(quotes, pos) && !(k+1 < len(toks) && toks[k+1].cap && strings.ContainsAny(gap[j:], " \t")) {
					continue
				}
				end = true
				if r == '?' && !inSpans(quotes, pos) {
					question = true
				}
			}
		}
		if !end {
			continue
		}
		s := sentence{
			text:     text,
			toks:     toks[begin : k+1],
			trail:    gap,
			question: question || kind == KindQuestion,
			kind:     kind,
			quotes:   quotes,
		}
		out = append(out, s)
		begin = k + 1
	}
	return out
}

func (l *Language) isAbbreviation(t token) bool {
	if utf8.RuneCountInString(t.text) == 1 && !unicode.IsDigit([]rune(t.text)[0]) {
		return true // initials and "e.g."
	}
	return l.abbrev[t.lower]
}

// analyze prepares text for the rules.
func (l *Language) analyze(text string, kind Kind) []sentence {
	quotes := findQuotes(text, l.quotes, l.apostrophes)
	toks := tokenize(text, l.apostrophes, quotes)
	sentences := l.splitSentences(text, toks, quotes, kind)
	if l.markReported != nil {
		for i := range sentences {
			l.markReported(&sentences[i])
		}
	}
	return sentences
}

// toRuneOffsets converts the byte offsets in flags to rune offsets.
func toRuneOffsets(text string, flags []Flag) {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || len(flags) == 0 {
		return
	}
	pos := make([]int, 0, 2*len(flags))
	for _, f := range flags {
		pos = append(pos, f.Start, f.End)
	}
	sort.Ints(pos)
	runeAt := make(map[int]int, len(pos))
	n, p := 0, 0
	for b := range text {
		for p < len(pos) && pos[p] == b {
			runeAt[b] = n
			p++
		}
		n++
	}
	for p < len(pos) {
		runeAt[pos[p]] = n
		p++
	}
	for i := range flags {
		flags[i].Start = runeAt[flags[i].Start]
		flags[i].End = runeAt[flags[i].End]
	}
}

// Helpers for rules. Out-of-range indexes are safe and yield empty values, so
// matchers can look around without bounds checks.

func (s *sentence) n() int { return len(s.toks) }

func (s *sentence) low(i int) string {
	if i < 0 || i >= len(s.toks) {
		return ""
	}
	return s.toks[i].lower
}

func (s *sentence) is(i int, words ...string) bool {
	w := s.low(i)
	if w == "" {
		return false
	}
	for _, x := range words {
		if w == x {
			return true
		}
	}
	return false
}

// seq reports whether the tokens from i on are exactly words.
func (s *sentence) seq(i int, words ...string) bool {
	for k, w := range words {
		if s.low(i+k) != w {
			return false
		}
	}
	return true
}

// boundary reports whether a clause edge (sentence start or punctuation such
// as a comma, colon, dash or quotation mark) comes right before token i.
func (s *sentence) boundary(i int) bool {
	if i <= 0 {
		return true
	}
	if i >= len(s.toks) {
		return true
	}
	g := s.toks[i].gap
	return strings.ContainsAny(g, ",;:()\"“”‘—–") || strings.Contains(g, " - ") || strings.Contains(g, " '")
}

// atClauseEnd reports whether token i is the last of its clause.
func (s *sentence) atClauseEnd(i int) bool {
	return i == len(s.toks)-1 || s.boundary(i+1)
}

// clauseStart returns the index of the first token of the clause holding i.
func (s *sentence) clauseStart(i int) int {
	for i > 0 && !s.boundary(i) {
		i--
	}
	return i
}

// textOf returns the input from token from to token to-1.
func (s *sentence) textOf(from, to int) string {
	if from < 0 {
		from = 0
	}
	if to > len(s.toks) {
		to = len(s.toks)
	}
	if from >= to {
		return ""
	}
	return s.text[s.toks[from].start:s.toks[to-1].end]
}

// body returns the sentence without its final punctuation.
func (s *sentence) body() string { return s.textOf(0, len(s.toks)) }

func (s *sentence) allQuoted(from, to int) bool {
	for i := from; i < to; i++ {
		if !s.toks[i].quoted {
			return false
		}
	}
	return true
}

// quoteAround returns the quotation holding token i, without its marks.
func (s *sentence) quoteAround(i int) string {
	pos := s.toks[i].start
	for _, q := range s.quotes {
		if pos >= q.start && pos < q.end {
			inner := s.text[q.start:q.end]
			_, a := utf8.DecodeRuneInString(inner)
			_, b := utf8.DecodeLastRuneInString(inner)
			if a+b <= len(inner) {
				inner = inner[a : len(inner)-b]
			}
			return strings.TrimSpace(inner)
		}
	}
	return s.toks[i].text
}

// withoutTokens returns the sentence (with its end punctuation) with tokens
// [from, to) removed, tidying spaces, a comma left dangling and the capital
// letter at the start.
func (s *sentence) withoutTokens(from, to int) string {
	return s.replaceTokens(from, to, "")
}

// replaceTokens returns the sentence with tokens [from, to) replaced by repl.
func (s *sentence) replaceTokens(from, to int, repl string) string {
	first := s.toks[0].start
	last := s.toks[len(s.toks)-1].end + len(strings.TrimRight(s.trail, " \t\r\n"))
	if last > len(s.text) {
		last = len(s.text)
	}
	cutStart := s.toks[from].start
	var cutEnd int
	switch {
	case repl == "" && to < len(s.toks):
		cutEnd = s.toks[to].start
		// "the on-call, obviously, missed" loses one of its two commas.
		if from > 0 && strings.Contains(s.toks[from].gap, ",") && strings.Contains(s.toks[to].gap, ",") {
			cutStart = s.toks[from-1].end
		}
	case repl == "":
		// At the end, keep punctuation glued to the word before ("…call\" in
		// hindsight." → "…call\".") and drop only the space.
		cutEnd = s.toks[to-1].end
		g := s.toks[from].gap
		cutStart -= len(g) - len(strings.TrimRight(g, " \t"))
	default:
		cutEnd = s.toks[to-1].end
	}
	out := s.text[first:cutStart] + repl + s.text[cutEnd:last]
	out = strings.TrimSpace(strings.Join(strings.Fields(out), " "))
	if from == 0 || (repl != "" && cutStart == first) {
		out = upperFirst(out)
	}
	return out
}

func upperFirst(x string) string {
	r, size := utf8.DecodeRuneInString(x)
	if r == utf8.RuneError {
		return x
	}
	return string(unicode.ToUpper(r)) + x[size:]
}

// lowerFirst lowers the first letter; callers decide that the word is not a
// name or an acronym.
func lowerFirst(x string) string {
	r, size := utf8.DecodeRuneInString(x)
	if r == utf8.RuneError {
		return x
	}
	return string(unicode.ToLower(r)) + x[size:]
}
