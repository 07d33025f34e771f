package langcheck

import (
	"fmt"
	"strings"
)

// English returns the English rule set. Each call builds a fresh Language.
func English() *Language {
	e := newEnglish()
	l := &Language{
		code: "en",
		name: "English",
		quotes: []quotePair{
			{'"', '"'}, {'“', '”'}, {'‘', '’'}, {'\'', '\''}, {'«', '»'},
		},
		apostrophes: []rune{'\'', '’'},
		abbrev:      words(`e.g i.e etc vs approx dr mr mrs ms st inc ltd co jr sr eg ie cf fig no`),
		explain: map[Category]string{
			CategoryWhyQuestion:     `"Why" asks people to justify themselves and pulls the answer toward a tidy explanation; "how" and "what" draw out their own account of what they saw and did.`,
			CategoryCounterfactual:  `This describes a path that was not taken and judges people against options they may not have seen. Describe what was known and done at the time.`,
			CategoryHindsight:       `This reads the past with knowledge people only had afterwards. Ask what made it visible later, and what it looked like at the time.`,
			CategoryBlameOnPerson:   `Naming a person as the one who did the damage invites blame, even when nobody means it. Describe the event and the conditions around the action.`,
			CategoryHumanError:      `Labels like "human error" or "careless" end the inquiry where it should start: what made the action reasonable at the time?`,
			CategoryRootCause:       `Incidents have many contributors; naming one cause stops the learning. Talk about contributors, and about the trigger as a turning point.`,
			CategoryMinimizing:      `This makes the work sound smaller than it was and hides what it took. Drop the word, or ask what it involved.`,
			CategoryJudgmental:      `An evaluative word puts a verdict in place of a description. Say what was there, what happened and what people saw.`,
			CategoryLeadingQuestion: `The question carries its own answer or a judgement, so people tend to agree or defend themselves. Ask an open question instead.`,
		},
		direction: map[Category]string{
			CategoryWhyQuestion:     `Ask "how" or "what": "What led up to that?", "What told you…?"`,
			CategoryCounterfactual:  `Describe what was known and done at the time, and what made the other path hard to see.`,
			CategoryHindsight:       `Ask what made it visible later and not then: "What did it look like at the time?"`,
			CategoryBlameOnPerson:   `Describe the event and the conditions: what was the person trying to do, and what did the tooling and the situation allow?`,
			CategoryHumanError:      `Describe the action and what made it reasonable then: what was the person trying to do, what did they see, what did the tooling allow?`,
			CategoryRootCause:       `Name the contributors, and the trigger as a turning point: what else had to be true for this to matter?`,
			CategoryMinimizing:      `Drop the word, or ask what it took: what did it involve, and what made it harder than it sounds?`,
			CategoryJudgmental:      `Replace the verdict with a description: what was there, what happened, and what did people see at the time?`,
			CategoryLeadingQuestion: `Ask an open question that does not carry an answer: "What was going on for you at that point?"`,
		},
		quotedExplain:   `These are a participant's own words, so they are not something to rephrase: they are information, worth exploring with the person.`,
		reportedExplain: `This reports what someone said or felt: it is their view and information to explore, not your framing.`,
		reportedSuggest: `If these are their words, keep them (mark the note as a quote); if they are your own framing, rephrase.`,
	}
	l.quotedSuggest = func(q string) string {
		return fmt.Sprintf(`Keep the quote and explore it with them: "You said '%s' — what was going on for you at that point?"`, shorten(q, 12))
	}
	l.markReported = e.markReported
	l.rules = e.rules()
	return l
}

// shorten keeps the first n words of q.
func shorten(q string, n int) string {
	f := strings.Fields(q)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + "…"
}

// markReported marks the words after a reporting verb ("she said she should
// have caught it") and whole sentences ending in one ("…, he said"). It
// leaves questions alone: a question is the author's own framing.
func (e *en) markReported(s *sentence) {
	if s.question || s.n() < 2 {
		return
	}
	n := s.n()
	// "…, she said." / "…, Priya told us."
	for k := n - 1; k >= n-3 && k > 0; k-- {
		if e.reporting[s.low(k)] && s.boundary(k-1) && (e.personPron[s.low(k-1)] || e.isName(s, k-1)) && !s.is(k-1, "i", "we") {
			for i := range s.toks {
				s.toks[i].reported = true
			}
			return
		}
	}
	for k := 1; k < n; k++ {
		w := s.low(k)
		if !e.reporting[w] {
			if w == "according" && s.is(k+1, "to") && (e.personPron[s.low(k+2)] || e.isName(s, k+2)) {
				for i := k; i < n; i++ {
					s.toks[i].reported = true
				}
				return
			}
			continue
		}
		if w == "told" && !s.is(k+1, "me", "us", "them", "him", "her", "the") {
			continue
		}
		subj, j := e.subjectBefore(s, k)
		if subj == subjNone || s.is(j, "i", "we") {
			continue
		}
		for i := k + 1; i < n; i++ {
			s.toks[i].reported = true
		}
		return
	}
}

func (e *en) rules() []rule {
	return []rule{
		{cat: CategoryWhyQuestion, name: "why", triggers: []string{"why"}, match: e.why},

		{cat: CategoryLeadingQuestion, name: "negative question", triggers: keys(e.negAux), match: e.leadingNegative},
		{cat: CategoryLeadingQuestion, name: "did you not", triggers: []string{"not"}, match: e.leadingNot},
		{cat: CategoryLeadingQuestion, name: "tag", triggers: []string{"right", "correct", "yes", "true"}, match: e.leadingTag},
		{cat: CategoryLeadingQuestion, name: "surely", triggers: []string{"surely"}, match: e.leadingSurely},
		{cat: CategoryLeadingQuestion, name: "agree", triggers: []string{"agree", "say", "fair", "because"}, match: e.leadingOpinion},
		{cat: CategoryLeadingQuestion, name: "was it a mistake", triggers: []string{"mistake", "error", "wrong", "bad", "careless", "reckless", "sloppy"}, match: e.leadingVerdict},

		{cat: CategoryCounterfactual, name: "modal have", triggers: []string{"have", "should've", "could've", "would've", "shouldn't've", "couldn't've", "wouldn't've"}, match: e.modalHave},
		{cat: CategoryCounterfactual, name: "failed to", triggers: []string{"failed", "fails", "fail", "failing", "failure"}, match: e.failedTo},
		{cat: CategoryCounterfactual, name: "if only", triggers: []string{"only"}, match: e.ifOnly},
		{cat: CategoryCounterfactual, name: "if had", triggers: []string{"if", "had"}, match: e.ifHad},
		{cat: CategoryCounterfactual, name: "didn't", triggers: []string{"didn't", "did", "never", "nobody", "one"}, match: e.didNot},
		{cat: CategoryCounterfactual, name: "forgot to", triggers: []string{"forgot", "neglected", "omitted", "forgetting"}, match: e.forgot},
		{cat: CategoryCounterfactual, name: "missed", triggers: []string{"missed", "overlooked"}, match: e.missed},

		{cat: CategoryHindsight, name: "obvious", triggers: []string{"obvious", "obviously"}, match: e.obvious},
		{cat: CategoryHindsight, name: "clearly", triggers: []string{"clearly"}, match: e.clearly},
		{cat: CategoryHindsight, name: "it was clear", triggers: []string{"clear", "evident", "apparent"}, match: e.wasClear},
		{cat: CategoryHindsight, name: "in hindsight", triggers: []string{"hindsight", "retrospect"}, match: e.inHindsight},
		{cat: CategoryHindsight, name: "should have known", triggers: keys(e.hindsightVBN), match: e.shouldHaveKnown},
		{cat: CategoryHindsight, name: "signs", triggers: []string{"signs", "flags", "writing", "predictable", "inevitable", "foreseeable", "bound", "coming", "plain", "plainly"}, match: e.signs},

		{cat: CategoryBlameOnPerson, name: "agent", triggers: []string{"broke", "crashed", "deleted", "dropped", "wiped", "corrupted", "nuked", "trashed", "overwrote", "misconfigured", "botched", "took", "brought", "knocked", "messed", "screwed", "blew", "pushed", "shipped", "merged", "deployed", "caused", "introduced", "destroyed", "erased"}, match: e.blameAgent},
		{cat: CategoryBlameOnPerson, name: "by person", triggers: []string{"by"}, match: e.blameBy},
		{cat: CategoryBlameOnPerson, name: "fault", triggers: []string{"fault"}, match: e.blameFault},

		{cat: CategoryHumanError, name: "labels", triggers: []string{"human", "operator", "pilot", "user", "mistake", "mistakes", "mistakenly", "careless", "carelessly", "carelessness", "negligent", "negligence", "negligently", "sloppy", "sloppily", "sloppiness", "fat-finger", "fat-fingered", "fat-fingering", "oversight", "complacent", "complacency", "incompetent", "incompetence", "inattentive", "inattention", "reckless", "recklessly", "recklessness", "blunder", "blunders", "screw-up", "screwup", "goof"}, match: e.humanError},
		{cat: CategoryHumanError, name: "idioms", triggers: []string{"ball", "attention", "careful", "lapse"}, match: e.humanErrorIdiom},

		{cat: CategoryRootCause, name: "root cause", triggers: []string{"root", "rca", "rcas", "cause", "caused"}, match: e.rootCause},

		{cat: CategoryMinimizing, name: "minimizers", triggers: []string{"just", "simply", "merely", "only", "all", "nothing", "trivial", "trivially", "easy", "easily", "simple", "quick"}, match: e.minimizing},

		{cat: CategoryJudgmental, name: "wrong", triggers: []string{"wrong"}, match: e.wrong},
		{cat: CategoryJudgmental, name: "verdicts", triggers: []string{"bad", "poor", "poorly", "lack", "lacked", "lacking", "lacks", "inadequate", "inadequately", "ignored", "ignore", "ignoring", "irresponsible", "unacceptable", "inexcusable", "unprofessional", "stupid", "dumb", "foolish", "idiotic", "lazy", "fault", "blame", "blamed"}, match: e.judgmental},
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ---- why questions -------------------------------------------------------

func (e *en) why(s *sentence, i int) (hit, bool) {
	if !s.question {
		return hit{}, false
	}
	t := s.toks[i]
	cs := s.clauseStart(i)
	atStart := e.onlyDiscourse(s, cs, i)
	// A capitalised "Why" inside a clause, or one followed by more capitalised
	// words ("Why Not Ltd"), is part of a name.
	if t.cap && !atStart {
		return hit{}, false
	}
	if t.cap && s.n() > i+1 && s.toks[i+1].cap && !s.is(i+1, "i") &&
		(s.n() > i+2 && s.toks[i+2].cap || e.orgSuffix[s.low(i+2)]) {
		return hit{}, false
	}
	if s.is(i-1, "the", "a", "its", "their") && !s.boundary(i) {
		return hit{}, false // "the why behind it"
	}
	conf := 0.9
	if !atStart {
		head := 0
		for head < i && e.discourse[s.low(head)] {
			head++
		}
		if e.wh[s.low(head)] {
			return hit{}, false // "How did you work out why…" asks how
		}
		conf = 0.75
	}
	return hit{from: i, to: i + 1, conf: conf, suggest: e.rewriteWhy(s, i)}, true
}

func (e *en) rewriteWhy(s *sentence, i int) []string {
	generic := []string{"What led up to that?", "How did that come about, from where you were?"}
	j := i + 1
	if s.seq(j, "on", "earth") {
		j += 2
	}
	aux := s.low(j)
	verbStop := func(w string) bool { return e.commonVerb[w] || w == "not" || w == "just" }
	predStop := func(w string) bool { return e.predStart[w] || strings.HasSuffix(w, "ed") }
	switch aux {
	case "did", "do", "does", "didn't", "don't", "doesn't":
		neg := strings.HasSuffix(aux, "n't")
		k := e.npAfter(s, j+1, verbStop)
		subjFrom, subjTo := j+1, k
		if s.is(k, "not") {
			neg = true
			k++
		}
		if subjTo <= subjFrom || k >= s.n() {
			return generic
		}
		subj := e.npText(s, subjFrom, subjTo)
		kind := e.classify(s, subjTo-1)
		if s.is(subjFrom, "nobody") || s.seq(subjFrom, "no", "one") {
			// "Why did nobody page the database team?"
			neg, subj, kind = true, "people", subjPerson
		}
		if s.low(subjFrom) == "you" && s.is(k, "think") {
			if k+1 < s.n() {
				return []string{"What did you notice around the time " + s.textOf(k+1, s.n()) + "?", "What do you think contributed to that?"}
			}
			return generic
		}
		g, ok := e.gerundPhrase(s, k, false)
		if !ok {
			return generic
		}
		switch {
		case neg && s.low(subjFrom) == "you":
			return []string{"What options did you see at that point, and how did " + g + " look from there?", "What was going on for you at that point?"}
		case neg && kind == subjPerson:
			return []string{"What options did " + subj + " see at that point, and how did " + g + " look from there?", "What was going on for " + objective(subj) + " at that point?"}
		case s.low(subjFrom) == "you" && s.is(k, "keep", "continue") && k+1 < s.n():
			return []string{"What kept you " + s.textOf(k+1, s.n()) + "?", "What was going on for you at that point?"}
		case neg:
			return []string{"What do we know about how " + subj + " behaved at that point?", "What would help explain it, and who might know?"}
		case s.low(subjFrom) == "you":
			return []string{"What led up to " + g + "?", "How did " + g + " come up as an option?"}
		case kind == subjPerson:
			return []string{"What led up to " + subj + " " + g + "?", "What did " + subj + " see at that point that made " + g + " look like the next step?"}
		default:
			return []string{"What led up to " + subj + " " + g + "?", "What do we know about how " + subj + " behaved at that point?"}
		}
	case "was", "were", "is", "are", "wasn't", "weren't", "isn't", "aren't":
		k := e.npAfter(s, j+1, predStop)
		if k <= j+1 || k >= s.n() {
			return generic
		}
		np, pred := e.npText(s, j+1, k), s.textOf(k, s.n())
		if strings.HasSuffix(aux, "n't") {
			return []string{"What got in the way of " + np + " being " + pred + "?", "What do we know about how that came about?"}
		}
		return []string{"What led to " + np + " being " + pred + "?", "What do we know about how that came about?"}
	case "not":
		if g, ok := e.gerundPhrase(s, j+1, false); ok {
			return []string{"How did " + g + " look as an option at the time?", "What options did you see at that point?"}
		}
	case "would", "should":
		k := e.npAfter(s, j+1, verbStop)
		if g, ok := e.gerundPhrase(s, k, false); ok && k < s.n() {
			return []string{"What makes " + g + " look reasonable to the people doing it?", "How do people usually decide about that?"}
		}
	}
	// "You drained the node first — why?"
	if i == s.n()-1 && s.is(0, "you") && e.isPast(s.low(1)) {
		if g, ok := e.gerundPhrase(s, 1, true); ok {
			return []string{"What led up to " + g + "?", "How did " + g + " come up as an option?"}
		}
	}
	// "Can you explain why you disabled the health check?"
	if s.is(j, "you") && e.isPast(s.low(j+1)) {
		if g, ok := e.gerundPhrase(s, j+1, true); ok {
			return []string{"What led up to " + g + "?", "How did " + g + " come up as an option?"}
		}
	}
	// "Do you know why the cron job ran twice?"
	if j < s.n() && !s.boundary(j) {
		return []string{"What did you notice around the time " + e.npText(s, j, s.n()) + "?", "What do we know about how that came about?"}
	}
	return generic
}

// ---- leading questions ---------------------------------------------------

func (e *en) leadingNegative(s *sentence, i int) (hit, bool) {
	if !s.question {
		return hit{}, false
	}
	n := s.n()
	cs := s.clauseStart(i)
	// "…, didn't you?" / "…, wasn't it?"
	if s.boundary(i) && i > 0 && i >= n-2 && (i == n-1 || e.personPron[s.low(i+1)] || s.is(i+1, "it", "there", "that", "this")) {
		return hit{from: i, to: n, conf: 0.85, suggest: []string{
			"What did you know at that point, and how?",
			"Drop the tag and ask openly about what they saw, e.g. \"What told you that at the time?\"",
		}}, true
	}
	afterWhy := s.is(i-1, "why") && e.onlyDiscourse(s, cs, i-1)
	if !afterWhy && !e.onlyDiscourse(s, cs, i) {
		return hit{}, false
	}
	if i+1 >= n {
		return hit{}, false
	}
	if afterWhy {
		// "Why didn't you…" presumes the step was due; "why weren't the owners
		// in the channel" asks about a situation.
		if !s.is(i+1, "you", "they", "he", "she", "we") {
			return hit{}, false
		}
		return hit{from: i, to: i + 2, conf: 0.75, suggest: e.rewriteWhy(s, i-1)}, true
	}
	return hit{from: i, to: i + 2, conf: 0.85, suggest: e.openQuestion(s, i)}, true
}

// openQuestion suggests an open question for a negative or verdict question
// starting at the auxiliary aux.
func (e *en) openQuestion(s *sentence, aux int) []string {
	subj := aux + 1
	if s.is(subj, "you") {
		v := subj + 1
		if s.is(v, "not") {
			v++
		}
		if s.is(v, "think", "agree", "feel") {
			from := v + 1
			if s.is(from, "that") {
				from++
			}
			np := e.npAfter(s, from, func(w string) bool {
				return e.predStart[w] || e.commonVerb[w] || w == "was" || w == "were" || w == "is"
			})
			if np > from && np < s.n() && e.determiner[s.low(from)] {
				return []string{"What's your view of " + e.npText(s, from, np) + "?", "How did it look to you at the time?"}
			}
			return []string{"How did it look to you at the time?"}
		}
		if s.is(v, "aware", "the", "a") {
			return []string{"What did you know at that point, and how did you come to know it?", "What had your attention at that point?"}
		}
		for e.adverb[s.low(v)] {
			v++
		}
		past := false
		if s.is(v, "have") {
			v, past = v+1, true // "Couldn't you simply have rolled back…?"
		}
		if g, ok := e.gerundPhrase(s, v, past); ok {
			return []string{"How did " + g + " fit in at that point, if at all?", "What had your attention at that point?"}
		}
		return []string{"What had your attention at that point?"}
	}
	np := e.npAfter(s, subj, func(w string) bool { return e.predStart[w] || e.commonVerb[w] })
	if np > subj && e.determiner[s.low(subj)] && e.classify(s, np-1) != subjPerson {
		return []string{"What did you make of " + e.npText(s, subj, np) + " at the time?", "What did you know at that point, and how?"}
	}
	if np > subj && e.classify(s, np-1) == subjPerson && !s.is(subj, "we") {
		return []string{"What was going on at that point, and what options did people see?", "What did you know at that point, and how?"}
	}
	return []string{"What did you know at that point, and how?", "What was going on for you at that point?"}
}

func (e *en) leadingNot(s *sentence, i int) (hit, bool) {
	// "Did you not check…?", "Was it not…?"
	if !s.question || i < 2 {
		return hit{}, false
	}
	aux := i - 2
	if !s.is(aux, "did", "do", "does", "was", "were", "is", "are", "have", "had", "should", "could", "would") {
		return hit{}, false
	}
	if !(e.personPron[s.low(i-1)] || s.is(i-1, "it", "that", "this", "there")) {
		return hit{}, false
	}
	if !e.onlyDiscourse(s, s.clauseStart(aux), aux) {
		return hit{}, false
	}
	sug := e.openQuestion(s, aux)
	if s.is(i-1, "you") {
		if g, ok := e.gerundPhrase(s, i+1, false); ok {
			sug = []string{"How did " + g + " fit in at that point, if at all?", "What had your attention at that point?"}
		}
	}
	return hit{from: aux, to: i + 1, conf: 0.85, suggest: sug}, true
}

func (e *en) leadingTag(s *sentence, i int) (hit, bool) {
	// "You had tested it in staging, right?"
	if !s.question || i != s.n()-1 || i == 0 || !s.boundary(i) {
		return hit{}, false
	}
	return hit{from: i, to: i + 1, conf: 0.8, suggest: []string{
		"What did you know at that point, and how?",
		"Drop the tag and ask openly about what they saw, e.g. \"What told you that at the time?\"",
	}}, true
}

func (e *en) leadingSurely(s *sentence, i int) (hit, bool) {
	if !s.question {
		return hit{}, false
	}
	return hit{from: i, to: i + 1, conf: 0.75, suggest: []string{"What did you notice at that point?"}}, true
}

func (e *en) leadingOpinion(s *sentence, i int) (hit, bool) {
	if !s.question {
		return hit{}, false
	}
	generic := []string{"What was going on for you at that point?", "How did it look to you at the time?"}
	switch s.low(i) {
	case "agree":
		// "Do you agree…", "Would you agree…", "Wouldn't you agree…"
		if s.is(i-1, "you") && s.is(i-2, "do", "would", "wouldn't", "don't") && e.onlyDiscourse(s, s.clauseStart(i-2), i-2) {
			return hit{from: i - 2, to: i + 1, conf: 0.8, suggest: generic}, true
		}
	case "say":
		// "Would you say…" — but not "What would you say to a new on-call?"
		if s.is(i-1, "you") && s.is(i-2, "would") && e.onlyDiscourse(s, s.clauseStart(i-2), i-2) {
			return hit{from: i - 2, to: i + 1, conf: 0.65, suggest: generic}, true
		}
	case "fair":
		if s.is(i-1, "it") && s.is(i-2, "is", "would", "was") && s.is(i+1, "to") {
			return hit{from: i - 2, to: i + 1, conf: 0.7, suggest: generic}, true
		}
	case "because":
		// "Was it because you were tired?" offers the explanation.
		if s.is(i-1, "it", "that", "this") && s.is(i-2, "was", "is", "were") && e.onlyDiscourse(s, s.clauseStart(i-2), i-2) {
			return hit{from: i - 2, to: i + 1, conf: 0.7, suggest: generic}, true
		}
	}
	return hit{}, false
}

func (e *en) leadingVerdict(s *sentence, i int) (hit, bool) {
	// "Was it a mistake to skip the canary stage?"
	if !s.question {
		return hit{}, false
	}
	k := i - 1
	if s.is(k, "a", "an") {
		k--
	}
	if !s.is(k, "it", "that", "this") || !s.is(k-1, "was", "is", "wasn't", "isn't") {
		return hit{}, false
	}
	if !e.onlyDiscourse(s, s.clauseStart(k-1), k-1) {
		return hit{}, false
	}
	to := i + 1
	if s.is(i, "bad") && s.is(i+1, "idea", "call", "decision", "choice", "move") {
		to++
	}
	sug := []string{"What was going on for you at that point?", "How did it look at the time, and what did it lead to?"}
	if s.is(to, "to") {
		if g, ok := e.gerundPhrase(s, to+1, false); ok {
			sug = []string{"How did " + g + " look at the time, and what did it lead to?", "What options did you see at that point?"}
		}
	}
	return hit{from: k - 1, to: to, conf: 0.85, suggest: sug, suppress: []Category{CategoryHumanError, CategoryJudgmental}}, true
}
