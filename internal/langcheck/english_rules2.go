package langcheck

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ---- blame on a person ---------------------------------------------------

// damage describes how a damaging verb is rewritten without its agent:
// "Sam deleted the table" → "The table was deleted".
type damage struct {
	particles []string // required particle ("took down"); nil: none
	object    string   // what the object must be: "db", "bad", "incident", "bug", "" (anything)
	ergative  string   // intransitive form: "the API went down", "prod broke"
	passive   string   // past participle for "was …"
}

func damageVerb(w string) (damage, bool) {
	switch w {
	case "broke":
		return damage{ergative: "broke"}, true
	case "crashed":
		return damage{ergative: "crashed"}, true
	case "deleted", "nuked", "erased", "destroyed":
		return damage{passive: "deleted"}, true
	case "dropped":
		return damage{object: "db", passive: "dropped"}, true
	case "wiped":
		return damage{passive: "wiped"}, true
	case "corrupted":
		return damage{passive: "corrupted"}, true
	case "trashed":
		return damage{passive: "damaged"}, true
	case "overwrote":
		return damage{passive: "overwritten"}, true
	case "misconfigured":
		return damage{passive: "changed"}, true
	case "botched":
		return damage{ergative: "did not go as planned"}, true
	case "took", "brought":
		return damage{particles: []string{"down", "out"}, ergative: "went down"}, true
	case "knocked":
		return damage{particles: []string{"over", "out"}, ergative: "went down"}, true
	case "messed", "screwed":
		return damage{particles: []string{"up"}, passive: "changed"}, true
	case "blew":
		return damage{particles: []string{"away", "up"}, passive: "lost"}, true
	case "pushed", "shipped", "merged", "deployed":
		return damage{object: "bad", passive: w}, true
	case "caused":
		return damage{object: "incident"}, true
	case "introduced":
		return damage{object: "bug", passive: "introduced"}, true
	}
	return damage{}, false
}

func (e *en) blameAgent(s *sentence, i int) (hit, bool) {
	d, ok := damageVerb(s.low(i))
	if !ok {
		return hit{}, false
	}
	n := s.n()
	objFrom, vEnd := i+1, i+1 // object start; end of the verb phrase
	particleAt := -1
	if d.particles != nil {
		isParticle := func(k int) bool { return s.is(k, d.particles...) }
		if isParticle(i + 1) {
			objFrom, vEnd = i+2, i+2
		} else {
			for k := i + 2; k < n && k <= i+5 && !s.boundary(k); k++ {
				if isParticle(k) {
					particleAt = k
					break
				}
			}
			if particleAt < 0 {
				return hit{}, false
			}
		}
	}
	if objFrom >= n || s.boundary(objFrom) {
		return hit{}, false // intransitive: "the primary crashed"
	}
	objectOK := func(pred func(k int) bool) bool {
		for k := objFrom; k < n && k <= objFrom+3 && !s.boundary(k); k++ {
			if pred(k) {
				return true
			}
		}
		return false
	}
	switch d.object {
	case "db":
		if !objectOK(func(k int) bool { return e.dbObject[s.low(k)] }) {
			return hit{}, false // "dropped off the call", "dropped the ball"
		}
	case "bad":
		if !objectOK(func(k int) bool { return s.is(k, "bad", "broken", "buggy", "faulty", "untested") }) {
			return hit{}, false
		}
	case "incident":
		if !objectOK(func(k int) bool { return e.incident[s.low(k)] }) {
			return hit{}, false
		}
	case "bug":
		if !objectOK(func(k int) bool { return s.is(k, "bug", "regression", "outage", "error", "leak") }) {
			return hit{}, false
		}
	default:
		if s.is(objFrom, "after", "when", "at", "during", "because", "with", "and", "while", "on", "in", "for", "again", "before", "under", "through", "over", "down", "out", "up") {
			return hit{}, false
		}
	}
	_, j := e.subjectBefore(s, i)
	if j < 0 {
		return hit{}, false
	}
	from, conf, who := j, 0.0, ""
	_, possessive := possessiveBase(s.low(j))
	switch {
	case !possessive && e.isName(s, j):
		conf, who = 0.85, s.toks[j].text
	case e.blamePron[s.low(j)]:
		conf, who = 0.75, "the person"
	case !possessive && e.classify(s, j) == subjPerson && !e.personPron[s.low(j)] && !e.collective[singular(s.low(j))]:
		from = e.npStart(s, j)
		conf, who = 0.8, e.npText(s, from, j+1)
	case j >= 1 && e.isPossessiveName(s, j-1):
		// "Chen's deploy brought down the search service."
		from = j - 1
		conf, who = 0.75, strings.TrimSuffix(strings.TrimSuffix(s.toks[j-1].text, "'s"), "’s")
	default:
		return hit{}, false
	}
	h := hit{from: from, to: vEnd, conf: conf, suppress: []Category{CategoryRootCause}}
	if from == j-1 && e.isPossessiveName(s, j-1) {
		h.suggest = append(h.suggest, s.replaceTokens(j-1, j, "the"))
	} else if r, ok := e.agentless(s, i, objFrom, particleAt, d); ok {
		h.suggest = append(h.suggest, r)
	}
	h.suggest = append(h.suggest, "Describe the event and the conditions: what was "+who+" trying to do, and what did the tooling and the situation allow?")
	return h, true
}

func (e *en) isPossessiveName(s *sentence, k int) bool {
	if k < 0 || k >= s.n() {
		return false
	}
	_, poss := possessiveBase(s.low(k))
	return poss && e.isName(s, k)
}

// agentless rewrites "Sam deleted the users table during the migration" as
// "The users table was deleted during the migration".
func (e *en) agentless(s *sentence, verb, objFrom, particleAt int, d damage) (string, bool) {
	n := s.n()
	objTo := objFrom
	stop := func(k int) bool {
		return s.boundary(k) || k == particleAt || s.is(k, "with", "during", "when", "while", "by", "after", "before", "in", "on", "at", "for", "because", "and", "so", "again", "to", "from", "using", "via", "without", "as", "within", "across")
	}
	for objTo < n && !stop(objTo) {
		objTo++
	}
	if objTo == objFrom {
		return "", false
	}
	restFrom := objTo
	if particleAt >= 0 && restFrom == particleAt {
		restFrom++
	}
	obj := upperFirst(s.textOf(objFrom, objTo))
	var form string
	switch {
	case d.ergative != "":
		form = d.ergative
	case d.passive != "":
		form = be(e.plural(s, objFrom, objTo)) + " " + d.passive
	default:
		return "", false
	}
	out := obj + " " + form
	// Keep what follows in the same clause ("during the migration"), not a
	// new clause after a comma.
	if restFrom < n && !s.is(restFrom, "by") && !s.boundary(restFrom) {
		end := restFrom
		for end < n && !(end > restFrom && s.boundary(end)) {
			end++
		}
		out += " " + s.textOf(restFrom, end)
	}
	return out + ".", true
}

func (e *en) blameBy(s *sentence, i int) (hit, bool) {
	// "The table was deleted by Sam", "caused by Olu's schema change".
	p := i - 1
	for e.adverb[s.low(p)] {
		p--
	}
	switch s.low(p) {
	case "broken", "deleted", "dropped", "wiped", "corrupted", "caused", "overwritten", "misconfigured", "crashed", "destroyed", "erased", "nuked", "introduced", "triggered", "started":
	default:
		return hit{}, false
	}
	k := i + 1
	switch {
	case e.isPossessiveName(s, k):
		return hit{from: i, to: k + 1, conf: 0.75, suppress: []Category{CategoryRootCause}, suggest: []string{
			s.replaceTokens(k, k+1, "a"),
			"Describe the event and the conditions around the change, not whose it was.",
		}}, true
	case e.isName(s, k), s.is(k, "him", "her"):
		return hit{from: i, to: k + 1, conf: 0.8, suppress: []Category{CategoryRootCause}}, true
	case e.determiner[s.low(k)]:
		end := e.npAfter(s, k, func(string) bool { return false })
		if end > k+1 && e.classify(s, end-1) == subjPerson && !e.collective[singular(s.low(end-1))] {
			return hit{from: i, to: end, conf: 0.75, suppress: []Category{CategoryRootCause}}, true
		}
	}
	return hit{}, false
}

func (e *en) blameFault(s *sentence, i int) (hit, bool) {
	// "It was Raj's fault", "the outage was his fault".
	switch {
	case e.isPossessiveName(s, i-1), s.is(i-1, "his", "her"):
	default:
		return hit{}, false
	}
	if e.negatedBefore(s, i-1, 3) {
		return hit{}, false
	}
	return hit{from: i - 1, to: i + 1, conf: 0.85, suggest: []string{
		"Describe what happened and what made it possible: which conditions lined up, and what did the people involved see at the time?",
	}}, true
}

// ---- human error ---------------------------------------------------------

func (e *en) humanError(s *sentence, i int) (hit, bool) {
	w := s.low(i)
	from, to, conf := i, i+1, 0.85
	switch w {
	case "human":
		if !s.is(i+1, "error", "errors", "mistake", "mistakes", "failure", "failing", "factor", "factors") {
			return hit{}, false
		}
		to, conf = i+2, 0.9
		if s.is(i+1, "factor", "factors") {
			conf = 0.6
		}
	case "operator", "pilot", "user":
		if !s.is(i+1, "error", "errors") {
			return hit{}, false
		}
		to = i + 2
		if w == "user" {
			conf = 0.6
		}
	case "oversight":
		if !(s.is(i-1, "an", "a", "simple", "obvious", "big", "clear", "major", "minor") || s.is(i+1, "by", "on")) {
			return hit{}, false
		}
		conf = 0.75
	case "mistake", "mistakes":
		conf = 0.8
	}
	if e.negatedBefore(s, from, 6) {
		return hit{}, false // "this was not human error", "no evidence that this was a mistake"
	}
	h := hit{from: from, to: to, conf: conf}
	switch w {
	case "carelessly", "sloppily", "negligently", "recklessly", "mistakenly":
		h.suggest = e.without(s, i, i+1)
	case "careless", "sloppy", "reckless", "negligent":
		// Attributive ("a careless typo") can go; predicative ("was sloppy")
		// would leave a hole.
		if s.is(i-1, "a", "an", "the") && !s.atClauseEnd(i) && !s.is(i+1, "in", "about", "with") {
			h.suggest = e.without(s, i, i+1)
		}
	}
	h.suggest = append(h.suggest, "Describe the action and what made it reasonable then: what was the person trying to do, what did they see, and what did the tooling allow?")
	return h, true
}

func (e *en) humanErrorIdiom(s *sentence, i int) (hit, bool) {
	sug := []string{"Describe what people were attending to and what made this step easy to miss."}
	switch s.low(i) {
	case "ball":
		if s.is(i-1, "the") && s.is(i-2, "dropped", "drop", "dropping", "drops") {
			return hit{from: i - 2, to: i + 1, conf: 0.8, suggest: sug}, true
		}
	case "attention":
		// "not paying attention", "didn't pay attention"
		if s.is(i-1, "paying", "pay", "paid") && e.negatedBefore(s, i-1, 2) {
			return hit{from: i - 1, to: i + 1, conf: 0.8, suggest: sug}, true
		}
	case "careful":
		if s.is(i-1, "more") && s.is(i-2, "be", "been", "being") {
			return hit{from: i - 1, to: i + 1, conf: 0.7, suggest: []string{"Describe what would make the step safer to do, rather than asking people to try harder."}}, true
		}
	case "lapse":
		if s.is(i+1, "in", "of") && s.is(i+2, "attention", "judgement", "judgment", "concentration", "focus", "discipline") {
			return hit{from: i, to: i + 3, conf: 0.8, suggest: sug}, true
		}
	}
	return hit{}, false
}

// ---- root cause ----------------------------------------------------------

func (e *en) rootCause(s *sentence, i int) (hit, bool) {
	dir := "Name the trigger and the other contributors: what else had to be true for this to matter?"
	w := s.low(i)
	var from, to int
	conf := 0.75
	switch w {
	case "root":
		if !s.is(i+1, "cause", "causes", "caused", "causing") {
			return hit{}, false
		}
		from, to, conf = i, i+2, 0.9
		if s.is(i-1, "the", "a", "its", "their", "our") {
			from = i - 1
		}
	case "rca", "rcas":
		from, to = i, i+1
		if e.negatedBefore(s, i, 3) {
			return hit{}, false
		}
		return hit{from: from, to: to, conf: conf, suggest: []string{s.replaceTokens(i, i+1, "incident review"), dir}}, true
	case "cause":
		if !s.is(i-1, "the", "primary", "main", "real", "underlying", "ultimate", "true", "actual", "proximate", "sole", "single", "biggest", "original") {
			return hit{}, false
		}
		from, to = i-1, i+1
		if s.is(i-2, "the", "a", "its", "their", "our") {
			from = i - 2
		}
	case "caused":
		k := i + 1
		if s.is(k, "the", "this", "that", "an", "a", "our", "today's", "yesterday's") {
			k++
		}
		switch {
		case e.incident[s.low(k)]:
			from, to, conf = i, k+1, 0.65
			if e.negatedBefore(s, i, 3) {
				return hit{}, false
			}
			return hit{from: from, to: to, conf: conf, suggest: []string{s.replaceTokens(i, i+1, "contributed to"), dir}}, true
		case s.is(i-1, "was", "were") && e.incident[s.low(i-2)] && s.is(i+1, "by"):
			from, to, conf = i, i+2, 0.65
		default:
			return hit{}, false
		}
	}
	if e.negatedBefore(s, from, 3) {
		return hit{}, false // "there is no single root cause"
	}
	h := hit{from: from, to: to, conf: conf, suggest: []string{dir}}
	if w == "caused" {
		return h, true
	}
	// Rewrite "the (root) cause (of X)" as "one contributor (to X)".
	end := to
	of := s.is(end, "of")
	if of {
		end++
	}
	switch {
	case s.question && of:
		tail := s.textOf(end, s.n())
		h.suggest = []string{"What contributed to " + tail + ", and what was the trigger?", dir}
	case s.question:
		h.suggest = []string{"What contributed to this, and what was the trigger?", dir}
	case from == 0 && s.boundary(to) && !of:
		h.suggest = []string{s.replaceTokens(from, to, "Contributors"), dir}
	case s.is(from, "the", "a", "its", "their", "our") || from == 0:
		repl := "one contributor"
		if of {
			repl += " to"
		}
		if from > 0 && !s.is(from-1, "was", "is", "were", "be") {
			repl = "the contributors"
			if of {
				repl += " to"
			}
		}
		h.suggest = []string{s.replaceTokens(from, end, repl), dir}
	}
	return h, true
}

// ---- minimizing ----------------------------------------------------------

func isDigits(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsDigit(r)
}

func (e *en) minimizing(s *sentence, i int) (hit, bool) {
	ask := "Ask what it took: what did it involve, and what made it harder than it sounds?"
	removal := func(from, to int) []string { return e.without(s, from, to, ask) }
	countInfo := func(from, to int) (hit, bool) {
		return hit{from: from, to: to, conf: 0.3,
			explain: `With a count, this is usually a fact. Check that it does not make the impact sound smaller than it was for the people affected.`,
			suggest: []string{"Keep the number; say who or what was affected and how, e.g. which customers and for how long."},
		}, true
	}
	w := s.low(i)
	next := s.low(i + 1)
	switch w {
	case "just":
		if e.temporal[next] || s.is(i+1, "happened", "happen", "happens", "enough", "gone", "joined", "started", "arrived", "finished", "landed") {
			return hit{}, false // "just after 03:00", "just in case", "had just joined"
		}
		if s.is(i-1, "had", "has", "have", "'ve", "'d", "only") {
			return hit{}, false
		}
		if s.is(i-1, "was", "were", "is", "am", "are") && strings.HasSuffix(next, "ing") {
			return hit{}, false // "was just starting"
		}
		if e.number[next] || isDigits(next) {
			return countInfo(i, i+1)
		}
		return hit{from: i, to: i + 1, conf: 0.8, suggest: removal(i, i+1)}, true
	case "simply":
		if s.is(i+1, "put") {
			return hit{}, false
		}
		return hit{from: i, to: i + 1, conf: 0.8, suggest: removal(i, i+1)}, true
	case "merely":
		return hit{from: i, to: i + 1, conf: 0.85, suggest: removal(i, i+1)}, true
	case "only":
		if s.is(i-1, "if", "not", "the", "my", "our", "their", "his", "her", "your") {
			return hit{}, false // "if only", "not only", "the only person"
		}
		if e.temporal[next] || s.is(i+1, "if", "because", "then", "after", "just") {
			return hit{}, false // "only after the second page"
		}
		switch {
		case s.is(i+1, "takes", "took", "take", "needed", "needs", "need", "had", "has", "have", "requires", "required", "costs", "cost", "involves", "involved"):
			return hit{from: i, to: i + 1, conf: 0.75, suggest: removal(i, i+1)}, true
		case s.is(i+1, "a", "an"):
			// "only a handful of requests", "only a small share of users"
			if e.fewWords[s.low(i+2)] || (s.is(i+2, "small", "tiny") && s.is(i+3, "number", "share", "percentage", "fraction", "portion", "part", "subset", "minority", "amount")) {
				return countInfo(i, i+1)
			}
			return hit{from: i, to: i + 1, conf: 0.7, suggest: removal(i, i+1)}, true
		case e.number[next] || isDigits(next):
			return countInfo(i, i+1)
		}
		return hit{}, false // "only Aisha knew", "it only probed the HTTP port": facts
	case "all":
		if !(s.is(i+1, "you", "they", "he", "she", "we", "anyone", "someone", "one", "i", "it", "that", "this") &&
			s.is(i+2, "had", "needed", "has", "need", "have", "takes", "took", "needs", "required")) {
			return hit{}, false
		}
		to := i + 3
		if s.is(to, "to") {
			to++
		}
		if s.is(to, "do") {
			to++
		}
		return hit{from: i, to: to, conf: 0.85, suggest: []string{ask}}, true
	case "nothing":
		if !s.seq(i+1, "more", "than") {
			return hit{}, false
		}
		return hit{from: i, to: i + 3, conf: 0.8, suggest: removal(i, i+3)}, true
	case "trivial", "trivially":
		if e.negatedBefore(s, i, 2) {
			return hit{}, false
		}
		return hit{from: i, to: i + 1, conf: 0.75, suggest: []string{ask}}, true
	case "easy", "easily":
		if e.negatedBefore(s, i, 3) {
			return hit{}, false // "it wasn't easy to see" acknowledges the difficulty
		}
		if s.is(i-1, "obviously") {
			return hit{from: i - 1, to: i + 1, conf: 0.85, suggest: []string{ask}, suppress: []Category{CategoryHindsight}}, true
		}
		if w == "easily" {
			if s.is(i+1, "avoided", "prevented", "caught", "fixed", "spotted", "avoidable", "preventable", "solved") {
				return hit{from: i, to: i + 1, conf: 0.8, suggest: []string{ask}}, true
			}
			return hit{}, false
		}
		if s.is(i-1, "it") && s.is(i-2, "made", "makes", "make", "making") {
			return hit{}, false // "the dashboard made it easy to compare": a strength
		}
		switch {
		case s.is(i+1, "fix", "win", "mistake", "thing", "change", "one", "job"):
			return hit{from: i, to: i + 1, conf: 0.8, suggest: removal(i, i+1)}, true
		case s.is(i+1, "to"):
			return hit{from: i, to: i + 1, conf: 0.7, suggest: []string{ask}}, true
		case s.is(i-1, "was", "is", "were", "are") && s.atClauseEnd(i):
			return hit{from: i, to: i + 1, conf: 0.6, suggest: []string{ask}}, true
		}
		return hit{}, false
	case "simple":
		if s.is(i+1, "to") && s.is(i-1, "was", "is", "be", "were", "are") {
			return hit{from: i, to: i + 1, conf: 0.7, suggest: []string{ask}}, true
		}
		if !(s.is(i-1, "a", "an") || (s.is(i-2, "a", "an") && s.is(i-1, "very", "really", "pretty", "quite"))) {
			return hit{}, false
		}
		for k := i + 1; k <= i+3 && k < s.n() && !s.boundary(k); k++ {
			if s.is(k, "fix", "check", "step", "change", "thing", "matter", "mistake", "typo", "task", "command", "restart", "rollback", "revert", "tweak") {
				return hit{from: i, to: i + 1, conf: 0.7, suggest: removal(i, i+1)}, true
			}
		}
	case "quick":
		if s.is(i+1, "fix", "win") {
			return hit{from: i, to: i + 1, conf: 0.75, suggest: removal(i, i+1)}, true
		}
	}
	return hit{}, false
}

// ---- judgmental words ----------------------------------------------------

func (e *en) wrong(s *sentence, i int) (hit, bool) {
	if s.is(i-1, "went", "go", "goes", "going", "gone", "what's", "what", "anything", "something", "nothing") {
		return hit{}, false // "what went wrong" describes events
	}
	decision := []string{"Describe the decision and what made it look right at the time.", "What made this look like the right move then?"}
	if s.is(i+1, "call", "decision", "choice", "move", "approach", "thing", "way", "assumption", "judgement", "judgment", "idea", "command", "calls", "decisions", "choices", "steps", "step", "order") {
		from := i
		if s.is(i-1, "the", "a") {
			from = i - 1
		}
		return hit{from: from, to: i + 2, conf: 0.85, suggest: decision}, true
	}
	if s.is(i-1, "was", "were", "is", "are") && s.is(i+1, "to") {
		return hit{from: i - 1, to: i + 2, conf: 0.85, suggest: decision}, true
	}
	if s.is(i-1, "was", "were") {
		if subj, _ := e.subjectBefore(s, i-1); subj == subjPerson {
			return hit{from: i, to: i + 1, conf: 0.75, suggest: decision}, true
		}
	}
	cs := s.clauseStart(i)
	for k := i - 1; k >= i-4 && k >= cs; k-- {
		if s.is(k, "did", "do", "does", "done", "doing", "got", "get", "gets", "configured", "set", "handled", "read") {
			return hit{from: i, to: i + 1, conf: 0.8, suggest: []string{"Describe what was done and what it led to, and what made it look right at the time."}}, true
		}
	}
	// "The wrong certificate was served": a mismatch, usually a plain fact.
	return hit{from: i, to: i + 1, conf: 0.3,
		explain: `"Wrong" here may just mean "not the intended one", which is a fact. If it judges a choice someone made, describe the choice instead.`,
		suggest: []string{"Say what was there and what was expected, e.g. \"the certificate for the old domain was served instead of the new one\"."},
	}, true
}

func (e *en) judgmental(s *sentence, i int) (hit, bool) {
	dir := "Replace the verdict with a description: what was there, what happened, and what did people see at the time?"
	w := s.low(i)
	switch w {
	case "bad":
		if s.is(i+1, "decision", "call", "choice", "idea", "judgement", "judgment", "move", "practice", "practices", "planning", "habit", "habits", "engineering", "attitude", "decisions", "calls", "choices") {
			return hit{from: i, to: i + 2, conf: 0.85, suggest: []string{"Describe the decision and what made it look sensible at the time.", dir}}, true
		}
	case "poor", "poorly":
		// Conditions people faced are not a verdict on them: "poor signal on
		// the train", "the signal was poor".
		conditions := []string{"signal", "reception", "connection", "connectivity", "wifi", "wi-fi", "coverage", "battery", "sleep", "weather", "line"}
		if s.is(i+1, conditions...) {
			return hit{}, false
		}
		if _, j := e.subjectBefore(s, i, "was", "were", "is", "are", "very", "really", "quite", "so", "too"); s.is(j, conditions...) {
			return hit{}, false
		}
		if e.negatedBefore(s, i, 2) {
			return hit{}, false
		}
		h := hit{from: i, to: i + 1, conf: 0.8, suggest: []string{dir}}
		switch {
		case w == "poor" && s.is(i+1, "decision", "decisions", "call", "choice", "judgement", "judgment"):
			h.to = i + 2
			h.suggest = []string{"Describe the decision and what made it look sensible at the time.", dir}
		case w == "poor" && !s.atClauseEnd(i) && !s.is(i+1, "and", "or", "but", "in", "at", "on", "for", "to", "with", "of") &&
			(i == 0 || s.boundary(i) || e.determiner[s.low(i-1)] || s.is(i-1, "showed", "shows", "had", "has", "with")):
			h.suggest = []string{"Describe the " + s.low(i+1) + " itself: what was there, and what did it leave out?", dir}
		}
		return h, true
	case "lack", "lacked", "lacking", "lacks":
		obj := i + 1
		if w == "lack" {
			if !s.is(i+1, "of") {
				return hit{}, false
			}
			obj = i + 2
		}
		for e.determiner[s.low(obj)] {
			obj++
		}
		if s.is(obj, "sleep", "rest", "time", "information", "context", "access", "staff", "staffing", "headcount") {
			return hit{}, false // conditions people faced
		}
		from, to := i, i+1
		if w == "lack" {
			to = i + 2
			if s.is(i-1, "a") {
				from = i - 1
			}
		}
		h := hit{from: from, to: to, conf: 0.75, suggest: []string{"Say what was there and what it covered, e.g. which tests, checks or owners existed.", dir}}
		if w == "lack" && s.is(i-1, "a") && s.is(i-2, "was", "is", "were") {
			h.suggest = append([]string{s.replaceTokens(from, to, "no")}, h.suggest...)
		}
		return h, true
	case "inadequate", "inadequately":
		if e.negatedBefore(s, i, 2) {
			return hit{}, false
		}
		return hit{from: i, to: i + 1, conf: 0.8, suggest: []string{"Say what was in place and what it did not cover.", dir}}, true
	case "ignored", "ignore", "ignoring":
		conf := 0.0
		if s.is(i-1, "was", "were", "been", "being", "got", "get") {
			conf = 0.75 // "the alerts were ignored" implies people chose to
		} else {
			switch subj, _ := e.subjectBefore(s, i, "did", "didn't", "just", "simply"); subj {
			case subjPerson:
				conf = 0.75
			case subjSystem:
				return hit{}, false // "the client ignored the TTL"
			default:
				conf = 0.6
			}
		}
		return hit{from: i, to: i + 1, conf: conf, suggest: []string{"Describe what people were attending to at the time and how the warnings reached them.", dir}}, true
	case "irresponsible", "unacceptable", "inexcusable", "unprofessional", "stupid", "dumb", "foolish", "idiotic", "lazy":
		if e.negatedStrictly(s, i, 3) {
			return hit{}, false
		}
		return hit{from: i, to: i + 1, conf: 0.8, suggest: []string{dir}}, true
	case "fault":
		if s.is(i-1, "whose") {
			return hit{from: i - 1, to: i + 1, conf: 0.85, suggest: []string{"What came together to make this possible?", dir}}, true
		}
		if s.is(i-1, "at") && !e.negatedBefore(s, i-1, 2) {
			return hit{from: i - 1, to: i + 1, conf: 0.8, suggest: []string{dir}}, true
		}
	case "blame", "blamed":
		if e.negatedBefore(s, i, 3) {
			return hit{}, false // "no blame", "not to blame"
		}
		if w == "blame" && s.is(i-1, "to") && s.is(i-2, "is", "was", "are", "were") {
			return hit{from: i - 1, to: i + 1, conf: 0.85, suggest: []string{"What came together to make this possible?", dir}}, true
		}
		if w == "blamed" || s.is(i-1, "the") {
			return hit{from: i, to: i + 1, conf: 0.7, suggest: []string{dir}}, true
		}
	}
	return hit{}, false
}
