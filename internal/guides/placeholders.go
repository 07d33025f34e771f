package guides

import (
	"strconv"
	"strings"
)

// Placeholder names. A timeline placeholder names an entry by its 1-based
// position in the event's timeline: {{timeline.1}}, {{timeline.2}} ...
const (
	PhEventTitle      = "event.title"
	PhEventKind       = "event.kind"
	PhEventStartedAt  = "event.started_at"
	PhPersonName      = "person.name"
	PhFacilitatorName = "facilitator.name"
	phTimelinePrefix  = "timeline."
	maxTimelineIndex  = 999
)

// Placeholders lists the placeholders a guide may use, as written in a
// guide; "timeline.N" stands for any entry number.
func Placeholders() []string {
	return []string{"{{" + PhEventTitle + "}}", "{{" + PhEventKind + "}}", "{{" + PhEventStartedAt + "}}",
		"{{" + PhPersonName + "}}", "{{" + PhFacilitatorName + "}}", "{{" + phTimelinePrefix + "N}}"}
}

// placeholder is one {{name}} found in a text; start and end are byte
// offsets of the whole "{{...}}".
type placeholder struct {
	start, end int
	name       string
}

// scanPlaceholders finds every {{name}} in s, with the name trimmed of
// spaces. unclosed reports a "{{" with no "}}" after it, which is almost
// certainly a typo the author wants to hear about.
func scanPlaceholders(s string) (out []placeholder, unclosed bool) {
	for i := 0; ; {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			return out, false
		}
		start := i + j
		k := strings.Index(s[start+2:], "}}")
		if k < 0 {
			return out, true
		}
		end := start + 2 + k + 2
		out = append(out, placeholder{start: start, end: end, name: strings.TrimSpace(s[start+2 : end-2])})
		i = end
	}
}

// timelineIndex returns N for "timeline.N".
func timelineIndex(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, phTimelinePrefix)
	if !ok || rest == "" || rest[0] == '0' || len(rest) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || n > maxTimelineIndex {
		return 0, false
	}
	return n, true
}

func knownPlaceholder(name string) bool {
	switch name {
	case PhEventTitle, PhEventKind, PhEventStartedAt, PhPersonName, PhFacilitatorName:
		return true
	}
	_, ok := timelineIndex(name)
	return ok
}

// fillPlaceholders replaces each placeholder in s with value(name).
func fillPlaceholders(s string, value func(name string) string) string {
	phs, _ := scanPlaceholders(s)
	if len(phs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, p := range phs {
		b.WriteString(s[last:p.start])
		b.WriteString(value(p.name))
		last = p.end
	}
	b.WriteString(s[last:])
	return b.String()
}
