package langcheck

// Language is one language's rule set: word lists and small matchers,
// plus the texts Debrief shows. It is built by a constructor such as English
// and is read-only afterwards, so one Language may back many Checkers.
type Language struct {
	code string
	name string

	quotes      []quotePair
	apostrophes []rune
	abbrev      map[string]bool

	rules []rule

	explain   map[Category]string // default explanation per category
	direction map[Category]string // fallback suggestion per category

	quotedExplain   string
	quotedSuggest   func(quote string) string
	reportedExplain string
	reportedSuggest string
	// markReported sets token.reported on words that report what someone
	// said or felt, which are information rather than the author's framing.
	markReported func(s *sentence)
}

// Code returns the language code, e.g. "en".
func (l *Language) Code() string { return l.code }

// Name returns the language's English name.
func (l *Language) Name() string { return l.name }

// rule is one matcher. It runs only at tokens whose lower-cased form is one of
// its triggers, which keeps a check linear in the length of the text.
type rule struct {
	cat      Category
	name     string
	triggers []string
	match    func(s *sentence, i int) (hit, bool)
}

// hit is a rule's match: a token span [from, to) within one sentence.
type hit struct {
	cat      Category
	from, to int
	conf     float64
	explain  string   // empty: the category's explanation
	suggest  []string // empty: the category's direction
	// suppress names categories that a more specific reading replaces on
	// overlapping words: "was it a mistake to…?" is a leading question, not
	// a second flag for "mistake".
	suppress []Category
}

func overlaps(a, b hit) bool { return a.from < b.to && b.from < a.to }

// resolve applies suppression and merges overlapping hits of one category
// into one, keeping the most confident hit's explanation and suggestions.
func resolve(hits []hit) []hit {
	if len(hits) == 0 {
		return nil
	}
	out := make([]hit, 0, len(hits))
	for i, h := range hits {
		suppressed := false
		for j, o := range hits {
			if i == j || !overlaps(h, o) {
				continue
			}
			for _, c := range o.suppress {
				if c == h.cat && c != o.cat {
					suppressed = true
				}
			}
		}
		if suppressed {
			continue
		}
		merged := false
		for k := range out {
			if out[k].cat != h.cat || !overlaps(out[k], h) {
				continue
			}
			from, to := min(out[k].from, h.from), max(out[k].to, h.to)
			if h.conf > out[k].conf {
				out[k] = h
			}
			out[k].from, out[k].to = from, to
			merged = true
			break
		}
		if !merged {
			out = append(out, h)
		}
	}
	return out
}
