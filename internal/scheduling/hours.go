package scheduling

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Clock is a local wall-clock time of day in minutes since local midnight,
// from 0 (00:00) to 1440 (24:00, only as the end of a range).
type Clock int

// EndOfDay is 24:00, the end of a range that runs to local midnight.
const EndOfDay Clock = 24 * 60

// MaxOvernight is the longest a range that crosses midnight may last. A longer
// one is far more likely to be a swapped start and end (17:00-09:00) than a
// real shift, and silently accepting it would book people at night.
const MaxOvernight = 14 * time.Hour

func (c Clock) String() string {
	if c < 0 || c > EndOfDay {
		return fmt.Sprintf("Clock(%d)", int(c))
	}
	return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60)
}

// ParseClock parses H:MM or HH:MM, from 00:00 to 24:00.
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !allDigits(h) || !allDigits(m) {
		return 0, fmt.Errorf("time %q is not a clock time (want HH:MM, like 09:00)", s)
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("time %q is out of range (want 00:00 to 24:00)", s)
	}
	return Clock(hh*60 + mm), nil
}

// Range is one interval of local working time starting on a given weekday.
// When End <= Start the range runs past midnight and ends at End on the next
// local day (22:00-06:00).
type Range struct {
	Start, End Clock
}

// Overnight reports whether the range ends on the next local day.
func (r Range) Overnight() bool { return r.End <= r.Start }

// Length is the nominal wall-clock length; on a clock-change day the real
// length differs by the size of the change.
func (r Range) Length() time.Duration { return time.Duration(r.minutes()) * time.Minute }

func (r Range) minutes() int {
	if r.Overnight() {
		return int(r.End) + int(EndOfDay) - int(r.Start)
	}
	return int(r.End - r.Start)
}

// endMinute is the end in minutes since the start day's midnight, so that
// ranges of one day can be compared on a single line.
func (r Range) endMinute() int {
	if r.Overnight() {
		return int(r.End) + int(EndOfDay)
	}
	return int(r.End)
}

func (r Range) String() string { return r.Start.String() + "-" + r.End.String() }

// Validate reports a range that cannot be used, in words fit to show a user.
func (r Range) Validate() error {
	switch {
	case r.Start < 0 || r.Start >= EndOfDay:
		return fmt.Errorf("range %s: start must be from 00:00 to 23:59", r)
	case r.End < 0 || r.End > EndOfDay:
		return fmt.Errorf("range %s: end must be from 00:00 to 24:00", r)
	case r.Start == r.End:
		return fmt.Errorf("range %s is empty (use 00:00-24:00 for a whole day)", r)
	case r.Overnight() && r.Length() > MaxOvernight:
		return fmt.Errorf("range %s crosses midnight and lasts %s; a range crossing midnight may last at most %s (did you mean %s-%s?)",
			r, formatMinutes(r.minutes()), formatMinutes(int(MaxOvernight/time.Minute)), r.End, r.Start)
	}
	return nil
}

func formatMinutes(m int) string {
	if m%60 == 0 {
		return fmt.Sprintf("%dh", m/60)
	}
	return fmt.Sprintf("%dh%02dm", m/60, m%60)
}

// WorkingHours is a weekly template of local working ranges, indexed by
// time.Weekday of the local date on which each range starts. The zero value
// has no working time at all.
type WorkingHours [7][]Range

// dayNames holds the canonical three-letter names in time.Weekday order; a
// string constant rather than a table keeps the package free of mutable state.
const dayNames = "sunmontuewedthufrisat"

func dayName(d time.Weekday) string { return dayNames[3*d : 3*d+3] }

// monFirst maps a Monday-first position (0..6) to a weekday, the order used
// in the canonical form and in day ranges such as mon-fri.
func monFirst(i int) time.Weekday { return time.Weekday((i + 1) % 7) }

func monFirstPos(d time.Weekday) int { return (int(d) + 6) % 7 }

// Validate checks every range and that no two ranges of one day overlap.
// Touching ranges are fine: they join into one stretch.
func (w WorkingHours) Validate() error {
	for i := range 7 {
		d := monFirst(i)
		for _, r := range w[d] {
			if err := r.Validate(); err != nil {
				return fmt.Errorf("%s: %w", dayName(d), err)
			}
		}
		if err := checkOverlap(d, w[d]); err != nil {
			return err
		}
	}
	return nil
}

// checkOverlap compares pairs rather than sorting so that validation, which
// Find runs for every person, does not allocate.
func checkOverlap(d time.Weekday, rs []Range) error {
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			a, b := rs[i], rs[j]
			if b.Start < a.Start || (b.Start == a.Start && b.endMinute() < a.endMinute()) {
				a, b = b, a
			}
			if int(b.Start) < a.endMinute() {
				return fmt.Errorf("on %s, ranges %s and %s overlap", dayName(d), a, b)
			}
		}
	}
	return nil
}

func sortedRanges(rs []Range) []Range {
	less := func(a, b Range) int {
		if a.Start != b.Start {
			return int(a.Start - b.Start)
		}
		return a.endMinute() - b.endMinute()
	}
	if slices.IsSortedFunc(rs, less) {
		return rs
	}
	out := slices.Clone(rs)
	slices.SortFunc(out, less)
	return out
}

// String returns the canonical form: Monday first, days with identical ranges
// grouped ("mon-fri 09:00-17:00; sat 10:00-12:00"), ranges sorted by start.
// ParseWorkingHours(w.String()) gives w back for any w it produced.
func (w WorkingHours) String() string {
	var b strings.Builder
	var done [7]bool
	for i := range 7 {
		d := monFirst(i)
		if done[i] || len(w[d]) == 0 {
			continue
		}
		rs := sortedRanges(w[d])
		var same [7]bool
		for j := i; j < 7; j++ {
			if !done[j] && slices.Equal(sortedRanges(w[monFirst(j)]), rs) {
				same[j], done[j] = true, true
			}
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		writeDays(&b, same)
		b.WriteByte(' ')
		for k, r := range rs {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString(r.String())
		}
	}
	return b.String()
}

// writeDays writes runs of consecutive days as "mon-fri" and lone days by name.
func writeDays(b *strings.Builder, days [7]bool) {
	first := true
	for i := 0; i < 7; {
		if !days[i] {
			i++
			continue
		}
		j := i
		for j+1 < 7 && days[j+1] {
			j++
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(dayName(monFirst(i)))
		if j > i {
			b.WriteByte('-')
			b.WriteString(dayName(monFirst(j)))
		}
		i = j + 1
	}
}

// MarshalText encodes the canonical string, so JSON and other text encodings
// carry working hours in the same form people type.
func (w WorkingHours) MarshalText() ([]byte, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	return []byte(w.String()), nil
}

// UnmarshalText accepts anything ParseWorkingHours accepts.
func (w *WorkingHours) UnmarshalText(text []byte) error {
	v, err := ParseWorkingHours(string(text))
	if err != nil {
		return err
	}
	*w = v
	return nil
}

// ParseWorkingHours parses groups separated by ";" or newlines, each a day
// list followed by a time list:
//
//	mon-fri 09:00-17:00
//	mon-thu 09:00-12:00,13:00-17:00; fri 09:00-13:00
//	mon,wed,fri 08:30-16:30; sat 22:00-06:00
//
// Day names are case-insensitive three-letter or full English names; a day
// range may wrap past Sunday (fri-mon). An empty string means no working
// time. Errors name the offending token because importers show them to the
// person who typed it.
func ParseWorkingHours(s string) (WorkingHours, error) {
	var w WorkingHours
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' })
	for _, g := range groups {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		i := strings.IndexFunc(g, isDigit)
		if i < 0 {
			return WorkingHours{}, fmt.Errorf("%q has no times (want days then times, like \"mon-fri 09:00-17:00\")", g)
		}
		dayPart, timePart := stripSpace(g[:i]), stripSpace(g[i:])
		if dayPart == "" {
			return WorkingHours{}, fmt.Errorf("%q has no days (want days then times, like \"mon-fri 09:00-17:00\")", g)
		}
		if strings.IndexFunc(timePart, isLetter) >= 0 {
			return WorkingHours{}, fmt.Errorf("%q: days must come before the times; separate groups with \";\"", g)
		}
		days, err := parseDays(dayPart)
		if err != nil {
			return WorkingHours{}, err
		}
		ranges, err := parseRanges(timePart)
		if err != nil {
			return WorkingHours{}, err
		}
		for d := range 7 {
			if days[d] {
				w[d] = append(w[d], ranges...)
			}
		}
	}
	for i := range 7 {
		d := monFirst(i)
		w[d] = sortedRanges(w[d])
		if err := checkOverlap(d, w[d]); err != nil {
			return WorkingHours{}, err
		}
	}
	return w, nil
}

// parseDays returns a set indexed by time.Weekday.
func parseDays(s string) ([7]bool, error) {
	var set [7]bool
	for item := range strings.SplitSeq(s, ",") {
		if item == "" {
			return set, fmt.Errorf("empty day in %q", s)
		}
		from, to, isRange := strings.Cut(item, "-")
		if isRange && (from == "" || to == "") {
			return set, fmt.Errorf("day range %q needs a first and a last day (like mon-fri)", item)
		}
		a, err := parseDay(from)
		if err != nil {
			return set, err
		}
		if !isRange {
			set[a] = true
			continue
		}
		b, err := parseDay(to)
		if err != nil {
			return set, err
		}
		for p := monFirstPos(a); ; p = (p + 1) % 7 {
			set[monFirst(p)] = true
			if monFirst(p) == b {
				break
			}
		}
	}
	return set, nil
}

func parseDay(s string) (time.Weekday, error) {
	l := strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		if l == dayName(d) || l == strings.ToLower(d.String()) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("day %q is not a weekday (use mon, tue, wed, thu, fri, sat, sun)", s)
}

func parseRanges(s string) ([]Range, error) {
	var out []Range
	for item := range strings.SplitSeq(s, ",") {
		if item == "" {
			return nil, fmt.Errorf("empty time range in %q", s)
		}
		a, b, ok := strings.Cut(item, "-")
		if !ok {
			return nil, fmt.Errorf("range %q needs a start and an end (like 09:00-17:00)", item)
		}
		start, err := ParseClock(a)
		if err != nil {
			return nil, err
		}
		end, err := ParseClock(b)
		if err != nil {
			return nil, err
		}
		r := Range{Start: start, End: end}
		if err := r.Validate(); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

func stripSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}
