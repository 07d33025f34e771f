package people

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-dev/debrief/internal/scheduling"
)

// DefaultWorkingHours is used when a person is given no working hours.
const DefaultWorkingHours = "mon-fri 09:00-17:00"

// Limits on field sizes. They keep the directory usable in the UI and a
// stray paste (a whole document in a name) out of the database.
const (
	MaxLevels        = 20
	MaxLevelNameLen  = 60
	MaxNameLen       = 200
	MaxTeamLen       = 100
	MaxEmailLen      = 254
	MaxCalendarIDLen = 254
	MaxSystems       = 50
	MaxSystemLen     = 100
	// MaxImportRows bounds one CSV import so it runs as one transaction of a
	// sensible size; a larger directory is imported in parts.
	MaxImportRows = 50000
)

// checker validates and canonicalises field values. It caches time zones
// and working hours because an import repeats the same few values thousands
// of times and time.LoadLocation reads a file on every call.
type checker struct {
	zones map[string]string
	hours map[string]hoursResult
}

type hoursResult struct {
	canonical string
	problem   string
}

func newChecker() *checker {
	return &checker{zones: map[string]string{}, hours: map[string]hoursResult{}}
}

// textProblem rejects what a one-line field must not hold: invalid UTF-8
// (PostgreSQL refuses it) and control characters (NUL is refused too, and
// the others are copy-paste debris).
func textProblem(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "must not contain control characters or line breaks"
	}
	return ""
}

// name returns the trimmed name, or a problem.
func (c *checker) name(s string) (string, string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", "is required"
	case utf8.RuneCountInString(s) > MaxNameLen:
		return "", fmt.Sprintf("must be at most %d characters", MaxNameLen)
	}
	if p := textProblem(s); p != "" {
		return "", p
	}
	return s, ""
}

func (c *checker) team(s string) (string, string) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxTeamLen {
		return "", fmt.Sprintf("must be at most %d characters", MaxTeamLen)
	}
	if p := textProblem(s); p != "" {
		return "", p
	}
	return s, ""
}

func (c *checker) calendarID(s string) (string, string) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxCalendarIDLen {
		return "", fmt.Sprintf("must be at most %d characters", MaxCalendarIDLen)
	}
	if p := textProblem(s); p != "" {
		return "", p
	}
	return s, ""
}

// email trims and lower-cases, because email is the import's key and
// people type the same address in different cases.
func (c *checker) email(s string) (string, string) {
	e := strings.ToLower(strings.TrimSpace(s))
	if e == "" {
		return "", "is required"
	}
	if len(e) > MaxEmailLen {
		return "", fmt.Sprintf("must be at most %d characters", MaxEmailLen)
	}
	if p := textProblem(e); p != "" {
		return "", p
	}
	bad := fmt.Sprintf("%q is not an email address", e)
	// ParseAddress also accepts "Name <a@b>"; requiring the bare address back
	// rejects display names and comments.
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e {
		return "", bad
	}
	at := strings.LastIndexByte(e, '@')
	domain := e[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", bad
	}
	return e, ""
}

// timezone accepts IANA names only. "Local" and "" load too, but they mean
// the server's zone, which says nothing about where the person is.
func (c *checker) timezone(s string) (string, string) {
	s = strings.TrimSpace(s)
	if p, ok := c.zones[s]; ok {
		return s, p
	}
	p := ""
	switch s {
	case "":
		p = "is required (an IANA time zone such as Europe/Berlin)"
	case "Local":
		p = `"Local" is not an IANA time zone; use a name such as Europe/Berlin`
	default:
		if textProblem(s) != "" {
			p = fmt.Sprintf("unknown time zone %q", s)
		} else if _, err := time.LoadLocation(s); err != nil {
			p = fmt.Sprintf("unknown time zone %q", s)
		}
	}
	c.zones[s] = p
	return s, p
}

// workingHours returns the canonical form scheduling.WorkingHours.String
// gives, so equal schedules compare equal however they were typed.
func (c *checker) workingHours(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = DefaultWorkingHours
	}
	if r, ok := c.hours[s]; ok {
		return r.canonical, r.problem
	}
	var r hoursResult
	wh, err := scheduling.ParseWorkingHours(s)
	switch {
	case err != nil:
		r.problem = fmt.Sprintf("malformed working hours %q: %v", s, err)
	default:
		r.canonical = wh.String()
		if r.canonical == "" {
			r.problem = fmt.Sprintf("working hours %q contain no working time", s)
		}
	}
	c.hours[s] = r
	return r.canonical, r.problem
}

// systems trims, drops empties, de-duplicates and sorts, so the stored
// list is stable and comparable.
func (c *checker) systems(in []string) ([]string, string) {
	out := make([]string, 0, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if utf8.RuneCountInString(s) > MaxSystemLen {
			return nil, fmt.Sprintf("each system must be at most %d characters", MaxSystemLen)
		}
		if p := textProblem(s); p != "" {
			return nil, "each system " + p
		}
		out = append(out, s)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > MaxSystems {
		return nil, fmt.Sprintf("at most %d systems", MaxSystems)
	}
	return out, ""
}

// levelName trims a level name and checks its length.
func levelName(s string) (string, string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", "is required"
	case utf8.RuneCountInString(s) > MaxLevelNameLen:
		return "", fmt.Sprintf("must be at most %d characters", MaxLevelNameLen)
	}
	if p := textProblem(s); p != "" {
		return "", p
	}
	return s, ""
}
