package langcheck

import (
	"strings"
	"unicode/utf8"
)

// en holds the English word lists. They are data: widening a list is the
// usual way to teach the checker a new case.
type en struct {
	personPron   map[string]bool // pronouns and indefinites that refer to people
	blamePron    map[string]bool // the subset that points at one person
	personNoun   map[string]bool // roles, singular
	collective   map[string]bool // roles that name a group, not a person
	systemNoun   map[string]bool // things: services, jobs, alerts…, singular
	nonName      map[string]bool // capitalised words that are not people
	determiner   map[string]bool
	adverb       map[string]bool // skipped when looking for a subject
	discourse    map[string]bool // words that may open a question before its head
	wh           map[string]bool
	negator      map[string]bool
	negAux       map[string]bool
	modal        map[string]string
	prevention   map[string]bool // "would have caught", "could have been avoided"
	personAction map[string]bool // past participles of things people do
	betterAdj    map[string]bool
	hindsightVBN map[string]bool
	omission     map[string]bool // base and past forms for "didn't check", "never checked"
	incident     map[string]bool
	dbObject     map[string]bool
	alertNoun    map[string]bool
	commonVerb   map[string]bool // base forms, to find where a subject ends
	predStart    map[string]bool // words that end a subject after "was/were"
	temporal     map[string]bool // "just after", "only when"
	number       map[string]bool
	fewWords     map[string]bool
	reporting    map[string]bool
	orgSuffix    map[string]bool
	pastGerund   map[string]string // irregular past → gerund
	baseGerund   map[string]string // irregular base → gerund
}

func words(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func newEnglish() *en {
	e := &en{
		personPron: words(`i you he she we they someone somebody nobody anyone anybody everyone
			everybody whoever me him her us them`),
		blamePron: words(`he she someone somebody`),
		personNoun: words(`engineer developer dev operator responder on-call oncall sre dba admin
			sysadmin intern hire contractor author reviewer owner manager lead commander ic team
			ops person people human folks analyst approver maintainer colleague teammate employee
			member architect tester qa support cto vp director facilitator investigator
			newcomer junior senior vendor customer staff`),
		collective: words(`team ops people folks staff support vendor customer member`),
		systemNoun: words(`job cron cronjob cache alert alarm monitor monitoring check healthcheck
			health-check probe pipeline deploy deployment release build test canary service server
			host node pod container cluster database db replica primary secondary shard queue
			broker consumer producer topic worker scheduler certificate cert dns record zone ttl
			config configuration flag script process daemon agent backup snapshot restore
			migration proxy balancer lb gateway api endpoint system autoscaler failover standby
			instance function lambda terraform ansible kubernetes k8s jenkins rule firewall index
			table disk volume network router switch link token key secret limiter retry timeout
			threshold dashboard pager page change patch rollout rollback upgrade update software
			code bug outage incident traffic latency region load request query batch importer
			exporter cert-manager automation cleanup tooling tool storage bucket app client sdk
			library dependency vendor platform replication lag spike error graph log budget
			feature window stage apply commit push edit pr merge setting policy runbook doc
			document ticket plan procedure checklist process schema field column partition
			controller operator-job handshake tls session connection pool cpu memory`),
		nonName: words(`i monday tuesday wednesday thursday friday saturday sunday january february
			march april may june july august september october november december jenkins terraform
			kubernetes grafana prometheus pagerduty slack github gitlab postgres postgresql mysql
			redis kafka rabbitmq nginx haproxy envoy consul vault ansible puppet chef docker helm
			argo spinnaker datadog sentry cloudflare akamai fastly aws gcp azure linux chrome
			android ios zookeeper elasticsearch cassandra mongo mongodb istio linkerd cloudfront
			okta jira zoom debrief google utc eu us uk europe frankfurt london dublin tokyo
			the a an this that these those it its we they he she you our their his her my your
			there then when what how who why where which after before during once if so but and
			or also later nobody someone everyone anyone each every some no not one two three
			both all most many several few only just yes ok okay please tell describe walk
			contributors contributor root summary background narrative finding findings note
			notes question open action trigger impact recovery risk risks mitigators
			difficulties pressures people responders support ops on-call customers engineers
			operators reviewers owners managers teams users clients services
			did do does was were is are had has have should could would can will
			in on at by for from with without to of over under into onto between`),
		determiner: words(`the a an our their his her this that these those its my your one each
			every any some no another`),
		adverb: words(`really probably definitely certainly also clearly obviously just still then
			simply surely honestly actually arguably easily already accidentally mistakenly
			apparently again somehow likely maybe perhaps always even both quickly immediately
			later first initially eventually unfortunately unknowingly inadvertently carelessly
			completely totally entirely all never ever`),
		discourse: words(`so and but ok okay now well then also right hmm honestly actually just
			again anyway`),
		wh:      words(`how what when where who whom whose which`),
		negator: words(`no not never nothing nobody none hardly without rather instead nor neither`),
		negAux: words(`didn't don't doesn't wasn't weren't isn't aren't haven't hasn't hadn't
			shouldn't couldn't wouldn't can't won't mustn't`),
		modal: map[string]string{
			"should": "should", "shouldn't": "should", "ought": "should",
			"could": "could", "couldn't": "could",
			"would": "would", "wouldn't": "would",
			"must": "must", "might": "must", "may": "must", "mustn't": "must", "mightn't": "must",
		},
		prevention: words(`caught prevented stopped avoided detected blocked flagged spotted saved
			averted mitigated`),
		personAction: words(`reviewed tested checked caught escalated paged rolled communicated
			documented verified noticed approved updated announced renewed rotated followed
			monitored reported fixed handled investigated validated raised told informed
			acknowledged planned scheduled coordinated consulted asked warned removed reverted
			run done made read applied deployed merged shipped cancelled canceled postponed
			delayed`),
		betterAdj:    words(`better safer easier wiser smarter preferable quicker faster cheaper prudent`),
		hindsightVBN: words(`known seen realised realized noticed spotted foreseen anticipated predicted expected guessed`),
		omission: words(`check verify test follow read look escalate page notice wait ask review
			run update communicate tell inform confirm monitor consider bother think double-check
			call raise report acknowledge respond use roll validate document attend warn plan
			coordinate rotate renew backup back`),
		incident: words(`outage outages incident incidents downtime disruption disruptions breakage`),
		dbObject: words(`table tables database databases db index indexes column columns schema
			partition partitions topic topics queue queues collection bucket buckets keyspace
			shard shards`),
		alertNoun: words(`alert alerts page pages warning warnings sign signs error errors message
			messages notification notifications email emails ticket tickets step steps check
			checks`),
		commonVerb: words(`restart choose pick page decide skip stop keep trust go think use kick roll
			silence disable enable deploy ship run wait escalate call ask leave take make start
			drain fail fire send set try work happen come get see know look need want stay route
			move push merge revert change write read test check notice miss fall rise drop grow
			break expire rotate renew promote acknowledge respond reply answer assume believe
			feel say tell turn switch scale add remove delete create open close`),
		predStart: words(`so too not still in on at down up out set run being left kept shut made
			done gone taken written seen put cut hit read given sent shown told known held built
			very really always never already just only on-call`),
		temporal: words(`after before as when then now in under over about around below above shy
			past ahead like once until while since`),
		number: words(`one two three four five six seven eight nine ten eleven twelve fifteen
			twenty thirty forty fifty hundred half dozen single couple handful fraction minority
			few percent`),
		fewWords: words(`few handful couple fraction dozen minority`),
		reporting: words(`said says told felt feels thought thinks believed believes mentioned
			admitted described recalled worried wondered complained reckoned suspected claimed
			argued insisted`),
		orgSuffix: words(`ltd inc llc gmbh corp co plc ag sa`),
		pastGerund: map[string]string{
			"went": "going", "chose": "choosing", "took": "taking", "ran": "running",
			"made": "making", "did": "doing", "got": "getting", "kept": "keeping",
			"left": "leaving", "sent": "sending", "saw": "seeing", "thought": "thinking",
			"told": "telling", "knew": "knowing", "put": "putting", "set": "setting",
			"shut": "shutting", "cut": "cutting", "read": "reading", "felt": "feeling",
			"brought": "bringing", "began": "beginning", "gave": "giving", "wrote": "writing",
			"found": "finding", "held": "holding", "hit": "hitting", "let": "letting",
			"stood": "standing", "spent": "spending", "built": "building", "drove": "driving",
			"fell": "falling", "rose": "rising", "forgot": "forgetting", "paid": "paying",
		},
		baseGerund: map[string]string{
			"be": "being", "see": "seeing", "die": "dying", "lie": "lying", "tie": "tying",
			"panic": "panicking", "run": "running", "set": "setting", "put": "putting",
			"cut": "cutting", "shut": "shutting", "stop": "stopping", "drop": "dropping",
			"skip": "skipping", "plan": "planning", "ship": "shipping", "tag": "tagging",
			"pin": "pinning", "get": "getting", "let": "letting", "begin": "beginning",
			"admit": "admitting", "commit": "committing", "omit": "omitting", "swap": "swapping",
			"trip": "tripping", "step": "stepping", "chat": "chatting", "flag": "flagging",
			"map": "mapping", "hit": "hitting", "sit": "sitting", "prefer": "preferring",
		},
	}
	return e
}

// singular strips a plural ending for lexicon look-ups.
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"):
		return w
	case strings.HasSuffix(w, "s") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}

func possessiveBase(w string) (string, bool) {
	for _, suf := range []string{"'s", "’s", "s'"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf) {
			if suf == "s'" {
				return w[:len(w)-1], true
			}
			return w[:len(w)-len(suf)], true
		}
	}
	return w, false
}

type subject int

const (
	subjNone subject = iota
	subjUnknown
	subjPerson
	subjSystem
)

// isName reports whether token j looks like a person's name: capitalised,
// not an acronym, and not a known tool, weekday or common word.
func (e *en) isName(s *sentence, j int) bool {
	if j < 0 || j >= s.n() {
		return false
	}
	t := s.toks[j]
	if !t.cap || !t.hasLower {
		return false
	}
	base, _ := possessiveBase(t.lower)
	if e.nonName[base] || e.systemNoun[singular(base)] || e.personNoun[singular(base)] || e.systemNoun[base] {
		return false
	}
	return true
}

// classify says whether the noun phrase ending at token j names a person, a
// thing, or neither that we can tell.
func (e *en) classify(s *sentence, j int) subject {
	w := s.low(j)
	if w == "" {
		return subjNone
	}
	if w == "one" && s.is(j-1, "no") {
		return subjPerson
	}
	if e.personPron[w] {
		return subjPerson
	}
	switch w {
	case "it", "this", "that", "these", "those", "what", "none":
		return subjSystem
	}
	if _, poss := possessiveBase(w); poss {
		return subjUnknown
	}
	sg := singular(w)
	if e.personNoun[w] || e.personNoun[sg] {
		return subjPerson
	}
	if e.systemNoun[w] || e.systemNoun[sg] {
		return subjSystem
	}
	if e.isName(s, j) {
		return subjPerson
	}
	return subjUnknown
}

// subjectBefore finds the subject of the verb or modal at i: the nearest
// word before it that is not an adverb or auxiliary.
func (e *en) subjectBefore(s *sentence, i int, skip ...string) (subject, int) {
	j := i - 1
	for j >= 0 {
		w := s.low(j)
		skipped := e.adverb[w]
		for _, x := range skip {
			if w == x {
				skipped = true
			}
		}
		if !skipped {
			break
		}
		j--
	}
	if j < 0 {
		return subjNone, -1
	}
	return e.classify(s, j), j
}

// npStart returns where the noun phrase ending at j begins: at a determiner
// up to three words back, else at j itself.
func (e *en) npStart(s *sentence, j int) int {
	cs := s.clauseStart(j)
	for k := j; k >= j-3 && k >= cs; k-- {
		if e.determiner[s.low(k)] && k < j {
			return k
		}
		if k < j && (e.commonVerb[s.low(k)] || e.modal[s.low(k)] != "" || e.negAux[s.low(k)]) {
			break
		}
	}
	return j
}

// npText renders the phrase [from, to) for use inside a new sentence.
func (e *en) npText(s *sentence, from, to int) string {
	t := s.textOf(from, to)
	if from < s.n() && !e.isName(s, from) && s.low(from) != "i" {
		if s.toks[from].hasLower {
			t = lowerFirst(t)
		}
	}
	return t
}

// npAfter returns the end of the noun phrase starting at k. It ends before
// the first word in stop (a verb, "not"…), or after one word when nothing
// tells us where it ends.
func (e *en) npAfter(s *sentence, k int, stop func(w string) bool) int {
	w := s.low(k)
	if w == "" {
		return k
	}
	if e.personPron[w] || w == "it" || e.isName(s, k) {
		return k + 1
	}
	if w == "no" && s.is(k+1, "one") {
		return k + 2
	}
	if !e.determiner[w] {
		return k + 1
	}
	for m := k + 1; m < s.n() && m <= k+5; m++ {
		if s.boundary(m) {
			return m
		}
		if m > k+1 && stop(s.low(m)) {
			return m
		}
	}
	return k + 2
}

func (e *en) onlyDiscourse(s *sentence, from, to int) bool {
	for k := from; k < to; k++ {
		if !e.discourse[s.low(k)] {
			return false
		}
	}
	return true
}

// negatedStrictly is negatedBefore with only "not"-type words: "without
// tests was irresponsible" is not a negated verdict.
func (e *en) negatedStrictly(s *sentence, i, window int) bool {
	cs := s.clauseStart(i)
	for k := i - 1; k >= cs && k >= i-window; k-- {
		w := s.low(k)
		if w == "not" || w == "never" || w == "hardly" || strings.HasSuffix(w, "n't") {
			return true
		}
	}
	return false
}

// negatedBefore reports whether a negation sits within window words before i
// in the same clause ("no single root cause", "wasn't obvious").
func (e *en) negatedBefore(s *sentence, i, window int) bool {
	cs := s.clauseStart(i)
	for k := i - 1; k >= cs && k >= i-window; k-- {
		w := s.low(k)
		if e.negator[w] || strings.HasSuffix(w, "n't") {
			return true
		}
	}
	return false
}

func (e *en) plural(s *sentence, from, to int) bool {
	if e.isName(s, to-1) {
		return false // "Jonas", "Carlos"
	}
	if to-from == 1 {
		switch s.low(from) {
		case "you", "we", "they", "people", "folks", "ops", "staff":
			return true
		}
	}
	w := s.low(to - 1)
	return strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !e.personPron[w] && w != "ops" && utf8.RuneCountInString(w) > 3
}

// drop returns the sentence without tokens [from, to), fixing "a"/"an"
// before the next word. It declines when the result would dangle ("was made
// carelessly and without…" → "was made and without…").
func (e *en) drop(s *sentence, from, to int) (string, bool) {
	if s.is(to, "and", "or", "but", "nor") {
		return "", false
	}
	if s.is(from-1, "a", "an") && to < s.n() {
		art := "a"
		if strings.ContainsRune("aeiou", rune(s.low(to)[0])) {
			art = "an"
		}
		if s.toks[from-1].cap {
			art = upperFirst(art)
		}
		return s.replaceTokens(from-1, to, art), true
	}
	return s.withoutTokens(from, to), true
}

// without suggests the sentence without tokens [from, to) when that reads
// well, followed by the given directions.
func (e *en) without(s *sentence, from, to int, directions ...string) []string {
	if r, ok := e.drop(s, from, to); ok {
		return append([]string{r}, directions...)
	}
	return directions
}

// objective gives the object form of a subject pronoun ("they" → "them").
func objective(w string) string {
	switch strings.ToLower(w) {
	case "they":
		return "them"
	case "he":
		return "him"
	case "she":
		return "her"
	case "we":
		return "us"
	case "i":
		return "me"
	}
	return w
}

// gerund turns a base verb into its -ing form.
func (e *en) gerund(base string) string {
	if g, ok := e.baseGerund[base]; ok {
		return g
	}
	switch {
	case strings.HasSuffix(base, "ie"):
		return base[:len(base)-2] + "ying"
	case strings.HasSuffix(base, "ee"), strings.HasSuffix(base, "ye"), strings.HasSuffix(base, "oe"):
		return base + "ing"
	case strings.HasSuffix(base, "e") && len(base) > 2:
		return base[:len(base)-1] + "ing"
	}
	return base + "ing"
}

func (e *en) isPast(w string) bool {
	if _, ok := e.pastGerund[w]; ok {
		return true
	}
	return strings.HasSuffix(w, "ed") && len(w) > 4
}

// gerundFromPast turns a past-tense verb into its -ing form. Regular verbs
// share their spelling changes between -ed and -ing ("stopped", "stopping";
// "paged", "paging"), so swapping the ending is enough.
func (e *en) gerundFromPast(past string) (string, bool) {
	if g, ok := e.pastGerund[past]; ok {
		return g, true
	}
	switch {
	case strings.HasSuffix(past, "ied") && len(past) > 4:
		return past[:len(past)-3] + "ying", true
	case strings.HasSuffix(past, "ed") && len(past) > 4:
		return past[:len(past)-2] + "ing", true
	}
	return "", false
}

// phraseFrom renders "verb-ing rest" for the verb at v and the words after
// it up to the end of the clause, dropping a leading minimizer.
func (e *en) gerundPhrase(s *sentence, v int, past bool) (string, bool) {
	for s.is(v, "just", "simply", "really", "actually") {
		v++
	}
	w := s.low(v)
	if w == "" {
		return "", false
	}
	var g string
	if past {
		var ok bool
		if g, ok = e.gerundFromPast(w); !ok {
			return "", false
		}
	} else {
		g = e.gerund(w)
	}
	end := v + 1
	for end < s.n() && !s.boundary(end) {
		end++
	}
	rest := s.textOf(v+1, end)
	if rest != "" {
		g += " " + rest
	}
	return g, true
}
