package langcheck

import "strings"

// ---- counterfactuals -----------------------------------------------------

// subjectPhrase renders the subject ending at j for a suggestion ("the
// on-call", "Priya", "you"), and whether it takes "were".
func (e *en) subjectPhrase(s *sentence, j int) (string, bool) {
	if j < 0 {
		return "people", true
	}
	switch s.low(j) {
	case "nobody", "someone", "somebody", "anyone", "anybody", "everyone", "everybody", "whoever", "none":
		return "people", true
	case "one":
		if s.is(j-1, "no") {
			return "people", true
		}
	case "which", "who", "that", "what", "this", "it", "there":
		return "people", true
	}
	from := e.npStart(s, j)
	return e.npText(s, from, j+1), e.plural(s, from, j+1)
}

func be(plural bool) string {
	if plural {
		return "were"
	}
	return "was"
}

// atTheTime suggests describing the situation instead of the path not taken.
func (e *en) atTheTime(s *sentence, j int) []string {
	subj, pl := e.subjectPhrase(s, j)
	if s.is(j, "you") || s.question {
		return []string{
			"What were you seeing at that point, and what options did you have?",
			"Describe what was known and done at the time, and what made the other path hard to see.",
		}
	}
	if strings.EqualFold(subj, "i") {
		subj, pl = "I", false
	}
	return []string{
		"Describe what " + subj + " knew and did at the time.",
		"Ask: \"What " + be(pl) + " " + subj + " seeing at that point, and what options were there?\"",
	}
}

// hardOrUnlikely suggests asking what made a step hard, for "didn't check",
// "failed to escalate", "forgot to update".
func (e *en) hardOrUnlikely(s *sentence, subjIdx, verb int, past bool) []string {
	subj, pl := e.subjectPhrase(s, subjIdx)
	if g, ok := e.gerundPhrase(s, verb, past); ok {
		return []string{
			"What " + be(pl) + " " + subj + " doing at the time, and what made " + g + " hard or unlikely?",
			"Describe what " + subj + " did and knew at the time.",
		}
	}
	return e.atTheTime(s, subjIdx)
}

func (e *en) modalHave(s *sentence, i int) (hit, bool) {
	w := s.low(i)
	modal, mi, inverted := "", -1, false
	if w != "have" {
		modal, mi = e.modal[strings.TrimSuffix(w, "'ve")], i
	} else {
		j := i - 1
		if s.is(j, "not") {
			j--
		}
		switch {
		case s.is(j, "to") && s.is(j-1, "ought"):
			modal, mi = "should", j-1
		case e.modal[s.low(j)] != "":
			modal, mi = e.modal[s.low(j)], j
		default:
			// "Could you have caught…?", "Shouldn't someone have checked…?"
			for k := j - 1; k >= j-3 && k >= 0; k-- {
				if s.boundary(k + 1) {
					break
				}
				if m := e.modal[s.low(k)]; m != "" {
					modal, mi, inverted = m, k, true
					break
				}
			}
		}
	}
	if modal == "" || modal == "must" {
		return hit{}, false // "must have been restarted" guesses, it does not judge
	}
	negated := strings.Contains(s.low(mi), "n't") || s.is(mi+1, "not") || s.is(i-1, "not")
	v := i + 1
	for e.adverb[s.low(v)] || s.is(v, "much") {
		v++
	}
	passive := false
	if s.is(v, "been") {
		passive = true
		v++
		for e.adverb[s.low(v)] {
			v++
		}
	}
	verb := s.low(v)
	if verb == "" {
		return hit{}, false
	}
	if !passive && e.hindsightVBN[verb] && modal != "would" {
		return hit{}, false // the hindsight rule owns "should have known"
	}
	if passive && (verb == "obvious" || verb == "clear" || verb == "apparent" || verb == "evident") {
		return hit{}, false
	}
	var (
		subj    subject
		subjIdx int
	)
	if inverted {
		k := i - 1
		for k > mi && e.adverb[s.low(k)] {
			k--
		}
		subj, subjIdx = e.classify(s, k), k
	} else {
		subj, subjIdx = e.subjectBefore(s, mi)
	}
	h := hit{from: mi, to: v + 1, suggest: e.atTheTime(s, subjIdx)}
	if subj != subjPerson {
		h.suggest = []string{"Describe what was known and decided at the time, and what made this path look reasonable then."}
	}
	systemExpectation := func() (hit, bool) {
		// "The job should have run at 02:00 according to the cron spec": a
		// statement about what a system was meant to do, not about people.
		h.conf = 0.3
		h.explain = "This reads as what a system was expected to do, which is fine to record. If it is really about what people should have done, describe what they knew and did at the time."
		h.suggest = []string{"Describe what the system did and what it was configured to do; say who expected what only if it matters."}
		return h, true
	}
	automatic := false
	for k := range s.toks {
		if s.is(k, "automatically") || s.seq(k, "according", "to") || s.seq(k, "by", "design") || s.seq(k, "on", "schedule") || s.seq(k, "per", "the") {
			automatic = true
		}
	}
	switch modal {
	case "should":
		switch {
		case subj == subjPerson:
			h.conf = 0.85
		case automatic:
			return systemExpectation()
		case e.prevention[verb]:
			h.conf = 0.75
			h.suggest = []string{"Describe what was in place and what it did at the time; a missing safeguard can go under Contributors rather than as the path not taken."}
		case passive && e.personAction[verb]:
			h.conf = 0.7
			h.suggest = []string{"Describe what did happen — what review, testing or checking there was — and what shaped it."}
		case subj == subjSystem && negated:
			h.conf = 0.6 // "the migration shouldn't have run at noon" judges a decision
		case subj == subjSystem:
			return systemExpectation()
		default:
			h.conf = 0.6
		}
	case "could":
		switch {
		case passive && (e.prevention[verb] || e.personAction[verb]):
			h.conf = 0.8
			h.suggest = []string{"Describe what was in place and what people knew at the time; what would it have taken to see this earlier?"}
		case subj == subjPerson && !passive && !isOutcomeVerb(verb):
			h.conf = 0.8
		default:
			return hit{}, false // "What could have happened…?", "It could have been worse"
		}
	case "would":
		switch {
		case e.prevention[verb]:
			h.conf = 0.8
			h.suggest = []string{"Describe what was in place and what it did at the time; a missing safeguard can go under Contributors rather than as the path not taken."}
		case passive && e.betterAdj[verb]:
			h.conf = 0.75
		case subj == subjPerson && !passive && !isOutcomeVerb(verb) && verb != "wanted" && verb != "liked" && verb != "preferred":
			h.conf = 0.7
		default:
			return hit{}, false
		}
	}
	return h, true
}

// isOutcomeVerb lists verbs that describe how things could have turned out
// rather than what someone could have done.
func isOutcomeVerb(v string) bool {
	switch v {
	case "been", "happened", "gone", "taken", "lasted", "become", "ended", "spread", "affected", "needed", "helped", "cost", "turned", "hit":
		return true
	}
	return false
}

func (e *en) failedTo(s *sentence, i int) (hit, bool) {
	if !s.is(i+1, "to") {
		return hit{}, false
	}
	verb := i + 2
	if s.is(i, "failure") {
		// "a failure to follow the change process"
		if !e.omission[s.low(verb)] && !e.personAction[s.low(verb)+"ed"] && !e.personAction[s.low(verb)+"d"] {
			return hit{}, false
		}
		return hit{from: i, to: i + 2, conf: 0.75, suggest: []string{
			"Describe what was done instead and what made that the workable path at the time.",
		}}, true
	}
	subj, j := e.subjectBefore(s, i, "had", "has", "have", "repeatedly")
	switch subj {
	case subjSystem, subjNone:
		return hit{}, false // "the deploy failed to complete" describes a system
	case subjUnknown:
		if !e.omission[s.low(verb)] {
			return hit{}, false
		}
	}
	conf := 0.8
	if subj == subjUnknown {
		conf = 0.65
	}
	return hit{from: i, to: i + 2, conf: conf, suggest: e.hardOrUnlikely(s, j, verb, false)}, true
}

func (e *en) ifOnly(s *sentence, i int) (hit, bool) {
	if !s.is(i-1, "if") {
		return hit{}, false
	}
	return hit{from: i - 1, to: i + 1, conf: 0.9}, true
}

func (e *en) ifHad(s *sentence, i int) (hit, bool) {
	// "If the engineer had checked…", "Had the on-call looked…"
	if s.is(i, "had") && !(i == s.clauseStart(i) || e.onlyDiscourse(s, s.clauseStart(i), i)) {
		return hit{}, false
	}
	k := i + 1
	end := e.npAfter(s, k, func(w string) bool {
		return w == "had" || w == "hadn't" || e.commonVerb[w] || strings.HasSuffix(w, "ed")
	})
	if end <= k || end > k+4 {
		return hit{}, false
	}
	if e.classify(s, end-1) != subjPerson {
		return hit{}, false // "if the standby had not been warm" is about a system
	}
	if s.is(i, "if") {
		if !s.is(end, "had", "hadn't", "'d") {
			return hit{}, false
		}
		return hit{from: i, to: end + 1, conf: 0.8, suggest: e.atTheTime(s, end-1)}, true
	}
	if !e.isPast(s.low(end)) && !s.is(end, "not", "been", "known", "seen", "done", "run", "read", "taken") {
		return hit{}, false
	}
	return hit{from: i, to: end + 1, conf: 0.8, suggest: e.atTheTime(s, end-1)}, true
}

func (e *en) didNot(s *sentence, i int) (hit, bool) {
	w := s.low(i)
	verb := i + 1
	switch w {
	case "did":
		if !s.is(i+1, "not") {
			return hit{}, false
		}
		verb = i + 2
	case "nobody", "one":
		// "Nobody followed the rollback procedure."
		if w == "one" && !s.is(i-1, "no") {
			return hit{}, false
		}
		if !e.isOmissionPast(s.low(verb)) {
			return hit{}, false
		}
		from := i
		if w == "one" {
			from = i - 1
		}
		return hit{from: from, to: verb + 1, conf: 0.65, suggest: e.hardOrUnlikely(s, i, verb, true)}, true
	}
	for s.is(verb, "even", "actually", "really", "always") {
		verb++
	}
	subj, j := e.subjectBefore(s, i)
	if subj != subjPerson {
		return hit{}, false // "the alert didn't fire" describes a system
	}
	vw := s.low(verb)
	if w == "never" {
		if !e.isOmissionPast(vw) {
			return hit{}, false
		}
		return hit{from: i, to: verb + 1, conf: 0.65, suggest: e.hardOrUnlikely(s, j, verb, true)}, true
	}
	// "didn't know", "didn't have access" describe what people faced: that
	// is the inside view we want, so those verbs are not in the list.
	if !e.omission[vw] {
		return hit{}, false
	}
	return hit{from: i, to: verb + 1, conf: 0.65, suggest: e.hardOrUnlikely(s, j, verb, false)}, true
}

func (e *en) isOmissionPast(w string) bool {
	if w == "" {
		return false
	}
	if w == "read" || w == "ran" || w == "told" || w == "thought" {
		return true
	}
	if strings.HasSuffix(w, "ied") {
		return e.omission[w[:len(w)-3]+"y"]
	}
	if strings.HasSuffix(w, "ed") {
		b := w[:len(w)-2]
		return e.omission[b] || e.omission[b+"e"] || (len(b) > 2 && b[len(b)-1] == b[len(b)-2] && e.omission[b[:len(b)-1]])
	}
	return false
}

func (e *en) forgot(s *sentence, i int) (hit, bool) {
	subj, j := e.subjectBefore(s, i)
	if subj == subjSystem {
		return hit{}, false
	}
	if !s.is(i+1, "to", "about") {
		return hit{}, false
	}
	return hit{from: i, to: i + 2, conf: 0.75, suggest: e.hardOrUnlikely(s, j, i+2, false)}, true
}

func (e *en) missed(s *sentence, i int) (hit, bool) {
	subj, j := e.subjectBefore(s, i)
	if subj == subjSystem || subj == subjNone {
		return hit{}, false
	}
	for k := i + 1; k <= i+5 && k < s.n(); k++ {
		if s.boundary(k) {
			break
		}
		if e.alertNoun[s.low(k)] {
			subjText, pl := e.subjectPhrase(s, j)
			return hit{from: i, to: k + 1, conf: 0.7, suggest: []string{
				"What " + be(pl) + " " + subjText + " dealing with when " + s.textOf(i+1, k+1) + " arrived?",
				"Describe how the signals reached people and what else had their attention.",
			}}, true
		}
	}
	return hit{}, false
}

// ---- hindsight -----------------------------------------------------------

func (e *en) obvious(s *sentence, i int) (hit, bool) {
	if e.negatedBefore(s, i, 5) {
		return hit{}, false // "it wasn't obvious which alert was real" is the inside view
	}
	if s.is(i+1, "easy", "simple", "trivial") {
		return hit{}, false // minimizing
	}
	if s.is(i-1, "less", "more") {
		return hit{}, false
	}
	h := hit{from: i, to: i + 1, conf: 0.85}
	if s.low(i) == "obviously" {
		h.suggest = e.without(s, i, i+1, "What made this visible afterwards, and what did it look like at the time?")
	} else if s.is(i-1, "was", "is") && s.is(i-2, "it", "this") && s.is(i+1, "that") && i-2 == 0 {
		h.from = i - 2
		h.suggest = []string{s.replaceTokens(i-2, i+2, "Looking back now, we can see that"), "What made this visible afterwards, and what did it look like at the time?"}
	} else {
		h.suggest = []string{"What made this visible afterwards, and what did it look like at the time?", "Describe what people saw then, e.g. which graphs they had open and what those showed."}
	}
	return h, true
}

func (e *en) clearly(s *sentence, i int) (hit, bool) {
	// Sentence adverb ("Clearly nobody read…", "the runbook clearly says…")
	// versus manner ("explains clearly what to check", "label it clearly").
	next := s.low(i + 1)
	sentenceAdverb := s.boundary(i) || i == 0 ||
		e.determiner[next] || e.personPron[next] || e.modal[next] != "" || e.negAux[next] ||
		strings.HasSuffix(next, "ed") ||
		s.is(i+1, "was", "were", "is", "are", "had", "has", "have", "did", "not", "says", "said", "shows", "showed", "states", "stated", "needed", "wanted", "knew", "saw", "visible", "nobody", "there", "it")
	if !sentenceAdverb || s.atClauseEnd(i) && i > 0 {
		return hit{}, false
	}
	if e.negatedBefore(s, i, 2) {
		return hit{}, false
	}
	return hit{from: i, to: i + 1, conf: 0.75, suggest: e.without(s, i, i+1, "What made this visible afterwards, and what did it look like at the time?")}, true
}

func (e *en) wasClear(s *sentence, i int) (hit, bool) {
	// "It was clear that…", "it should have been clear"; not "it wasn't
	// clear who owned the zone" or "the alert text was clear".
	if !s.is(i-1, "was", "is", "were", "been") {
		return hit{}, false
	}
	if !s.is(i-1, "been") && !s.is(i-2, "it", "this", "that") {
		return hit{}, false
	}
	if e.negatedBefore(s, i, 3) {
		return hit{}, false
	}
	if s.low(i) != "clear" && !s.is(i+1, "that") {
		return hit{}, false
	}
	from := i - 1
	if s.is(i-2, "it", "this", "that") {
		from = i - 2
	}
	sug := []string{"What made this visible afterwards, and what did it look like at the time?"}
	if s.is(i+1, "that") && from == 0 {
		sug = append([]string{s.replaceTokens(from, i+2, "Looking back now, we can see that")}, sug...)
	}
	return hit{from: from, to: i + 1, conf: 0.8, suggest: sug}, true
}

func (e *en) inHindsight(s *sentence, i int) (hit, bool) {
	if s.is(i+1, "bias") {
		return hit{}, false // talking about the bias itself
	}
	from := i
	switch {
	case s.seq(i-4, "with", "the", "benefit", "of"):
		from = i - 4
	case s.is(i-1, "in", "with"):
		from = i - 1
	}
	h := hit{from: from, to: i + 1, conf: 0.9}
	h.suggest = []string{"What made this visible afterwards, and what did it look like at the time?"}
	if s.boundary(from) && (i+1 >= s.n() || s.boundary(i+1) || from == 0) {
		h.suggest = e.without(s, from, i+1, h.suggest...)
	}
	return h, true
}

func (e *en) shouldHaveKnown(s *sentence, i int) (hit, bool) {
	// "should have known", "could have seen this coming"
	h := i - 1
	if !s.is(h, "have") && !strings.HasSuffix(s.low(h), "'ve") {
		return hit{}, false
	}
	m := h - 1
	if strings.HasSuffix(s.low(h), "'ve") {
		m = h
	}
	if s.is(m, "not") {
		m--
	}
	mw := strings.TrimSuffix(s.low(m), "'ve")
	modal := e.modal[mw]
	if modal == "" && s.is(m, "to") && s.is(m-1, "ought") {
		modal, m = "should", m-1
	}
	conf := 0.85
	switch modal {
	case "should":
	case "could":
		conf = 0.7
		if s.seq(i+2, "coming") || s.seq(i+1, "it", "coming") || s.seq(i+1, "this", "coming") {
			conf = 0.85
		}
	default:
		return hit{}, false
	}
	_, subjIdx := e.subjectBefore(s, m)
	subj, _ := e.subjectPhrase(s, subjIdx)
	sug := []string{
		"What did " + subj + " know and see at that point? Describe what made it visible later and not then.",
	}
	if s.question || s.is(subjIdx, "you") {
		sug = []string{"What were you seeing at that point, and what did it tell you?"}
	}
	return hit{from: m, to: i + 1, conf: conf, suggest: sug, suppress: []Category{CategoryCounterfactual}}, true
}

func (e *en) signs(s *sentence, i int) (hit, bool) {
	sug := []string{"What made this visible afterwards, and what did it look like at the time?"}
	w := s.low(i)
	switch w {
	case "signs":
		if s.is(i-1, "warning") {
			return hit{from: i - 1, to: i + 1, conf: 0.75, suggest: sug}, true
		}
		k := i + 1
		if s.is(k, "were", "was") {
			k++
			if s.is(k, "all") {
				k++
			}
			if s.is(k, "there") {
				return hit{from: i, to: k + 1, conf: 0.8, suggest: sug}, true
			}
		}
	case "flags":
		if s.is(i-1, "red") {
			return hit{from: i - 1, to: i + 1, conf: 0.7, suggest: sug}, true
		}
	case "writing":
		if s.seq(i+1, "was", "on", "the", "wall") {
			return hit{from: i - 1, to: i + 5, conf: 0.85, suggest: sug}, true
		}
	case "predictable", "foreseeable":
		if s.is(i-1, "was", "were", "is", "entirely", "completely", "totally", "quite", "so", "very", "perfectly", "highly", "utterly") && !e.negatedBefore(s, i, 3) {
			return hit{from: i, to: i + 1, conf: 0.8, suggest: sug}, true
		}
	case "inevitable":
		if !e.negatedBefore(s, i, 3) {
			return hit{from: i, to: i + 1, conf: 0.8, suggest: sug}, true
		}
	case "bound":
		if s.is(i+1, "to") && s.is(i+2, "happen", "fail", "break", "go") {
			return hit{from: i, to: i + 3, conf: 0.8, suggest: sug}, true
		}
	case "coming":
		if s.is(i-1, "it", "this", "that") && s.is(i-2, "saw", "see", "seen", "foresaw") {
			return hit{from: i - 2, to: i + 1, conf: 0.8, suggest: sug}, true
		}
	case "plain":
		if s.seq(i+1, "to", "see") {
			return hit{from: i, to: i + 3, conf: 0.85, suggest: sug}, true
		}
	case "plainly":
		return hit{from: i, to: i + 1, conf: 0.75, suggest: e.without(s, i, i+1, "What made this visible afterwards, and what did it look like at the time?")}, true
	}
	return hit{}, false
}
